// A fixture base for a suite whose tests share one redis-server and one
// seatgate-server, each test with its own client and a fresh event.
// `Suite` (the deriving fixture) gives every suite its own server.
#pragma once

#include "api_client.h"

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
    server_process::options o;
    o.redis_url = redis_->url();
    o.args = std::move(args);
    server_ = new server_process(o);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete redis_;
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

  static inline redis_server* redis_ = nullptr;
  static inline server_process* server_ = nullptr;
  static inline int counter_ = 0;
  std::unique_ptr<api_client> client_;
  std::string event_, alice_;
};

}  // namespace seatgate::test
