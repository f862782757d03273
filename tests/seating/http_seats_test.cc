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
  http_reply seats(const std::string& zone = "stalls", httplib::Headers h = {}) {
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

}  // namespace
}  // namespace seatgate::test
