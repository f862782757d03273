#include "redis/url.h"

#include <gtest/gtest.h>

namespace seatgate::redis {
namespace {

TEST(Url, UnixSocket) {
  auto ep = parse_url("unix:///tmp/x/redis.sock");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->type, endpoint::kind::unix_socket);
  EXPECT_EQ(ep->path, "/tmp/x/redis.sock");
}

TEST(Url, UnixNeedsAbsolutePath) {
  std::string why;
  EXPECT_FALSE(parse_url("unix://redis.sock", &why));
  EXPECT_NE(why.find("absolute"), std::string::npos);
  EXPECT_FALSE(parse_url("unix://"));
}

TEST(Url, HostAndPort) {
  auto ep = parse_url("redis://cache.internal:6380");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->type, endpoint::kind::tcp);
  EXPECT_EQ(ep->host, "cache.internal");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_TRUE(ep->password.empty());
}

TEST(Url, DefaultPortAndTrailingSlash) {
  auto ep = parse_url("redis://127.0.0.1/");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 6379);
}

TEST(Url, Ipv6) {
  auto ep = parse_url("redis://[::1]:7000");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 7000);
  auto bare = parse_url("redis://[fe80::1]");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->host, "fe80::1");
  EXPECT_EQ(bare->port, 6379);
  EXPECT_FALSE(parse_url("redis://[::1"));
  EXPECT_FALSE(parse_url("redis://[::1]x"));
}

TEST(Url, Credentials) {
  auto pw = parse_url("redis://:s%40cret%3a@h:1");
  ASSERT_TRUE(pw);
  EXPECT_EQ(pw->username, "");
  EXPECT_EQ(pw->password, "s@cret:");
  EXPECT_EQ(pw->host, "h");
  auto both = parse_url("redis://app:pw@h");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->username, "app");
  EXPECT_EQ(both->password, "pw");
  EXPECT_FALSE(parse_url("redis://app@h"));    // a user without a password
  EXPECT_FALSE(parse_url("redis://:p%4@h"));   // truncated escape
  EXPECT_FALSE(parse_url("redis://:p%zz@h"));  // not hex
}

TEST(Url, Rejects) {
  for (const char* bad : {"", "localhost:6379", "http://h:1", "rediss://h:6379", "redis://",
                          "redis://:6379", "redis://h:", "redis://h:0", "redis://h:65536",
                          "redis://h:12x", "redis://h:-1", "redis://h:6379/0"}) {
    std::string why;
    EXPECT_FALSE(parse_url(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace seatgate::redis
