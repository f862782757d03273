// Seats in the pure pieces (docs/seating.md): a seated zone's seat_version on
// the availability stream, and a reservation's seats decoded from a script
// reply and rendered.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/render.h"
#include "live/messages.h"
#include "store/decode.h"

namespace seatgate::test {
namespace {

using nlohmann::json;

json event(int available, int seat_version) {
  return {{"id", "gala"},
          {"status", "on_sale"},
          {"zones",
           {{{"id", "floor"}, {"available", 10}},
            {{"id", "stalls"}, {"available", available}, {"kind", "seated"},
             {"seat_version", seat_version}}}}};
}

TEST(SeatVersion, AChangeOfSeatsAloneIsAnAvailabilityChange) {
  json change;
  // A confirm: available unchanged, the seats changed.
  EXPECT_EQ(live::compare(event(5, 7), event(5, 8), change), live::difference::availability);
  EXPECT_EQ(change["zones"],
            json::parse(R"([{"id":"stalls","available":5,"seat_version":8}])"));
  EXPECT_EQ(live::compare(event(5, 7), event(4, 9), change), live::difference::availability);
  EXPECT_EQ(change["zones"][0]["seat_version"], 9);
  EXPECT_EQ(live::compare(event(5, 7), event(5, 7), change), live::difference::none);
}

TEST(SeatVersion, SeatsDecodeAndRender) {
  redis::reply r;
  r.type = redis::reply::kind::array;
  for (const char* s : {"OK", "0", "id", "gala.r1", "quantity", "2", "seats", "A-1,B-12"}) {
    redis::reply e;
    e.type = redis::reply::kind::string;
    e.str = s;
    r.elements.push_back(e);
  }
  auto out = store::decode_reservation_reply(r);
  EXPECT_EQ(out.value.seats, (std::vector<std::string>{"A-1", "B-12"}));
  auto j = json::parse(http::reservation_json(out.value));
  EXPECT_EQ(j["seats"], json::parse(R"(["A-1","B-12"])"));
  // A general zone's reservation has no seats field.
  out.value.seats.clear();
  EXPECT_FALSE(json::parse(http::reservation_json(out.value)).contains("seats"));
  EXPECT_EQ(store::seat_list(",A-1,,B-2,"), (std::vector<std::string>{"A-1", "B-2"}));
}

}  // namespace
}  // namespace seatgate::test
