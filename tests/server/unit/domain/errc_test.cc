#include "domain/errc.h"
#include "http/problem.h"

#include <gtest/gtest.h>
#include <set>

namespace seatgate {
namespace {

TEST(Errc, EveryCodeHasAUniqueNameThatRoundTrips) {
  std::set<std::string_view> names;
  for (errc e : all_errcs()) {
    auto name = code_name(e);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(errc_from_name(name), e) << name;
    EXPECT_FALSE(title(e).empty()) << name;
  }
  EXPECT_EQ(errc_from_name("no_such_code"), std::nullopt);
}

TEST(Errc, IsAStdErrorCodeInItsOwnCategory) {
  std::error_code ec = errc::sold_out;
  EXPECT_EQ(&ec.category(), &api_category());
  EXPECT_STREQ(ec.category().name(), "seatgate");
  EXPECT_EQ(ec.message(), "Not enough seats available");
  EXPECT_TRUE(ec == errc::sold_out);
  EXPECT_FALSE(ec == errc::unavailable);
}

TEST(Errc, MatchesTheHttpProblemTable) {
  std::set<std::string_view> http_codes;
  for (auto c : http::known_codes()) http_codes.insert(c);
  std::set<std::string_view> ours;
  for (errc e : all_errcs()) {
    ours.insert(code_name(e));
    EXPECT_EQ(http::lookup(code_name(e)).title, title(e)) << code_name(e);
  }
  EXPECT_EQ(ours, http_codes);
}

}  // namespace
}  // namespace seatgate
