// Seated zones in Redis (docs/seating.md) against a real redis-server, through
// the server's own call builders: the layout written by upsert_event (the
// event's three fixed seat keys), the seat map read, and every path of a
// seated hold (pick, best available, confirm, release, expiry on every path),
// each refusal followed by a read showing nothing changed.
#include <gtest/gtest.h>

#include "lua_fixture.h"
#include "seat_lua.h"
#include "store/seat_calls.h"

namespace seatgate::test {
namespace {

const std::string k_ev = "gala";

class SeatScripts : public LuaTest {
 protected:
  void SetUp() override {
    LuaTest::SetUp();
    put(layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}));
  }

  // The event: general "floor" (10) and seated "stalls" with layout `l`.
  script_reply put(const nlohmann::json& l, bool expect_ok = true) {
    event_config cfg;
    cfg.zones = {{"floor", 10}, seated_zone("stalls", l)};
    cfg.max_per_user = max_per_user;
    auto r = c->upsert(k_ev, cfg);
    if (expect_ok) EXPECT_TRUE(r.ok) << r.code << " " << r.seats;
    return r;
  }
  std::vector<std::string> map(const std::string& zone = "stalls") {
    return strings_of(c->evalsha(store::read_seat_map(k_ev, zone)).get());
  }
  std::string states(const std::string& zone = "stalls") {
    auto m = map(zone);
    return m[0] == "OK" ? m[2] : "<" + m[1] + ">";
  }
  script_reply pick(const std::string& rid, const std::string& seats,
                    const std::string& user = "al") {
    return c->reserve(k_ev, k_ev + "." + rid, user, "stalls", "1", "k-" + rid, "fp-" + rid, "",
                      "64", "0", seats, "");
  }
  script_reply best(const std::string& rid, int n, const std::string& mode = "1",
                    const std::string& user = "al") {
    return c->reserve(k_ev, k_ev + "." + rid, user, "stalls", std::to_string(n), "k-" + rid,
                      "fp-" + rid, "", "64", "0", "", mode);
  }
  nlohmann::json audit() { return c->audit(k_ev).json(); }
  // The audit and the map: a refused request must change neither.
  std::pair<std::string, std::string> snapshot() { return {audit().dump(), states()}; }
  void expect_sound() {
    auto a = audit();
    EXPECT_TRUE(a["consistent"].get<bool>()) << a.dump();
    EXPECT_EQ(a["double_booked_seats"], nlohmann::json::array()) << a.dump();
  }
  std::string holder(const std::string& seat) {
    return c->hget(store::event_keys(k_ev).seat_holders(), "stalls/" + seat);
  }

  long long max_per_user = 10;
};

// --- Layouts --------------------------------------------------------------

TEST_F(SeatScripts, UpsertWritesLayoutAndSeatsInOneStep) {
  EXPECT_EQ(states(), "uaaaaaaaaa");
  EXPECT_EQ(zone(k_ev, "stalls").capacity, 9);
  EXPECT_EQ(zone(k_ev, "stalls").available, 9);
  const store::event_keys k(k_ev);
  EXPECT_EQ(c->hget(k.seat_layouts(), "stalls:base"), "0");
  EXPECT_EQ(nlohmann::json::parse(c->hget(k.seat_layouts(), "stalls")),
            layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}));
  auto ev = c->read_event(k_ev).json();
  EXPECT_EQ(ev["zones"][1]["kind"], "seated");
  EXPECT_FALSE(ev["zones"][0].contains("kind"));
  expect_sound();
}

TEST_F(SeatScripts, AGeneralOnlyEventHasNoSeatKeys) {
  make_event("plain");
  const store::event_keys k("plain");
  auto n = c->command({"EXISTS", k.seats(), k.seat_holders(), k.seat_layouts()});
  EXPECT_EQ(n->integer, 0);
  hold("plain", "plain.r1", "al", 2);
  n = c->command({"EXISTS", k.seats(), k.seat_holders(), k.seat_layouts()});
  EXPECT_EQ(n->integer, 0);
}

TEST_F(SeatScripts, GrowsAndKeepsHeldAndSoldSeatsById) {
  ASSERT_TRUE(pick("r1", "A-2").ok);
  ASSERT_TRUE(pick("r2", "B-2").ok);
  ASSERT_TRUE(c->confirm(k_ev, k_ev + ".r2", "al", "c2", "cfp").ok);
  // A row in front, two more seats in B, A-4 made unavailable, A-1 freed.
  put(layout_json({{"F", 2}, {"A", 6}, {"B", 6}}, {"A-4"}));
  EXPECT_EQ(states(),
            "aa"
            "ahauaa"
            "asaaaa");
  EXPECT_EQ(zone(k_ev, "stalls").capacity, 13);
  EXPECT_EQ(zone(k_ev, "stalls").available, 11);
  // The holds end on the seats' new offsets.
  ASSERT_TRUE(c->release(k_ev, k_ev + ".r1", "al").ok);
  EXPECT_EQ(states(), "aaaaauaaasaaaa");
  expect_sound();
}

TEST_F(SeatScripts, RefusesToRemoveOrDisableHeldOrSoldSeats) {
  ASSERT_TRUE(pick("r1", "A-6").ok);
  ASSERT_TRUE(pick("r2", "B-1").ok);
  ASSERT_TRUE(c->confirm(k_ev, k_ev + ".r2", "al", "c2", "cfp").ok);
  const auto before = snapshot();
  auto refused = [&](const nlohmann::json& l, const std::string& seats) {
    auto r = put(l, false);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.code, "capacity_below_committed");
    EXPECT_EQ(r.seats, seats);
  };
  refused(layout_json({{"A", 5}, {"B", 4}}), "A-6");               // row A shortened
  refused(layout_json({{"A", 6}}, {"A-6"}), "A-6,B-1");           // B removed, A-6 disabled
  event_config general;                                            // the zone turned general
  general.zones = {{"floor", 10}, {"stalls", 9}};
  auto r = c->upsert(k_ev, general);
  EXPECT_EQ(r.code, "capacity_below_committed");
  EXPECT_EQ(r.seats, "A-6,B-1");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SeatScripts, TwoSeatedZonesShareTheStringAndMoveTogether) {
  event_config cfg;
  cfg.zones = {seated_zone("circle", layout_json({{"C", 3}})), {"floor", 10},
               seated_zone("stalls", layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}))};
  ASSERT_TRUE(c->upsert(k_ev, cfg).ok);
  ASSERT_TRUE(pick("r1", "B-4").ok);
  EXPECT_EQ(states("circle"), "aaa");
  EXPECT_EQ(states(), "uaaaaaaaah");
  // The first zone grows: the second's region moves, its seats with it.
  cfg.zones[0] = seated_zone("circle", layout_json({{"C", 5}}));
  ASSERT_TRUE(c->upsert(k_ev, cfg).ok);
  EXPECT_EQ(states("circle"), "aaaaa");
  EXPECT_EQ(states(), "uaaaaaaaah");
  ASSERT_TRUE(c->release(k_ev, k_ev + ".r1", "al").ok);
  EXPECT_EQ(states(), "uaaaaaaaaa");
  EXPECT_EQ(states("circle"), "aaaaa");
  expect_sound();
}

TEST_F(SeatScripts, BadLayoutArgumentsChangeNothing) {
  const auto before = snapshot();
  event_config cfg;
  cfg.zones = {{"floor", 10}, seated_zone("stalls", layout_json({{"A", 4}}))};
  for (const std::string bad : {"{not json", R"({"rows": 3})"}) {
    auto call = store::upsert_event(k_ev, cfg.to_json(), {"", bad});
    EXPECT_EQ(c->run(call).code, "invalid_request");
  }
  auto call = store::upsert_event(k_ev, cfg.to_json(),
                                  {"", layout_json({{"A", 4}}, {"Z-1"}).dump()});
  EXPECT_EQ(c->run(call).code, "invalid_request");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SeatScripts, SeatMapRefusals) {
  EXPECT_EQ(strings_of(c->evalsha(store::read_seat_map("nope", "stalls")).get()),
            (std::vector<std::string>{"ERR", "event_not_found", "0"}));
  EXPECT_EQ(map("balcony"), (std::vector<std::string>{"ERR", "zone_not_found", "0"}));
  EXPECT_EQ(map("floor"), (std::vector<std::string>{"ERR", "zone_not_seated", "0"}));
}

TEST_F(SeatScripts, ALargestZoneIsWrittenAndRead) {
  std::vector<row_spec> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({"R" + std::to_string(i), 200, {50, 150}});
  put(layout_json(rows));
  EXPECT_EQ(states(), std::string(20000, 'a'));
  ASSERT_TRUE(pick("r1", "R99-200").ok);
  put(layout_json(rows));
  EXPECT_EQ(states(), std::string(19999, 'a') + "h");
}

// --- Holds ----------------------------------------------------------------

TEST_F(SeatScripts, PickHoldsExactlyThoseSeats) {
  auto r = pick("r1", "A-3,B-2");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.fresh_reply["seats"], "A-3,B-2");
  EXPECT_EQ(r.fresh_reply["quantity"], "2");
  EXPECT_EQ(r.fresh_reply["amount"], "9000");
  EXPECT_EQ(states(), "uahaaaahaa");
  EXPECT_EQ(holder("A-3"), k_ev + ".r1");
  EXPECT_EQ(zone(k_ev, "stalls").held, 2);
  EXPECT_EQ(used(k_ev, "al"), 2);
  auto read = c->read(k_ev, k_ev + ".r1", "al");
  EXPECT_EQ(read.reservation["seats"], "A-3,B-2");
  EXPECT_EQ(layout::read_record(*server_, k_ev, k_ev + ".r1")->seats, "A-3,B-2");
  // The outbox entry carries the seats.
  auto out = c->command({"XRANGE", store::event_keys(k_ev).outbox(), "-", "+"});
  ASSERT_EQ(out->elements, 1u);
  std::optional<layout::record> entry;
  auto* f = out->element[0]->element[1];
  for (size_t i = 0; i + 1 < f->elements; i += 2)
    if (std::string(f->element[i]->str) == "record")
      entry = layout::parse_record(std::string(f->element[i + 1]->str, f->element[i + 1]->len));
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->seats, "A-3,B-2");
  expect_sound();
}

TEST_F(SeatScripts, PickIsAllOrNothing) {
  ASSERT_TRUE(pick("r1", "A-3").ok);
  ASSERT_TRUE(pick("r2", "B-1").ok);
  ASSERT_TRUE(c->confirm(k_ev, k_ev + ".r2", "al", "c2", "cfp").ok);
  const auto before = snapshot();
  auto r = pick("r3", "A-2,A-3,A-4", "bo");
  EXPECT_EQ(r.code, "seats_taken");
  EXPECT_EQ(r.seats, "A-3");
  EXPECT_EQ(r.retry_after_s, 1);  // A-3 is held: it may come back
  r = pick("r4", "A-5,B-1", "bo");
  EXPECT_EQ(r.code, "seats_taken");
  EXPECT_EQ(r.seats, "B-1");
  EXPECT_EQ(r.retry_after_s, 0);  // sold: never
  r = pick("r5", "A-1", "bo");    // unavailable
  EXPECT_EQ(r.code, "seats_taken");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(idem_record(k_ev, "bo", "k-r3").first, "");  // the key is free again
}

TEST_F(SeatScripts, InvalidSeatsNameTheIds) {
  const auto before = snapshot();
  for (const auto& [seats, bad] : std::vector<std::pair<std::string, std::string>>{
           {"A-2,Z-1", "Z-1"}, {"A-2,A-2", "A-2"}, {"A-7,B-0,a-1,A-02", "A-7,B-0,a-1,A-02"},
           {"nonsense", "nonsense"}}) {
    auto r = pick("r-" + bad, seats);
    EXPECT_EQ(r.code, "invalid_seats") << seats;
    EXPECT_EQ(r.seats, bad) << seats;
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SeatScripts, SeatsOnAGeneralZoneAreRefused) {
  const auto before = snapshot();
  auto r = c->reserve(k_ev, k_ev + ".g1", "al", "floor", "1", "kg1", "fp", "", "64", "0", "A-1");
  EXPECT_EQ(r.code, "zone_not_seated");
  r = c->reserve(k_ev, k_ev + ".g2", "al", "floor", "2", "kg2", "fp", "", "64", "0", "", "1");
  EXPECT_EQ(r.code, "zone_not_seated");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SeatScripts, LimitsCountSeats) {
  max_per_user = 3;
  put(layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}));
  const auto before = snapshot();
  // max_per_order is 10: eleven seats is too many for one order.
  auto r = pick("r1", "A-2,A-3,A-4,A-5,A-6,B-1,B-2,B-3,B-4,A-2,A-3");
  EXPECT_EQ(r.code, "invalid_quantity");
  r = pick("r2", "A-2,A-3,A-4,A-5");
  EXPECT_EQ(r.code, "user_limit_exceeded");
  EXPECT_EQ(snapshot(), before);
  ASSERT_TRUE(pick("r3", "A-2,A-3").ok);
  EXPECT_EQ(pick("r4", "B-1,B-2").code, "user_limit_exceeded");
  EXPECT_EQ(best("r5", 2).code, "user_limit_exceeded");
  EXPECT_TRUE(best("r6", 1).ok);
}

TEST_F(SeatScripts, BestAvailableFrontRowNearestTheCentre) {
  // Quantity alone on a seated zone is best available.
  auto r = c->reserve(k_ev, k_ev + ".r1", "al", "stalls", "2", "k1", "fp1");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.fresh_reply["seats"], "A-2,A-3");  // A: u a a | a a a: 2..3 strands nothing
  r = best("r2", 3);
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.fresh_reply["seats"], "A-4,A-5,A-6");
  r = best("r3", 4);
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.fresh_reply["seats"], "B-1,B-2,B-3,B-4");
  EXPECT_EQ(states(), "uhhhhhhhhh");
  expect_sound();
}

TEST_F(SeatScripts, NoAdjacentSeatsUnlessSplitAllowed) {
  ASSERT_TRUE(pick("r1", "A-3,B-2").ok);  // A: u a h | a a a, B: a h a a
  const auto before = snapshot();
  auto r = best("r2", 4, "1", "bo");
  EXPECT_EQ(r.code, "no_adjacent_seats");
  EXPECT_EQ(snapshot(), before);
  r = best("r3", 4, "split", "bo");
  ASSERT_TRUE(r.ok) << r.code;
  // The largest runs first: A-4..A-6 (3), then B-3..B-4 (2) from its start.
  EXPECT_EQ(r.fresh_reply["seats"], "A-4,A-5,A-6,B-3");
  expect_sound();
}

TEST_F(SeatScripts, CategoryPricesMakeTheAmount) {
  auto l = layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"});
  l["categories"] = {{"wheelchair", {"B-1", "B-2"}}, {"premium", {"A-3"}}};
  l["category_prices"] = {{"wheelchair", 2000}, {"premium", 9000}};
  put(l);
  auto r = pick("r1", "B-1,B-3,A-3");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.fresh_reply["amount"], std::to_string(2000 + 4500 + 9000));
}

TEST_F(SeatScripts, ConfirmKeepsTheSeats) {
  ASSERT_TRUE(pick("r1", "A-4,A-5").ok);
  auto r = c->confirm(k_ev, k_ev + ".r1", "al", "c1", "cfp", "pay-1");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.reservation["seats"], "A-4,A-5");
  EXPECT_EQ(states(), "uaassaaaaa");
  EXPECT_EQ(holder("A-4"), k_ev + ".r1");
  EXPECT_EQ(zone(k_ev, "stalls").sold, 2);
  expect_sound();
}

TEST_F(SeatScripts, ReleaseReturnsTheSeatsAtOnce) {
  ASSERT_TRUE(pick("r1", "A-4,A-5").ok);
  ASSERT_TRUE(c->release(k_ev, k_ev + ".r1", "al").ok);
  EXPECT_EQ(states(), "uaaaaaaaaa");
  EXPECT_EQ(holder("A-4"), "");
  EXPECT_EQ(zone(k_ev, "stalls").available, 9);
  expect_sound();
}

TEST_F(SeatScripts, ExpiryReturnsTheSeatsOnEveryPath) {
  // The sweeper.
  ASSERT_TRUE(pick("r1", "A-2").ok);
  c->make_due(k_ev, k_ev + ".r1");
  EXPECT_EQ(c->expire(k_ev).n, 1);
  EXPECT_EQ(states(), "uaaaaaaaaa");
  // A read of the reservation (load_own).
  ASSERT_TRUE(pick("r2", "A-2").ok);
  c->make_due(k_ev, k_ev + ".r2");
  EXPECT_EQ(c->read(k_ev, k_ev + ".r2", "al").reservation["status"], "expired");
  EXPECT_EQ(states(), "uaaaaaaaaa");
  // A general-zone reserve of the same event by the same user, short of
  // allowance: its own due seated hold goes back first, seats and all.
  max_per_user = 2;
  put(layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}));
  ASSERT_TRUE(pick("r3", "B-3,B-4").ok);
  c->make_due(k_ev, k_ev + ".r3");
  EXPECT_TRUE(c->reserve(k_ev, k_ev + ".g1", "al", "floor", "1", "kg1", "fpg").ok);
  EXPECT_EQ(status_of(k_ev, k_ev + ".r3"), "expired");
  EXPECT_EQ(states(), "uaaaaaaaaa");
  ASSERT_TRUE(c->release(k_ev, k_ev + ".g1", "al").ok);
  // A pick of a seat whose hold is due (exact expiry), by another user.
  ASSERT_TRUE(pick("r4", "B-1").ok);
  c->make_due(k_ev, k_ev + ".r4");
  EXPECT_TRUE(pick("r5", "B-1", "bo").ok);
  EXPECT_EQ(status_of(k_ev, k_ev + ".r4"), "expired");
  EXPECT_EQ(holder("B-1"), k_ev + ".r5");
  // A confirm of a due hold answers expired and returns the seats.
  c->make_due(k_ev, k_ev + ".r5");
  EXPECT_EQ(c->confirm(k_ev, k_ev + ".r5", "bo", "c5", "cfp").code, "reservation_expired");
  EXPECT_EQ(states(), "uaaaaaaaaa");
  expect_sound();
}

TEST_F(SeatScripts, AnEndedHoldNeverFreesAnotherHoldersSeat) {
  ASSERT_TRUE(pick("r1", "A-2").ok);
  // Corrupt on purpose: the seat's holder is now someone else.
  c->command({"HSET", store::event_keys(k_ev).seat_holders(), "stalls/A-2", k_ev + ".other"});
  ASSERT_TRUE(c->release(k_ev, k_ev + ".r1", "al").ok);
  EXPECT_EQ(states(), "uhaaaaaaaa");
  EXPECT_EQ(holder("A-2"), k_ev + ".other");
}

TEST_F(SeatScripts, AuditReportsADoubleBookedSeat) {
  ASSERT_TRUE(pick("r1", "A-2").ok);
  ASSERT_TRUE(pick("r2", "A-3").ok);
  expect_sound();
  // Corrupt on purpose: r2's record also claims A-2.
  auto text = c->hget(store::event_keys(k_ev).reservations(), k_ev + ".r2");
  text.replace(text.find("|A-3|"), 5, "|A-3,A-2|");
  c->command({"HSET", store::event_keys(k_ev).reservations(), k_ev + ".r2", text});
  auto a = audit();
  EXPECT_FALSE(a["consistent"].get<bool>());
  ASSERT_EQ(a["double_booked_seats"].size(), 1u) << a.dump();
  EXPECT_EQ(a["double_booked_seats"][0]["seat"], "A-2");
  EXPECT_EQ(a["double_booked_seats"][0]["reservations"].size(), 2u);
}

TEST_F(SeatScripts, SameKeyAndSeatsReplaysTheHold) {
  auto r = pick("r1", "A-4,A-5");
  ASSERT_TRUE(r.ok);
  auto again = c->reserve(k_ev, k_ev + ".other", "al", "stalls", "1", "k-r1", "fp-r1", "", "64",
                          "0", "A-4,A-5", "");
  EXPECT_EQ(again.replayed, 1);
  EXPECT_EQ(again.reservation["id"], k_ev + ".r1");
  EXPECT_EQ(again.reservation["seats"], "A-4,A-5");
  // The same key with other seats (another fingerprint) is refused.
  auto other = c->reserve(k_ev, k_ev + ".x", "al", "stalls", "1", "k-r1", "fp-other", "", "64",
                          "0", "A-6", "");
  EXPECT_EQ(other.code, "idempotency_key_reused");
  EXPECT_EQ(states(), "uaahhaaaaa");
}

// Every path of a seated hold run as an ACL user that may touch exactly the
// call's KEYS (tests/lua/declared_keys.h): a script that touched a key it did
// not declare would be refused (NOPERM) and the call would throw. A general
// hold expiring a due seated hold of the same event is among them.
TEST_F(SeatScripts, EveryPathTouchesOnlyItsDeclaredKeys) {
  c->guard_every_script(std::make_unique<key_guard>(*server_));
  max_per_user = 3;
  put(layout_json({{"A", 6, {3}}, {"B", 4}}, {"A-1"}));
  ASSERT_TRUE(pick("r1", "A-2,A-3").ok);
  c->make_due(k_ev, k_ev + ".r1");
  // al is at 2 of 3: a general hold of 2 first expires r1, seats and all.
  ASSERT_TRUE(c->reserve(k_ev, k_ev + ".g1", "al", "floor", "2", "kg", "fg").ok);
  EXPECT_EQ(status_of(k_ev, k_ev + ".r1"), "expired");
  ASSERT_TRUE(best("r2", 1, "1", "bo").ok);
  ASSERT_TRUE(c->confirm(k_ev, k_ev + ".r2", "bo", "c2", "cf").ok);
  ASSERT_TRUE(pick("r3", "B-4", "bo").ok);
  ASSERT_TRUE(c->release(k_ev, k_ev + ".r3", "bo").ok);
  ASSERT_TRUE(pick("r4", "B-3", "cy").ok);
  c->make_due(k_ev, k_ev + ".r4");
  EXPECT_EQ(c->read(k_ev, k_ev + ".r4", "cy").reservation["status"], "expired");
  ASSERT_TRUE(pick("r5", "B-2", "cy").ok);
  c->make_due(k_ev, k_ev + ".r5");
  EXPECT_EQ(c->expire(k_ev).n, 1);
  ASSERT_TRUE(pick("r6", "B-1", "cy").ok);
  c->make_due(k_ev, k_ev + ".r6");
  EXPECT_TRUE(c->list(k_ev, "cy").ok);
  EXPECT_EQ(status_of(k_ev, k_ev + ".r6"), "expired");
  EXPECT_EQ(states(), "uaasaa" "aaaa");
  expect_sound();
}

}  // namespace
}  // namespace seatgate::test
