#include "http/problem.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

namespace {

using namespace seatgate::http;
namespace bh = boost::beast::http;

struct expected {
  unsigned status;
  bool retryable;
};

// docs/openapi.yaml, plus the server's own codes.
const std::map<std::string, expected> k_spec = {
    {"invalid_json", {400, false}},
    {"invalid_request", {400, false}},
    {"missing_idempotency_key", {400, false}},
    {"invalid_idempotency_key", {400, false}},
    {"unauthorized", {401, false}},
    {"forbidden", {403, false}},
    {"queue_pass_required", {403, false}},
    {"queue_pass_invalid", {403, false}},
    {"not_found", {404, false}},
    {"event_not_found", {404, false}},
    {"zone_not_found", {404, false}},
    {"reservation_not_found", {404, false}},
    {"method_not_allowed", {405, false}},
    {"request_timeout", {408, false}},
    {"sold_out", {409, false}},
    {"user_limit_exceeded", {409, false}},
    {"event_not_on_sale", {409, false}},
    {"already_confirmed", {409, false}},
    {"reservation_released", {409, false}},
    {"capacity_below_committed", {409, false}},
    {"idempotency_key_in_use", {409, true}},
    {"queue_limit_exceeded", {409, false}},
    {"reservation_expired", {410, false}},
    {"payload_too_large", {413, false}},
    {"unsupported_media_type", {415, false}},
    {"invalid_quantity", {422, false}},
    {"idempotency_key_reused", {422, false}},
    {"rate_limited", {429, true}},
    {"headers_too_large", {431, false}},
    {"internal", {500, false}},
    {"unavailable", {503, true}},
    {"timeout", {503, true}},
    {"zone_not_seated", {409, false}},
    {"seats_taken", {409, false}},
    {"invalid_seats", {422, false}},
    {"no_adjacent_seats", {409, false}},
    {"event_not_closed", {409, false}},
    {"holds_live", {409, true}},
    {"outbox_not_drained", {409, true}},
};

TEST(Problem, TableMatchesSpec) {
  for (const auto& [code, want] : k_spec) {
    const auto info = lookup(code);
    EXPECT_EQ(info.status, want.status) << code;
    EXPECT_EQ(info.retryable, want.retryable) << code;
    EXPECT_FALSE(info.title.empty()) << code;
    EXPECT_TRUE(is_known(code)) << code;
  }
  EXPECT_EQ(known_codes().size(), k_spec.size());
}

TEST(Problem, SeatsTheErrorNamesAreInTheBody) {
  seatgate::error e{seatgate::errc::seats_taken, "taken", true, 1};
  e.seats = {"A-1", "B-2"};
  auto body = nlohmann::json::parse(make_problem(e, 11, true).body());
  EXPECT_EQ(body["taken"], nlohmann::json::parse(R"(["A-1","B-2"])"));
  EXPECT_EQ(body["retryable"], true);
  e = {seatgate::errc::invalid_seats, "bad"};
  e.seats = {"Z-9"};
  body = nlohmann::json::parse(make_problem(e, 11, true).body());
  EXPECT_EQ(body["invalid"], nlohmann::json::parse(R"(["Z-9"])"));
  EXPECT_FALSE(body.contains("taken"));
  e = {seatgate::errc::capacity_below_committed, "zone"};
  e.seats = {"A-4"};
  body = nlohmann::json::parse(make_problem(e, 11, true).body());
  EXPECT_EQ(body["seats"], nlohmann::json::parse(R"(["A-4"])"));
}

TEST(Problem, EveryCodeBuildsAFullBody) {
  for (const auto& [code, want] : k_spec) {
    const auto res =
        make_problem({code, "detail for " + code, std::nullopt, std::nullopt}, 11, true);
    EXPECT_EQ(res.result_int(), want.status) << code;
    EXPECT_EQ(res[bh::field::content_type], "application/problem+json") << code;
    EXPECT_EQ(res.keep_alive(), true);
    EXPECT_EQ(res.version(), 11u);
    const auto body = nlohmann::json::parse(res.body());
    EXPECT_EQ(body["type"], "urn:seatgate:error:" + code);
    EXPECT_EQ(body["title"], std::string(lookup(code).title));
    EXPECT_EQ(body["status"], want.status);
    EXPECT_EQ(body["detail"], "detail for " + code);
    EXPECT_EQ(body["code"], code);
    EXPECT_EQ(body["retryable"], want.retryable);
    EXPECT_EQ(body.size(), 6u);
    EXPECT_EQ(res.count(bh::field::retry_after), want.retryable ? 1u : 0u) << code;
    if (want.retryable) {
      EXPECT_EQ(res[bh::field::retry_after], "1");
    }
    EXPECT_EQ(res[bh::field::content_length], std::to_string(res.body().size()));
  }
}

TEST(Problem, SoldOutRetryableDecidedByCaller) {
  const auto res = make_problem({"sold_out", "3 seats are held", true, 5u}, 11, false);
  EXPECT_EQ(res.result_int(), 409u);
  EXPECT_EQ(res[bh::field::retry_after], "5");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(nlohmann::json::parse(res.body())["retryable"], true);

  const auto final_res = make_problem({"sold_out", "nothing held", false, std::nullopt}, 11, true);
  EXPECT_EQ(final_res.count(bh::field::retry_after), 0u);
  EXPECT_EQ(nlohmann::json::parse(final_res.body())["retryable"], false);
}

TEST(Problem, RetryAfterOverrideAndCallerCanTurnOffRetryable) {
  const auto res = make_problem({"unavailable", "redis down", std::nullopt, 7u}, 11, true);
  EXPECT_EQ(res[bh::field::retry_after], "7");
  const auto no = make_problem({"rate_limited", "", false, std::nullopt}, 11, true);
  EXPECT_EQ(no.count(bh::field::retry_after), 0u);
}

TEST(Problem, UnknownCodeIsInternal) {
  EXPECT_EQ(lookup("no_such_code").status, 500u);
  EXPECT_FALSE(is_known("no_such_code"));
  const auto res = make_problem({"no_such_code", "oops", std::nullopt, std::nullopt}, 10, false);
  EXPECT_EQ(res.result_int(), 500u);
  const auto body = nlohmann::json::parse(res.body());
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["type"], "urn:seatgate:error:internal");
  EXPECT_EQ(body["detail"], "oops");
}

TEST(Problem, EmptyDetailFallsBackToTitle) {
  const auto res = make_problem({"not_found", "", std::nullopt, std::nullopt}, 11, true);
  const auto body = nlohmann::json::parse(res.body());
  EXPECT_EQ(body["detail"], body["title"]);
}

TEST(Problem, InvalidUtf8DetailDoesNotThrow) {
  const auto res =
      make_problem({"invalid_request", "bad \xff byte", std::nullopt, std::nullopt}, 11, true);
  EXPECT_TRUE(nlohmann::json::accept(res.body()));
}

}  // namespace
