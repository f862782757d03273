// JSON decoding never crashes on malformed answers; encoding round-trips.
#include <gtest/gtest.h>

#include <seatgate/types.h>

#include <cstring>

#include "fake.h"

namespace seatgate::test {
namespace {

// The live stream's `availability` message applied to the last event.
TEST(CoreJson, AvailabilityChangeMovesOnlyTheZonesItNames) {
  auto ev = parse_event(
      R"({"id":"summer","status":"on_sale","zones":[{"id":"floor","name":"Floor","capacity":10,)"
      R"("available":10},{"id":"vip","name":"VIP","capacity":2,"available":2}]})");
  ASSERT_TRUE(ev.ok());
  event e = ev.value();
  EXPECT_TRUE(apply_availability_change(
      e, R"({"event_id":"summer","status":"paused","zones":[{"id":"floor","available":7}]})"));
  EXPECT_EQ(e.status, "paused");
  EXPECT_EQ(e.zones[0].available, 7);
  EXPECT_EQ(e.zones[0].name, "Floor");
  EXPECT_EQ(e.zones[1].available, 2);
  const event before = e;
  for (const char* bad :
       {R"({"event_id":"other","zones":[{"id":"floor","available":1}]})", "not json",
        R"({"event_id":"summer","zones":[{"id":"floor","available":"1"}]})",
        R"({"event_id":"summer","zones":{}})"}) {
    EXPECT_FALSE(apply_availability_change(e, bad)) << bad;
    EXPECT_EQ(to_json(e), to_json(before)) << bad;  // nothing changed
  }
}

TEST(CoreJson, Reservation) {
  auto r = parse_reservation(reservation_json);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->id, "summer.AAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(r->quantity, 2);
  EXPECT_EQ(r->amount, 9000);
  EXPECT_EQ(r->expires_at.value_or(""), "2026-01-01T00:10:00Z");
  EXPECT_FALSE(r->confirmed_at.has_value());
  auto again = parse_reservation(to_json(r.value()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(to_json(again.value()), to_json(r.value()));
}

TEST(CoreJson, MalformedInputIsAnErrorValue) {
  for (const char* bad :
       {"", "{", "[]", "null", "42", R"({"id":5})", R"({"id":"x","quantity":"2"})", "\xff\xfe",
        R"({"reservations":{}})", R"({"reservations":[1]})"}) {
    EXPECT_FALSE(parse_reservation(bad).ok()) << bad;
    EXPECT_EQ(parse_reservation(bad).error().code, errc::invalid_response);
  }
  for (const char* bad : {"", "{", "null", "42", "\xff\xfe", R"({"reservations":{}})",
                          R"({"reservations":[1]})", R"([{"id":"x"}])"})
    EXPECT_FALSE(parse_reservation_list(bad).ok()) << bad;
  EXPECT_FALSE(parse_event(R"({"name":"no id"})").ok());
  EXPECT_FALSE(parse_event(R"({"id":"e","zones":[{"name":"no id"}]})").ok());
  EXPECT_FALSE(parse_queue_state(R"({"position":1})").ok());
}

TEST(CoreJson, ListsAsArrayOrObject) {
  std::string one = std::string("[") + reservation_json + "]";
  EXPECT_EQ(parse_reservation_list(one)->size(), 1u);
  EXPECT_EQ(parse_reservation_list(R"({"reservations":[]})")->size(), 0u);
}

TEST(CoreJson, EventAndQueue) {
  auto e =
      parse_event(R"({"id":"summer","max_per_order":4,"zones":[{"id":"floor","capacity":9,)"
                  R"("price":10,"available":3}],"waiting_room":{"enabled":true,"capacity":5}})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->max_per_order, 4);
  EXPECT_EQ(e->max_per_user, 10);  // default when absent
  ASSERT_NE(e->find_zone("floor"), nullptr);
  EXPECT_EQ(e->find_zone("floor")->available.value_or(-1), 3);
  EXPECT_TRUE(e->room.enabled);
  auto q = parse_queue_state(R"({"status":"waiting","position":12,"poll_after_ms":1000})");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->position, 12);
  EXPECT_EQ(to_json(q.value()), R"({"poll_after_ms":1000,"position":12,"status":"waiting"})");
}

TEST(CoreJson, ErrorsAndInvalidUtf8Encode) {
  error e;
  e.code = "sold_out";
  e.message = "bad \xff byte";
  e.http_status = 409;
  std::string j = to_json(e);
  EXPECT_NE(j.find("\"code\":\"sold_out\""), std::string::npos);
  EXPECT_NE(j.find("\"status\":409"), std::string::npos);
  EXPECT_EQ(j.find("retry_after_ms"), std::string::npos) << "absent without Retry-After";
  e.retry_after_ms = 2000;
  e.request_id = "req-1";
  j = to_json(e);
  EXPECT_NE(j.find("\"retry_after_ms\":2000"), std::string::npos);
  EXPECT_NE(j.find("\"request_id\":\"req-1\""), std::string::npos);
}

TEST(CoreUuid, BitsAreSet) {
  std::uint8_t zeros[16] = {};
  std::uint8_t ones[16];
  for (auto& b : ones) b = 0xff;
  EXPECT_EQ(uuid_v4(zeros), "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(uuid_v4(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_TRUE(is_uuid_v4(uuid_v4(zeros)));
  EXPECT_FALSE(is_uuid_v4("ffffffff-ffff-1fff-bfff-ffffffffffff"));
  EXPECT_FALSE(is_uuid_v4("ffffffff-ffff-4fff-7fff-ffffffffffff"));
  EXPECT_FALSE(is_uuid_v4("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"));
}

}  // namespace
}  // namespace seatgate::test
