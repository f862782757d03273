#include <gtest/gtest.h>

#include "args.h"

namespace seatgate::cli {
namespace {

parse_result run(std::vector<const char*> argv, std::map<std::string, std::string> env = {}) {
  argv.insert(argv.begin(), "seatgate-cli");
  return parse(static_cast<int>(argv.size()), argv.data(), env);
}

TEST(CliArgs, FlagsAndEnvironment) {
  auto r = run({"--token", "T", "reserve", "--event", "summer", "--zone=floor", "--quantity", "2"},
               {{"SEATGATE_SERVER", "http://h:1"}, {"SEATGATE_TOKEN", "envtok"}});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.value.server, "http://h:1");
  EXPECT_EQ(r.value.token, "T");  // the flag wins over the environment
  EXPECT_EQ(r.value.command, "reserve");
  EXPECT_EQ(r.value.flag("zone").value_or(""), "floor");
  EXPECT_EQ(r.value.flag("quantity").value_or(""), "2");
}

TEST(CliArgs, DefaultsSwitchesAndErrors) {
  auto r = run({"queue", "summer", "--wait"});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.value.server, "http://127.0.0.1:8080");
  EXPECT_TRUE(r.value.flag("wait").has_value());
  EXPECT_EQ(r.value.positional, std::vector<std::string>{"summer"});
  EXPECT_NE(run({}).error, "");
  EXPECT_NE(run({"buy"}).error, "");
  EXPECT_NE(run({"reserve", "--event"}).error, "");
  EXPECT_TRUE(run({"--help"}).value.help);
}

TEST(CliArgs, QueueWaitWithAnEventFlagAndAWaitLimit) {
  auto r = run({"queue", "--event", "summer", "--wait", "--wait-ms", "500"});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.value.command, "queue");
  EXPECT_EQ(r.value.flag("event").value_or(""), "summer");
  EXPECT_TRUE(r.value.flag("wait").has_value());
  EXPECT_EQ(r.value.flag("wait-ms").value_or(""), "500");
  EXPECT_TRUE(r.value.positional.empty());
}

}  // namespace
}  // namespace seatgate::cli
