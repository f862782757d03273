// Assigned seating in the sans-IO core (docs/sdk.md, "Seated zones"): the
// request bodies, the seat map fetch with its ETag, every seat validation
// code before the network, and which seat answers are retried.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <seatgate/validation.h>

#include "fake.h"

namespace seatgate::test {
namespace {

using json = nlohmann::json;

// Rows A (6 seats, aisle after 3, A-1 unavailable, A-5 held) and B (4 seats,
// B-2 sold): 7 available.
constexpr const char* map_json =
    R"({"event_id":"gala","zone_id":"stalls","available":7,)"
    R"("rows":[{"id":"A","seats":6,"aisles_after":[3],"states":"uaaaha"},)"
    R"({"id":"B","seats":4,"aisles_after":[],"states":"asaa"}],)"
    R"("unavailable":["A-1"],"categories":{"wheelchair":["B-1"]},)"
    R"("category_prices":{"wheelchair":2000}})";

constexpr const char* event_json =
    R"({"id":"gala","name":"Gala","currency":"EUR","status":"on_sale","hold_ttl_s":600,)"
    R"("max_per_order":3,"max_per_user":8,"zones":[{"id":"stalls","name":"Stalls",)"
    R"("kind":"seated","capacity":9,"price":4500,"available":7}],"waiting_room":{"enabled":false}})";

std::string held(const std::vector<std::string>& seats) {
  json r = json::parse(reservation_json);
  r["event_id"] = "gala";
  r["zone_id"] = "stalls";
  r["id"] = "gala.AAAAAAAAAAAAAAAAAAAAAA";
  r["quantity"] = seats.size();
  r["seats"] = seats;
  return r.dump();
}

reserve_request pick(std::vector<std::string> seats) {
  reserve_request r;
  r.event_id = "gala";
  r.zone_id = "stalls";
  r.seats = std::move(seats);
  return r;
}

reserve_request best(std::int64_t n, bool split = false) {
  reserve_request r;
  r.event_id = "gala";
  r.zone_id = "stalls";
  r.quantity = n;
  r.best_available = true;
  r.allow_split = split;
  return r;
}

answer seats_taken(bool retryable, const std::vector<std::string>& taken) {
  answer a = answer::problem(409, "seats_taken", retryable);
  json b = json::parse(a.body);
  b["taken"] = taken;
  a.body = b.dump();
  return a;
}

answer map_answer(const std::string& etag = "\"v1\"") {
  answer a = answer::ok(200, map_json);
  a.headers.emplace_back("ETag", etag);
  return a;
}

void fetch_map(harness& h) {
  auto op = h.c().get_seat_map("gala", "stalls");
  ASSERT_EQ(h.run(op, {map_answer()}).kind, step_kind::done);
}

void expect_invalid(harness& h, operation op, const char* code) {
  const std::size_t before = h.sent.size();
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::failed) << code;
  EXPECT_EQ(s.err.code, code);
  EXPECT_EQ(s.err.attempts, 0);
  EXPECT_FALSE(s.err.retryable);
  EXPECT_GT(s.err.message.size(), 10u);
  EXPECT_EQ(h.sent.size(), before) << code << " sent a request";
  std::cout << "  " << code << ": " << s.err.message << "\n";
}

TEST(CoreSeats, PickSendsTheSeatsAndTheHoldCarriesThem) {
  harness h;
  auto op = h.c().reserve(pick({"A-2", "A-3"}));
  step s = h.run(op, {answer::ok(201, held({"A-2", "A-3"}))});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.message;
  const json body = json::parse(h.sent.at(0).body);
  EXPECT_EQ(body, (json{{"event_id", "gala"}, {"zone_id", "stalls"}, {"seats", {"A-2", "A-3"}}}));
  EXPECT_FALSE(h.sent[0].header("Idempotency-Key").empty());
  const auto& r = std::get<reservation>(s.value);
  EXPECT_EQ(r.seats, (std::vector<std::string>{"A-2", "A-3"}));
  EXPECT_EQ(r.quantity, 2);
  EXPECT_EQ(json::parse(to_json(r)).at("seats"), (json{"A-2", "A-3"}));
}

TEST(CoreSeats, BestAvailableSendsQuantityAndFlags) {
  harness h;
  auto op = h.c().reserve(best(2));
  ASSERT_EQ(h.run(op, {answer::ok(201, held({"B-3", "B-4"}))}).kind, step_kind::done);
  EXPECT_EQ(
      json::parse(h.sent.at(0).body),
      (json{
          {"event_id", "gala"}, {"zone_id", "stalls"}, {"quantity", 2}, {"best_available", true}}));
  auto split = h.c().reserve(best(3, true));
  ASSERT_EQ(h.run(split, {answer::ok(201, held({"A-2", "A-3", "A-4"}))}).kind, step_kind::done);
  EXPECT_EQ(json::parse(h.sent.at(1).body).at("allow_split"), true);
}

TEST(CoreSeats, GeneralZoneBodyIsUnchanged) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(op, {answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(json::parse(h.sent.at(0).body),
            (json{{"event_id", "summer"}, {"zone_id", "floor"}, {"quantity", 2}}));
  EXPECT_TRUE(std::get<reservation>(s.value).seats.empty());
  EXPECT_FALSE(json::parse(to_json(std::get<reservation>(s.value))).contains("seats"));
}

TEST(CoreSeats, SeatMapFetchReusesItsETag) {
  harness h;
  auto first = h.c().get_seat_map("gala", "stalls");
  step s = h.run(first, {map_answer()});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.message;
  EXPECT_EQ(h.sent.at(0).path, "/v1/events/gala/zones/stalls/seats");
  EXPECT_EQ(h.sent[0].method, "GET");
  EXPECT_EQ(h.sent[0].header("If-None-Match"), "");
  EXPECT_EQ(h.sent[0].header("Authorization"), "");  // public
  const auto& m = std::get<seat_map>(s.value);
  EXPECT_EQ(m.available, 7);
  ASSERT_EQ(m.rows.size(), 2u);
  EXPECT_EQ(m.rows[0].aisles_after, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(m.etag, "\"v1\"");
  EXPECT_FALSE(m.not_modified);
  EXPECT_EQ(m.state_of("A-5"), 'h');
  EXPECT_EQ(m.state_of("B-2"), 's');
  EXPECT_EQ(m.state_of("A-1"), 'u');
  EXPECT_EQ(m.state_of("B-4"), 'a');
  EXPECT_EQ(m.state_of("B-5"), 0);
  EXPECT_EQ(m.state_of("B-04"), 0);
  EXPECT_EQ(m.state_of("C-1"), 0);

  auto again = h.c().get_seat_map("gala", "stalls");
  s = h.run(again, {answer::ok(304, "")});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.message;
  EXPECT_EQ(h.sent.at(1).header("If-None-Match"), "\"v1\"");
  EXPECT_TRUE(std::get<seat_map>(s.value).not_modified);
  EXPECT_EQ(std::get<seat_map>(s.value).rows[0].states, "uaaaha");
  EXPECT_EQ(json::parse(to_json(s.value)).at("not_modified"), true);

  // Another zone has no copy: no If-None-Match, and a 304 cannot be used.
  auto other = h.c().get_seat_map("gala", "circle");
  s = h.run(other, {answer::ok(304, "")});
  EXPECT_EQ(h.sent.at(2).header("If-None-Match"), "");
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::invalid_response);
}

TEST(CoreSeats, SeatMapErrorsAndIds) {
  harness h;
  expect_invalid(h, h.c().get_seat_map("", "stalls"), errc::validation_event_id);
  expect_invalid(h, h.c().get_seat_map("gala", "Stalls"), errc::validation_zone_id);
  auto op = h.c().get_seat_map("gala", "floor");
  step s = h.run(op, {answer::problem(409, "zone_not_seated", false)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::zone_not_seated);
  EXPECT_EQ(s.err.attempts, 1);
  auto bad = h.c().get_seat_map("gala", "stalls");
  s = h.run(
      bad, {answer::ok(200, R"({"rows":[{"id":"A","seats":3,"aisles_after":[],"states":"aa"}]})")});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::invalid_response);
}

TEST(CoreSeats, ValidationWithoutAMap) {
  harness h;
  expect_invalid(h, h.c().reserve(pick({"A-2", "12"})), errc::validation_unknown_seat);
  expect_invalid(h, h.c().reserve(pick({"A-0"})), errc::validation_unknown_seat);
  expect_invalid(h, h.c().reserve(pick({"row-too-long-1"})), errc::validation_unknown_seat);
  expect_invalid(h, h.c().reserve(pick({""})), errc::validation_unknown_seat);
  expect_invalid(h, h.c().reserve(pick({"A-2", "A-3", "A-2"})), errc::validation_duplicate_seat);
  auto both = pick({"A-2"});
  both.best_available = true;
  expect_invalid(h, h.c().reserve(both), errc::validation_seat_selection);
  auto split_only = pick({"A-2"});
  split_only.allow_split = true;
  expect_invalid(h, h.c().reserve(split_only), errc::validation_seat_selection);
  std::vector<std::string> many;
  for (int i = 1; i <= 101; ++i) many.push_back("A-" + std::to_string(i));
  expect_invalid(h, h.c().reserve(pick(many)), errc::validation_quantity);
  expect_invalid(h, h.c().reserve(best(0)), errc::validation_quantity);
  // Without a map nothing is known of the zone: a well-formed seat is sent.
  auto op = h.c().reserve(pick({"Z-9"}));
  EXPECT_EQ(op.start().kind, step_kind::send);
}

TEST(CoreSeats, ValidationAgainstTheLastMap) {
  harness h;
  fetch_map(h);
  expect_invalid(h, h.c().reserve(pick({"A-2", "C-1"})), errc::validation_unknown_seat);
  expect_invalid(h, h.c().reserve(pick({"A-7"})), errc::validation_unknown_seat);
  auto op = h.c().reserve(pick({"A-2", "A-5", "B-2"}));
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::validation_seat_taken);
  EXPECT_EQ(s.err.taken, (std::vector<std::string>{"A-5", "B-2"}));
  EXPECT_EQ(json::parse(to_json(s.err)).at("error").at("taken"), (json{"A-5", "B-2"}));
  expect_invalid(h, h.c().reserve(pick({"A-1"})), errc::validation_seat_taken);
  // The count of a best-available order against the fresh map's available
  // seats (7), then against max_per_order once the event is known (3).
  expect_invalid(h, h.c().reserve(best(8)), errc::validation_above_availability);
  auto ev = h.c().get_event("gala");
  ASSERT_EQ(h.run(ev, {answer::ok(200, event_json)}).kind, step_kind::done);
  expect_invalid(h, h.c().reserve(best(4)), errc::validation_above_max_per_order);
  expect_invalid(h, h.c().reserve(pick({"A-2", "A-3", "A-4", "A-6"})),
                 errc::validation_above_max_per_order);
  EXPECT_EQ(h.c().reserve(pick({"A-2", "A-3"})).start().kind, step_kind::send);

  // A stale map still knows the seats, but not who holds them now.
  h.now += 60'000;
  expect_invalid(h, h.c().reserve(pick({"C-1"})), errc::validation_unknown_seat);
  EXPECT_EQ(h.c().reserve(pick({"A-5"})).start().kind, step_kind::send);

  // A caller's own key may resume an earlier hold: only the server can tell.
  h.now -= 60'000;
  auto resume = pick({"A-5"});
  resume.idempotency_key = "my-key-1";
  EXPECT_EQ(h.c().reserve(resume).start().kind, step_kind::send);
}

TEST(CoreSeats, HoldAndSeatsTakenMarkTheMapCopy) {
  harness h;
  fetch_map(h);
  auto op = h.c().reserve(pick({"A-2", "A-3"}));
  ASSERT_EQ(h.run(op, {answer::ok(201, held({"A-2", "A-3"}))}).kind, step_kind::done);
  expect_invalid(h, h.c().reserve(pick({"A-3"})), errc::validation_seat_taken);

  auto lost = h.c().reserve(pick({"B-3", "B-4"}));
  step s = h.run(lost, {seats_taken(false, {"B-4"})});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::seats_taken);
  EXPECT_EQ(s.err.taken, (std::vector<std::string>{"B-4"}));
  EXPECT_EQ(s.err.attempts, 1);
  auto retry_pick = h.c().reserve(pick({"B-4"}));
  step v = retry_pick.start();
  ASSERT_EQ(v.kind, step_kind::failed);
  EXPECT_EQ(v.err.code, errc::validation_seat_taken);
  EXPECT_EQ(h.c().reserve(pick({"B-3"})).start().kind, step_kind::send);
  // The marked copy is no longer the server's answer of its ETag: the next
  // fetch is a whole one, and a 304 to it cannot be used.
  auto m = h.c().get_seat_map("gala", "stalls");
  s = h.run(m, {answer::ok(304, "")});
  EXPECT_EQ(h.sent.back().header("If-None-Match"), "");
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::invalid_response);
  auto whole = h.c().get_seat_map("gala", "stalls");
  s = h.run(whole, {map_answer("\"v2\"")});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(std::get<seat_map>(s.value).rows[1].states, "asaa");  // the server's word
  EXPECT_EQ(h.c().reserve(pick({"B-4"})).start().kind, step_kind::send);
}

TEST(CoreSeats, SeatsTakenRetriedOnlyWhenTheServerSaysSo) {
  {
    harness h;
    auto op = h.c().reserve(pick({"A-2"}));
    step s = h.run(op, {seats_taken(true, {"A-2"}), answer::ok(201, held({"A-2"}))});
    ASSERT_EQ(s.kind, step_kind::done) << s.err.code;
    EXPECT_EQ(op.attempts(), 2);
    ASSERT_EQ(h.retries.size(), 1u);
    EXPECT_EQ(h.retries[0].reason, "seats_taken");
    // The same key on every attempt.
    EXPECT_EQ(h.sent[0].header("Idempotency-Key"), h.sent[1].header("Idempotency-Key"));
  }
  {
    harness h;
    auto op = h.c().reserve(pick({"A-2"}));
    step s = h.run(op, {seats_taken(false, {"A-2"}), answer::ok(201, held({"A-2"}))});
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, errc::seats_taken);
    EXPECT_FALSE(s.err.retryable);
    EXPECT_EQ(op.attempts(), 1);
  }
  {  // sold_out_wait_ms = 0: the first retryable seats_taken ends the call,
     // even when the backoff drawn is 0 ms.
    harness h;
    h.fixed_random = 0;
    auto r = pick({"A-2"});
    r.sold_out_wait_ms = 0;
    auto op = h.c().reserve(r);
    step s = h.run(op, {seats_taken(true, {"A-2"}), answer::ok(201, held({"A-2"}))});
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, errc::seats_taken);
    EXPECT_TRUE(s.err.retryable);
    EXPECT_EQ(op.attempts(), 1);
  }
  {  // Held by others for longer than the retry policy: gives up with the taken seats.
    harness h;
    auto op = h.c().reserve(pick({"A-2"}));
    std::vector<answer> script(5, seats_taken(true, {"A-2"}));
    step s = h.run(op, script);
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, errc::seats_taken);
    EXPECT_EQ(s.err.taken, (std::vector<std::string>{"A-2"}));
    EXPECT_EQ(op.attempts(), 5);
  }
}

TEST(CoreSeats, NoAdjacentSeatsAndInvalidSeatsAreNeverRetried) {
  for (bool says_retryable : {false, true}) {
    harness h;
    auto op = h.c().reserve(best(4));
    step s = h.run(op, {answer::problem(409, "no_adjacent_seats", says_retryable),
                        answer::ok(201, held({"A-2"}))});
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, errc::no_adjacent_seats);
    EXPECT_FALSE(s.err.retryable);
    EXPECT_EQ(op.attempts(), 1);
  }
  harness h;
  auto op = h.c().reserve(pick({"Q-1"}));
  step s = h.run(op, {answer::problem(422, "invalid_seats", false), answer::ok(201, held({}))});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::invalid_seats);
  EXPECT_EQ(s.err.http_status, 422);
  EXPECT_EQ(op.attempts(), 1);
}

TEST(CoreSeats, OperationsByName) {
  harness h;
  auto p = operation_params_from_json(
      R"({"event_id":"gala","zone_id":"stalls","seats":["A-2","A-3"],"allow_split":false})");
  EXPECT_EQ(p.seats, (std::vector<std::string>{"A-2", "A-3"}));
  auto op = h.c().create(operation_kind::reserve, p);
  ASSERT_EQ(op.start().kind, step_kind::send);
  auto kind = operation_from_name("get_seat_map");
  ASSERT_TRUE(kind.has_value());
  EXPECT_EQ(operation_name(*kind), "get_seat_map");
  auto b = operation_params_from_json(
      R"({"event_id":"gala","zone_id":"stalls","quantity":2,"best_available":true,"allow_split":true})");
  EXPECT_TRUE(b.best_available);
  EXPECT_TRUE(b.allow_split);
}

TEST(CoreSeats, SeatIdSyntax) {
  for (const char* ok : {"A-1", "AA-12", "1-200", "ROW12345-999", "a-7"})
    EXPECT_TRUE(is_seat_id(ok)) << ok;
  for (const char* bad :
       {"", "A", "A-", "-1", "A-01", "A-0", "A-1000", "A B-1", "ROW123456-1", "A-1a", "A--1"})
    EXPECT_FALSE(is_seat_id(bad)) << bad;
}

}  // namespace
}  // namespace seatgate::test
