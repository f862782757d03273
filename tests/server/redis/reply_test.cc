#include "redis/reply.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <string>
#include <vector>

namespace seatgate::redis {
namespace {

redisReply make(int type) {
  redisReply r{};
  r.type = type;
  return r;
}

redisReply make_str(int type, std::string& storage) {
  redisReply r = make(type);
  r.str = storage.data();
  r.len = storage.size();
  return r;
}

TEST(Reply, NullIsNil) {
  reply r = from_hiredis(nullptr);
  EXPECT_EQ(r.type, reply::kind::nil);
  EXPECT_FALSE(r.is_error());
}

TEST(Reply, Nil) {
  redisReply h = make(REDIS_REPLY_NIL);
  EXPECT_EQ(from_hiredis(&h).type, reply::kind::nil);
}

TEST(Reply, Integer) {
  redisReply h = make(REDIS_REPLY_INTEGER);
  h.integer = -9007199254740993LL;
  reply r = from_hiredis(&h);
  EXPECT_EQ(r.type, reply::kind::integer);
  EXPECT_EQ(r.integer, -9007199254740993LL);
}

TEST(Reply, StringIsBinarySafe) {
  std::string s("a\0b\r\nc", 6);
  redisReply h = make_str(REDIS_REPLY_STRING, s);
  reply r = from_hiredis(&h);
  EXPECT_EQ(r.type, reply::kind::string);
  EXPECT_EQ(r.str, s);
  EXPECT_EQ(r.str.size(), 6u);
}

TEST(Reply, StatusAndError) {
  std::string ok = "OK", err = "NOSCRIPT No matching script.";
  redisReply hs = make_str(REDIS_REPLY_STATUS, ok);
  redisReply he = make_str(REDIS_REPLY_ERROR, err);
  reply s = from_hiredis(&hs), e = from_hiredis(&he);
  EXPECT_EQ(s.type, reply::kind::status);
  EXPECT_EQ(s.str, "OK");
  EXPECT_TRUE(e.is_error());
  EXPECT_EQ(e.str, err);
}

TEST(Reply, NestedArrays) {
  // {"OK", 2, {"x", nil}, {}}
  std::string ok = "OK", x = "x";
  redisReply a0 = make_str(REDIS_REPLY_STRING, ok);
  redisReply a1 = make(REDIS_REPLY_INTEGER);
  a1.integer = 2;
  redisReply b0 = make_str(REDIS_REPLY_STRING, x);
  redisReply b1 = make(REDIS_REPLY_NIL);
  redisReply* inner_elems[] = {&b0, &b1};
  redisReply inner = make(REDIS_REPLY_ARRAY);
  inner.elements = 2;
  inner.element = inner_elems;
  redisReply empty = make(REDIS_REPLY_ARRAY);
  redisReply* outer_elems[] = {&a0, &a1, &inner, &empty};
  redisReply outer = make(REDIS_REPLY_ARRAY);
  outer.elements = 4;
  outer.element = outer_elems;

  reply r = from_hiredis(&outer);
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.elements.size(), 4u);
  EXPECT_EQ(r.elements[0].str, "OK");
  EXPECT_EQ(r.elements[1].integer, 2);
  ASSERT_TRUE(r.elements[2].is_array());
  ASSERT_EQ(r.elements[2].elements.size(), 2u);
  EXPECT_EQ(r.elements[2].elements[0].str, "x");
  EXPECT_EQ(r.elements[2].elements[1].type, reply::kind::nil);
  EXPECT_TRUE(r.elements[3].is_array());
  EXPECT_TRUE(r.elements[3].elements.empty());
}

TEST(Reply, FromARealParser) {
  // The same mapping on a reply hiredis itself parsed.
  redisReader* reader = redisReaderCreate();
  const std::string wire = "*3\r\n$2\r\nOK\r\n:0\r\n*1\r\n-ERR bad\r\n";
  ASSERT_EQ(redisReaderFeed(reader, wire.data(), wire.size()), REDIS_OK);
  void* parsed = nullptr;
  ASSERT_EQ(redisReaderGetReply(reader, &parsed), REDIS_OK);
  ASSERT_NE(parsed, nullptr);
  reply r = from_hiredis(static_cast<redisReply*>(parsed));
  freeReplyObject(parsed);
  redisReaderFree(reader);
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.elements.size(), 3u);
  EXPECT_EQ(r.elements[0].type, reply::kind::string);
  EXPECT_EQ(r.elements[1].type, reply::kind::integer);
  ASSERT_EQ(r.elements[2].elements.size(), 1u);
  EXPECT_TRUE(r.elements[2].elements[0].is_error());
  EXPECT_EQ(r.elements[2].elements[0].str, "ERR bad");
}

}  // namespace
}  // namespace seatgate::redis
