// The SDK's webhook verifiers, C++ and C, against the vector file the
// server's and the JS tests read (tests/vectors/webhook_signature.json).
#include <seatgate.h>
#include <seatgate/webhook.h>

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace {

nlohmann::json vectors() {
  std::ifstream in(std::string(SEATGATE_VECTORS) + "/webhook_signature.json");
  return nlohmann::json::parse(in);
}

TEST(WebhookVerify, SignsTheVector) {
  const auto v = vectors();
  EXPECT_EQ(seatgate::webhook_signature(v["secret"].get<std::string>(), v["timestamp"],
                                        v["body"].get<std::string>()),
            v["v1"]);
}

TEST(WebhookVerify, CppAndCAgreeWithEveryCase) {
  const auto v = vectors();
  ASSERT_GE(v["cases"].size(), 8u);
  for (const auto& c : v["cases"]) {
    const std::string secret = c["secret"], header = c["header"], body = c["body"];
    const auto verdict = seatgate::verify_webhook(secret, header, body, c["now"], v["tolerance_s"]);
    EXPECT_EQ(verdict == seatgate::webhook_verdict::valid, c["valid"].get<bool>()) << c["name"];
    const int rc = seatgate_webhook_verify(secret.c_str(), header.c_str(), body.data(),
                                           body.size(), c["now"], v["tolerance_s"]);
    EXPECT_EQ(rc == SEATGATE_WEBHOOK_VALID, c["valid"].get<bool>()) << c["name"];
  }
  const std::string body = v["body"], header = v["header"], secret = v["secret"];
  const std::int64_t t = v["timestamp"];
  EXPECT_EQ(seatgate::verify_webhook(secret, header, body, t + 301),
            seatgate::webhook_verdict::too_old);
  EXPECT_EQ(seatgate::verify_webhook(secret, "t=1", body, t),
            seatgate::webhook_verdict::malformed_header);
  EXPECT_EQ(seatgate::verify_webhook("wrong", header, body, t),
            seatgate::webhook_verdict::bad_signature);
  EXPECT_EQ(seatgate_webhook_verify(nullptr, header.c_str(), body.data(), body.size(), t, 300),
            SEATGATE_WEBHOOK_INVALID_ARGUMENT);
}

}  // namespace
