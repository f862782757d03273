// A Redis per test suite, emptied before each test, and a client with every
// script loaded. The Redis is SEATGATE_TEST_REDIS's (test_redis.h): a
// redis-server of the suite's own, or on a cluster run the process's Redis
// Cluster, where the suite's events sit on all three masters (e1 on one,
// e2 and e3 on another, e4 on the third: cluster_run_test.cc checks it).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "inventory_layout.h"
#include "lua_client.h"
#include "store/keys.h"
#include "test_redis.h"

namespace seatgate::test {

struct zone_counters {
  long long capacity, available, held, sold;
};

class LuaTest : public ::testing::Test {
 protected:
  // SEATGATE_LUA_STRICT=1: a single-node cluster, and the waiting-room
  // scripts run under the declared-keys guard (declared_keys.h).
  static void SetUpTestSuite() {
    if (strict_mode())
      server_ = single_node_cluster().release();
    else
      server_ = new test_redis();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->command({"FLUSHALL"});
    c = std::make_unique<lua_client>(*server_);
    if (strict_mode()) c->guard_room_scripts(std::make_unique<key_guard>(*server_));
  }

  // Creates event `ev` and checks it was created.
  void make_event(const std::string& ev, const event_config& cfg = {}) {
    auto r = c->upsert(ev, cfg);
    ASSERT_TRUE(r.ok) << r.code;
  }

  // A waiting room turned on (by default: 500 passes at most, 50 admitted a
  // second, passes valid 300 s, two rooms at once per user).
  static nlohmann::json room_on(long long capacity = 500, long long admit_per_s = 50,
                                long long pass_ttl_s = 300, long long max_queues = 2) {
    return {{"enabled", true},
            {"capacity", capacity},
            {"admit_per_s", admit_per_s},
            {"pass_ttl_s", pass_ttl_s},
            {"max_queues_per_user", max_queues}};
  }

  // A request's answer inside a batch call against the same request sent
  // alone (group commit): the same outcome, code, replay flag and status (a
  // new hold's reply names no status: it is held), and the outcome `want`
  // ("ok", "replay" or an error code).
  static void expect_same_answer(const script_reply& in_batch, const script_reply& alone,
                                 const std::string& want) {
    EXPECT_EQ(in_batch.ok, alone.ok);
    EXPECT_EQ(in_batch.code, alone.code);
    EXPECT_EQ(in_batch.replayed, alone.replayed);
    auto status = [](const script_reply& r) {
      return r.reservation.count("status") ? r.reservation.at("status") : r.ok ? "held" : "";
    };
    EXPECT_EQ(status(in_batch), status(alone));
    if (want == "ok")
      EXPECT_TRUE(in_batch.ok && in_batch.replayed == 0) << in_batch.code;
    else if (want == "replay")
      EXPECT_EQ(in_batch.replayed, 1) << in_batch.code;
    else
      EXPECT_EQ(in_batch.code, want);
  }

  // A reservation with a fresh idempotency key; asserts success.
  fields hold(const std::string& ev, const std::string& rid, const std::string& user,
              long long q = 1, const std::string& zone = "floor") {
    auto r = c->reserve(ev, rid, user, zone, std::to_string(q), "k-" + rid, "fp-" + rid);
    EXPECT_TRUE(r.ok) << r.code;
    return r.reservation;
  }

  // The idempotency record of (user, key), named as the server names it.
  static std::string idem(const std::string& ev, const std::string& user, const std::string& key) {
    return store::event_keys(ev).idempotency(user, key);
  }
  long long num(const std::string& key, const std::string& field) {
    auto v = c->hget(key, field);
    return v.empty() ? 0 : std::stoll(v);
  }
  // The event hash's counters (docs/redis-schema.md).
  zone_counters zone(const std::string& ev, const std::string& z = "floor") {
    auto n = [&](const std::string& f) {
      return layout::counter(*server_, ev, "z:" + z + ":" + f);
    };
    return {n("capacity"), n("available"), n("held"), n("sold")};
  }
  long long cnt(const std::string& ev, const std::string& status) {
    return layout::counter(*server_, ev, "n:" + status);
  }
  long long used(const std::string& ev, const std::string& user) {
    return layout::counter(*server_, ev, "u:" + user);
  }
  std::string status_of(const std::string& ev, const std::string& rid) {
    return layout::status(*server_, ev, rid);
  }
  // The idempotency record's reservation id and fingerprint ("" when none).
  std::pair<std::string, std::string> idem_record(const std::string& ev, const std::string& user,
                                                  const std::string& key) {
    auto v = c->command({"GET", idem(ev, user, key)});
    if (!v || !v->str) return {"", ""};
    std::string text(v->str, v->len);
    auto sp = text.find(' ');
    return {text.substr(0, sp), sp == std::string::npos ? "" : text.substr(sp + 1)};
  }
  bool audit_consistent(const std::string& ev) {
    auto r = c->audit(ev);
    return r.ok && r.json()["consistent"].get<bool>();
  }

  static inline redis_endpoint* server_ = nullptr;
  std::unique_ptr<lua_client> c;
};

}  // namespace seatgate::test
