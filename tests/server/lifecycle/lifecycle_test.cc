// The data lifecycle over real parts (docs/operations.md "Data lifecycle"):
// a real redis-server, real seatgate-server processes, a real webhook
// receiver and a real PostgreSQL. Retention removes ended reservations once
// consumed and their memory returns, the per-user limit still counts them;
// confirmed ones removed from Redis stay in PostgreSQL; closed idle events
// leave the sweeper's list; archive refuses until everything is delivered,
// then leaves no key of the event; the webhook deliverer holds at most 1000
// pending entries per stream.
#include "eventually.h"
#include "hooks_fixture.h"
#include "inventory_layout.h"
#include "postgres_server.h"

#include <libpq-fe.h>

#include <thread>

namespace seatgate::test {
namespace {

long long integer(const reply_ptr& r) { return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1; }

class LifecycleTest : public HooksTest {
 protected:
  void SetUp() override {}  // each test starts its server with its flags

  void start(std::vector<std::string> extra) {
    auto a = fast_args();
    a.insert(a.end(), {"--sweep-interval-ms", "50", "--reservations-per-user-per-minute", "0"});
    a.insert(a.end(), extra.begin(), extra.end());
    server_.reset();
    server_ = start_server(std::move(a));
    client_ = std::make_unique<api_client>(*server_);
  }
  static std::string P(const std::string& ev) { return "sg:{e:" + ev + "}:"; }
  // Every key under the event's prefix (SCAN, as an operator would look).
  std::vector<std::string> keys_of(const std::string& ev) {
    std::vector<std::string> keys;
    std::string cursor = "0";
    do {
      auto r = redis_.command({"SCAN", cursor, "MATCH", P(ev) + "*", "COUNT", "1000"});
      if (!r || r->type != REDIS_REPLY_ARRAY) return {"<scan failed>"};
      cursor = r->element[0]->str;
      for (size_t i = 0; i < r->element[1]->elements; ++i)
        keys.emplace_back(r->element[1]->element[i]->str);
    } while (cursor != "0");
    return keys;
  }
  long long hlen(const std::string& ev) { return integer(redis_.command({"HLEN", P(ev) + "r"})); }
  long long memory(const std::string& key) {
    return integer(redis_.command({"MEMORY", "USAGE", key, "SAMPLES", "0"}));
  }
  bool registered(const std::string& ev) {
    return integer(redis_.command({"SISMEMBER", "sg:events", ev})) == 1;
  }
  http_reply archive(const std::string& ev, bool admin = true) {
    return client_->send("POST", "/v1/admin/events/" + ev + "/archive", "",
                         admin ? client_->admin() : httplib::Headers{});
  }
  http_reply set_status(const std::string& ev, const std::string& status) {
    return client_->send("POST", "/v1/admin/events/" + ev + "/status",
                         json{{"status", status}}.dump(), client_->admin());
  }
  // A hold of `q` for `user`; returns its id.
  std::string hold(const std::string& ev, const std::string& user, int q, const std::string& key) {
    auto r = client_->reserve(server_->user_token(user), ev, "floor", q, key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.js().value("id", "");
  }
};

TEST_F(LifecycleTest, RetentionRemovesEndedReservationsOnceConsumedAndMemoryReturns) {
  webhook_receiver receiver;
  start({});  // the default retention: 7 days
  subscribe("all", receiver.url());
  ASSERT_EQ(client_->put_event("sale", event_config(1000, 600, 10, 4)).status, 201);
  const auto alice = server_->user_token("alice"), carol = server_->user_token("carol");
  std::set<std::pair<std::string, std::int64_t>> want;
  std::vector<std::string> released;
  for (int i = 0; i < 300; ++i) {
    const auto rid = hold("sale", "alice", 1, "a" + std::to_string(i));
    ASSERT_EQ(client_->release(alice, rid).status, 200);
    released.push_back(rid);
    want.insert({rid, 1});
    want.insert({rid, 2});
  }
  const auto expired = hold("sale", "bob", 1, "b1");
  layout::set_expires_at(redis_, "sale", expired, 1000);  // long due: the sweeper expires it
  ASSERT_TRUE(eventually([&] { return layout::status(redis_, "sale", expired) == "expired"; }));
  const auto sold = hold("sale", "carol", 3, "c1");
  ASSERT_EQ(client_->confirm(carol, sold, "c1-confirm").status, 200);
  want.insert({expired, 1});
  want.insert({expired, 2});
  want.insert({sold, 1});
  want.insert({sold, 2});
  // The consumers see every change (and the stream is trimmed after them).
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got) == want; }))
      << receiver.got().size();
  ASSERT_TRUE(eventually([&] { return xlen("sale") == 0; }));
  // Seven days' retention: all still there.
  EXPECT_EQ(hlen("sale"), 302);
  const long long before = memory(P("sale") + "r") + memory(P("sale") + "ix");
  const auto counts_before = counts(*client_, "sale");

  start({"--retention", "1s"});
  // Released and expired go; the confirmed sale stays (no --retention-confirmed).
  ASSERT_TRUE(eventually([&] { return hlen("sale") == 1; })) << hlen("sale");
  const long long after = memory(P("sale") + "r") + memory(P("sale") + "ix");
  EXPECT_LT(after * 10, before) << before << " -> " << after;
  EXPECT_EQ(client_->get(alice, released.front()).code(), "reservation_not_found");
  EXPECT_EQ(client_->get(carol, sold).js().value("status", ""), "confirmed");
  auto mine = client_->send("GET", "/v1/users/me/reservations?event_id=sale", "",
                            client_->user(alice));
  EXPECT_EQ(mine.js()["reservations"].size(), 0u) << mine.body;
  // The counters are kept: the zone's, the statuses', and the users' allowance.
  const auto counts_after = counts(*client_, "sale");
  EXPECT_EQ(counts_after, counts_before);
  EXPECT_TRUE(counts_after.consistent) << counts_after.audit.dump();
  EXPECT_EQ(counts_after.audit["reservations"]["released"], 300);
  EXPECT_EQ(layout::counter(redis_, "sale", "u:carol"), 3);
  EXPECT_EQ(client_->reserve(carol, "sale", "floor", 2, "c2").code(), "user_limit_exceeded");
  EXPECT_EQ(client_->reserve(alice, "sale", "floor", 4, "a-last").status, 201);
  auto metrics = client_->send("GET", "/metrics").body;
  EXPECT_EQ(metric(metrics, "seatgate_reservations_removed_total"), 301) << metrics;
}

TEST_F(LifecycleTest, ConfirmedRemovedFromRedisStayInPostgresAndStillCountPerUser) {
  postgres_server pg;
  start({"--postgres-url", pg.conninfo(), "--retention", "1s", "--retention-confirmed", "1s"});
  ASSERT_EQ(client_->put_event("gig", event_config(100, 600, 10, 4)).status, 201);
  const auto carol = server_->user_token("carol");
  std::vector<std::string> sold;
  for (int i = 0; i < 2; ++i) {
    sold.push_back(hold("gig", "carol", 2, "c" + std::to_string(i)));
    ASSERT_EQ(client_->confirm(carol, sold.back(), "cc" + std::to_string(i)).status, 200);
  }
  ASSERT_TRUE(eventually([&] { return hlen("gig") == 0; })) << server_->log_text();
  EXPECT_EQ(client_->get(carol, sold[0]).code(), "reservation_not_found");
  // The system of record has them, confirmed, each once.
  std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(pg.conninfo().c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(c.get()), CONNECTION_OK);
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQexec(c.get(),
             "SELECT id, status, quantity FROM seatgate_reservations WHERE event_id = 'gig' "
             "ORDER BY id"),
      &PQclear);
  ASSERT_EQ(PQntuples(r.get()), 2) << PQerrorMessage(c.get());
  std::set<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    ids.insert(PQgetvalue(r.get(), i, 0));
    EXPECT_STREQ(PQgetvalue(r.get(), i, 1), "confirmed");
    EXPECT_STREQ(PQgetvalue(r.get(), i, 2), "2");
  }
  EXPECT_EQ(ids, std::set<std::string>(sold.begin(), sold.end()));
  // Carol bought 4, the event's limit: still refused, still sold.
  EXPECT_EQ(client_->reserve(carol, "gig", "floor", 1, "c9").code(), "user_limit_exceeded");
  const auto z = counts(*client_, "gig");
  EXPECT_EQ(z.sold, 4);
  EXPECT_TRUE(z.consistent) << z.audit.dump();
}

TEST_F(LifecycleTest, ClosedIdleEventsLeaveTheSweepersList) {
  start({});
  ASSERT_EQ(client_->put_event("done", event_config()).status, 201);
  ASSERT_EQ(client_->put_event("open", event_config()).status, 201);
  const auto rid = hold("done", "alice", 1, "k1");
  ASSERT_EQ(set_status("done", "closed").status, 200);
  EXPECT_TRUE(registered("done"));  // a hold is live
  ASSERT_EQ(client_->release(server_->user_token("alice"), rid).status, 200);
  ASSERT_TRUE(eventually([&] { return !registered("done"); }));
  EXPECT_TRUE(registered("open"));
  EXPECT_EQ(xlen("done"), 0);  // only once its outbox was drained
  auto metrics = client_->send("GET", "/metrics").body;
  EXPECT_GE(metric(metrics, "seatgate_events_retired_total"), 1) << metrics;
  // Opened again: back in the list at once, and swept.
  ASSERT_EQ(set_status("done", "on_sale").status, 200);
  EXPECT_TRUE(registered("done"));
  const auto again = hold("done", "alice", 1, "k2");
  layout::set_expires_at(redis_, "done", again, 1000);
  ASSERT_TRUE(eventually([&] { return layout::status(redis_, "done", again) == "expired"; }));
}

TEST_F(LifecycleTest, ArchiveRefusesUntilDeliveredThenLeavesNoKeyOfTheEvent) {
  webhook_receiver receiver;
  receiver.set_mode(webhook_receiver::mode::fail);
  // Retried every 400 ms at most, for 10 minutes: undelivered throughout.
  start({"--webhook-retry-schedule", "100,400,600000"});
  subscribe("all", receiver.url());
  ASSERT_EQ(client_->put_event("gone", event_config()).status, 201);
  ASSERT_EQ(client_->put_event("stays", event_config()).status, 201);
  const auto alice = server_->user_token("alice"), bob = server_->user_token("bob");
  const auto sold = hold("gone", "alice", 2, "a1");
  ASSERT_EQ(client_->confirm(alice, sold, "a1c").status, 200);
  ASSERT_EQ(client_->release(alice, hold("gone", "alice", 1, "a2")).status, 200);
  const auto live = hold("gone", "bob", 1, "b1");
  hold("stays", "bob", 1, "s1");
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return !got.empty(); }));

  const auto unchanged = [&] {
    const auto z = counts(*client_, "gone");
    return z.sold == 2 && z.held == 1 && client_->send("GET", "/v1/events/gone").status == 200;
  };
  EXPECT_EQ(archive("gone", false).status, 401);
  EXPECT_EQ(archive("nope").code(), "event_not_found");
  EXPECT_EQ(archive("Not_A_Slug").status, 400);
  auto r = archive("gone");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "event_not_closed");
  ASSERT_EQ(set_status("gone", "closed").status, 200);
  r = archive("gone");
  EXPECT_EQ(r.code(), "holds_live");
  EXPECT_EQ(r.js().value("retryable", false), true);
  EXPECT_TRUE(unchanged());
  ASSERT_EQ(client_->release(bob, live).status, 200);
  r = archive("gone");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "outbox_not_drained");
  EXPECT_FALSE(r.header("Retry-After").empty());
  EXPECT_EQ(client_->send("GET", "/v1/events/gone").status, 200);
  EXPECT_GT(xlen("gone"), 0);

  receiver.set_mode(webhook_receiver::mode::ok);
  ASSERT_TRUE(eventually([&] { return xlen("gone") == 0; })) << server_->log_text();
  ASSERT_TRUE(eventually([&] { return (r = archive("gone")).status == 200; })) << r.body;
  EXPECT_GT(r.js().value("keys_removed", 0), 4) << r.body;
  EXPECT_EQ(keys_of("gone"), std::vector<std::string>{});
  EXPECT_FALSE(registered("gone"));
  EXPECT_EQ(client_->send("GET", "/v1/events/gone").status, 404);
  EXPECT_EQ(client_->get(alice, sold).status, 404);
  // Repeating answers 404: the event is gone.
  EXPECT_EQ(archive("gone").code(), "event_not_found");
  // Another event is untouched.
  EXPECT_EQ(counts(*client_, "stays").held, 1);
  EXPECT_TRUE(registered("stays"));
  auto metrics = client_->send("GET", "/metrics").body;
  EXPECT_EQ(metric(metrics, "seatgate_events_archived_total"), 1);
}

// However long a receiver fails, the deliverer holds (and looks at) at most
// 1000 pending entries of a stream: later ones wait in the stream.
TEST_F(LifecycleTest, DelivererHoldsAtMostAThousandPendingEntriesPerStream) {
  webhook_receiver receiver;
  receiver.set_mode(webhook_receiver::mode::fail);
  // A failed attempt is retried after a minute: each entry is posted once here.
  start({"--webhook-retry-schedule", "60000,60000,600000"});
  subscribe("all", receiver.url());
  const auto want = feed_sales(1500, "b");  // 3000 entries, 1500 holds first
  ASSERT_EQ(want.size(), 3000u);
  const auto distinct = [](const std::vector<received>& got) {
    std::set<std::string> ids;
    for (const auto& g : got) ids.insert(g.delivery);
    return ids.size();
  };
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return distinct(got) >= 1000; }))
      << distinct(receiver.got());
  // Ten more rounds (poll 200 ms): nothing beyond the first 1000 is taken.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(distinct(receiver.got()), 1000u);
  auto p = redis_.command({"XPENDING", P("concert") + "out", "webhooks"});
  ASSERT_TRUE(p && p->type == REDIS_REPLY_ARRAY);
  EXPECT_EQ(p->element[0]->integer, 1000);
  EXPECT_EQ(xlen(), 3000);
}

}  // namespace
}  // namespace seatgate::test
