#include "inventory/validation.h"

#include <gtest/gtest.h>

#include "inventory/event_config.h"
#include "inventory/fingerprint.h"
#include "inventory/reserve_body.h"

#include <functional>
#include <vector>

namespace {

using namespace seatgate::inventory;
using nlohmann::json;

template <class T>
std::string code_of(const parsed<T>& p) {
  return p.value ? "" : std::string(seatgate::code_name(p.error.code));
}

// The code check_idempotency_key / check_queue_pass refuse with, or "".
std::string code_of(const std::optional<seatgate::error>& e) {
  return e ? std::string(seatgate::code_name(e->code)) : "";
}

TEST(Slug, AcceptsAndRefuses) {
  EXPECT_TRUE(is_slug("a"));
  EXPECT_TRUE(is_slug("0"));
  EXPECT_TRUE(is_slug("summer-arena-2026"));
  EXPECT_TRUE(is_slug("a-"));
  EXPECT_TRUE(is_slug(std::string(64, 'a')));
  EXPECT_FALSE(is_slug(std::string(65, 'a')));
  EXPECT_FALSE(is_slug(""));
  EXPECT_FALSE(is_slug("-a"));
  EXPECT_FALSE(is_slug("Arena"));
  EXPECT_FALSE(is_slug("a_b"));
  EXPECT_FALSE(is_slug("a.b"));
  EXPECT_FALSE(is_slug("a b"));
  EXPECT_FALSE(is_slug("{x}"));
  EXPECT_FALSE(is_slug("caf\xc3\xa9"));
}

TEST(ReservationId, EventOf) {
  EXPECT_EQ(event_of_reservation_id("arena.AAAAAAAAAAAAAAAAAAAA-_"), "arena");
  EXPECT_FALSE(event_of_reservation_id("arena.AAAAAAAAAAAAAAAAAAAAA"));    // 21 chars
  EXPECT_FALSE(event_of_reservation_id("arena.AAAAAAAAAAAAAAAAAAAAAAA"));  // 23 chars
  EXPECT_FALSE(event_of_reservation_id("arena.AAAAAAAAAAAAAAAAAAAA+/"));
  EXPECT_FALSE(event_of_reservation_id("Arena.AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(event_of_reservation_id(".AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(event_of_reservation_id("arenaAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(event_of_reservation_id("a.b.AAAAAAAAAAAAAAAAAAAAAA"));
}

TEST(IdempotencyKey, Rules) {
  EXPECT_EQ(code_of(check_idempotency_key(std::nullopt)), "missing_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key("")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key(std::string(256, 'k'))), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key(std::string(255, 'k'))), "");
  EXPECT_EQ(code_of(check_idempotency_key("9b2f3c1e-6a0e-4b55-8f7e-0c4b1d7a2e11")), "");
  EXPECT_EQ(code_of(check_idempotency_key("a b")), "");
  EXPECT_EQ(code_of(check_idempotency_key(" ab")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key("ab ")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key("a\tb")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key("a\x7f")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key("caf\xc3\xa9")), "invalid_idempotency_key");
  EXPECT_EQ(code_of(check_idempotency_key(std::string_view("a\0b", 3))), "invalid_idempotency_key");
}

TEST(QueuePass, Rules) {
  EXPECT_EQ(code_of(check_queue_pass("")), "");  // no pass
  EXPECT_EQ(code_of(check_queue_pass("3q2-7wAAAAAAAAAAAAAAAA")), "");
  EXPECT_EQ(code_of(check_queue_pass(std::string(256, 'p'))), "");
  EXPECT_EQ(code_of(check_queue_pass(std::string(257, 'p'))), "queue_pass_invalid");
  EXPECT_EQ(code_of(check_queue_pass("a b")), "queue_pass_invalid");
  EXPECT_EQ(code_of(check_queue_pass("a\tb")), "queue_pass_invalid");
  EXPECT_EQ(code_of(check_queue_pass("caf\xc3\xa9")), "queue_pass_invalid");
}

TEST(Reserve, Valid) {
  const auto p = parse_reserve(R"({"zone_id":"floor","quantity":2,"event_id":"arena"})");
  ASSERT_TRUE(p.value) << p.error.detail;
  EXPECT_EQ(p.value->event_id, "arena");
  EXPECT_EQ(p.value->zone_id, "floor");
  EXPECT_EQ(p.value->quantity, 2);
  EXPECT_EQ(p.value->canonical, R"({"event_id":"arena","quantity":2,"zone_id":"floor"})");
  EXPECT_TRUE(parse_reserve(R"({"event_id":"a","zone_id":"b","quantity":100})").value);
  EXPECT_TRUE(parse_reserve(R"({"event_id":"a","zone_id":"b","quantity":1})").value);
}

TEST(Reserve, NotJson) {
  for (const char* body : {"", "{", "nope", R"({"event_id":"a",})", "{\"event_id\":\"\xff\"}"})
    EXPECT_EQ(code_of(parse_reserve(body)), "invalid_json") << body;
}

TEST(Reserve, NotAnObject) {
  for (const char* body :
       {"[]", R"([{"event_id":"a","zone_id":"b","quantity":1}])", "1", "\"s\"", "null"})
    EXPECT_EQ(code_of(parse_reserve(body)), "invalid_request") << body;
}

TEST(Reserve, MissingFieldsAndWrongTypes) {
  for (const char* body :
       {R"({"zone_id":"b","quantity":1})", R"({"event_id":"a","quantity":1})",
        R"({"event_id":"a","zone_id":"b"})", R"({"event_id":1,"zone_id":"b","quantity":1})",
        R"({"event_id":"a","zone_id":null,"quantity":1})", "{}"}) {
    const auto p = parse_reserve(body);
    EXPECT_EQ(code_of(p), "invalid_request") << body;
    EXPECT_FALSE(p.error.detail.empty());
  }
}

TEST(Reserve, BadSlugs) {
  for (const char* body : {R"({"event_id":"","zone_id":"b","quantity":1})",
                           R"({"event_id":"Arena","zone_id":"b","quantity":1})",
                           R"({"event_id":"a","zone_id":"-b","quantity":1})",
                           R"({"event_id":"a","zone_id":"b}{","quantity":1})"}) {
    EXPECT_EQ(code_of(parse_reserve(body)), "invalid_request") << body;
  }
}

TEST(Reserve, UnknownAndDuplicateFields) {
  auto p = parse_reserve(R"({"event_id":"a","zone_id":"b","quantity":1,"price":0})");
  EXPECT_EQ(code_of(p), "invalid_request");
  EXPECT_NE(p.error.detail.find("price"), std::string::npos);
  p = parse_reserve(R"({"event_id":"a","zone_id":"b","quantity":1,"quantity":50})");
  EXPECT_EQ(code_of(p), "invalid_json");
  EXPECT_NE(p.error.detail.find("duplicate"), std::string::npos);
}

TEST(Reserve, BadQuantities) {
  for (const char* q :
       {"0", "-1", "101", "2.0", "1.5", "\"2\"", "true", "null", "1e30", "18446744073709551616",
        "18446744073709551615", "-9223372036854775808", "[1]", "{}"}) {
    const std::string body = std::string(R"({"event_id":"a","zone_id":"b","quantity":)") + q + "}";
    const auto p = parse_reserve(body);
    EXPECT_EQ(code_of(p), "invalid_quantity") << q;
    EXPECT_NE(p.error.detail.find("quantity"), std::string::npos);
  }
}

TEST(Reserve, DeepNestingIsRefused) {
  const std::string body = R"({"event_id":"a","zone_id":"b","quantity":1,"x":)" +
                           std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_NE(code_of(parse_reserve(body)), "");
}

TEST(Confirm, Bodies) {
  auto p = parse_confirm("");
  ASSERT_TRUE(p.value);
  EXPECT_FALSE(p.value->payment_ref);
  EXPECT_EQ(p.value->canonical.dump(), "{}");
  p = parse_confirm("{}");
  ASSERT_TRUE(p.value);
  p = parse_confirm(R"({"payment_ref":null})");
  ASSERT_TRUE(p.value);
  EXPECT_FALSE(p.value->payment_ref);
  p = parse_confirm(R"({"payment_ref":"pi_123"})");
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->payment_ref, "pi_123");
  EXPECT_EQ(p.value->canonical.dump(), R"({"payment_ref":"pi_123"})");

  EXPECT_EQ(code_of(parse_confirm("{")), "invalid_json");
  EXPECT_EQ(code_of(parse_confirm("[]")), "invalid_request");
  EXPECT_EQ(code_of(parse_confirm(R"({"payment_ref":1})")), "invalid_request");
  EXPECT_EQ(code_of(parse_confirm(R"({"payment_ref":""})")), "invalid_request");
  EXPECT_EQ(code_of(parse_confirm(R"({"payment_ref":"a\nb"})")), "invalid_request");
  EXPECT_EQ(code_of(parse_confirm(json{{"payment_ref", std::string(256, 'r')}}.dump())),
            "invalid_request");
  EXPECT_TRUE(parse_confirm(json{{"payment_ref", std::string(255, 'r')}}.dump()).value);
  EXPECT_EQ(code_of(parse_confirm(R"({"amount":1})")), "invalid_request");
}

TEST(Status, Bodies) {
  for (const char* s : {"on_sale", "paused", "closed"}) {
    const auto p = parse_status(json{{"status", s}}.dump());
    ASSERT_TRUE(p.value);
    EXPECT_EQ(p.value->status, s);
  }
  EXPECT_EQ(code_of(parse_status("")), "invalid_json");
  EXPECT_EQ(code_of(parse_status("[]")), "invalid_request");
  EXPECT_EQ(code_of(parse_status("{}")), "invalid_request");
  EXPECT_EQ(code_of(parse_status(R"({"status":"open"})")), "invalid_request");
  EXPECT_EQ(code_of(parse_status(R"({"status":1})")), "invalid_request");
  EXPECT_EQ(code_of(parse_status(R"({"status":"paused","why":"x"})")), "invalid_request");
}

json minimal_event() {
  return {
      {"name", "Summer Arena"},
      {"currency", "EUR"},
      {"zones",
       json::array({{{"id", "floor"}, {"name", "Floor"}, {"capacity", 1000}, {"price", 4500}}})}};
}

TEST(EventConfig, DefaultsFilledIn) {
  const auto p = parse_event_config(minimal_event().dump());
  ASSERT_TRUE(p.value) << p.error.detail;
  const json want = {
      {"name", "Summer Arena"},
      {"currency", "EUR"},
      {"status", "on_sale"},
      {"hold_ttl_s", 600},
      {"max_per_order", 10},
      {"max_per_user", 10},
      {"zones",
       json::array({{{"id", "floor"}, {"name", "Floor"}, {"capacity", 1000}, {"price", 4500}}})},
      {"waiting_room",
       {{"enabled", false},
        {"capacity", 500},
        {"admit_per_s", 50},
        {"pass_ttl_s", 300},
        {"max_queues_per_user", 2}}}};
  EXPECT_EQ(*p.value, want);
}

TEST(EventConfig, FullConfigKept) {
  json e = minimal_event();
  e["status"] = "paused";
  e["hold_ttl_s"] = 10;
  e["max_per_order"] = 100;
  e["max_per_user"] = 10000;
  e["zones"].push_back({{"id", "balcony"}, {"name", "Balcony"}, {"capacity", 0}, {"price", 0}});
  e["waiting_room"] = {{"enabled", true},
                       {"capacity", 1},
                       {"admit_per_s", 100000},
                       {"pass_ttl_s", 86400},
                       {"max_queues_per_user", 100}};
  const auto p = parse_event_config(e.dump());
  ASSERT_TRUE(p.value) << p.error.detail;
  EXPECT_EQ((*p.value)["status"], "paused");
  EXPECT_EQ((*p.value)["zones"].size(), 2u);
  EXPECT_EQ((*p.value)["waiting_room"], e["waiting_room"]);
  // Partial waiting room: the rest defaulted.
  e["waiting_room"] = {{"enabled", true}};
  const auto q = parse_event_config(e.dump());
  ASSERT_TRUE(q.value);
  EXPECT_EQ((*q.value)["waiting_room"]["capacity"], 500);
  EXPECT_EQ((*q.value)["waiting_room"]["enabled"], true);
}

TEST(EventConfig, BoundsAndTypes) {
  struct edit {
    const char* what;
    std::function<void(json&)> apply;
  };
  const std::vector<edit> bad = {
      {"array body", [](json& e) { e = json::array(); }},
      {"unknown field", [](json& e) { e["id"] = "x"; }},
      {"no name", [](json& e) { e.erase("name"); }},
      {"empty name", [](json& e) { e["name"] = ""; }},
      {"long name", [](json& e) { e["name"] = std::string(201, 'n'); }},
      {"no currency", [](json& e) { e.erase("currency"); }},
      {"lower currency", [](json& e) { e["currency"] = "eur"; }},
      {"long currency", [](json& e) { e["currency"] = "EURO"; }},
      {"bad status", [](json& e) { e["status"] = "open"; }},
      {"ttl low", [](json& e) { e["hold_ttl_s"] = 9; }},
      {"ttl high", [](json& e) { e["hold_ttl_s"] = 86401; }},
      {"ttl float", [](json& e) { e["hold_ttl_s"] = 600.0; }},
      {"ttl string", [](json& e) { e["hold_ttl_s"] = "600"; }},
      {"order 0", [](json& e) { e["max_per_order"] = 0; }},
      {"order 101", [](json& e) { e["max_per_order"] = 101; }},
      {"user 0", [](json& e) { e["max_per_user"] = 0; }},
      {"user 10001", [](json& e) { e["max_per_user"] = 10001; }},
      {"no zones", [](json& e) { e.erase("zones"); }},
      {"empty zones", [](json& e) { e["zones"] = json::array(); }},
      {"zones object", [](json& e) { e["zones"] = json::object(); }},
      {"101 zones",
       [](json& e) {
         e["zones"] = json::array();
         for (int i = 0; i < 101; ++i)
           e["zones"].push_back(
               {{"id", "z" + std::to_string(i)}, {"name", "Z"}, {"capacity", 1}, {"price", 1}});
       }},
      {"duplicate zone", [](json& e) { e["zones"].push_back(e["zones"][0]); }},
      {"zone not object", [](json& e) { e["zones"][0] = "floor"; }},
      {"zone bad id", [](json& e) { e["zones"][0]["id"] = "Floor"; }},
      {"zone no id", [](json& e) { e["zones"][0].erase("id"); }},
      {"zone no name", [](json& e) { e["zones"][0].erase("name"); }},
      {"zone no capacity", [](json& e) { e["zones"][0].erase("capacity"); }},
      {"zone no price", [](json& e) { e["zones"][0].erase("price"); }},
      {"capacity negative", [](json& e) { e["zones"][0]["capacity"] = -1; }},
      {"capacity huge", [](json& e) { e["zones"][0]["capacity"] = 10'000'001; }},
      {"price negative", [](json& e) { e["zones"][0]["price"] = -1; }},
      {"price huge", [](json& e) { e["zones"][0]["price"] = 1'000'000'000'001; }},
      {"price float", [](json& e) { e["zones"][0]["price"] = 45.5; }},
      {"zone extra", [](json& e) { e["zones"][0]["available"] = 3; }},
      {"room not object", [](json& e) { e["waiting_room"] = true; }},
      {"room enabled string",
       [](json& e) {
         e["waiting_room"] = {{"enabled", "yes"}};
       }},
      {"room unknown",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"size", 3}};
       }},
      {"room capacity 0",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"capacity", 0}};
       }},
      {"room capacity high",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"capacity", 1'000'001}};
       }},
      {"room admit 0",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"admit_per_s", 0}};
       }},
      {"room admit high",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"admit_per_s", 100'001}};
       }},
      {"room ttl low",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"pass_ttl_s", 9}};
       }},
      {"room queues 0",
       [](json& e) {
         e["waiting_room"] = {{"enabled", false}, {"max_queues_per_user", 0}};
       }},
      {"room queues 101",
       [](json& e) {
         e["waiting_room"] = {{"enabled", true}, {"max_queues_per_user", 101}};
       }},
  };
  for (const auto& b : bad) {
    json e = minimal_event();
    b.apply(e);
    const auto p = parse_event_config(e.dump());
    EXPECT_EQ(code_of(p), "invalid_request") << b.what;
    EXPECT_FALSE(p.error.detail.empty()) << b.what;
  }
  EXPECT_EQ(code_of(parse_event_config("{nope")), "invalid_json");
}

TEST(EventConfig, DetailNamesTheField) {
  json e = minimal_event();
  e["zones"][0]["capacity"] = -5;
  EXPECT_NE(parse_event_config(e.dump()).error.detail.find("zones[0].capacity"), std::string::npos);
  e = minimal_event();
  e["waiting_room"] = {{"admit_per_s", 0}};
  EXPECT_NE(parse_event_config(e.dump()).error.detail.find("waiting_room.admit_per_s"),
            std::string::npos);
}

TEST(Fingerprint, StableAndSensitive) {
  const json a = {{"event_id", "arena"}, {"quantity", 2}, {"zone_id", "floor"}};
  const auto f = fingerprint("POST", "/v1/reservations", a);
  EXPECT_EQ(f.size(), 64u);
  EXPECT_EQ(f.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(f, fingerprint("POST", "/v1/reservations", a));
  json b = a;
  b["quantity"] = 3;
  EXPECT_NE(f, fingerprint("POST", "/v1/reservations", b));
  EXPECT_NE(f, fingerprint("PUT", "/v1/reservations", a));
  EXPECT_NE(f, fingerprint("POST", "/v1/reservation", a));
  // SHA-256("GET\n/\n{}")
  EXPECT_EQ(fingerprint("GET", "/", json::object()),
            "b35bc3e58ca2d2ebd92a4a6bb4fd2f7803af20d791c5d5435d9ff74c700145bb");
}

TEST(Fingerprint, KeyOrderDoesNotMatter) {
  const auto x = parse_reserve(R"({"quantity":1,"zone_id":"b","event_id":"a"})");
  const auto y = parse_reserve(R"({"event_id":"a","zone_id":"b","quantity":1})");
  ASSERT_TRUE(x.value && y.value);
  EXPECT_EQ(fingerprint("POST", "/v1/reservations", x.value->canonical),
            fingerprint("POST", "/v1/reservations", y.value->canonical));
}

TEST(ListQuery, LimitAndCursor) {
  auto none = parse_list_query("e1", std::nullopt, std::nullopt);
  ASSERT_TRUE(none.value);
  EXPECT_EQ(none.value->limit, 50);
  EXPECT_EQ(none.value->after_id, "");
  for (const char* ok : {"1", "50", "100", "007"})
    EXPECT_TRUE(parse_list_query("e1", std::string_view(ok), std::nullopt).value) << ok;
  for (const char* bad : {"0", "101", "", "abc", "-1", "+5", "1.5", "0100", " 5"})
    EXPECT_EQ(code_of(parse_list_query("e1", std::string_view(bad), std::nullopt)),
              "invalid_request")
        << bad;

  const std::string rid = "e1.AAAAAAAAAAAAAAAAAAAAAA";
  const std::string cursor = encode_cursor(1700000000123, rid);
  EXPECT_EQ(cursor.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto page = parse_list_query("e1", std::nullopt, std::string_view(cursor));
  ASSERT_TRUE(page.value);
  EXPECT_EQ(page.value->after_created_at, 1700000000123);
  EXPECT_EQ(page.value->after_id, rid);
  EXPECT_TRUE(parse_list_query("e1", std::nullopt, std::string_view("")).value);  // first page
  const std::string other = encode_cursor(1, "e2.AAAAAAAAAAAAAAAAAAAAAA");
  for (std::string bad :
       {std::string("zz"), std::string("abc"), cursor.substr(1), cursor + "00", other,
        encode_cursor(1, "e1.short"), std::string("3a") + cursor, std::string(cursor.size(), 'A')})
    EXPECT_EQ(code_of(parse_list_query("e1", std::nullopt, std::string_view(bad))),
              "invalid_request")
        << bad;
}

}  // namespace
