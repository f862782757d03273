// The request-rules contract: every case of the table goes through the
// server's validation and the SDK core's, and both must accept it or both
// refuse it, each with the code that rule maps to. A value the SDK lets
// through is one the server takes; a value the SDK refuses would have been
// refused by the server after a round trip.
#include <gtest/gtest.h>

#include <seatgate/rules.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cases.h"
#include "sides.h"

namespace seatgate::contract {
namespace {

struct rule_info {
  rule r;
  const char* name;
  const char* server_code;  // what the server refuses with
  const char* sdk_code;     // what the SDK refuses with
};

constexpr rule_info k_rules[] = {
    {rule::event_id, "event_id", "invalid_request", "validation_event_id"},
    {rule::zone_id, "zone_id", "invalid_request", "validation_zone_id"},
    {rule::reservation_id, "reservation_id", "reservation_not_found", "validation_reservation_id"},
    {rule::idempotency_key, "idempotency_key", "invalid_idempotency_key",
     "validation_idempotency_key"},
    {rule::queue_pass, "queue_pass", "queue_pass_invalid", "validation_queue_pass"},
    {rule::payment_ref, "payment_ref", "invalid_request", "validation_payment_ref"},
    {rule::quantity, "quantity", "invalid_quantity", "validation_quantity"},
};

const rule_info& info(rule r) {
  for (const auto& i : k_rules)
    if (i.r == r) return i;
  throw std::logic_error("no such rule");
}

void expect_agreement(rule r, const std::vector<text_case>& cases) {
  const rule_info& ri = info(r);
  for (const auto& c : cases) {
    const verdict server = server_check(r, c.input, 0);
    const verdict sdk = sdk_check(r, c.input, 0);
    SCOPED_TRACE(std::string(ri.name) + " input \"" + c.input.substr(0, 40) + "\" (" +
                 std::to_string(c.input.size()) + " bytes)");
    EXPECT_EQ(server.code, c.valid ? "" : ri.server_code);
    EXPECT_EQ(sdk.code, c.valid ? "" : ri.sdk_code);
  }
}

TEST(Contract, EventIds) { expect_agreement(rule::event_id, k_slug_cases); }
TEST(Contract, ZoneIds) { expect_agreement(rule::zone_id, k_slug_cases); }
TEST(Contract, ReservationIds) { expect_agreement(rule::reservation_id, k_reservation_id_cases); }
TEST(Contract, IdempotencyKeys) { expect_agreement(rule::idempotency_key, k_token_cases); }
TEST(Contract, PaymentRefs) { expect_agreement(rule::payment_ref, k_token_cases); }
TEST(Contract, QueuePasses) { expect_agreement(rule::queue_pass, k_queue_pass_cases); }

// An empty key is the one place the two differ on purpose: the server
// refuses it, and the SDK takes "" to mean "generate a key for me", so it
// never sends an empty one.
TEST(Contract, AnEmptyIdempotencyKeyIsGeneratedNotSent) {
  EXPECT_EQ(server_check(rule::idempotency_key, "", 0).code, "invalid_idempotency_key");
  EXPECT_TRUE(sdk_check(rule::idempotency_key, "", 0).accepted());
}

TEST(Contract, Quantities) {
  const rule_info& ri = info(rule::quantity);
  const std::pair<std::int64_t, bool> cases[] = {
      {1, true},   {2, true},    {99, true},    {100, true},        {0, false},
      {-1, false}, {101, false}, {1000, false}, {INT64_MIN, false}, {INT64_MAX, false},
  };
  for (const auto& [q, valid] : cases) {
    SCOPED_TRACE("quantity " + std::to_string(q));
    EXPECT_EQ(server_check(rule::quantity, "", q).code, valid ? "" : ri.server_code);
    EXPECT_EQ(sdk_check(rule::quantity, "", q).code, valid ? "" : ri.sdk_code);
  }
}

// The header's own answers, for the rules only one side checks today.
TEST(Rules, UserNames) {
  EXPECT_TRUE(rules::is_user_name("alice"));
  EXPECT_TRUE(rules::is_user_name("A.b-c_9"));
  EXPECT_TRUE(rules::is_user_name(std::string(64, 'u')));
  EXPECT_FALSE(rules::is_user_name(std::string(65, 'u')));
  EXPECT_FALSE(rules::is_user_name(""));
  EXPECT_FALSE(rules::is_user_name("a b"));
  EXPECT_FALSE(rules::is_user_name("a/b"));
  EXPECT_FALSE(rules::is_user_name("caf\xc3\xa9"));
}

// The rules are constexpr: usable in static_asserts on both sides.
static_assert(rules::is_slug("summer-2026") && !rules::is_slug("-x"));
static_assert(rules::event_of_reservation_id("e.AAAAAAAAAAAAAAAAAAAAAA") == "e");
static_assert(rules::is_quantity(rules::k_max_quantity) &&
              !rules::is_quantity(rules::k_max_quantity + 1));

// docs/openapi.yaml states the same patterns and limits as the header.
TEST(Rules, OpenApiStatesTheSameLimits) {
  std::ifstream in(SEATGATE_OPENAPI_YAML);
  ASSERT_TRUE(in) << SEATGATE_OPENAPI_YAML;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string spec = ss.str();
  const std::string slug =
      "^[a-z0-9][a-z0-9-]{0," + std::to_string(rules::k_max_slug_len - 1) + "}";
  const std::string token = R"(^[\x21-\x7e]([\x20-\x7e]{0,)" +
                            std::to_string(rules::k_max_idempotency_key_len - 2) +
                            R"(}[\x21-\x7e])?$)";
  const std::vector<std::string> expected = {
      "pattern: '" + slug + "$'",
      "pattern: '" + slug + R"(\.[A-Za-z0-9_-]{)" + std::to_string(rules::k_reservation_token_len) +
          "}$'",
      "pattern: '" + token + "'",
      "maxLength: " + std::to_string(rules::k_max_idempotency_key_len),
      "maxLength: " + std::to_string(rules::k_max_payment_ref_len),
      R"(pattern: '^[\x21-\x7e]{0,)" + std::to_string(rules::k_max_queue_pass_len) + "}$'",
      "minimum: " + std::to_string(rules::k_min_quantity) +
          ", maximum: " + std::to_string(rules::k_max_quantity),
      "pattern: '^[A-Za-z0-9._-]{1," + std::to_string(rules::k_max_user_name_len) + "}$'",
  };
  for (const auto& e : expected) EXPECT_NE(spec.find(e), std::string::npos) << e;
}

}  // namespace
}  // namespace seatgate::contract
