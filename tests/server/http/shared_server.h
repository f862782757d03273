// A fixture base for a suite whose tests share one Redis and one
// seatgate-server, each test with its own client and a fresh event.
// `Suite` (the deriving fixture) gives every suite its own server.
// start(): a redis-server of the suite's own; start_on_test_redis():
// SEATGATE_TEST_REDIS's Redis (test_redis.h), so the suite can run on a
// Redis Cluster too.
#pragma once

#include "api_client.h"
#include "test_redis.h"

#include <memory>
#include <string>
#include <vector>

namespace seatgate::test {

template <class Suite>
class shared_server_test : public ::testing::Test {
 protected:
  // From the deriving suite's SetUpTestSuite: starts both with `args`.
  static void start(std::vector<std::string> args) {
    redis_ = new redis_server();
    run_on(redis_, std::move(args));
  }
  static void start_on_test_redis(std::vector<std::string> args) {
    run_on(new test_redis(), std::move(args));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete endpoint_;
    server_ = nullptr;
    endpoint_ = nullptr;
    redis_ = nullptr;
  }
  // A client, a new event "<prefix><n>" (event_config's defaults) and
  // alice's token, for one test.
  void open(const std::string& prefix) {
    client_ = std::make_unique<api_client>(*server_);
    event_ = prefix + std::to_string(++counter_);
    auto r = client_->put_event(event_, event_config(100, 600, 10, 10));
    ASSERT_EQ(r.status, 201) << r.body;
    alice_ = server_->user_token("alice");
  }

  // The Redis (owned); redis_ is the same one when start() made it.
  static inline redis_endpoint* endpoint_ = nullptr;
  static inline redis_server* redis_ = nullptr;
  static inline server_process* server_ = nullptr;
  static inline int counter_ = 0;

  std::unique_ptr<api_client> client_;
  std::string event_, alice_;

 private:
  static void run_on(redis_endpoint* redis, std::vector<std::string> args) {
    endpoint_ = redis;
    server_process::options o;
    o.redis_url = redis->url();
    o.args = std::move(args);
    server_ = new server_process(o);
  }
};

}  // namespace seatgate::test
