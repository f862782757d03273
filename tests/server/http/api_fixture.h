// The fixture of the API suite (docs/openapi.yaml over real HTTP): one
// Redis (a redis-server, or the Redis Cluster of a cluster run:
// test_redis.h) and one seatgate-server (CORS for http://shop.example, a fast
// sweeper, a small static site) shared by the suite's tests, a fresh event per
// test, and the check that a rejected request changed nothing.
#pragma once

#include "shared_server.h"

#include <filesystem>
#include <fstream>
#include <stdlib.h>

namespace seatgate::test {

class ApiTest : public shared_server_test<ApiTest> {
 protected:
  static void SetUpTestSuite() {
    // A small site for the static-file tests; a secret file beside it must
    // stay unreachable.
    char tmpl[] = "/tmp/seatgate-web-XXXXXX";
    web_dir_ = mkdtemp(tmpl);
    std::filesystem::create_directories(web_dir_ + "/site/sdk");
    std::ofstream(web_dir_ + "/site/index.html") << "<!doctype html><title>shop</title>";
    std::ofstream(web_dir_ + "/site/sdk/seatgate.wasm") << std::string("\0asm\1\0\0\0", 8);
    std::ofstream(web_dir_ + "/site/app.js") << "export {};";
    std::ofstream(web_dir_ + "/secret.txt") << "top secret";
    start_on_test_redis({"--cors-origin", "http://shop.example", "--sweep-interval-ms", "100", "--web-root",
           web_dir_ + "/site"});
  }
  static void TearDownTestSuite() {
    shared_server_test::TearDownTestSuite();
    std::filesystem::remove_all(web_dir_);
  }
  void SetUp() override {
    // A fresh event per test keeps tests independent.
    open("ev-");
    bob_ = server_->user_token("bob");
  }

  // Asserts the request was rejected with `status`/`code` and changed nothing.
  void expect_rejected(const http_reply& r, int status, const std::string& code,
                       const zone_counts& before) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.code(), code) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto j = r.js();
    EXPECT_EQ(j.value("type", ""), "urn:seatgate:error:" + code);
    EXPECT_EQ(j.value("status", 0), status);
    EXPECT_TRUE(j.contains("title") && j.contains("detail") && j.contains("retryable"));
    auto after = counts(*client_, event_);
    EXPECT_TRUE(after == before) << after.audit.dump();
    EXPECT_TRUE(after.consistent);
  }

  std::string reserve_ok(const std::string& token, int q, const std::string& key) {
    auto r = client_->reserve(token, event_, "floor", q, key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.js().value("id", "");
  }

  static inline std::string web_dir_;
  std::string bob_;
};

}  // namespace seatgate::test
