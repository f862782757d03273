// The waiting room's call builders (store/room_calls.h) and key names
// (store/room_keys.h): the header samples, and the keys a header can only
// describe in words (admit_queue's per-token and per-user keys).
#include <gtest/gtest.h>

#include "samples.h"
#include "store/room_calls.h"
#include "store/room_keys.h"

namespace seatgate::test {

void add_room_samples(sample_map& s) {
  using store::leave_mode;
  s["join_queue"] = {{store::join_queue(k_event, k_user, "1234"), with({{"claim_gen", "1234"}})},
                     {store::join_queue(k_event, k_user, "1234", "tok-9"),
                      with({{"claim_gen", "1234"}, {"pass", "tok-9"}})}};
  s["queue_position"] = {
      {store::queue_position(k_event, k_user), with({})},
      {store::queue_position(k_event, k_user, "tok-9"), with({{"pass", "tok-9"}})}};
  s["leave_queue"] = {{store::leave_queue(k_event, k_user, "1234", leave_mode::leave),
                       with({{"claim_gen", "1234"}, {"mode", "leave"}})},
                      {store::leave_queue(k_event, k_user, "", leave_mode::if_idle),
                       with({{"claim_gen", ""}, {"mode", "if_idle"}})},
                      {store::leave_queue(k_event, k_user, "1234", leave_mode::leave, "tok-9"),
                       with({{"claim_gen", "1234"}, {"mode", "leave"}, {"pass", "tok-9"}})}};
  s["peek_queue"] = {
      {store::peek_queue(k_event, 16, 256), with({{"max_users", "16"}, {"max_due", "256"}})}};
  s["admit_queue"] = {{store::admit_queue(k_event, {"old-1"}, {"u1", "u2"}, {"tok-1", "tok-2"}),
                       with({{"n_due", "1"}})},
                      {store::admit_queue(k_event, {}, {}, {}), with({{"n_due", "0"}})}};
  s["delete_pass"] = {{store::delete_pass(k_event, "tok-1"), with({{"token", "tok-1"}})},
                      {store::delete_pass(k_event, "tok-1", k_user), with({{"token", "tok-1"}})}};
  s["claim_queue_slot"] = {{store::claim_queue_slot(k_user, k_event, 2, 2000),
                            with({{"limit", "2"}, {"grace_ms", "2000"}})}};
  s["release_queue_slot"] = {
      {store::release_queue_slot(k_user, k_event, "1234"), with({{"gen", "1234"}})}};
}

namespace {

TEST(RoomCalls, AdmitQueueDeclaresEveryDueAndEveryAdmittedKey) {
  const auto c = store::admit_queue("e1", {"old-1", "old-2"}, {"u1", "u2"}, {"t1", "t2"});
  const std::string p = "sg:{e:e1}:";
  EXPECT_EQ(c.keys, (std::vector<std::string>{p + "ev", p + "q", p + "passes", p + "admits",
                                              p + "pass:old-1", p + "pass:old-2", p + "qp:u1",
                                              p + "pass:t1", p + "qp:u2", p + "pass:t2"}));
  EXPECT_EQ(c.args, (std::vector<std::string>{"2", "old-1", "old-2", "u1", "t1", "u2", "t2"}));
}

TEST(RoomCalls, ThePassKeyOnlyWhenNamed) {
  EXPECT_EQ(store::queue_position("e1", "al").keys.size(), 4u);
  const auto named = store::queue_position("e1", "al", "tok");
  ASSERT_EQ(named.keys.size(), 5u);
  EXPECT_EQ(named.keys[4], "sg:{e:e1}:pass:tok");
  EXPECT_EQ(store::delete_pass("e1", "tok").keys.size(), 3u);
  EXPECT_EQ(store::delete_pass("e1", "tok", "al").keys.back(), "sg:{e:e1}:qp:al");
}

TEST(RoomKeys, Shapes) {
  const store::room_keys k("e1");
  EXPECT_EQ(k.user_pass("al"), "sg:{e:e1}:qp:al");
  EXPECT_EQ(k.user_revoked("al"), "sg:{e:e1}:qrv:al");
  EXPECT_EQ(k.admits(), "sg:{e:e1}:admits");
  EXPECT_EQ(k.queue_seq(), "sg:{e:e1}:qseq");
  EXPECT_EQ(k.queue(), "sg:{e:e1}:q");
  EXPECT_EQ(k.passes(), "sg:{e:e1}:passes");
  EXPECT_EQ(k.pass("t"), "sg:{e:e1}:pass:t");
  EXPECT_EQ(store::user_queues_key("al"), "sg:{u:al}:queues");
  EXPECT_EQ(store::user_gen_key("al"), "sg:{u:al}:qgen");
}

}  // namespace
}  // namespace seatgate::test
