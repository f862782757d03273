// Each call builder against its script's header comment: the same KEYS in
// the documented shapes and order, the same ARGV in the documented order.
// A script without a sample here (a new script without a builder) fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "samples.h"
#include "store/seat_calls.h"

namespace seatgate::test {

bindings with(bindings more) {
  bindings b = {{"P", "sg:{e:ev-1}:"}, {"U", k_user},      {"len(U)", "6"},
                {"R", k_rid},          {"event", k_event}, {"zone", "floor"}};
  for (auto& [k, v] : more) b[k] = v;
  return b;
}

namespace {

sample_map samples() {
  sample_map s;
  s["reserve_seats"] = {{store::reserve_seats({.event_id = k_event,
                                               .rid = k_rid,
                                               .user = k_user,
                                               .zone = "floor",
                                               .quantity = 3,
                                               .idem_key = "idem-1",
                                               .fingerprint = "fp-1",
                                               .queue_pass = "pass-1",
                                               .idem_ttl_s = 86400,
                                               .expire_batch = 100,
                                               .per_minute = 7,
                                               .seats = "A-1,A-2",
                                               .best = ""}),
                         with({{"key", "idem-1"},
                               {"quantity", "3"},
                               {"fingerprint", "fp-1"},
                               {"queue_pass", "pass-1"},
                               {"idem_ttl_s", "86400"},
                               {"expire_batch", "100"},
                               {"per_minute", "7"},
                               {"seats", "A-1,A-2"},
                               {"best", ""}})}};
  const bindings confirm = with({{"key", "idem-2"},
                                 {"payment_ref", "pay-1"},
                                 {"fingerprint", "fp-2"},
                                 {"idem_ttl_s", "3600"},
                                 {"expire_batch", "16"}});
  s["confirm_reservation"] = {{store::confirm_reservation({.event_id = k_event,
                                                           .rid = k_rid,
                                                           .user = k_user,
                                                           .idem_key = "idem-2",
                                                           .payment_ref = "pay-1",
                                                           .fingerprint = "fp-2",
                                                           .idem_ttl_s = 3600}),
                               confirm},
                              {store::confirm_reservation({.event_id = k_event,
                                                           .rid = k_rid,
                                                           .user = k_user,
                                                           .idem_key = "idem-2",
                                                           .payment_ref = "pay-1",
                                                           .fingerprint = "fp-2",
                                                           .idem_ttl_s = 3600,
                                                           .expire_batch = 16}),
                               confirm}};
  s["release_reservation"] = {{store::release_reservation(k_event, k_rid, k_user), with({})}};
  s["read_reservation"] = {{store::read_reservation(k_event, k_rid, k_user), with({})}};
  s["list_reservations"] = {{store::list_reservations({.event_id = k_event,
                                                       .user = k_user,
                                                       .expire_batch = 100,
                                                       .limit = 50,
                                                       .after_created_at = 1700000000123LL,
                                                       .after_rid = "ev-1.prev"}),
                             with({{"expire_batch", "100"},
                                   {"limit", "50"},
                                   {"after_created_at", "1700000000123"},
                                   {"after_rid", "ev-1.prev"}})}};
  s["expire_holds"] = {{store::expire_holds(k_event, 500), with({{"batch", "500"}})}};
  s["upsert_event"] = {{store::upsert_event(k_event, R"({"zones":[]})"),
                        with({{"config_json", R"({"zones":[]})"}})},
                       {store::upsert_event(k_event, R"({"zones":[{},{}]})", {"", "{}"}),
                        with({{"config_json", R"({"zones":[{},{}]})"}, {"layout_json", ""}})}};
  s["set_event_status"] = {
      {store::set_event_status(k_event, "paused"), with({{"status", "paused"}})}};
  s["read_event"] = {{store::read_event(k_event), with({})}};
  s["read_audit"] = {{store::read_audit(k_event, 10000), with({{"scan_limit", "10000"}})}};
  add_room_samples(s);
  // Assigned seating (store/seat_calls.h).
  s["read_seat_map"] = {{store::read_seat_map(k_event, "floor"), with({})}};
  // Data lifecycle.
  s["purge_ended"] = {
      {store::purge_ended(k_event, 604800000LL, store::number::verbatim(""), 500),
       with({{"ended_ms", "604800000"}, {"confirmed_ms", ""}, {"batch", "500"}})},
      {store::purge_ended(k_event, 1000, 2000, 10),
       with({{"ended_ms", "1000"}, {"confirmed_ms", "2000"}, {"batch", "10"}})}};
  s["archive_event"] = {{store::archive_event(k_event), with({})}};
  return s;
}

// The highest literal index `NAME[n]` in the script's own text (prelude and
// header left out), 0 when none.
std::size_t highest_index(std::string_view text, const std::string& name) {
  std::size_t top = 0;
  const std::regex re("\\b" + name + "\\[(\\d+)\\]");
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    top = std::max<std::size_t>(top, std::stoul((*it)[1].str()));
  return top;
}

std::string_view own_text(const lua::script_source& s) {
  const auto at = s.text.find("\n-- " + std::string(s.name) + ":");
  return at == std::string_view::npos ? std::string_view() : s.text.substr(at);
}

class ScriptContract : public ::testing::TestWithParam<std::string> {};

TEST_P(ScriptContract, HeaderStatesKeysAndArgv) {
  const auto* src = &*std::find_if(lua::all_scripts().begin(), lua::all_scripts().end(),
                                   [&](const auto& s) { return s.name == GetParam(); });
  ASSERT_FALSE(own_text(*src).empty()) << "the script does not start with '-- <name>:'";
  const auto doc = parse_header(header_comment(*src));
  ASSERT_TRUE(doc.keys) << "no 'KEYS = {...}' in the header";
  ASSERT_TRUE(doc.args) << "no 'ARGV = {...}' in the header";
  // What the script reads by a literal index is documented.
  EXPECT_LE(highest_index(own_text(*src), "KEYS"), doc.keys->size());
  if (std::find(doc.args->begin(), doc.args->end(), "...") == doc.args->end())
    EXPECT_LE(highest_index(own_text(*src), "ARGV"), doc.args->size());
}

TEST_P(ScriptContract, BuilderMatchesTheHeader) {
  const auto all = samples();
  const auto found = all.find(GetParam());
  ASSERT_NE(found, all.end()) << "no call builder sample for script " << GetParam()
                              << " (add one to store/calls.h and here)";
  for (std::size_t n = 0; n < found->second.size(); ++n) {
    SCOPED_TRACE("sample " + std::to_string(n + 1));
    const auto& [call, bind] = found->second[n];
    const auto& src = lua::source(call.script);
    EXPECT_EQ(src.name, GetParam()) << "the builder names another script";
    const auto doc = parse_header(header_comment(src));
    ASSERT_TRUE(doc.keys && doc.args);

    // Key shapes in order; "x?" may be left out at the end; "..." allows
    // more keys, each on the event's prefix (the script's own header says
    // which; its builder's test checks them).
    const auto shapes = listed(*doc.keys);
    EXPECT_GE(call.keys.size(), shapes.required) << "KEYS count";
    if (!shapes.more) EXPECT_LE(call.keys.size(), shapes.names.size()) << "KEYS count";
    for (std::size_t i = 0; i < call.keys.size(); ++i) {
      if (i >= shapes.names.size()) {
        EXPECT_TRUE(call.keys[i].starts_with(bind.at("P"))) << "KEYS[" << i + 1 << "]";
        continue;
      }
      const auto want = expand(shapes.names[i], bind);
      ASSERT_EQ(want.error, "");
      EXPECT_EQ(call.keys[i], want.key) << "KEYS[" << i + 1 << "] = " << shapes.names[i];
    }

    // Names in order; "x?" may be left out at the end; "..." allows more.
    const auto args = listed(*doc.args);
    const auto& names = args.names;
    const bool more = args.more;
    EXPECT_GE(call.args.size(), args.required) << "ARGV count";
    if (!more) EXPECT_LE(call.args.size(), names.size()) << "ARGV count";
    for (std::size_t i = 0; i < std::min(call.args.size(), names.size()); ++i) {
      const auto it = bind.find(names[i]);
      ASSERT_NE(it, bind.end()) << "no value for ARGV " << names[i];
      EXPECT_EQ(call.args[i], it->second) << "ARGV[" << i + 1 << "] = " << names[i];
    }
  }
}

std::vector<std::string> script_names() {
  std::vector<std::string> out;
  for (const auto& s : lua::all_scripts()) out.emplace_back(s.name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryScript, ScriptContract, ::testing::ValuesIn(script_names()),
                         [](const auto& info) { return info.param; });

TEST(ScriptContract, EverySampleNamesAScript) {
  const auto names = script_names();
  for (const auto& [name, _] : samples())
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

// A batch repeats the per-request keys (the last three) and the arguments.
TEST(ScriptContract, ReserveBatchRepeatsThePerRequestKeysAndArguments) {
  std::vector<store::reserve_seats_args> batch(2, {.event_id = k_event,
                                                   .rid = k_rid,
                                                   .user = k_user,
                                                   .zone = "floor",
                                                   .quantity = 1,
                                                   .idem_key = "idem-1",
                                                   .fingerprint = "fp-1",
                                                   .queue_pass = "",
                                                   .idem_ttl_s = 86400,
                                                   .expire_batch = 100,
                                                   .per_minute = 0});
  batch[1].user = "bob";
  batch[1].idem_key = "idem-2";
  const auto one = store::reserve_seats(batch[0]), two = store::reserve_seats(batch[1]);
  const auto call = store::reserve_seats_batch(batch);
  EXPECT_EQ(call.script, lua::script::reserve_seats);
  ASSERT_EQ(call.keys.size(), 13u);
  ASSERT_EQ(call.args.size(), 22u);
  EXPECT_TRUE(std::equal(one.keys.begin(), one.keys.end(), call.keys.begin()));
  EXPECT_TRUE(std::equal(two.keys.begin() + 7, two.keys.end(), call.keys.begin() + 10));
  EXPECT_TRUE(std::equal(one.args.begin(), one.args.end(), call.args.begin()));
  EXPECT_TRUE(std::equal(two.args.begin(), two.args.end(), call.args.begin() + 11));
}

// A confirm batch repeats the idempotency key and all six arguments: a
// request without expire_batch carries it empty, so the script can count.
TEST(ScriptContract, ConfirmBatchRepeatsTheKeyAndAllSixArguments) {
  std::vector<store::confirm_reservation_args> batch(2, {.event_id = k_event,
                                                         .rid = k_rid,
                                                         .user = k_user,
                                                         .idem_key = "idem-1",
                                                         .payment_ref = "pay-1",
                                                         .fingerprint = "fp-1",
                                                         .idem_ttl_s = 86400});
  batch[1].user = "bob";
  batch[1].idem_key = "idem-2";
  batch[1].expire_batch = 16;
  const auto one = store::confirm_reservation(batch[0]), two = store::confirm_reservation(batch[1]);
  const auto call = store::confirm_reservation_batch(batch);
  EXPECT_EQ(call.script, lua::script::confirm_reservation);
  ASSERT_EQ(one.args.size(), 5u);
  ASSERT_EQ(two.args.size(), 6u);
  ASSERT_EQ(call.keys.size(), 9u);
  ASSERT_EQ(call.args.size(), 12u);
  EXPECT_TRUE(std::equal(one.keys.begin(), one.keys.end(), call.keys.begin()));
  EXPECT_EQ(call.keys[8], two.keys[7]);
  EXPECT_TRUE(std::equal(one.args.begin(), one.args.end(), call.args.begin()));
  EXPECT_EQ(call.args[5], "");
  EXPECT_TRUE(std::equal(two.args.begin(), two.args.end(), call.args.begin() + 6));
}

TEST(Header, ParsesNestedBracesNotesOptionalsAndMore) {
  const auto d = parse_header(
      "x: KEYS = {P ev, sg:{u:U}:queues} · ARGV = {U, gen (\"\" = none, or a number), "
      "batch?, t1, ...} -> {\"OK\"}");
  ASSERT_TRUE(d.keys && d.args);
  EXPECT_EQ(*d.keys, (std::vector<std::string>{"P ev", "sg:{u:U}:queues"}));
  EXPECT_EQ(*d.args, (std::vector<std::string>{"U", "gen", "batch?", "t1", "..."}));
  EXPECT_FALSE(parse_header("KEYS = {P ev").keys);
  EXPECT_EQ(
      expand("P idem:<len(U)>:U:<key>", {{"P", "p:"}, {"U", "Ux"}, {"len(U)", "2"}, {"key", "k"}})
          .key,
      "p:idem:2:Ux:k");
  EXPECT_NE(expand("P z:<zone>", {{"P", "p:"}}).error, "");
}

}  // namespace
}  // namespace seatgate::test
