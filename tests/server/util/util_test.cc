#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "util/base64url.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/random.h"
#include "util/time.h"

namespace {

using namespace seatgate;

TEST(Random, TokenLengthAndAlphabet) {
  for (std::size_t bytes : {1u, 12u, 16u, 32u, 33u}) {
    const auto t = util::random_token(bytes);
    EXPECT_EQ(t.size(), (bytes * 4 + 2) / 3) << bytes;
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    const auto raw = util::base64url_decode(t);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), bytes);
  }
  EXPECT_EQ(util::random_token().size(), 22u);
}

TEST(Random, TokensAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(util::random_token());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Random, RequestIdIsSixteenHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = util::request_id();
    EXPECT_EQ(id.size(), 16u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Random, LargeBufferIsFilled) {
  std::vector<unsigned char> buf(1 << 20, 0);
  util::random_bytes(buf.data(), buf.size());
  std::size_t zeros = 0;
  for (auto b : buf) zeros += b == 0;
  EXPECT_LT(zeros, buf.size() / 128);  // ~1/256 expected
}

TEST(Time, Rfc3339) {
  EXPECT_EQ(util::rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(util::rfc3339_ms(1'795'299'183'123), "2026-11-21T22:13:03.123Z");
  EXPECT_EQ(util::rfc3339_ms(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(util::rfc3339_ms(4'102'444'799'999), "2099-12-31T23:59:59.999Z");
  EXPECT_EQ(util::rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, NowIsSane) {
  const auto ms = util::now_ms();
  const auto s = util::now_s();
  EXPECT_GT(s, 1'700'000'000);
  EXPECT_LE(s - ms / 1000, 1);
}

TEST(Log, FormatLine) {
  const auto line = log::format_line(log::level::warn, "redis reconnected",
                                     {{"attempt", 3}, {"msg", "ignored"}, {"path", "/v1/\xff"}}, 0);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(j["level"], "warn");
  EXPECT_EQ(j["msg"], "redis reconnected");
  EXPECT_EQ(j["attempt"], 3);
  EXPECT_TRUE(line.rfind(R"({"ts":)", 0) == 0);
}

TEST(Log, ParseLevel) {
  EXPECT_EQ(log::parse_level("debug"), log::level::debug);
  EXPECT_EQ(log::parse_level("error"), log::level::error);
  EXPECT_FALSE(log::parse_level("loud"));
}

TEST(Log, WritesOneLineToStderr) {
  // Point stderr at a pipe for the duration of the call.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(fds[1], STDERR_FILENO);
  log::set_min_level(log::level::info);
  log::debug("hidden");
  log::info("hello", {{"n", 1}});
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["msg"], "hello");
  EXPECT_EQ(j["n"], 1);
}

TEST(Log, AccessLineIsTheSameJsonAsFormatLine) {
  const std::int64_t ts = 1'795'299'183'123;
  const auto as_json_line = [&](const log::access_fields& f) {
    return log::format_line(
        log::level::info, "request",
        {{"method", std::string(f.method)},
         {"path", std::string(f.path)},
         {"status", f.status},
         {"latency_ms", f.latency_ms},
         {"request_id", std::string(f.request_id)},
         {"user", f.user.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(f.user))}},
        ts);
  };
  const log::access_fields plain{"POST",   "/v1/reservations", 201,
                                 1.234567, "0123456789abcdef", "alice"};
  EXPECT_EQ(log::format_access(plain, ts), as_json_line(plain));
  const log::access_fields odd{"GET", "/v1/\"q\"\x01caf\xc3\xa9/\xff", 404, 0.0, "r\\id", ""};
  EXPECT_EQ(log::format_access(odd, ts), as_json_line(odd));
  const log::access_fields slow{"DELETE", "/", 503, 12345.5, "x", "b\xc3\xb6b"};
  EXPECT_EQ(log::format_access(slow, ts), as_json_line(slow));
}

TEST(Random, PooledIdsAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {  // several refills of the per-thread block
    EXPECT_TRUE(seen.insert(util::random_token(16)).second);
    EXPECT_TRUE(seen.insert(util::request_id()).second);
  }
}

TEST(Hex, EncodesLowercaseAndDecodesEitherCase) {
  EXPECT_EQ(util::hex_encode(std::string_view("\x00\x0f\xab\xff", 4)), "000fabff");
  EXPECT_EQ(util::hex_encode(""), "");
  EXPECT_EQ(util::hex_decode("000fabff"), std::string("\x00\x0f\xab\xff", 4));
  EXPECT_EQ(util::hex_decode("ABff"), std::string("\xab\xff"));
  EXPECT_EQ(util::hex_decode(""), std::string());
  EXPECT_FALSE(util::hex_decode("abc"));  // odd length
  EXPECT_FALSE(util::hex_decode("zz"));
  EXPECT_EQ(util::hex_value('7'), 7);
  EXPECT_EQ(util::hex_value('F'), 15);
  EXPECT_EQ(util::hex_value('g'), -1);
  std::string out = "x";
  const unsigned char bytes[] = {0x12, 0x9e};
  util::append_hex(out, bytes, sizeof bytes);
  EXPECT_EQ(out, "x129e");
}

TEST(Base64url, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    const auto text = util::base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(util::base64url_decode(text), bytes) << n;
    bytes.push_back(static_cast<char>(n * 37 + 200));
  }
  EXPECT_FALSE(util::base64url_decode("YQ=="));  // padding
  EXPECT_FALSE(util::base64url_decode("YR"));    // non-zero trailing bits
  EXPECT_FALSE(util::base64url_decode("a+b/"));
}

}  // namespace
