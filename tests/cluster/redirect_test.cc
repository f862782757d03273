// What the router does with each reply and failure.
#include "redis/cluster/redirect.h"

#include "redis/error.h"

#include <gtest/gtest.h>

namespace seatgate::redis::cluster {
namespace {

using action = redirect::action;

reply error_reply(std::string s) {
  reply r;
  r.type = reply::kind::error;
  r.str = std::move(s);
  return r;
}

TEST(ClusterRedirect, NormalRepliesAreDone) {
  reply ok;
  ok.type = reply::kind::array;
  EXPECT_EQ(decide({}, ok).what, action::done);
  EXPECT_EQ(decide({}, error_reply("ERR unknown command")).what, action::done);
  EXPECT_EQ(decide({}, error_reply("WRONGTYPE Operation")).what, action::done);
  EXPECT_EQ(decide({}, error_reply("NOSCRIPT No matching script")).what, action::done);
}

TEST(ClusterRedirect, MovedNamesSlotAndNode) {
  auto d = decide({}, error_reply("MOVED 3999 127.0.0.1:6381"));
  EXPECT_EQ(d.what, action::moved);
  EXPECT_EQ(d.slot, 3999);
  EXPECT_EQ(d.to, (node_address{"127.0.0.1", 6381}));
  auto unknown_host = decide({}, error_reply("MOVED 1 :7002"));
  EXPECT_EQ(unknown_host.what, action::moved);
  EXPECT_EQ(unknown_host.to, (node_address{"", 7002}));
}

TEST(ClusterRedirect, AskNamesSlotAndNode) {
  auto d = decide({}, error_reply("ASK 12182 10.0.0.2:7001"));
  EXPECT_EQ(d.what, action::ask);
  EXPECT_EQ(d.slot, 12182);
  EXPECT_EQ(d.to, (node_address{"10.0.0.2", 7001}));
}

TEST(ClusterRedirect, MalformedRedirectsAreDone) {
  EXPECT_EQ(decide({}, error_reply("MOVED 99999 h:1")).what, action::done);
  EXPECT_EQ(decide({}, error_reply("MOVED x h:1")).what, action::done);
  EXPECT_EQ(decide({}, error_reply("ASK 1 nowhere")).what, action::done);
  EXPECT_EQ(decide({}, error_reply("MOVED")).what, action::done);
}

TEST(ClusterRedirect, TransientClusterStatesAreRetried) {
  for (const char* text :
       {"TRYAGAIN Multiple keys request during rehashing of slot",
        "CLUSTERDOWN The cluster is down", "CLUSTERDOWN Hash slot not served",
        "MASTERDOWN Link with MASTER is down", "LOADING Redis is loading the dataset in memory",
        "READONLY You can't write against a read only replica."})
    EXPECT_EQ(decide({}, error_reply(text)).what, action::retry) << text;
  EXPECT_EQ(decide({}, error_reply("TRYAGAINX")).what, action::done);
}

TEST(ClusterRedirect, ConnectionFailuresAreRetriedTimeoutsAreNot) {
  reply none;
  EXPECT_EQ(decide(make_error_code(errc::not_connected), none).what, action::retry);
  EXPECT_EQ(decide(make_error_code(errc::connection_lost), none).what, action::retry);
  // The command may have run: not resent.
  EXPECT_EQ(decide(make_error_code(errc::timeout), none).what, action::done);
  EXPECT_EQ(decide(make_error_code(errc::shutting_down), none).what, action::done);
  EXPECT_EQ(decide(make_error_code(errc::protocol), none).what, action::done);
}

TEST(ClusterRedirect, BackoffDoublesAndIsCapped) {
  EXPECT_EQ(retry_backoff(0).count(), 10);
  EXPECT_EQ(retry_backoff(1).count(), 20);
  EXPECT_EQ(retry_backoff(5).count(), 320);
  EXPECT_EQ(retry_backoff(50).count(), 320);
}

}  // namespace
}  // namespace seatgate::redis::cluster
