// lua/seat_layout.lua and lua/read_seat_map.lua against a real redis-server,
// called through the server's own builders (store/seat_calls.h). Held and
// sold seats are written into the seat string directly: holds of seats are
// the next step of docs/seating.md.
#include <gtest/gtest.h>

#include "lua_fixture.h"
#include "seat_lua.h"
#include "store/seat_calls.h"
#include "store/seat_keys.h"

namespace seatgate::test {
namespace {

using store::layout_mode;

const std::string k_ev = "gala";

class SeatScripts : public LuaTest {
 protected:
  void SetUp() override {
    LuaTest::SetUp();
    event_config cfg;
    cfg.zones = {{"floor", 10}, {"stalls", 7}};
    make_event(k_ev, cfg);
  }

  std::vector<std::string> layout(const nlohmann::json& l, layout_mode mode = layout_mode::write,
                                  const std::string& zone = "stalls") {
    return strings_of(c->evalsha(store::seat_layout(k_ev, zone, l.dump(), mode)).get());
  }
  std::vector<std::string> remove(const std::string& zone = "stalls") {
    return strings_of(c->evalsha(store::seat_layout(k_ev, zone, "", layout_mode::write)).get());
  }
  std::vector<std::string> map(const std::string& zone = "stalls") {
    return strings_of(c->evalsha(store::read_seat_map(k_ev, zone)).get());
  }
  std::string get(const std::string& key) {
    auto r = c->command({"GET", key});
    return r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len) : "<none>";
  }
  std::string states(const std::string& zone = "stalls") {
    return get(store::seat_state_key(store::event_keys(k_ev), zone));
  }
  std::string stored_layout(const std::string& zone = "stalls") {
    return get(store::seat_layout_key(store::event_keys(k_ev), zone));
  }
  // Marks a seat (by offset, 0-based) held or sold, as the next step's holds will.
  void set_state(int offset, char letter) {
    c->command({"SETRANGE", store::seat_state_key(store::event_keys(k_ev), "stalls"),
                std::to_string(offset), std::string(1, letter)});
  }
};

TEST_F(SeatScripts, WritesLayoutAndSeatString) {
  const auto l = layout_json({{"A", 4, {2}}, {"B", 3}}, {"A-1", "B-3"});
  EXPECT_EQ(layout(l), (std::vector<std::string>{"OK", "7", "5"}));
  EXPECT_EQ(states(),
            "uaaa"
            "aau");
  EXPECT_EQ(nlohmann::json::parse(stored_layout()), l);
  EXPECT_EQ(map(), (std::vector<std::string>{"OK", l.dump(), "uaaaaau"}));
}

TEST_F(SeatScripts, CheckWritesNothing) {
  EXPECT_EQ(layout(layout_json({{"A", 4}}), layout_mode::check),
            (std::vector<std::string>{"OK", "4", "4"}));
  EXPECT_EQ(states(), "<none>");
  EXPECT_EQ(stored_layout(), "<none>");
}

TEST_F(SeatScripts, GrowsAndKeepsHeldAndSoldSeatsById) {
  ASSERT_EQ(layout(layout_json({{"A", 4}, {"B", 3}}))[0], "OK");
  set_state(1, 'h');  // A-2
  set_state(5, 's');  // B-2
  // A row in front, two more seats in B, A-4 made unavailable, an aisle.
  const auto grown = layout_json({{"F", 2}, {"A", 4, {1}}, {"B", 5}}, {"A-4"});
  EXPECT_EQ(layout(grown), (std::vector<std::string>{"OK", "11", "10"}));
  EXPECT_EQ(states(),
            "aa"
            "ahau"
            "asaaa");
  // An unavailable seat may be freed again.
  EXPECT_EQ(layout(layout_json({{"F", 2}, {"A", 4}, {"B", 5}})),
            (std::vector<std::string>{"OK", "11", "11"}));
  EXPECT_EQ(states(),
            "aa"
            "aha"
            "a"
            "asaaa");
}

TEST_F(SeatScripts, RefusesToRemoveOrDisableHeldOrSoldSeats) {
  const auto before = layout_json({{"A", 4}, {"B", 3}});
  ASSERT_EQ(layout(before)[0], "OK");
  set_state(3, 'h');  // A-4
  set_state(4, 's');  // B-1
  const std::string seats = states();
  for (const auto mode : {layout_mode::check, layout_mode::write}) {
    // Row A shortened to 3: A-4 would go.
    EXPECT_EQ(layout(layout_json({{"A", 3}, {"B", 3}}), mode),
              (std::vector<std::string>{"ERR", "capacity_below_committed", "0", "A-4"}));
    // Row B removed, A-4 made unavailable.
    EXPECT_EQ(layout(layout_json({{"A", 4}}, {"A-4"}), mode),
              (std::vector<std::string>{"ERR", "capacity_below_committed", "0", "A-4,B-1"}));
    // The zone turned general.
    EXPECT_EQ(strings_of(c->evalsha(store::seat_layout(k_ev, "stalls", "", mode)).get()),
              (std::vector<std::string>{"ERR", "capacity_below_committed", "0", "A-4,B-1"}));
  }
  // Nothing changed.
  EXPECT_EQ(states(), seats);
  EXPECT_EQ(nlohmann::json::parse(stored_layout()), before);
}

TEST_F(SeatScripts, RemovingAFreeZonesSeatsDeletesItsKeys) {
  ASSERT_EQ(layout(layout_json({{"A", 4}}))[0], "OK");
  EXPECT_EQ(remove(), (std::vector<std::string>{"OK", "0", "0"}));
  EXPECT_EQ(states(), "<none>");
  EXPECT_EQ(stored_layout(), "<none>");
  EXPECT_EQ(map(), (std::vector<std::string>{"ERR", "zone_not_seated", "0"}));
}

TEST_F(SeatScripts, BadArgumentsChangeNothing) {
  ASSERT_EQ(layout(layout_json({{"A", 4}}))[0], "OK");
  auto raw = [&](const std::string& json, const std::string& mode) {
    auto call = store::seat_layout(k_ev, "stalls", json, layout_mode::write);
    call.args[1] = mode;
    return strings_of(c->evalsha(call).get());
  };
  const std::vector<std::string> invalid = {"ERR", "invalid_request", "0"};
  EXPECT_EQ(raw(layout_json({{"A", 5}}).dump(), "maybe"), invalid);
  EXPECT_EQ(raw("{not json", "write"), invalid);
  EXPECT_EQ(raw(R"({"rows": 3})", "write"), invalid);
  EXPECT_EQ(raw(layout_json({{"A", 5}}, {"Z-1"}).dump(), "write"), invalid);
  EXPECT_EQ(states(), "aaaa");
}

TEST_F(SeatScripts, SeatMapRefusals) {
  EXPECT_EQ(strings_of(c->evalsha(store::read_seat_map("nope", "stalls")).get()),
            (std::vector<std::string>{"ERR", "event_not_found", "0"}));
  EXPECT_EQ(map("balcony"), (std::vector<std::string>{"ERR", "zone_not_found", "0"}));
  EXPECT_EQ(map("floor"), (std::vector<std::string>{"ERR", "zone_not_seated", "0"}));
  // A layout left behind by a zone the event no longer has is not a map.
  ASSERT_EQ(layout(layout_json({{"A", 2}}), layout_mode::write, "gone")[0], "OK");
  EXPECT_EQ(map("gone"), (std::vector<std::string>{"ERR", "zone_not_found", "0"}));
}

TEST_F(SeatScripts, ALargestZoneIsWrittenAndRead) {
  std::vector<row_spec> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({"R" + std::to_string(i), 200, {50, 150}});
  EXPECT_EQ(layout(layout_json(rows)), (std::vector<std::string>{"OK", "20000", "20000"}));
  EXPECT_EQ(states(), std::string(20000, 'a'));
  // Every seat sold but one, then the layout written again: all kept.
  c->command({"SET", store::seat_state_key(store::event_keys(k_ev), "stalls"),
              std::string(19999, 's') + "a"});
  EXPECT_EQ(layout(layout_json(rows))[0], "OK");
  EXPECT_EQ(states(), std::string(19999, 's') + "a");
}

}  // namespace
}  // namespace seatgate::test
