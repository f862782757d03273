// A seated zone in an event's config (inventory/seating/layout.h,
// docs/seating.md): every rule of the layout, through the event config parser
// the admin route uses. Pure: no Redis.
#include "inventory/seating/layout.h"

#include <gtest/gtest.h>

#include "inventory/event_config.h"

namespace {

using namespace seatgate::inventory;
using nlohmann::json;

json stalls() {
  return json::parse(R"({"id": "stalls", "name": "Stalls", "kind": "seated", "price": 4500,
    "rows": [{"id": "A", "seats": 20, "aisles_after": [15, 5]}, {"id": "B", "seats": 22}],
    "unavailable": ["A-1"], "categories": {"wheelchair": ["B-1", "B-2"]},
    "category_prices": {"wheelchair": 2000}})");
}

json config_with(const json& zone) {
  return {
      {"name", "Gala"},
      {"currency", "EUR"},
      {"zones", json::array({{{"id", "floor"}, {"name", "Floor"}, {"capacity", 10}, {"price", 100}},
                             zone})}};
}

struct outcome {
  std::string code, detail;
  json zone;  // the normalised seated zone on success
};

outcome parse(const json& zone) {
  const auto p = parse_event_config(config_with(zone).dump());
  if (!p.value) return {std::string(seatgate::code_name(p.error.code)), p.error.detail, {}};
  return {"", "", (*p.value)["zones"][1]};
}

// The zone with its top-level fields replaced by `patch`'s; `null` removes one.
json with(json zone, const json& patch) {
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null())
      zone.erase(k);
    else
      zone[k] = v;
  }
  return zone;
}

void expect_refused(const json& zone, const std::string& detail_part) {
  const auto o = parse(zone);
  EXPECT_EQ(o.code, "invalid_request") << zone.dump();
  EXPECT_NE(o.detail.find(detail_part), std::string::npos)
      << "detail: " << o.detail << " (wanted '" << detail_part << "')";
}

TEST(SeatedZone, NormalisedWithCapacitySeatsLessUnavailable) {
  const auto o = parse(stalls());
  ASSERT_EQ(o.code, "") << o.detail;
  EXPECT_EQ(o.zone["kind"], "seated");
  EXPECT_EQ(o.zone["capacity"], 20 + 22 - 1);
  EXPECT_EQ(o.zone["price"], 4500);
  EXPECT_EQ(o.zone["rows"][0]["aisles_after"], json::array({5, 15}));  // sorted
  EXPECT_EQ(o.zone["rows"][1]["aisles_after"], json::array());
  EXPECT_EQ(o.zone["unavailable"], json::array({"A-1"}));
  EXPECT_EQ(o.zone["categories"]["wheelchair"], json::array({"B-1", "B-2"}));
  EXPECT_EQ(o.zone["category_prices"]["wheelchair"], 2000);
  const auto layout = seating::layout_of(o.zone);
  EXPECT_EQ(layout.size(), 4u);
  EXPECT_TRUE(layout.contains("rows"));
}

TEST(SeatedZone, GeneralZonesUnchanged) {
  const auto p = parse_event_config(config_with(with(stalls(), {{"id", "other"}})).dump());
  ASSERT_TRUE(p.value);
  EXPECT_EQ((*p.value)["zones"][0],
            json::parse(R"({"id":"floor","name":"Floor","capacity":10,"price":100})"));
  auto general = json::parse(R"({"id":"g","name":"G","kind":"general","capacity":5,"price":1})");
  EXPECT_EQ(parse(general).code, "");
  EXPECT_EQ(parse(general).zone, json::parse(R"({"id":"g","name":"G","capacity":5,"price":1})"));
  // Seat fields on a general zone are unknown there.
  expect_refused(with(general, {{"rows", json::array()}}), "unknown field 'zones[1].rows'");
}

TEST(SeatedZone, KindAndFields) {
  expect_refused(with(stalls(), {{"kind", "standing"}}), "'zones[1].kind' must be");
  expect_refused(with(stalls(), {{"kind", 1}}), "'zones[1].kind' must be");
  expect_refused(with(stalls(), {{"capacity", 41}}), "'zones[1].capacity' is not given");
  expect_refused(with(stalls(), {{"colour", "red"}}), "unknown field 'zones[1].colour'");
  expect_refused(with(stalls(), {{"rows", nullptr}}), "'zones[1].rows' is required");
  expect_refused(with(stalls(), {{"price", nullptr}}), "'zones[1].price' is required");
  expect_refused(with(stalls(), {{"id", "Stalls"}}), "'zones[1].id' must match");
}

TEST(SeatedZone, DuplicateRows) {
  expect_refused(with(stalls(), {{"rows", json::parse(R"([{"id":"A","seats":3},
                                                          {"id":"A","seats":4}])")}}),
                 "row id 'A' appears twice");
}

TEST(SeatedZone, RowShapes) {
  expect_refused(with(stalls(), {{"rows", json::array()}}), "1 to 200 rows");
  expect_refused(with(stalls(), {{"rows", json::parse(R"([{"id":"A-1","seats":3}])")}}),
                 "'zones[1].rows[0].id' must be 1 to 8 letters or digits");
  expect_refused(with(stalls(), {{"rows", json::parse(R"([{"id":"ABCDEFGHI","seats":3}])")}}),
                 "1 to 8 letters or digits");
  expect_refused(with(stalls(), {{"rows", json::parse(R"([{"id":"A","seats":3,"x":1}])")}}),
                 "unknown field 'zones[1].rows[0].x'");
  expect_refused(with(stalls(), {{"rows", json::parse(R"([3])")}}), "must be an object");
}

TEST(SeatedZone, ZeroSeats) {
  json z = with(stalls(),
                {{"unavailable", nullptr}, {"categories", nullptr}, {"category_prices", nullptr}});
  expect_refused(with(z, {{"rows", json::parse(R"([{"id":"A","seats":0}])")}}),
                 "'zones[1].rows[0].seats' must be an integer from 1 to 200");
  expect_refused(with(z, {{"rows", json::parse(R"([{"id":"A","seats":2.0}])")}}),
                 "'zones[1].rows[0].seats'");
}

TEST(SeatedZone, AislesOutOfRange) {
  json z = with(stalls(),
                {{"unavailable", nullptr}, {"categories", nullptr}, {"category_prices", nullptr}});
  auto rows = [](const char* aisles) {
    return json::parse(std::string(R"([{"id":"A","seats":10,"aisles_after":)") + aisles + "}]");
  };
  EXPECT_EQ(parse(with(z, {{"rows", rows("[1, 9]")}})).code, "");
  expect_refused(with(z, {{"rows", rows("[10]")}}), "an aisle after seat 10 is outside the row");
  expect_refused(with(z, {{"rows", rows("[0]")}}), "an aisle after seat 0 is outside the row");
  expect_refused(with(z, {{"rows", rows("[-3]")}}), "outside the row");
  expect_refused(with(z, {{"rows", rows("[4, 4]")}}), "an aisle after seat 4 appears twice");
  expect_refused(with(z, {{"rows", rows("[\"4\"]")}}), "must be an array of seat numbers");
  expect_refused(with(z, {{"rows", rows("4")}}), "must be an array of seat numbers");
}

TEST(SeatedZone, SeatsOutsideRows) {
  expect_refused(with(stalls(), {{"unavailable", {"A-21"}}}),
                 "'zones[1].unavailable': seat 'A-21' is outside the rows");
  expect_refused(with(stalls(), {{"unavailable", {"C-1"}}}), "seat 'C-1' is outside the rows");
  expect_refused(with(stalls(), {{"unavailable", {"A-0"}}}), "'A-0' is not a seat id");
  expect_refused(with(stalls(), {{"unavailable", {"A-01"}}}), "'A-01' is not a seat id");
  expect_refused(with(stalls(), {{"unavailable", {"A12"}}}), "'A12' is not a seat id");
  expect_refused(with(stalls(), {{"unavailable", {7}}}), "must be an array of seat ids");
  expect_refused(with(stalls(), {{"unavailable", {"A-2", "A-2"}}}), "seat 'A-2' appears twice");
  expect_refused(with(stalls(), {{"categories", {{"vip", {"B-23"}}}}}),
                 "'zones[1].categories.vip': seat 'B-23' is outside the rows");
}

TEST(SeatedZone, UnknownCategories) {
  expect_refused(with(stalls(), {{"category_prices", {{"vip", 9000}}}}),
                 "'zones[1].category_prices': unknown category 'vip'");
  expect_refused(with(stalls(), {{"category_prices", {{"wheelchair", -1}}}}),
                 "'zones[1].category_prices.wheelchair' must be an integer");
  expect_refused(with(stalls(), {{"category_prices", 5}}), "must be an object");
  expect_refused(with(stalls(), {{"categories", {{"Wheel", {"B-1"}}}}}),
                 "category 'Wheel' must match");
  expect_refused(with(stalls(), {{"categories", {{"vip", {"B-1"}}}}}),
                 "'zones[1].category_prices': unknown category 'wheelchair'");
  expect_refused(with(stalls(), {{"categories", {{"vip", {"A-3"}}, {"wheelchair", {"A-3"}}}}}),
                 "seat 'A-3' is in two categories");
  json many = json::object();
  for (int i = 0; i <= 20; ++i) many["c" + std::to_string(i)] = json::array();
  expect_refused(with(stalls(), {{"categories", many}, {"category_prices", nullptr}}),
                 "at most 20 categories");
}

TEST(SeatedZone, SizeLimits) {
  json z = with(stalls(),
                {{"unavailable", nullptr}, {"categories", nullptr}, {"category_prices", nullptr}});
  auto rows_of = [](int rows, int seats) {
    json r = json::array();
    for (int i = 0; i < rows; ++i) r.push_back({{"id", "R" + std::to_string(i)}, {"seats", seats}});
    return r;
  };
  // 100 rows of 200 seats: exactly the 20,000-seat limit.
  const auto at_limit = parse(with(z, {{"rows", rows_of(100, 200)}}));
  ASSERT_EQ(at_limit.code, "") << at_limit.detail;
  EXPECT_EQ(at_limit.zone["capacity"], 20000);
  expect_refused(with(z, {{"rows", rows_of(101, 200)}}), "holds more than 20000 seats");
  EXPECT_EQ(parse(with(z, {{"rows", rows_of(200, 1)}})).code, "");
  expect_refused(with(z, {{"rows", rows_of(201, 1)}}), "1 to 200 rows");
  expect_refused(with(z, {{"rows", rows_of(1, 201)}}), "from 1 to 200");
}

TEST(SeatedZone, ZoneIdsStayUnique) {
  const auto p = parse_event_config(config_with(with(stalls(), {{"id", "floor"}})).dump());
  ASSERT_FALSE(p.value);
  EXPECT_NE(p.error.detail.find("zone id 'floor' appears twice"), std::string::npos);
}

TEST(SeatId, Split) {
  std::string row;
  std::int64_t n = 0;
  EXPECT_TRUE(seating::split_seat_id("AA-120", row, n));
  EXPECT_EQ(row, "AA");
  EXPECT_EQ(n, 120);
  EXPECT_FALSE(seating::split_seat_id("-1", row, n));
  EXPECT_FALSE(seating::split_seat_id("A-", row, n));
  EXPECT_FALSE(seating::split_seat_id("A-1x", row, n));
  EXPECT_FALSE(seating::split_seat_id("A-12345", row, n));
  EXPECT_FALSE(seating::split_seat_id("A B-1", row, n));
}

}  // namespace
