// redis+cluster:// URLs.
#include "redis/url.h"

#include <gtest/gtest.h>

namespace seatgate::redis {
namespace {

TEST(ClusterUrl, SeedsWithSharedCredentials) {
  std::string why;
  auto seeds = parse_cluster_url("redis+cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2:7001/", &why);
  ASSERT_TRUE(seeds) << why;
  ASSERT_EQ(seeds->size(), 2u);
  EXPECT_EQ((*seeds)[0].host, "10.0.0.1");
  EXPECT_EQ((*seeds)[0].port, 7000);
  EXPECT_EQ((*seeds)[1].host, "10.0.0.2");
  EXPECT_EQ((*seeds)[1].port, 7001);
  for (const auto& s : *seeds) {
    EXPECT_EQ(s.username, "app");
    EXPECT_EQ(s.password, "s@cret");
  }
}

TEST(ClusterUrl, OneSeedAndIpv6) {
  auto seeds = parse_cluster_url("redis+cluster://[::1]:7000");
  ASSERT_TRUE(seeds);
  ASSERT_EQ(seeds->size(), 1u);
  EXPECT_EQ(seeds->front().host, "::1");
  EXPECT_EQ(seeds->front().port, 7000);
}

TEST(ClusterUrl, BadSeedsAreRefusedWithAReason) {
  std::string why;
  EXPECT_FALSE(parse_cluster_url("redis+cluster://", &why));
  EXPECT_NE(why.find("empty seed"), std::string::npos);
  EXPECT_FALSE(parse_cluster_url("redis+cluster://a:1,,b:2", &why));
  EXPECT_FALSE(parse_cluster_url("redis+cluster://a:99999", &why));
  EXPECT_NE(why.find("port"), std::string::npos);
  EXPECT_FALSE(parse_cluster_url("redis://a:1", &why));
  EXPECT_NE(why.find("redis+cluster://"), std::string::npos);
  // A plain URL parser does not take the cluster scheme.
  EXPECT_FALSE(parse_url("redis+cluster://a:1"));
}

}  // namespace
}  // namespace seatgate::redis
