#include "auth/jwt.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace seatgate::auth {
// Readable failures: "bad_alg" rather than raw bytes.
void PrintTo(jwt_error e, std::ostream* os) { *os << error_name(e); }
}  // namespace seatgate::auth

namespace {

using namespace seatgate::auth;

const std::string k_secret = "0123456789abcdef0123456789abcdef";
constexpr std::int64_t k_now = 1'800'000'000;

std::string b64(const std::string& s) { return base64url_encode(s); }

// Signs arbitrary header/payload text, for tokens sign_hs256 would not make.
std::string forge(const std::string& header, const std::string& payload,
                  const std::string& secret = k_secret) {
  const std::string input = b64(header) + "." + b64(payload);
  return input + "." + hs256_signature(input, secret);
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    const auto enc = base64url_encode(bytes);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    const auto dec = base64url_decode(enc);
    ASSERT_TRUE(dec) << i;
    EXPECT_EQ(*dec, bytes);
    bytes.push_back(static_cast<char>(i * 37 + 200));
  }
}

TEST(Base64Url, KnownVectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RefusesBadInput) {
  EXPECT_FALSE(base64url_decode("Zg=="));   // padding
  EXPECT_FALSE(base64url_decode("Zm9v+"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Z"));      // impossible length
  EXPECT_FALSE(base64url_decode("Zh"));     // non-zero trailing bits
  EXPECT_FALSE(base64url_decode("Zm 9"));
}

TEST(Jwt, ValidTokenVerifies) {
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  const auto r = verify_hs256(t, k_secret, k_now);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.error, jwt_error::none);
  EXPECT_EQ(r.ok->sub, "alice");
  EXPECT_EQ(r.ok->exp, k_now + 60);
}

TEST(Jwt, ExpiredAtAndAfterExp) {
  const auto t = sign_hs256("alice", k_now, k_secret);
  EXPECT_EQ(verify_hs256(t, k_secret, k_now).error, jwt_error::expired);
  EXPECT_EQ(verify_hs256(t, k_secret, k_now + 1).error, jwt_error::expired);
  EXPECT_TRUE(verify_hs256(t, k_secret, k_now - 1).ok);
}

TEST(Jwt, ExpMissingOrNotANumber) {
  const std::string h = R"({"alg":"HS256","typ":"JWT"})";
  EXPECT_EQ(verify_hs256(forge(h, R"({"sub":"a"})"), k_secret, k_now).error,
            jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, R"({"sub":"a","exp":"1900000000"})"), k_secret, k_now).error,
            jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, R"({"sub":"a","exp":null})"), k_secret, k_now).error,
            jwt_error::missing_claim);
}

TEST(Jwt, FractionalExpIsANumericDate) {
  const std::string h = R"({"alg":"HS256"})";
  const auto r = verify_hs256(forge(h, R"({"sub":"a","exp":1800000100.5})"), k_secret, k_now);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.ok->exp, k_now + 100);
}

TEST(Jwt, SubMissingEmptyTooLongOrNotAString) {
  const std::string h = R"({"alg":"HS256"})";
  const auto payload = [](const nlohmann::json& sub) {
    nlohmann::json p = {{"exp", k_now + 60}};
    if (!sub.is_discarded()) p["sub"] = sub;
    return p.dump();
  };
  EXPECT_EQ(verify_hs256(forge(h, R"({"exp":1900000000})"), k_secret, k_now).error,
            jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, payload("")), k_secret, k_now).error, jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, payload(42)), k_secret, k_now).error, jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, payload(std::string(129, 'u'))), k_secret, k_now).error,
            jwt_error::missing_claim);
  EXPECT_EQ(verify_hs256(forge(h, payload("a\nb")), k_secret, k_now).error,
            jwt_error::missing_claim);
  EXPECT_TRUE(verify_hs256(forge(h, payload(std::string(128, 'u'))), k_secret, k_now).ok);
}

TEST(Jwt, BadSignature) {
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  EXPECT_EQ(verify_hs256(t, "another-secret-another-secret-xx", k_now).error,
            jwt_error::bad_signature);
  std::string flipped = t;
  flipped.back() = flipped.back() == 'A' ? 'Q' : 'A';
  EXPECT_NE(verify_hs256(flipped, k_secret, k_now).error, jwt_error::none);
  // A truncated signature is a wrong signature, not a crash.
  EXPECT_EQ(verify_hs256(t.substr(0, t.size() - 3), k_secret, k_now).error,
            jwt_error::bad_signature);
  const auto no_sig = t.substr(0, t.rfind('.') + 1);
  EXPECT_EQ(verify_hs256(no_sig, k_secret, k_now).error, jwt_error::bad_signature);
}

TEST(Jwt, TamperedPayload) {
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  const auto d1 = t.find('.'), d2 = t.rfind('.');
  const auto other = b64(R"({"sub":"mallory","exp":1900000000})");
  const auto tampered = t.substr(0, d1 + 1) + other + t.substr(d2);
  EXPECT_EQ(verify_hs256(tampered, k_secret, k_now).error, jwt_error::bad_signature);
}

TEST(Jwt, AlgNoneRefused) {
  const auto p = b64(R"({"sub":"alice","exp":1900000000})");
  EXPECT_EQ(verify_hs256(b64(R"({"alg":"none"})") + "." + p + ".", k_secret, k_now).error,
            jwt_error::bad_alg);
  EXPECT_EQ(verify_hs256(b64(R"({"alg":"None"})") + "." + p + ".", k_secret, k_now).error,
            jwt_error::bad_alg);
  // Even correctly "signed" with our key, the alg must be HS256.
  EXPECT_EQ(
      verify_hs256(forge(R"({"alg":"none"})", R"({"sub":"a","exp":1900000000})"), k_secret, k_now)
          .error,
      jwt_error::bad_alg);
}

TEST(Jwt, OtherAlgsRefused) {
  const std::string p = R"({"sub":"a","exp":1900000000})";
  for (const char* h :
       {R"({"alg":"RS256"})", R"({"alg":"HS512"})", R"({"alg":"hs256"})", R"({"alg":"HS256 "})",
        R"({"typ":"JWT"})", R"({"alg":256})", R"({"alg":"HS256","crit":["exp"]})"}) {
    EXPECT_EQ(verify_hs256(forge(h, p), k_secret, k_now).error, jwt_error::bad_alg) << h;
  }
}

TEST(Jwt, MalformedSegments) {
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  EXPECT_EQ(verify_hs256("", k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256("abc", k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256("a.b", k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256(t + ".x", k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256("..", k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256(t.substr(t.find('.')), k_secret, k_now).error, jwt_error::malformed);
}

TEST(Jwt, BadBase64OrJson) {
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  const auto d1 = t.find('.');
  EXPECT_EQ(verify_hs256("e30=" + t.substr(d1), k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256("!!!" + t.substr(d1), k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256(b64("not json") + t.substr(d1), k_secret, k_now).error,
            jwt_error::malformed);
  EXPECT_EQ(verify_hs256(b64("[1]") + t.substr(d1), k_secret, k_now).error, jwt_error::malformed);
  EXPECT_EQ(verify_hs256(t.substr(0, t.rfind('.')) + ".a+b/", k_secret, k_now).error,
            jwt_error::malformed);
  // Signed payloads that are not JSON objects.
  EXPECT_EQ(verify_hs256(forge(R"({"alg":"HS256"})", "[]"), k_secret, k_now).error,
            jwt_error::malformed);
  EXPECT_EQ(verify_hs256(forge(R"({"alg":"HS256"})", "{"), k_secret, k_now).error,
            jwt_error::malformed);
}

TEST(Jwt, OversizedTokenRefused) {
  const auto big = forge(
      R"({"alg":"HS256"})",
      nlohmann::json{{"sub", "a"}, {"exp", k_now + 60}, {"pad", std::string(3100, 'x')}}.dump());
  ASSERT_GT(big.size(), 4096u);
  EXPECT_EQ(verify_hs256(big, k_secret, k_now).error, jwt_error::malformed);
  const auto fits = forge(
      R"({"alg":"HS256"})",
      nlohmann::json{{"sub", "a"}, {"exp", k_now + 60}, {"pad", std::string(2900, 'x')}}.dump());
  ASSERT_LE(fits.size(), 4096u);
  EXPECT_TRUE(verify_hs256(fits, k_secret, k_now).ok);
}

TEST(Jwt, ErrorNames) {
  EXPECT_EQ(error_name(jwt_error::bad_alg), "bad_alg");
  EXPECT_EQ(error_name(jwt_error::expired), "expired");
}

TEST(ConstantTimeEqual, ComparesContent) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("admin-token", "admin-token"));
  EXPECT_FALSE(constant_time_equal("admin-token", "admin-tokeN"));
  EXPECT_FALSE(constant_time_equal("admin-token", "admin-token "));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(Jwt, RepeatedVerificationAnswersTheSame) {
  // A verified token is remembered per thread; every answer must still be
  // what a fresh verification gives.
  const auto t = sign_hs256("alice", k_now + 60, k_secret);
  for (int i = 0; i < 3; ++i) {
    const auto r = verify_hs256(t, k_secret, k_now);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.ok->sub, "alice");
    EXPECT_EQ(r.ok->exp, k_now + 60);
  }
  EXPECT_EQ(verify_hs256(t, k_secret, k_now + 60).error, jwt_error::expired);
  EXPECT_EQ(verify_hs256(t, "another-secret-another-secret-another", k_now).error,
            jwt_error::bad_signature);
  EXPECT_TRUE(verify_hs256(t, k_secret, k_now).ok);
  std::string tampered = t;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_hs256(tampered, k_secret, k_now).ok);
}

}  // namespace
