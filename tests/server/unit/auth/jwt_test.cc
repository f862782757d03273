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

// Time claims, with the default options (leeway 5 s, lifetime at most 86400 s).
std::string timed(const std::string& claims_json) {
  return forge(R"({"alg":"HS256","typ":"JWT"})", claims_json);
}
std::string at(std::int64_t offset) { return std::to_string(k_now + offset); }

TEST(JwtTimes, NotBeforeInTheFutureIsRefusedBeyondTheLeeway) {
  const auto with_nbf = [](const std::string& nbf) {
    return timed(R"({"sub":"a","exp":)" + at(3600) + R"(,"nbf":)" + nbf + "}");
  };
  EXPECT_EQ(verify_hs256(with_nbf(at(3000)), k_secret, k_now).error, jwt_error::not_yet_valid);
  EXPECT_EQ(verify_hs256(with_nbf(at(6)), k_secret, k_now).error, jwt_error::not_yet_valid);
  EXPECT_TRUE(verify_hs256(with_nbf(at(5)), k_secret, k_now).ok) << "within the leeway";
  EXPECT_TRUE(verify_hs256(with_nbf(at(-100)), k_secret, k_now).ok);
  EXPECT_TRUE(verify_hs256(with_nbf(at(3000)), k_secret, k_now + 3000).ok) << "valid from nbf on";
  // Fractions are floored: 5.9 s ahead is within the leeway, 6.0 is not.
  EXPECT_TRUE(verify_hs256(with_nbf(at(5) + ".9"), k_secret, k_now).ok);
  EXPECT_EQ(verify_hs256(with_nbf(at(6) + ".0"), k_secret, k_now).error, jwt_error::not_yet_valid);
}

TEST(JwtTimes, NotBeforeIsCheckedOnEveryVerificationOfACachedToken) {
  const auto t = timed(R"({"sub":"a","exp":)" + at(3600) + R"(,"nbf":)" + at(600) + "}");
  EXPECT_TRUE(verify_hs256(t, k_secret, k_now + 600).ok);  // verified, remembered
  EXPECT_EQ(verify_hs256(t, k_secret, k_now).error, jwt_error::not_yet_valid);
}

TEST(JwtTimes, IssuedInTheFutureIsRefused) {
  const auto with_iat = [](const std::string& iat) {
    return timed(R"({"sub":"a","exp":)" + at(3600) + R"(,"iat":)" + iat + "}");
  };
  EXPECT_EQ(verify_hs256(with_iat(at(60)), k_secret, k_now).error, jwt_error::issued_in_future);
  EXPECT_TRUE(verify_hs256(with_iat(at(5)), k_secret, k_now).ok);
  EXPECT_TRUE(verify_hs256(with_iat(at(-60)), k_secret, k_now).ok);
}

TEST(JwtTimes, ALifetimeBeyondTheMaximumIsRefused) {
  EXPECT_TRUE(verify_hs256(sign_hs256("a", k_now + 86400, k_secret), k_secret, k_now).ok);
  EXPECT_EQ(verify_hs256(sign_hs256("a", k_now + 86401, k_secret), k_secret, k_now).error,
            jwt_error::lifetime_too_long);
  // exp = 2^64 - 1 or 2^63 - 1 is not "forever".
  for (const char* exp : {"18446744073709551615", "9223372036854775807", "1e14"}) {
    EXPECT_EQ(
        verify_hs256(timed(std::string(R"({"sub":"a","exp":)") + exp + "}"), k_secret, k_now).error,
        jwt_error::lifetime_too_long)
        << exp;
  }
  // With iat, the lifetime is exp - iat, however near exp is.
  EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":)" + at(86400) + R"(,"iat":)" + at(-1000) + "}"),
                         k_secret, k_now)
                .error,
            jwt_error::lifetime_too_long);
  EXPECT_TRUE(
      verify_hs256(timed(R"({"sub":"a","exp":)" + at(85400) + R"(,"iat":)" + at(-1000) + "}"),
                   k_secret, k_now)
          .ok);
}

TEST(JwtTimes, TimeClaimsThatAreNotNumbersAreRefused) {
  for (const char* bad : {R"("soon")", "null", "true", "[1]", R"({"t":1})", "1e300", "-1e300"}) {
    EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":)" + at(60) + R"(,"nbf":)" + bad + "}"),
                           k_secret, k_now)
                  .error,
              jwt_error::bad_claim)
        << "nbf " << bad;
    EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":)" + at(60) + R"(,"iat":)" + bad + "}"),
                           k_secret, k_now)
                  .error,
              jwt_error::bad_claim)
        << "iat " << bad;
  }
}

TEST(JwtTimes, ExtremeIntegersAreClampedNotOverflowed) {
  // exp - iat with iat = INT64_MIN would overflow: clamped, it is just too long.
  EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":)" + at(60) + R"(,"iat":-9223372036854775808})"),
                         k_secret, k_now)
                .error,
            jwt_error::lifetime_too_long);
  EXPECT_EQ(
      verify_hs256(timed(R"({"sub":"a","exp":9223372036854775807,"iat":-9223372036854775808})"),
                   k_secret, k_now)
          .error,
      jwt_error::lifetime_too_long);
  EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":)" + at(60) + R"(,"nbf":18446744073709551615})"),
                         k_secret, k_now)
                .error,
            jwt_error::not_yet_valid);
  EXPECT_TRUE(
      verify_hs256(timed(R"({"sub":"a","exp":)" + at(60) + R"(,"nbf":-9223372036854775808})"),
                   k_secret, k_now)
          .ok);
  EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":-9223372036854775808})"), k_secret, k_now).error,
            jwt_error::expired);
  EXPECT_EQ(verify_hs256(timed(R"({"sub":"a","exp":-1.5})"), k_secret, k_now).error,
            jwt_error::expired);
}

TEST(JwtTimes, LeewayAndMaximumLifetimeAreOptions) {
  const auto t = timed(R"({"sub":"a","exp":)" + at(7200) + R"(,"nbf":)" + at(30) + "}");
  EXPECT_EQ(verify_hs256(t, k_secret, k_now).error, jwt_error::not_yet_valid);
  EXPECT_TRUE(verify_hs256(t, k_secret, k_now, {30, 86400}).ok);
  EXPECT_EQ(verify_hs256(t, k_secret, k_now, {0, 86400}).error, jwt_error::not_yet_valid);
  // The remembered token is checked against each call's options.
  EXPECT_EQ(verify_hs256(t, k_secret, k_now + 30, {0, 3600}).error, jwt_error::lifetime_too_long);
  EXPECT_TRUE(verify_hs256(t, k_secret, k_now + 30, {0, 7200}).ok);
}

TEST(Jwt, ErrorNames) {
  EXPECT_EQ(error_name(jwt_error::bad_alg), "bad_alg");
  EXPECT_EQ(error_name(jwt_error::expired), "expired");
  EXPECT_EQ(error_name(jwt_error::not_yet_valid), "not_yet_valid");
  EXPECT_EQ(error_name(jwt_error::lifetime_too_long), "lifetime_too_long");
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
