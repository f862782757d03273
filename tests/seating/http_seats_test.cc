// Seated zones over real HTTP (docs/seating.md, docs/openapi.yaml): a seated
// zone in PUT /v1/admin/events/{id}, and GET /v1/events/{id}/zones/{zone}/seats
// with its ETag, against one redis-server and one seatgate-server.
#include <gtest/gtest.h>

#include "shared_server.h"

namespace seatgate::test {
namespace {

json stalls() {
  return json::parse(R"({"id": "stalls", "name": "Stalls", "kind": "seated", "price": 4500,
    "rows": [{"id": "A", "seats": 6, "aisles_after": [3]}, {"id": "B", "seats": 4}],
    "unavailable": ["A-1"], "categories": {"wheelchair": ["B-1", "B-2"]},
    "category_prices": {"wheelchair": 2000}})");
}

json seated_config(const json& zone = stalls()) {
  auto cfg = event_config(100);
  cfg["zones"].push_back(zone);
  return cfg;
}

class SeatMapHttp : public shared_server_test<SeatMapHttp> {
 protected:
  static void SetUpTestSuite() { start({"--cors-origin", "http://shop.example"}); }
  void SetUp() override {
    open("seats-");
    auto r = client_->put_event(event_, seated_config());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // A conditional GET closes its connection: the 304 has no body and no
  // Content-Length (as HTTP says), and Debian's cpp-httplib then reads a
  // kept-alive connection until its timeout (the native SDK does the same).
  http_reply seats(const std::string& zone = "stalls", httplib::Headers h = {}) {
    if (h.count("If-None-Match")) h.emplace("Connection", "close");
    return client_->send("GET", "/v1/events/" + event_ + "/zones/" + zone + "/seats", "",
                         std::move(h));
  }
  // The audit and the seat map, to show a refused request changed neither.
  std::pair<json, std::string> snapshot() {
    auto a = client_->audit(event_).js();
    if (a.is_object()) a.erase("checked_at");
    return {a, seats().body};
  }
};

TEST_F(SeatMapHttp, SeatedZoneCapacityIsSeatsLessUnavailable) {
  auto ev = client_->send("GET", "/v1/events/" + event_);
  ASSERT_EQ(ev.status, 200) << ev.body;
  const auto event = ev.js();
  const auto& zone = event["zones"][1];
  EXPECT_EQ(zone["id"], "stalls");
  EXPECT_EQ(zone["capacity"], 6 + 4 - 1);
  EXPECT_EQ(zone["available"], 9);
}

TEST_F(SeatMapHttp, MapWithRowsStatesAndCategories) {
  auto r = seats();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
  const auto j = r.js();
  EXPECT_EQ(j["event_id"], event_);
  EXPECT_EQ(j["zone_id"], "stalls");
  EXPECT_EQ(j["available"], 9);
  EXPECT_EQ(j["rows"], json::parse(R"([
      {"id": "A", "seats": 6, "aisles_after": [3], "states": "uaaaaa"},
      {"id": "B", "seats": 4, "aisles_after": [], "states": "aaaa"}])"));
  EXPECT_EQ(j["unavailable"], json::parse(R"(["A-1"])"));
  EXPECT_EQ(j["categories"], json::parse(R"({"wheelchair": ["B-1", "B-2"]})"));
  EXPECT_EQ(j["category_prices"], json::parse(R"({"wheelchair": 2000})"));
}

TEST_F(SeatMapHttp, ETagAnswers304UntilTheMapChanges) {
  auto first = seats();
  const auto tag = first.header("ETag");
  ASSERT_EQ(tag.size(), 18u) << tag;  // a quoted 64-bit hex
  auto same = seats("stalls", {{"If-None-Match", tag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(same.body, "");
  EXPECT_EQ(same.header("ETag"), tag);
  EXPECT_EQ(seats("stalls", {{"If-None-Match", "\"x\", W/" + tag}}).status, 304);
  EXPECT_EQ(seats("stalls", {{"If-None-Match", "*"}}).status, 304);
  EXPECT_EQ(seats("stalls", {{"If-None-Match", "\"0000000000000000\""}}).status, 200);

  // A row added at the back: a new map, a new tag.
  auto zone = stalls();
  zone["rows"].push_back({{"id", "C"}, {"seats", 8}});
  ASSERT_EQ(client_->put_event(event_, seated_config(zone)).status, 200);
  auto changed = seats("stalls", {{"If-None-Match", tag}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_NE(changed.header("ETag"), tag);
  EXPECT_EQ(changed.js()["rows"][2]["states"], "aaaaaaaa");
  EXPECT_EQ(changed.js()["available"], 17);
}

TEST_F(SeatMapHttp, UnknownEventOrZone404GeneralZone409) {
  auto r = client_->send("GET", "/v1/events/no-such-event/zones/stalls/seats");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.code(), "event_not_found");
  r = seats("balcony");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.code(), "zone_not_found");
  r = seats("floor");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "zone_not_seated");
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.js()["retryable"], false);
  r = seats("Bad_Zone");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "invalid_request");
  r = client_->send("GET", "/v1/events/Bad_Event/zones/stalls/seats");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "invalid_request");
  r = client_->send("POST", "/v1/events/" + event_ + "/zones/stalls/seats", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET");
}

TEST_F(SeatMapHttp, BadLayoutsAreRefusedAndChangeNothing) {
  const auto before = snapshot();
  ASSERT_EQ(before.first["zones"].size(), 2u) << before.first.dump();
  auto bad = [&](json patch, const std::string& detail) {
    auto zone = stalls();
    for (auto& [k, v] : patch.items()) zone[k] = v;
    auto r = client_->put_event(event_, seated_config(zone));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.code(), "invalid_request");
    EXPECT_NE(r.js().value("detail", "").find(detail), std::string::npos) << r.body;
    EXPECT_EQ(snapshot(), before) << detail;
  };
  bad({{"rows", json::parse(R"([{"id":"A","seats":3},{"id":"A","seats":2}])")}},
      "row id 'A' appears twice");
  bad({{"rows", json::parse(R"([{"id":"A","seats":0}])")}}, "'zones[1].rows[0].seats'");
  bad({{"rows", json::parse(R"([{"id":"A","seats":6,"aisles_after":[6]}])")}},
      "an aisle after seat 6 is outside the row");
  bad({{"unavailable", {"B-5"}}}, "seat 'B-5' is outside the rows");
  bad({{"category_prices", {{"vip", 1}}}}, "unknown category 'vip'");
  json big = json::array();
  for (int i = 0; i < 101; ++i) big.push_back({{"id", "R" + std::to_string(i)}, {"seats", 200}});
  bad({{"rows", big}}, "holds more than 20000 seats");
  bad({{"kind", "boxes"}}, "'zones[1].kind' must be");
  bad({{"capacity", 9}}, "'zones[1].capacity' is not given for a seated zone");
}

TEST_F(SeatMapHttp, TurningAZoneGeneralRemovesItsMap) {
  auto cfg = event_config(100);
  cfg["zones"].push_back({{"id", "stalls"}, {"name", "Stalls"}, {"capacity", 30}, {"price", 10}});
  ASSERT_EQ(client_->put_event(event_, cfg).status, 200);
  EXPECT_EQ(seats().code(), "zone_not_seated");
  ASSERT_EQ(client_->put_event(event_, seated_config()).status, 200);
  auto r = seats();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.js()["rows"][0]["states"], "uaaaaa");
}

// --- Seated holds over HTTP (POST /v1/reservations with seats) ----------------

class SeatHoldHttp : public SeatMapHttp {
 protected:
  http_reply post(const json& body, const std::string& key, const std::string& token = "") {
    auto h = client_->user(token.empty() ? alice_ : token);
    if (!key.empty()) h.emplace("Idempotency-Key", key);
    return client_->send("POST", "/v1/reservations", body.dump(), h);
  }
  json pick_body(const json& seats, const std::string& zone = "stalls") {
    return {{"event_id", event_}, {"zone_id", zone}, {"seats", seats}};
  }
  json best_body(int n, bool split = false, const std::string& zone = "stalls") {
    json b = {{"event_id", event_}, {"zone_id", zone}, {"quantity", n}, {"best_available", true}};
    if (split) b["allow_split"] = true;
    return b;
  }
  std::string states() {
    auto m = seats().js();
    std::string out;
    for (const auto& r : m["rows"]) out += r["states"].get<std::string>();
    return out;
  }
  void expect_sound() {
    auto a = client_->audit(event_).js();
    EXPECT_TRUE(a["consistent"].get<bool>()) << a.dump();
    EXPECT_EQ(a["double_booked_seats"], json::array()) << a.dump();
  }
};

TEST_F(SeatHoldHttp, PickConfirmAndTheMap) {
  const json version_before = seats().js()["seat_version"];
  auto r = post(pick_body({"A-2", "B-1"}), "k1");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.js();
  EXPECT_EQ(j["seats"], json::parse(R"(["A-2","B-1"])"));
  EXPECT_EQ(j["quantity"], 2);
  EXPECT_EQ(j["amount"], 4500 + 2000);  // B-1 is a wheelchair seat at 2000
  EXPECT_EQ(j["status"], "held");
  EXPECT_EQ(states(), "uhaaaa" "haaa");
  const std::string rid = j["id"];
  auto got = client_->get(alice_, rid);
  EXPECT_EQ(got.js()["seats"], j["seats"]);
  auto c = client_->confirm(alice_, rid, "c1");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.js()["seats"], j["seats"]);
  EXPECT_EQ(states(), "usaaaa" "saaa");
  // The event tells a seated zone and its seat version, which moved.
  auto ev = client_->send("GET", "/v1/events/" + event_).js();
  EXPECT_EQ(ev["zones"][1]["kind"], "seated");
  EXPECT_EQ(ev["zones"][1]["seat_version"], seats().js()["seat_version"]);
  EXPECT_NE(ev["zones"][1]["seat_version"], version_before);
  expect_sound();
}

TEST_F(SeatHoldHttp, BestAvailableAndReleaseGiveSeatsBackAtOnce) {
  auto r = post(best_body(3), "k1");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.js()["seats"], json::parse(R"(["A-4","A-5","A-6"])"));
  // Quantity alone on a seated zone is best available too.
  auto q = client_->reserve(alice_, event_, "stalls", 2, "k2");
  ASSERT_EQ(q.status, 201) << q.body;
  EXPECT_EQ(q.js()["seats"], json::parse(R"(["A-2","A-3"])"));
  EXPECT_EQ(states(), "uhhhhh" "aaaa");
  auto rel = client_->release(alice_, r.js()["id"]);
  ASSERT_EQ(rel.status, 200) << rel.body;
  EXPECT_EQ(rel.js()["seats"], json::parse(R"(["A-4","A-5","A-6"])"));
  EXPECT_EQ(states(), "uhhaaa" "aaaa");
  expect_sound();
}

TEST_F(SeatHoldHttp, SeatsTakenNamesThemAndIsRetryableOnlyWhileHeld) {
  ASSERT_EQ(post(pick_body({"A-2"}), "k1").status, 201);
  auto sold = post(pick_body({"B-4"}), "k2");
  ASSERT_EQ(client_->confirm(alice_, sold.js()["id"], "c2").status, 200);
  const auto before = snapshot();
  const auto bob = server_->user_token("bob");
  auto r = post(pick_body({"A-2", "A-3"}), "b1", bob);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.code(), "seats_taken");
  EXPECT_EQ(r.js()["taken"], json::parse(R"(["A-2"])"));
  EXPECT_EQ(r.js()["retryable"], true);
  EXPECT_EQ(r.header("Retry-After"), "1");
  r = post(pick_body({"B-3", "B-4"}), "b2", bob);
  EXPECT_EQ(r.code(), "seats_taken");
  EXPECT_EQ(r.js()["taken"], json::parse(R"(["B-4"])"));
  EXPECT_EQ(r.js()["retryable"], false);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SeatHoldHttp, BadSeatRequestsAreRefusedAndChangeNothing) {
  const auto before = snapshot();
  auto expect = [&](const json& body, int status, const std::string& code,
                    const json& invalid = nullptr) {
    auto r = post(body, "bad-" + std::to_string(std::hash<std::string>{}(body.dump())));
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
    EXPECT_EQ(r.code(), code) << body.dump();
    if (!invalid.is_null()) EXPECT_EQ(r.js()["invalid"], invalid) << r.body;
    EXPECT_EQ(snapshot(), before) << body.dump();
  };
  expect(pick_body({"A-2", "Z-9"}), 422, "invalid_seats", json::parse(R"(["Z-9"])"));
  expect(pick_body({"A-2", "A-2"}), 422, "invalid_seats", json::parse(R"(["A-2"])"));
  expect(pick_body({"A-2,A-3"}), 422, "invalid_seats", json::parse(R"(["A-2,A-3"])"));
  expect(pick_body({"A-7"}), 422, "invalid_seats", json::parse(R"(["A-7"])"));
  expect(pick_body(json::array()), 422, "invalid_quantity");
  expect(pick_body({1, 2}), 400, "invalid_request");
  expect(pick_body("A-1"), 400, "invalid_request");
  json eleven = json::array();
  for (int i = 1; i <= 6; ++i) eleven.push_back("A-" + std::to_string(i));
  for (int i = 1; i <= 4; ++i) eleven.push_back("B-" + std::to_string(i));
  eleven.push_back("A-2");
  expect(pick_body(eleven), 422, "invalid_quantity");  // over max_per_order (10)
  auto both = pick_body({"A-2"});
  both["best_available"] = true;
  expect(both, 400, "invalid_request");
  auto mismatch = pick_body({"A-2"});
  mismatch["quantity"] = 2;
  expect(mismatch, 422, "invalid_quantity");
  auto not_bool = best_body(2);
  not_bool["allow_split"] = "yes";
  expect(not_bool, 400, "invalid_request");
  // Seats asked of the general zone: 400.
  expect(pick_body({"A-2"}, "floor"), 400, "invalid_request");
  expect(best_body(2, false, "floor"), 400, "invalid_request");
  // No block of 7 adjacent seats: 409, unless a split is allowed.
  expect(best_body(7), 409, "no_adjacent_seats");
  auto split = post(best_body(7, true), "split");
  ASSERT_EQ(split.status, 201) << split.body;
  EXPECT_EQ(split.js()["seats"].size(), 7u);
  expect_sound();
}

TEST_F(SeatHoldHttp, IdempotencyCoversTheSeats) {
  auto r = post(pick_body({"A-5", "A-6"}), "same");
  ASSERT_EQ(r.status, 201) << r.body;
  auto again = post(pick_body({"A-5", "A-6"}), "same");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.js()["id"], r.js()["id"]);
  EXPECT_EQ(again.js()["seats"], r.js()["seats"]);
  auto other = post(pick_body({"A-4"}), "same");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.code(), "idempotency_key_reused");
  EXPECT_EQ(states(), "uaaahh" "aaaa");
}

TEST_F(SeatHoldHttp, ACapacityChangeNeverRemovesAHeldSeat) {
  ASSERT_EQ(post(pick_body({"B-4"}), "k1").status, 201);
  const auto before = snapshot();
  auto zone = stalls();
  zone["rows"][1]["seats"] = 3;
  auto r = client_->put_event(event_, seated_config(zone));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.code(), "capacity_below_committed");
  EXPECT_EQ(r.js()["seats"], json::parse(R"(["B-4"])"));
  EXPECT_NE(r.js()["detail"].get<std::string>().find("stalls"), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  // Free seats may be marked unavailable, rows added in front.
  zone = stalls();
  zone["unavailable"] = {"A-1", "A-2"};
  zone["rows"].insert(zone["rows"].begin(), json{{"id", "F"}, {"seats", 2}});
  ASSERT_EQ(client_->put_event(event_, seated_config(zone)).status, 200);
  EXPECT_EQ(states(), "aa" "uuaaaa" "aaah");
  expect_sound();
}

}  // namespace
}  // namespace seatgate::test
