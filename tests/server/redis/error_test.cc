#include "redis/error.h"

#include <gtest/gtest.h>

#include <set>

namespace seatgate::redis {
namespace {

TEST(Error, Category) {
  boost::system::error_code ec = errc::timeout;
  EXPECT_STREQ(ec.category().name(), "seatgate.redis");
  EXPECT_EQ(&ec.category(), &category());
  EXPECT_TRUE(ec);
  EXPECT_EQ(ec, errc::timeout);
  EXPECT_NE(ec, errc::not_connected);
}

TEST(Error, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (errc e : {errc::not_connected, errc::connection_lost, errc::timeout, errc::server_error,
                 errc::protocol, errc::shutting_down}) {
    std::string m = make_error_code(e).message();
    EXPECT_EQ(m.find("unknown"), std::string::npos) << m;
    EXPECT_TRUE(seen.insert(m).second) << m;
  }
  EXPECT_EQ(make_error_code(errc::timeout).message(), "Redis command timed out");
  EXPECT_NE(boost::system::error_code(99, category()).message().find("unknown"), std::string::npos);
}

}  // namespace
}  // namespace seatgate::redis
