// A reservation reply decodes (store/decode.h) and renders (http/render.h)
// to the bytes nlohmann::json would write for the same object, and a new
// hold's reply is filled from what the server sent (docs/redis-schema.md,
// Replies).
#include "http/render.h"
#include "store/decode.h"
#include "util/time.h"

#include <gtest/gtest.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using seatgate::redis::reply;
using seatgate::store::known_reservation;

// The reply's pairs from `first` rendered.
std::string reservation_json(const reply& r, std::size_t first,
                             const known_reservation* known = nullptr) {
  return seatgate::http::reservation_json(seatgate::store::decode_reservation(r, first, known));
}

// The reservation as a JSON object, built apart from the renderer: the
// oracle its bytes are compared with.
nlohmann::json render_reservation(const reply& r, std::size_t first) {
  nlohmann::json j = {{"id", nullptr},         {"event_id", nullptr},     {"zone_id", nullptr},
                      {"user_id", nullptr},    {"quantity", nullptr},     {"amount", nullptr},
                      {"currency", nullptr},   {"status", nullptr},       {"created_at", nullptr},
                      {"expires_at", nullptr}, {"confirmed_at", nullptr}, {"payment_ref", nullptr}};
  auto to_int = [](const std::string& s) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
  };
  for (std::size_t i = first; i + 1 < r.elements.size(); i += 2) {
    const std::string& k = r.elements[i].str;
    const std::string& v = r.elements[i + 1].str;
    if (v.empty()) continue;
    if (k == "quantity" || k == "amount") {
      if (auto n = to_int(v)) j[k] = *n;
    } else if (k == "created_at" || k == "expires_at" || k == "confirmed_at") {
      if (auto n = to_int(v)) j[k] = seatgate::util::rfc3339_ms(*n);
    } else if (j.contains(k)) {
      j[k] = v;
    }
  }
  if (j["status"] == "confirmed" || j["status"] == "released") j["expires_at"] = nullptr;
  return j;
}

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

// reserve_seats answers a new hold with one text (docs/redis-schema.md,
// Replies); decoded with what the server sent, it is the same reservation as
// the full pairs.
TEST(ReservationJson, ANewHoldsTextIsTheSameReservation) {
  const known_reservation sent{"e1.AAAAAAAAAAAAAAAAAAAAAA", "e1", "floor", "alice", 3};
  const reply text = str("OK|1795299183123|1795299783123|13500|EUR");
  EXPECT_FALSE(seatgate::store::error_of(text));
  const auto out = seatgate::store::decode_reservation_reply(text, &sent);
  EXPECT_TRUE(out.created);
  EXPECT_FALSE(out.replayed);
  EXPECT_EQ(seatgate::http::reservation_json(out.value),
            render_reservation(ok(k_held), 2).dump());

  // A seated hold's text adds the number of seats and the seats.
  const known_reservation picked{"e1.BBBBBBBBBBBBBBBBBBBBBB", "e1", "stalls", "bob", 0};
  const auto seated = seatgate::store::decode_reservation_reply(
      str("OK|1795299183123|1795299783123|9000|EUR|2|A-3,B-2"), &picked);
  EXPECT_EQ(seated.value.quantity, 2);
  EXPECT_EQ(seated.value.seats, (std::vector<std::string>{"A-3", "B-2"}));
  EXPECT_EQ(seated.value.amount, 9000);

  // Anything else stays what it was: an error reply, any other text.
  reply failed = ok({});
  failed.elements[0] = str("ERR");
  failed.elements[1] = str("sold_out");
  EXPECT_TRUE(seatgate::store::error_of(failed));
  EXPECT_TRUE(seatgate::store::error_of(str("OK")));
  EXPECT_TRUE(seatgate::store::error_of(str("KO|1|2|3|EUR")));
}

}  // namespace
