// The contract's table over real HTTP: a real seatgate-server (and
// redis-server) gets every case an HTTP request can carry, and answers as
// the in-process contract says; the audit then shows that only the accepted
// requests held seats.
#include <gtest/gtest.h>

#include "api_client.h"
#include "cases.h"

namespace seatgate::test {
namespace {

using contract::text_case;

// A header value holds no control byte but HTAB (the HTTP parser refuses the
// request before any rule runs) and loses spaces at either end.
bool fits_a_header(const std::string& v) {
  for (unsigned char c : v)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return v.empty() ||
         (v.front() != ' ' && v.front() != '\t' && v.back() != ' ' && v.back() != '\t');
}

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 40)) out += (c < 0x20 || c >= 0x7f) ? '?' : char(c);
  return out + " (" + std::to_string(s.size()) + " bytes)";
}

class ContractHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = new redis_server();
    server_process::options o;
    o.redis_url = redis_->url();
    server_ = new server_process(o);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete redis_;
  }
  void SetUp() override {
    c_ = std::make_unique<api_client>(*server_);
    // No waiting room: a pass the rules accept is ignored, one they refuse is not.
    auto r = c_->put_event("plain", event_config(1'000'000, 600, 100, 10'000));
    ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
    held_before_ = counts(*c_, "plain").held;
  }
  // A fresh user per request, so no per-user limit gets in the way.
  std::string next_user() { return server_->user_token("contract-" + std::to_string(++users_)); }
  std::string next_key() { return "contract-key-" + std::to_string(++keys_); }

  void expect_held_since_setup(long seats) {
    const auto z = counts(*c_, "plain");
    EXPECT_TRUE(z.consistent) << z.audit.dump();
    EXPECT_EQ(z.held - held_before_, seats) << z.audit.dump();
  }

  void expect_header_rule(const std::vector<text_case>& cases, const char* header, int status,
                          const char* code);

  static redis_server* redis_;
  static server_process* server_;
  std::unique_ptr<api_client> c_;
  long held_before_ = 0;
  static inline int users_ = 0, keys_ = 0;
};
redis_server* ContractHttp::redis_ = nullptr;
server_process* ContractHttp::server_ = nullptr;

// Reserves once per header case (skipping what a header cannot carry): a
// valid value holds a seat, an invalid one gets `status` and `code`.
void ContractHttp::expect_header_rule(const std::vector<text_case>& cases, const char* header,
                                      int status, const char* code) {
  long held = 0;
  for (const text_case& c : cases) {
    if (!fits_a_header(c.input)) continue;
    SCOPED_TRACE(std::string(header) + " " + printable(c.input));
    const bool is_key = std::string_view(header) == "Idempotency-Key";
    httplib::Headers extra;
    if (!is_key) extra.emplace(header, c.input);
    auto r = c_->reserve(next_user(), "plain", "floor", 1, is_key ? c.input : next_key(), extra);
    if (c.valid) {
      EXPECT_EQ(r.status, 201) << r.body;
      held += r.status == 201;
    } else {
      EXPECT_EQ(r.status, status) << r.body;
      EXPECT_EQ(r.code(), code);
    }
  }
  expect_held_since_setup(held);
}

TEST_F(ContractHttp, IdempotencyKeys) {
  expect_header_rule(contract::k_token_cases, "Idempotency-Key", 400, "invalid_idempotency_key");
}

TEST_F(ContractHttp, QueuePasses) {
  expect_header_rule(contract::k_queue_pass_cases, "Queue-Pass", 403, "queue_pass_invalid");
}

TEST_F(ContractHttp, PaymentRefs) {
  long held = 0;
  for (const text_case& c : contract::k_token_cases) {
    SCOPED_TRACE("payment_ref " + printable(c.input));
    const auto user = next_user();
    auto r = c_->reserve(user, "plain", "floor", 1, next_key());
    ASSERT_EQ(r.status, 201) << r.body;
    ++held;
    const std::string rid = r.js()["id"];
    // As the SDK sends it: invalid UTF-8 becomes U+FFFD.
    auto f = c_->send(
        "POST", "/v1/reservations/" + rid + "/confirm",
        json{{"payment_ref", c.input}}.dump(-1, ' ', false, json::error_handler_t::replace),
        {{"Authorization", "Bearer " + user}, {"Idempotency-Key", next_key()}});
    if (c.valid) {
      EXPECT_EQ(f.status, 200) << f.body;
      held -= f.status == 200;  // sold, no longer held
    } else {
      EXPECT_EQ(f.status, 400) << f.body;
      EXPECT_EQ(f.code(), "invalid_request");
    }
  }
  expect_held_since_setup(held);
}

TEST_F(ContractHttp, IdsInTheReserveBody) {
  for (const text_case& c : contract::k_slug_cases) {
    SCOPED_TRACE("id " + printable(c.input));
    // A well-formed id of no event or zone is not found; a malformed one is refused.
    auto e = c_->reserve(next_user(), c.input, "floor", 1, next_key());
    auto z = c_->reserve(next_user(), "plain", c.input, 1, next_key());
    if (c.valid) {
      EXPECT_EQ(e.code(), c.input == "plain" ? "" : "event_not_found") << e.body;
      EXPECT_EQ(z.code(), "zone_not_found") << z.body;
    } else {
      EXPECT_EQ(e.code(), "invalid_request") << e.body;
      EXPECT_EQ(z.code(), "invalid_request") << z.body;
    }
  }
  expect_held_since_setup(0);
}

TEST_F(ContractHttp, Quantities) {
  long held = 0;
  for (std::int64_t q : {1, 100, 0, -1, 101}) {
    SCOPED_TRACE("quantity " + std::to_string(q));
    auto r = c_->reserve(next_user(), "plain", "floor", q, next_key());
    if (q >= 1 && q <= 100) {
      EXPECT_EQ(r.status, 201) << r.body;
      held += r.status == 201 ? q : 0;
    } else {
      EXPECT_EQ(r.status, 422) << r.body;
      EXPECT_EQ(r.code(), "invalid_quantity");
    }
  }
  expect_held_since_setup(held);
}

}  // namespace
}  // namespace seatgate::test
