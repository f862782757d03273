// Best available (lua/lib/seats.lua, docs/seating.md) on random layouts and
// random occupancy, against a plain reference implementation written here
// from the rule: the frontmost row with n adjacent available seats not
// crossing an aisle; in it, a block that strands no single seat first, then
// the one nearest the row's centre, then the leftmost. Each answer is also
// checked property by property. The library runs in a real redis-server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "lua_fixture.h"
#include "seat_lua.h"

namespace seatgate::test {
namespace {

struct row_state {
  int seats;
  std::set<int> aisles;  // an aisle after these seat numbers
  std::string states;    // 'a' | 'h' | 's' | 'u', seat 1 first
};

bool free_seat(const row_state& r, int k) { return r.states[k - 1] == 'a'; }

// Available seats next to the block on one side, up to two, stopping at a
// seat not available, an aisle or the row's end.
int free_beside(const row_state& r, int edge, int step) {
  int n = 0;
  for (int k = edge;; k += step) {
    const int next = k + step;
    if (next < 1 || next > r.seats) break;
    const int before = std::min(k, next);
    if (r.aisles.count(before) || !free_seat(r, next)) break;
    if (++n == 2) break;
  }
  return n;
}

struct block {
  int row = -1, first = 0;  // row index, seat number
};

bool fits(const row_state& r, int x, int n) {
  for (int k = x; k < x + n; ++k) {
    if (!free_seat(r, k)) return false;
    if (k < x + n - 1 && r.aisles.count(k)) return false;
  }
  return true;
}

bool strands(const row_state& r, int x, int n) {
  return free_beside(r, x, -1) == 1 || free_beside(r, x + n - 1, +1) == 1;
}

// The reference: every block of every row, front row first.
block reference(const std::vector<row_state>& rows, int n) {
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const auto& r = rows[i];
    block best;
    int best_strands = 0, best_dist = 0;
    for (int x = 1; x + n - 1 <= r.seats; ++x) {
      if (!fits(r, x, n)) continue;
      const int s = strands(r, x, n) ? 1 : 0;
      const int dist = std::abs(2 * x + n - 1 - (r.seats + 1));
      if (best.row < 0 || s < best_strands || (s == best_strands && dist < best_dist)) {
        best = {i, x};
        best_strands = s;
        best_dist = dist;
      }
    }
    if (best.row >= 0) return best;
  }
  return {};
}

struct random_zone {
  std::vector<row_spec> spec;
  std::vector<row_state> rows;
  std::string states;  // the zone's seat string
};

random_zone make_zone(std::mt19937& rng) {
  random_zone z;
  std::uniform_int_distribution<int> rows_d(1, 8), seats_d(1, 30);
  std::uniform_real_distribution<double> u(0, 1);
  const double taken = u(rng) * 0.95;
  const double aisle_p = u(rng) * 0.2;
  const int rows = rows_d(rng);
  const char letters[] = {'h', 's', 'u'};
  for (int i = 0; i < rows; ++i) {
    row_spec spec{"R" + std::to_string(i + 1), seats_d(rng)};
    row_state st{spec.seats, {}, ""};
    for (int k = 1; k < spec.seats; ++k)
      if (u(rng) < aisle_p) {
        spec.aisles_after.push_back(k);
        st.aisles.insert(k);
      }
    for (int k = 0; k < spec.seats; ++k)
      st.states.push_back(u(rng) < taken ? letters[rng() % 3] : 'a');
    z.states += st.states;
    z.spec.push_back(spec);
    z.rows.push_back(st);
  }
  return z;
}

std::string seat_name(const random_zone& z, int row, int seat) {
  return z.spec[row].id + "-" + std::to_string(seat);
}

// "R3-12" -> (2, 12).
std::pair<int, int> parse_seat(const std::string& id) {
  const auto dash = id.find('-');
  return {std::stoi(id.substr(1, dash - 1)) - 1, std::stoi(id.substr(dash + 1))};
}

class BestAvailable : public LuaTest {};

TEST_F(BestAvailable, MatchesTheReferenceOnRandomZones) {
  std::mt19937 rng(20261201);
  int found = 0, none = 0, stranding_avoided = 0;
  for (int round = 0; round < 600; ++round) {
    const auto z = make_zone(rng);
    const int n = 1 + static_cast<int>(rng() % 6);
    SCOPED_TRACE("round " + std::to_string(round) + ", n " + std::to_string(n) + ", states " +
                 z.states);
    const auto got =
        run_library(*c, layout_json(z.spec), {"best", z.states, std::to_string(n), "0"});
    const auto want = reference(z.rows, n);
    if (want.row < 0) {
      EXPECT_EQ(got, std::vector<std::string>{"none"});
      ++none;
      continue;
    }
    ASSERT_EQ(got.size(), static_cast<size_t>(n) + 1);
    ASSERT_EQ(got[0], "ok");
    ++found;
    // Properties, one by one.
    const auto [row, first] = parse_seat(got[1]);
    const auto& r = z.rows[row];
    for (int k = 0; k < n; ++k) {
      const auto [rk, sk] = parse_seat(got[1 + k]);
      EXPECT_EQ(rk, row) << "same row";
      EXPECT_EQ(sk, first + k) << "adjacent, in order";
      EXPECT_TRUE(free_seat(r, sk)) << "available";
      if (k + 1 < n) EXPECT_FALSE(r.aisles.count(sk)) << "no aisle crossed";
    }
    for (int front = 0; front < row; ++front)
      for (int x = 1; x + n - 1 <= z.rows[front].seats; ++x)
        EXPECT_FALSE(fits(z.rows[front], x, n)) << "row " << front + 1 << " had a block";
    bool clean_exists = false;
    int centre = 0, centre_dist = 1 << 20;  // the block nearest the centre, stranding or not
    for (int x = 1; x + n - 1 <= r.seats; ++x) {
      if (!fits(r, x, n)) continue;
      clean_exists = clean_exists || !strands(r, x, n);
      const int dist = std::abs(2 * x + n - 1 - (r.seats + 1));
      if (dist < centre_dist) centre = x, centre_dist = dist;
    }
    if (clean_exists) {
      EXPECT_FALSE(strands(r, first, n)) << "a block without a stranded seat existed";
      if (strands(r, centre, n)) ++stranding_avoided;  // the rule changed the answer
    }
    // And exactly the reference's choice (centre, then leftmost).
    EXPECT_EQ(got[1], seat_name(z, want.row, want.first));
  }
  // The random zones exercised both outcomes and the stranding rule.
  EXPECT_GT(found, 100);
  EXPECT_GT(none, 20);
  EXPECT_GT(stranding_avoided, 10);
}

TEST_F(BestAvailable, SplitTakesAnySeatsWhenNoBlockExists) {
  std::mt19937 rng(7);
  int split = 0;
  for (int round = 0; round < 300; ++round) {
    const auto z = make_zone(rng);
    const int n = 2 + static_cast<int>(rng() % 6);
    SCOPED_TRACE("round " + std::to_string(round) + ", states " + z.states);
    const auto got =
        run_library(*c, layout_json(z.spec), {"best", z.states, std::to_string(n), "1"});
    const auto free = std::count(z.states.begin(), z.states.end(), 'a');
    if (free < n) {
      EXPECT_EQ(got, std::vector<std::string>{"none"});
      continue;
    }
    ASSERT_EQ(got.size(), static_cast<size_t>(n) + 1);
    const auto want = reference(z.rows, n);
    if (want.row >= 0) {
      EXPECT_EQ(got[1], seat_name(z, want.row, want.first)) << "a block exists: no split";
      continue;
    }
    ++split;
    std::set<std::string> distinct(got.begin() + 1, got.end());
    EXPECT_EQ(distinct.size(), static_cast<size_t>(n));
    for (size_t k = 1; k < got.size(); ++k) {
      const auto [row, seat] = parse_seat(got[k]);
      EXPECT_TRUE(free_seat(z.rows[row], seat)) << got[k];
    }
  }
  EXPECT_GT(split, 20);
}

// Pictures of docs/seating.md, row by row.
TEST_F(BestAvailable, DocumentedExamples) {
  auto best = [&](const std::vector<row_spec>& rows, const std::string& states, int n) {
    auto r = run_library(*c, layout_json(rows), {"best", states, std::to_string(n), "0"});
    r.erase(r.begin());
    return r;
  };
  // Centre of an empty 10-seat row: 4 seats 4..7.
  EXPECT_EQ(best({{"A", 10}}, "aaaaaaaaaa", 4),
            (std::vector<std::string>{"A-4", "A-5", "A-6", "A-7"}));
  // No pair left in row A: the block goes to row B. There, seats 2..3 would
  // leave seats 1 and 4 single; 1..2 and 3..4 are as near the centre, and
  // the leftmost wins.
  EXPECT_EQ(best({{"A", 4}, {"B", 4}},
                 "ahsa"
                 "aaaa",
                 2),
            (std::vector<std::string>{"B-1", "B-2"}));
  // An aisle after seat 4 splits 8 seats into 4 + 4: no block of 5.
  EXPECT_EQ(run_library(*c, layout_json({{"A", 8, {4}}}), {"best", "aaaaaaaa", "5", "0"}),
            std::vector<std::string>{"none"});
  // 4 of an empty 6-seat row: the centre block 2..5 would strand seats 1
  // and 6, so 1..4 (as near the centre as 3..6, and leftmost).
  EXPECT_EQ(best({{"A", 6}}, "aaaaaa", 4), (std::vector<std::string>{"A-1", "A-2", "A-3", "A-4"}));
  // Beside sold seats 6..7: 4..5 is nearest the centre and strands nothing.
  EXPECT_EQ(best({{"A", 7}}, "aaaaass", 2), (std::vector<std::string>{"A-4", "A-5"}));
}

TEST_F(BestAvailable, PickIsAllOrNothing) {
  const auto layout = layout_json({{"A", 4}, {"B", 3, {1}}});
  const std::string states =
      "ahsa"
      "uaa";
  auto pick = [&](const char* ids) { return run_library(*c, layout, {"pick", states, ids}); };
  EXPECT_EQ(pick(R"(["A-1","B-3"])"), (std::vector<std::string>{"ok", "1", "7"}));
  EXPECT_EQ(pick(R"(["A-1","A-2"])"), (std::vector<std::string>{"seats_taken", "A-2", "1"}));
  EXPECT_EQ(pick(R"(["A-3","B-1","A-4"])"),
            (std::vector<std::string>{"seats_taken", "A-3,B-1", "0"}));
  EXPECT_EQ(pick(R"(["A-1","A-1"])"), (std::vector<std::string>{"invalid_seats", "A-1", "0"}));
  EXPECT_EQ(pick(R"(["A-5","C-1","A-0","x",7])"),
            (std::vector<std::string>{"invalid_seats", "A-5,C-1,A-0,x,7", "0"}));
}

TEST_F(BestAvailable, SeatIdsRoundTrip) {
  const auto got = run_library(*c, layout_json({{"A", 3}, {"BB", 2}, {"C9", 1}}), {"ids", ""});
  EXPECT_EQ(got,
            (std::vector<std::string>{"A-1=1", "A-2=2", "A-3=3", "BB-1=4", "BB-2=5", "C9-1=6"}));
}

}  // namespace
}  // namespace seatgate::test
