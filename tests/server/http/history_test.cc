// A user's long history over HTTP: the list is paged (limit, cursor,
// next_cursor) so no call reads the whole history, new reservations are
// capped per user per minute (429 rate_limited), and an event is registered
// with the sweeper before it exists (docs/redis-schema.md, docs/openapi.yaml).
#include "shared_server.h"

#include "inventory_layout.h"
#include "seatgate/lua_scripts.h"
#include "store/calls.h"
#include "store/keys.h"

#include <cstdio>
#include <set>
#include <thread>

namespace seatgate::test {
namespace {

constexpr int k_per_minute = 3;

class HistoryTest : public shared_server_test<HistoryTest> {
 protected:
  static void SetUpTestSuite() {
    start({"--sweep-interval-ms", "50", "--reservations-per-user-per-minute",
           std::to_string(k_per_minute)});
  }
  void SetUp() override { open("hist-"); }

  // `n` reservations of `user`, each made and released at once, through the
  // scripts themselves (pipelined; the per-minute cap is off for them).
  void make_history(const std::string& user, int n) {
    auto ctx = redis_->connect();
    auto sha = [&](lua::script s) {
      auto src = lua::source(s).text;
      reply_ptr r(static_cast<redisReply*>(
          redisCommand(ctx.get(), "SCRIPT LOAD %b", src.data(), src.size())));
      return std::string(r->str, r->len);
    };
    // Loaded before the pipeline starts: a SCRIPT LOAD in it would read an EVALSHA's reply.
    const std::string reserve = sha(lua::script::reserve_seats);
    const std::string release = sha(lua::script::release_reservation);
    auto send = [&](const store::script_call& call) {
      std::vector<std::string> argv = {
          "EVALSHA", call.script == lua::script::reserve_seats ? reserve : release,
          std::to_string(call.keys.size())};
      argv.insert(argv.end(), call.keys.begin(), call.keys.end());
      argv.insert(argv.end(), call.args.begin(), call.args.end());
      std::vector<const char*> a;
      std::vector<size_t> l;
      for (auto& s : argv) {
        a.push_back(s.data());
        l.push_back(s.size());
      }
      redisAppendCommandArgv(ctx.get(), static_cast<int>(a.size()), a.data(), l.data());
    };
    for (int i = 0; i < n; ++i) {
      char tail[23];
      std::snprintf(tail, sizeof tail, "history%015d", i);
      const std::string rid = event_ + "." + tail, key = "h" + std::to_string(i);
      send(store::reserve_seats({.event_id = event_,
                                 .rid = rid,
                                 .user = user,
                                 .zone = "floor",
                                 .quantity = 1,
                                 .idem_key = key,
                                 .fingerprint = "fp" + key,
                                 .queue_pass = "",
                                 .idem_ttl_s = 86400,
                                 .expire_batch = 0,
                                 .per_minute = 0}));
      send(store::release_reservation(event_, rid, user));
    }
    for (int i = 0; i < 2 * n; ++i) {
      void* r = nullptr;
      ASSERT_EQ(redisGetReply(ctx.get(), &r), REDIS_OK);
      reply_ptr reply(static_cast<redisReply*>(r));
      // A new hold is one text "OK|..." (docs/redis-schema.md), a release an array.
      if (i % 2 == 0) {
        ASSERT_EQ(reply->type, REDIS_REPLY_STRING) << i;
        ASSERT_EQ(std::string(reply->str, reply->len).substr(0, 3), "OK|") << i;
      } else {
        ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY) << i;
        ASSERT_EQ(std::string(reply->element[0]->str), "OK") << i;
      }
    }
  }

  http_reply list(const std::string& token, const std::string& query) {
    return client_->send("GET", "/v1/users/me/reservations?event_id=" + event_ + query, "",
                         client_->user(token));
  }
};

// Calls of `cmd` (inside scripts too) since the last CONFIG RESETSTAT.
long long calls(const redis_server& redis, const std::string& cmd) {
  auto r = redis.command({"INFO", "commandstats"});
  std::string text(r->str, r->len);
  auto at = text.find("cmdstat_" + cmd + ":calls=");
  return at == std::string::npos ? 0 : std::stoll(text.substr(at + cmd.size() + 15));
}

TEST_F(HistoryTest, PagesChainThroughTwoThousandReservationsOnceInOrder) {
  make_history("alice", 2000);
  // The user's history in the index: "h:5:alice:<created_at, 15 digits>:<id>", in order.
  auto members = redis_->command(
      {"ZRANGEBYLEX", store::event_keys(event_).index(), "[h:5:alice:", "(h:5:alice;"});
  ASSERT_EQ(members->elements, 2000u);
  std::vector<std::string> stored;
  for (size_t i = 0; i < members->elements; ++i)
    stored.push_back(
        std::string(members->element[i]->str).substr(std::string("h:5:alice:").size() + 16));

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (;;) {
    auto r = list(alice_, "&limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.js();
    EXPECT_EQ(j["event_id"], event_);
    ASSERT_LE(j["reservations"].size(), 100u);
    for (auto& res : j["reservations"]) {
      EXPECT_EQ(res["status"], "released");
      seen.push_back(res["id"]);
    }
    ++pages;
    ASSERT_LE(pages, 20) << "more pages than reservations / limit";
    if (j["next_cursor"].is_null()) break;
    cursor = j["next_cursor"].get<std::string>();
  }
  ASSERT_EQ(seen.size(), 2000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 2000u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], stored[i]) << i;

  // No limit: a page of 50 and a cursor.
  auto first = list(alice_, "").js();
  EXPECT_EQ(first["reservations"].size(), 50u);
  EXPECT_TRUE(first["next_cursor"].is_string());
}

TEST_F(HistoryTest, OneListCallReadsOnlyItsPage) {
  make_history("alice", 2000);
  redis_->command({"CONFIG", "RESETSTAT"});
  auto r = list(alice_, "&limit=10");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.js()["reservations"].size(), 10u);
  // One record read per listed reservation, not one per reservation ever made.
  EXPECT_EQ(calls(*redis_, "hget"), 10);
}

TEST_F(HistoryTest, BadLimitOrCursorIsRefusedAndChangesNothing) {
  make_history("alice", 3);
  auto bob = server_->user_token("bob");
  auto page = list(alice_, "&limit=1").js();
  const std::string cursor = page["next_cursor"];
  auto before = counts(*client_, event_);
  const std::string other_event = "6f746865722d6576656e742e";  // hex, but not of this event
  for (const std::string& q : std::vector<std::string>{
           "&limit=0", "&limit=101", "&limit=abc", "&limit=-1", "&limit=", "&limit=1.5",
           "&limit=0010", "&cursor=zz", "&cursor=abc", "&cursor=" + cursor.substr(2),
           "&cursor=" + cursor + "00", "&cursor=" + other_event, "&cursor=3a"}) {
    auto r = list(alice_, q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << q;
  }
  // Alice's cursor names none of Bob's reservations.
  auto r = list(bob, "&cursor=" + cursor);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.code(), "invalid_request");
  auto after = counts(*client_, event_);
  EXPECT_TRUE(after == before);
  EXPECT_EQ(after.audit["reservations"], before.audit["reservations"]);
  // The good cursor still works.
  auto next = list(alice_, "&limit=5&cursor=" + cursor);
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(next.js()["reservations"].size(), 2u);
  EXPECT_TRUE(next.js()["next_cursor"].is_null());
}

TEST_F(HistoryTest, NewReservationsPerMinuteAreCappedAndReplaysDoNotCount) {
  std::vector<std::string> ids;
  for (int i = 0; i < k_per_minute; ++i) {
    auto r = client_->reserve(alice_, event_, "floor", 1, "cap" + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(r.js()["id"]);
    ASSERT_EQ(client_->release(alice_, ids.back()).status, 200);
  }
  auto before = counts(*client_, event_);
  auto r = client_->reserve(alice_, event_, "floor", 1, "cap-over");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.code(), "rate_limited");
  EXPECT_EQ(r.js()["retryable"], true);
  const int retry = std::stoi(r.header("Retry-After").empty() ? "0" : r.header("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  auto after = counts(*client_, event_);
  EXPECT_TRUE(after == before);
  EXPECT_EQ(after.audit["reservations"], before.audit["reservations"]);

  // A replay answers its reservation, capped or not, and is not counted.
  auto replay = client_->reserve(alice_, event_, "floor", 1, "cap0");
  EXPECT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(replay.js()["id"], ids[0]);
  // Another user is not held back by Alice's cap.
  EXPECT_EQ(client_->reserve(server_->user_token("bob"), event_, "floor", 1, "b").status, 201);
  // The refused key was not stored: it is refused again, not replayed.
  EXPECT_EQ(client_->reserve(alice_, event_, "floor", 1, "cap-over").status, 429);
}

// The sweeper's registration comes first: if it fails, the event is not made.
TEST_F(HistoryTest, AnEventThatCannotBeRegisteredForTheSweeperIsNotCreated) {
  const std::string ev = "unswept-" + std::to_string(++counter_);
  auto saved = redis_->command({"DUMP", "sg:events"});
  ASSERT_EQ(saved->type, REDIS_REPLY_STRING);
  redis_->command({"DEL", "sg:events"});
  redis_->command({"SET", "sg:events", "not a set"});
  auto r = client_->put_event(ev, event_config(10, 600, 10, 10));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.code(), "unavailable");
  EXPECT_FALSE(r.header("Retry-After").empty());
  EXPECT_EQ(client_->send("GET", "/v1/events/" + ev).status, 404);
  EXPECT_EQ(redis_->command({"EXISTS", "sg:{e:" + ev + "}:ev"})->integer, 0);

  // Repaired (with an id whose event does not exist, which the sweeper
  // tolerates), the same PUT creates it, and the sweeper returns its due holds.
  redis_->command({"DEL", "sg:events"});
  redis_->command({"RESTORE", "sg:events", "0", std::string(saved->str, saved->len)});
  redis_->command({"SADD", "sg:events", "no-such-event"});
  ASSERT_EQ(client_->put_event(ev, event_config(10, 600, 10, 10)).status, 201);
  EXPECT_EQ(redis_->command({"SISMEMBER", "sg:events", ev})->integer, 1);
  auto hold = client_->reserve(alice_, ev, "floor", 2, "sweep-me");
  ASSERT_EQ(hold.status, 201) << hold.body;
  const std::string rid = hold.js()["id"];
  layout::set_expires_at(*redis_, ev, rid, 1);
  zone_counts z;
  for (int i = 0; i < 200 && z.held != 0; ++i) {  // the sweeper runs every 50 ms
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    z = counts(*client_, ev);
  }
  EXPECT_EQ(z.held, 0);
  EXPECT_EQ(z.available, 10);
  EXPECT_TRUE(z.consistent);
}

}  // namespace
}  // namespace seatgate::test
