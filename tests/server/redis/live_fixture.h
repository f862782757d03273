// A live redis-server (tests/support) plus one connection on an io_context
// driven by the test thread.
#pragma once

#include "live_util.h"
#include "redis_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>

namespace seatgate::redis::testing {

class live_test : public ::testing::Test {
 protected:
  void open(options o) {
    conn = std::make_unique<connection>(ioc.get_executor(), std::move(o), st);
    conn->start();
    ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  }
  void open() { open(test_options(server.url())); }

  result run(command argv) {
    auto r = await(ioc, conn->command(std::move(argv)));
    EXPECT_TRUE(r.has_value()) << "command did not complete";
    return r.value_or(result{});
  }

  // BLPOP on an empty list: a command that stays in flight (up to 5 s in
  // Redis) for as long as a test needs; `slot` gets its result.
  void blpop_into(std::optional<result>& slot) {
    net::co_spawn(
        ioc,
        [this, &slot]() -> net::awaitable<void> {
          command blpop{"BLPOP", "empty", "5"};
          slot = co_await conn->command(std::move(blpop));
        },
        net::detached);
  }

  void TearDown() override {
    conn.reset();
    run_for(ioc, 20ms);
  }

  // Declaration order is destruction order in reverse: the io_context (and
  // any coroutine frame still holding the connection's state) goes before
  // the stats it counts into.
  test::redis_server server;
  stats st;
  net::io_context ioc;
  std::unique_ptr<connection> conn;
};

}  // namespace seatgate::redis::testing
