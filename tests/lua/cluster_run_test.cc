// The cluster run of this suite (SEATGATE_TEST_REDIS=cluster, the ctest
// lua.cluster): its events sit on all three masters, and a script runs on
// each. Skipped, saying so, on the other runs.
#include "lua_fixture.h"

#include <set>

namespace seatgate::test {
namespace {

using ClusterRun = LuaTest;

TEST_F(ClusterRun, TheSuitesEventsSitOnEveryMaster) {
  if (!server_->is_cluster()) GTEST_SKIP() << "checks the cluster run only";
  std::set<std::string> nodes;
  for (const char* ev : {"e1", "e2", "e3", "e4"}) nodes.insert(server_->node_of(prefix(ev) + "ev"));
  EXPECT_EQ(nodes.size(), 3u);
  for (const char* ev : {"e1", "e2", "e4"}) {
    make_event(ev);
    auto z = zone(ev);
    EXPECT_EQ(z.available, 10) << ev;
    EXPECT_TRUE(audit_consistent(ev)) << ev;
  }
}

}  // namespace
}  // namespace seatgate::test
