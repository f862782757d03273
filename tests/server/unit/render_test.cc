// inventory::reservation_json writes the same bytes as
// render_reservation(...).dump(), and fills a new hold's reply from what the
// server sent (docs/redis-schema.md, Replies).
#include "inventory/render.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using seatgate::inventory::known_reservation;
using seatgate::inventory::render_reservation;
using seatgate::inventory::reservation_json;
using seatgate::redis::reply;

reply str(std::string s) {
  reply r;
  r.type = reply::kind::string;
  r.str = std::move(s);
  return r;
}

// {"OK", replayed, pairs...}
reply ok(std::vector<std::pair<std::string, std::string>> pairs, long long replayed = 0) {
  reply r;
  r.type = reply::kind::array;
  r.elements.push_back(str("OK"));
  reply flag;
  flag.type = reply::kind::integer;
  flag.integer = replayed;
  r.elements.push_back(flag);
  for (auto& [k, v] : pairs) {
    r.elements.push_back(str(k));
    r.elements.push_back(str(v));
  }
  return r;
}

const std::vector<std::pair<std::string, std::string>> k_held = {
    {"id", "e1.AAAAAAAAAAAAAAAAAAAAAA"},
    {"event_id", "e1"},
    {"zone_id", "floor"},
    {"user_id", "alice"},
    {"quantity", "3"},
    {"amount", "13500"},
    {"currency", "EUR"},
    {"status", "held"},
    {"created_at", "1795299183123"},
    {"expires_at", "1795299783123"},
    {"confirmed_at", ""},
    {"payment_ref", ""}};

TEST(ReservationJson, SameBytesAsTheJsonObject) {
  auto held = ok(k_held);
  EXPECT_EQ(reservation_json(held, 2), render_reservation(held, 2).dump());

  auto confirmed = k_held;
  confirmed[7].second = "confirmed";
  confirmed[10].second = "1795299190000";
  confirmed[11].second = "pay \"q\" \\ \x01 caf\xc3\xa9";  // escapes, UTF-8
  auto c = ok(confirmed);
  EXPECT_EQ(reservation_json(c, 2), render_reservation(c, 2).dump());
  EXPECT_NE(reservation_json(c, 2).find(R"("expires_at":null)"), std::string::npos);

  auto odd = k_held;
  odd[4].second = "x";            // not an integer: null
  odd[8].second = "";             // empty: null
  odd.push_back({"extra", "1"});  // unknown: ignored
  auto o = ok(odd);
  EXPECT_EQ(reservation_json(o, 2), render_reservation(o, 2).dump());
  EXPECT_EQ(reservation_json(ok({}), 2), render_reservation(ok({}), 2).dump());
}

TEST(ReservationJson, FillsANewHoldFromTheRequest) {
  const known_reservation sent{"e1.AAAAAAAAAAAAAAAAAAAAAA", "e1", "floor", "alice", 3};
  auto fresh = ok({{"created_at", "1795299183123"},
                   {"expires_at", "1795299783123"},
                   {"amount", "13500"},
                   {"currency", "EUR"}});
  EXPECT_EQ(reservation_json(fresh, 2, &sent), render_reservation(ok(k_held), 2).dump());
  EXPECT_EQ(reservation_json(fresh, 2, &sent),
            R"({"amount":13500,"confirmed_at":null,"created_at":"2026-11-21T22:13:03.123Z",)"
            R"("currency":"EUR","event_id":"e1","expires_at":"2026-11-21T22:23:03.123Z",)"
            R"("id":"e1.AAAAAAAAAAAAAAAAAAAAAA","payment_ref":null,"quantity":3,"status":"held",)"
            R"("user_id":"alice","zone_id":"floor"})");
}

}  // namespace
