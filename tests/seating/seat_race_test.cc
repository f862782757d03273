// Seated holds racing on one redis-server (docs/seating.md): buyers picking
// overlapping seats and best-available buyers at once, one seat wanted by a
// hundred, expiry racing confirm. Each ends with the audit: no seat double
// booked, the zone's letters equal to its counters.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>
#include <set>

#include "lua_fixture.h"
#include "race.h"
#include "seat_lua.h"
#include "store/seat_calls.h"

namespace seatgate::test {
namespace {

class SeatRace : public LuaTest {
 protected:
  std::string states(const std::string& ev) {
    auto m = strings_of(c->evalsha(store::read_seat_map(ev, "stalls")).get());
    return m.at(2);
  }
  void expect_sound(const std::string& ev) {
    auto a = c->audit(ev).json();
    EXPECT_TRUE(a["consistent"].get<bool>()) << a.dump();
    EXPECT_EQ(a["double_booked_seats"], nlohmann::json::array()) << a.dump();
  }
};

// 2,000 buyers on a 500-seat zone (20 rows of 25, aisle after 12): most pick
// 1-4 seats from the front rows (heavily overlapping), every fourth asks for
// best available; some confirm, some release.
TEST_F(SeatRace, PickersAndBestAvailableBuyersNeverShareASeat) {
  std::vector<row_spec> rows;
  for (int i = 0; i < 20; ++i) rows.push_back({"R" + std::to_string(i + 1), 25, {12}});
  event_config cfg;
  cfg.zones = {{"floor", 10}, seated_zone("stalls", layout_json(rows))};
  cfg.max_per_user = 100;
  make_event("arena", cfg);

  constexpr int k_threads = 16, k_buyers = 2000;
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> won;  // rid -> seats
  std::map<std::string, std::string> fate;               // rid -> held|confirmed|released
  std::map<std::string, int> refusals;
  race(k_threads, [&](int t) {
    lua_client me(*server_);
    std::mt19937 rng(1234 + t);
    for (int b = t; b < k_buyers; b += k_threads) {
      const std::string id = std::to_string(b), rid = "arena." + id;
      const std::string user = "u" + std::to_string(b % 400);
      const int n = 1 + static_cast<int>(rng() % 4);
      script_reply r;
      if (b % 4 == 3) {
        r = me.reserve("arena", rid, user, "stalls", std::to_string(n), "k" + id, "f" + id, "",
                       "64", "0", "", n == 4 ? "split" : "1");
      } else {
        // Adjacent seats in one of the first three rows, overlapping others.
        const int row = 1 + static_cast<int>(rng() % 3);
        const int first = 1 + static_cast<int>(rng() % (25 - n + 1));
        std::string seats;
        for (int k = 0; k < n; ++k)
          seats += (k ? "," : "") + ("R" + std::to_string(row)) + "-" + std::to_string(first + k);
        r = me.reserve("arena", rid, user, "stalls", "1", "k" + id, "f" + id, "", "64", "0",
                       seats, "");
      }
      std::string end = "held";
      if (r.ok && b % 3 == 0) end = me.confirm("arena", rid, user, "c" + id, "cf").ok ? "confirmed" : "?";
      if (r.ok && b % 3 == 1) end = me.release("arena", rid, user).ok ? "released" : "?";
      std::lock_guard lock(mu);
      if (r.ok) {
        auto& s = won[rid];
        for (size_t at = 0; at <= r.reservation["seats"].size();) {
          auto comma = std::min(r.reservation["seats"].find(',', at), r.reservation["seats"].size());
          if (comma > at) s.push_back(r.reservation["seats"].substr(at, comma - at));
          at = comma + 1;
        }
        fate[rid] = end;
      } else {
        ++refusals[r.code];
      }
    }
  });

  ASSERT_GT(won.size(), 100u);
  EXPECT_GT(refusals["seats_taken"], 0);
  for (const auto& [code, n] : refusals)
    EXPECT_TRUE(code == "seats_taken" || code == "no_adjacent_seats" || code == "sold_out" ||
                code == "user_limit_exceeded")
        << code << " x" << n;
  // The live reservations' seats are distinct, and exactly the zone's h/s seats.
  std::set<std::string> live;
  long long held = 0, sold = 0;
  for (const auto& [rid, seats] : won) {
    ASSERT_FALSE(seats.empty()) << rid;
    ASSERT_NE(fate[rid], "?") << rid;
    if (fate[rid] == "released") continue;
    for (const auto& s : seats) EXPECT_TRUE(live.insert(s).second) << s << " sold twice";
    (fate[rid] == "confirmed" ? sold : held) += static_cast<long long>(seats.size());
  }
  const auto z = zone("arena", "stalls");
  EXPECT_EQ(z.held, held);
  EXPECT_EQ(z.sold, sold);
  EXPECT_EQ(z.available + z.held + z.sold, 500);
  const std::string st = states("arena");
  EXPECT_EQ(static_cast<long long>(std::count(st.begin(), st.end(), 'h')), held);
  EXPECT_EQ(static_cast<long long>(std::count(st.begin(), st.end(), 's')), sold);
  expect_sound("arena");
}

TEST_F(SeatRace, OneSeatWantedByAHundredIsHeldOnce) {
  event_config cfg;
  cfg.zones = {seated_zone("stalls", layout_json({{"A", 10}}))};
  make_event("one", cfg);
  std::atomic<int> ok{0}, taken{0};
  std::mutex mu;
  std::string winner;
  race(100, [&](int t) {
    lua_client me(*server_);
    const std::string id = std::to_string(t);
    auto r = me.reserve("one", "one." + id, "u" + id, "stalls", "1", "k" + id, "f", "", "64",
                        "0", "A-5,A-6", "");
    if (r.ok) {
      ++ok;
      std::lock_guard lock(mu);
      winner = "one." + id;
    } else if (r.code == "seats_taken" && r.retry_after_s == 1) {
      ++taken;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(taken.load(), 99);
  EXPECT_EQ(states("one"), "aaaahhaaaa");
  EXPECT_EQ(c->hget(store::event_keys("one").seat_holders(), "stalls/A-5"), winner);
  expect_sound("one");
}

// Holds made due, then the sweeper, confirms and new picks of the same seats
// race: each hold ends once, either sold (confirm won) or given back and
// perhaps held again by a picker; never both.
TEST_F(SeatRace, ExpiryRacingConfirmOnSeats) {
  event_config cfg;
  cfg.zones = {seated_zone("stalls", layout_json({{"A", 20}, {"B", 20}}))};
  cfg.max_per_user = 100;
  make_event("exp", cfg);
  constexpr int k_holds = 40;
  for (int i = 0; i < k_holds; ++i) {
    const std::string seat = std::string(i < 20 ? "A-" : "B-") + std::to_string(i % 20 + 1);
    auto r = c->reserve("exp", "exp.h" + std::to_string(i), "u" + std::to_string(i), "stalls",
                        "1", "kh" + std::to_string(i), "f", "", "64", "0", seat, "");
    ASSERT_TRUE(r.ok) << r.code;
  }
  // The even holds due now but not expired yet (the next script that looks
  // returns them); the odd ones live.
  for (int i = 0; i < k_holds; i += 2) c->make_due("exp", "exp.h" + std::to_string(i), 1);
  std::mutex mu;
  std::map<std::string, std::string> confirm_code, pick_code;
  race(3, [&](int t) {
    lua_client me(*server_);
    for (int i = 0; i < k_holds; ++i) {
      const std::string id = std::to_string(i);
      const std::string seat = std::string(i < 20 ? "A-" : "B-") + std::to_string(i % 20 + 1);
      if (t == 0) {
        auto r = me.confirm("exp", "exp.h" + id, "u" + id, "c" + id, "cf");
        std::lock_guard lock(mu);
        confirm_code[id] = r.ok ? "ok" : r.code;
      } else if (t == 1) {
        me.expire("exp", "3");
      } else {
        auto r = me.reserve("exp", "exp.p" + id, "p" + id, "stalls", "1", "kp" + id, "f", "",
                            "64", "0", seat, "");
        std::lock_guard lock(mu);
        pick_code[id] = r.ok ? "ok" : r.code;
      }
    }
  });
  for (int i = 0; i < k_holds; ++i) {
    const std::string id = std::to_string(i);
    if (i % 2 == 0) {
      // A due hold can never be confirmed; its seat goes to the picker.
      EXPECT_EQ(confirm_code[id], "reservation_expired") << id;
      EXPECT_EQ(status_of("exp", "exp.h" + id), "expired") << id;
      EXPECT_EQ(pick_code[id], "ok") << id;
    } else {
      EXPECT_EQ(confirm_code[id], "ok") << id;
      EXPECT_EQ(pick_code[id], "seats_taken") << id;
    }
  }
  std::string want;
  for (int i = 0; i < k_holds; ++i) want += i % 2 == 0 ? 'h' : 's';
  EXPECT_EQ(states("exp"), want);
  expect_sound("exp");
}

}  // namespace
}  // namespace seatgate::test
