#include "live_fixture.h"

namespace seatgate::redis::testing {
namespace {

using eval_test = live_test;

const std::string missing_event_key = "sg:{e:no-such-event}:ev";

TEST_F(eval_test, ShaIsKnownBeforeConnectAndLoadedAfter) {
  conn = std::make_unique<connection>(ioc.get_executor(), test_options(server.url()), st);
  const std::string sha = conn->sha(lua::script::read_event);
  EXPECT_EQ(sha.size(), 40u);
  EXPECT_NE(sha, conn->sha(lua::script::reserve_seats));
  conn->start();
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  for (const auto& s : lua::all_scripts()) (void)s;  // all of them, by SCRIPT EXISTS:
  auto exists = server.command({"SCRIPT", "EXISTS", sha, conn->sha(lua::script::reserve_seats)});
  ASSERT_TRUE(exists);
  ASSERT_EQ(exists->elements, 2u);
  EXPECT_EQ(exists->element[0]->integer, 1);
  EXPECT_EQ(exists->element[1]->integer, 1);
}

TEST_F(eval_test, ReadEventOnAMissingEventRepliesErr) {
  open();
  auto r = await(ioc, conn->eval(lua::script::read_event, {missing_event_key}, {}));
  ASSERT_TRUE(r);
  auto& [ec, rep] = *r;
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(rep.is_array()) << rep.str;
  ASSERT_EQ(rep.elements.size(), 3u);
  EXPECT_EQ(rep.elements[0].str, "ERR");
  EXPECT_EQ(rep.elements[1].str, "event_not_found");
  EXPECT_EQ(rep.elements[2].type, reply::kind::integer);
  EXPECT_EQ(rep.elements[2].integer, 0);
  EXPECT_EQ(st.noscript_reloads.load(), 0u);
}

TEST_F(eval_test, ScriptFlushThenEvalReloadsOnce) {
  open();
  auto first = await(ioc, conn->eval(lua::script::read_event, {missing_event_key}, {}));
  ASSERT_TRUE(first && !first->first && first->second.is_array());

  auto flushed = server.command({"SCRIPT", "FLUSH"});
  ASSERT_TRUE(flushed && flushed->type == REDIS_REPLY_STATUS);

  auto again = await(ioc, conn->eval(lua::script::read_event, {missing_event_key}, {}));
  ASSERT_TRUE(again);
  ASSERT_FALSE(again->first) << again->first.message();
  ASSERT_TRUE(again->second.is_array()) << again->second.str;
  EXPECT_EQ(again->second.elements[1].str, "event_not_found");
  EXPECT_EQ(st.noscript_reloads.load(), 1u);

  // Loaded again: the next call needs no reload.
  auto third = await(ioc, conn->eval(lua::script::read_event, {missing_event_key}, {}));
  ASSERT_TRUE(third && !third->first && third->second.is_array());
  EXPECT_EQ(st.noscript_reloads.load(), 1u);
}

TEST_F(eval_test, ScriptErrorIsAnErrorReply) {
  open();
  // read_event with no KEYS: the prelude indexes KEYS[1] and Lua fails.
  auto r = await(ioc, conn->eval(lua::script::read_event, {}, {}));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->first);
  EXPECT_TRUE(r->second.is_error());
  EXPECT_EQ(st.noscript_reloads.load(), 0u);
}

}  // namespace
}  // namespace seatgate::redis::testing
