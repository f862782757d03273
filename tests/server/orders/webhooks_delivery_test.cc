// Webhook delivery over real parts (docs/webhooks.md): a real receiver, real
// seatgate-server processes and a real Redis fed outbox entries in the
// scripts' format. Signed bodies, in order per reservation, none lost while
// the receiver is down, failed after the (shortened) schedule and retried on
// demand, a SIGKILLed instance's work taken over, the stream trimmed only
// after every group acknowledged.
#include "hooks_fixture.h"
#include "inventory_layout.h"
#include "loopback.h"

#include <thread>

namespace seatgate::test {
namespace {

TEST_F(HooksTest, DeliversSignedPayloadsInOrderPerReservation) {
  webhook_receiver receiver;
  const auto secret = subscribe("sales", receiver.url());
  const auto want = feed_sales(5, "r");
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got) == want; }))
      << receiver.got().size() << " received\n"
      << server_->log_text();
  const auto got = receiver.got();
  EXPECT_EQ(check_deliveries(got), "");
  for (const auto& r : got) {
    EXPECT_TRUE(signed_by(r.signature, r.body, secret)) << r.signature;
    auto j = json::parse(r.body);
    EXPECT_EQ(r.delivery, j["id"].get<std::string>() + ".sales");
    EXPECT_EQ(j["id"].get<std::string>().rfind("concert.", 0), 0u);
    const auto& res = j["data"]["reservation"];
    EXPECT_EQ(j["type"], res["version"] == 1 ? "reservation.held" : "reservation.confirmed");
    EXPECT_EQ(res["status"], res["version"] == 1 ? "held" : "confirmed");
    EXPECT_EQ(res["amount"], 5000);
    EXPECT_EQ(res["currency"], "EUR");
    EXPECT_TRUE(j.contains("created_at"));
  }
  // Filters: only the types and events asked for.
  webhook_receiver confirmed_only;
  ASSERT_EQ(put_hook("confirms", {{"url", confirmed_only.url()},
                                  {"events", {"reservation.confirmed"}},
                                  {"event_ids", {"other"}}})
                .status,
            201);
  change c{"other", "other.x1", 1};
  feed(redis_, c);
  c.version = 2;
  feed(redis_, c);
  feed(redis_, {"concert", "concert.y1", 1});
  feed(redis_, {"concert", "concert.y1", 2});
  ASSERT_TRUE(confirmed_only.wait_for([](const auto& got) { return !got.empty(); }));
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return changes(got).size() == 14; }));
  const auto only = changes(confirmed_only.got());
  EXPECT_EQ(only, (std::set<std::pair<std::string, std::int64_t>>{{"other.x1", 2}}));

  auto metrics = client_->send("GET", "/metrics");
  EXPECT_NE(metrics.body.find("seatgate_webhook_deliveries_total{outcome=\"succeeded\"}"),
            std::string::npos);
}

// End to end: the scripts write the outbox, the server delivers it. Real
// reserves, confirms, releases and expiries over HTTP; the receiver gets one
// change per status change, of the right type, in order per reservation.
TEST_F(HooksTest, RealStatusChangesArriveAsTheirWebhooks) {
  webhook_receiver receiver;
  const auto secret = subscribe("all", receiver.url());
  server_ = start_server([] {
    auto a = fast_args();
    a.insert(a.end(), {"--sweep-interval-ms", "50"});
    return a;
  }());
  client_ = std::make_unique<api_client>(*server_);
  ASSERT_EQ(client_->put_event("live", event_config(100, 600, 4, 100)).status, 201);
  ASSERT_EQ(client_->put_event("brief", event_config(100, 600, 4, 100)).status, 201);
  std::map<std::pair<std::string, std::int64_t>, std::string> want;  // -> type
  for (int i = 0; i < 6; ++i) {
    const auto token = server_->user_token("u" + std::to_string(i));
    auto r = client_->reserve(token, "live", "floor", 1 + i % 3, "k" + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string rid = r.js()["id"];
    want[{rid, 1}] = "reservation.held";
    if (i % 3 == 0) {
      ASSERT_EQ(client_->confirm(token, rid, "c" + std::to_string(i)).status, 200);
      want[{rid, 2}] = "reservation.confirmed";
    } else if (i % 3 == 1) {
      ASSERT_EQ(client_->release(token, rid).status, 200);
      want[{rid, 2}] = "reservation.released";
    }
    // A replay is no change: no webhook.
    EXPECT_EQ(client_->reserve(token, "live", "floor", 1 + i % 3, "k" + std::to_string(i))
                  .header("Idempotent-Replayed"),
              "true");
  }
  const auto token = server_->user_token("late");
  auto brief = client_->reserve(token, "brief", "floor", 2, "b");
  ASSERT_EQ(brief.status, 201);
  want[{brief.js()["id"], 1}] = "reservation.held";
  want[{brief.js()["id"], 2}] = "reservation.expired";
  // Due now, as if made 10 minutes ago: the sweeper expires it.
  layout::set_expires_at(redis_, "brief", brief.js()["id"],
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                                 .count() -
                             1000);

  std::set<std::pair<std::string, std::int64_t>> keys;
  for (const auto& [k, type] : want) keys.insert(k);
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got) == keys; }))
      << receiver.got().size() << " received\n" << server_->log_text();
  const auto got = receiver.got();
  EXPECT_EQ(check_deliveries(got), "");
  for (const auto& r : got) {
    EXPECT_TRUE(signed_by(r.signature, r.body, secret));
    auto j = json::parse(r.body);
    EXPECT_EQ(j["type"], want[change_of(r)]) << r.body;
  }
  // Nothing more comes: exactly one webhook per change.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(changes(receiver.got()).size(), want.size());
}

TEST_F(HooksTest, ReceiverDownThenUpGetsEverythingInOrder) {
  const auto port = free_port();
  const auto url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  const auto secret = subscribe("sales", url);
  const auto want = feed_sales(8, "d");
  // Wait until deliveries have failed at least once (the receiver is down).
  for (int i = 0; i < 300; ++i) {
    auto m = client_->send("GET", "/metrics").body;
    if (m.find("seatgate_webhook_deliveries_total{outcome=\"retried\"} 0") == std::string::npos &&
        m.find("seatgate_webhook_deliveries_total{outcome=\"retried\"}") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  webhook_receiver receiver(port);
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got) == want; }))
      << server_->log_text();
  EXPECT_EQ(check_deliveries(receiver.got()), "");
  for (const auto& r : receiver.got()) EXPECT_TRUE(signed_by(r.signature, r.body, secret));
}

TEST_F(HooksTest, FailingReceiverEndsFailedThenRetrySucceeds) {
  webhook_receiver receiver;
  receiver.set_mode(webhook_receiver::mode::fail);
  subscribe("sales", receiver.url());
  const auto want = feed_sales(2, "f");
  json deliveries;
  for (int i = 0; i < 1500 && deliveries.size() < 4; ++i) {
    deliveries = failed("sales").js()["deliveries"];
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(deliveries.size(), 4u) << deliveries.dump() << server_->log_text();
  for (const auto& d : deliveries) {
    EXPECT_GE(d["attempts"].get<int>(), 2) << d.dump();
    EXPECT_EQ(d["last_error"], "answered 500");
    EXPECT_EQ(d["endpoint"], "sales");
  }
  // Each attempt of a delivery carried the same Seatgate-Delivery.
  std::map<std::string, int> tries;
  for (const auto& r : receiver.got()) ++tries[r.delivery];
  for (const auto& d : deliveries) EXPECT_GE(tries[d["delivery"].get<std::string>()], 2);

  receiver.set_mode(webhook_receiver::mode::ok);
  const auto before = receiver.got().size();
  for (const auto& d : deliveries) {
    auto r = client_->send(
        "POST",
        "/v1/admin/webhooks/sales/deliveries/" + d["delivery"].get<std::string>() + "/retry", "",
        client_->admin());
    EXPECT_EQ(r.status, 202) << r.body;
  }
  EXPECT_EQ(failed("sales").js()["deliveries"].size(), 0u);
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) {
    std::set<std::string> ok;
    for (std::size_t i = before; i < got.size(); ++i) ok.insert(got[i].delivery);
    return ok.size() == 4;
  })) << server_->log_text();
  // A retried delivery is no longer failed, and retrying it again is a 404.
  EXPECT_EQ(client_
                ->send("POST",
                       "/v1/admin/webhooks/sales/deliveries/" +
                           deliveries[0]["delivery"].get<std::string>() + "/retry",
                       "", client_->admin())
                .status,
            404);
}

TEST_F(HooksTest, KilledInstanceWorkIsTakenOverWithoutLoss) {
  auto second = start_server(fast_args());
  webhook_receiver receiver;
  receiver.set_mode(webhook_receiver::mode::hang);
  subscribe("sales", receiver.url());
  const auto want = feed_sales(12, "k");
  // Both instances hold deliveries in flight (the receiver does not answer).
  ASSERT_TRUE(receiver.wait_held());
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return got.size() >= 4; }));
  server_->kill_hard();
  receiver.set_mode(webhook_receiver::mode::ok);
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got) == want; },
                                std::chrono::seconds(60)))
      << changes(receiver.got()).size() << " of " << want.size() << "\n"
      << second->log_text();
  EXPECT_EQ(check_deliveries(receiver.got()), "");
}

TEST_F(HooksTest, StreamIsTrimmedOnlyAfterEveryGroupAcknowledged) {
  webhook_receiver receiver;
  subscribe("sales", receiver.url());
  feed(redis_, {"concert", "concert.first", 1});  // the stream exists
  redis_.command({"XGROUP", "CREATE", "sg:{e:concert}:out", "audit", "0"});
  const auto want = feed_sales(3, "t");
  ASSERT_TRUE(receiver.wait_for([&](const auto& got) { return changes(got).size() == 7; }));
  // Delivered, but the audit group has read nothing: every entry stays.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(xlen(), 7);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  auto read =
      redis_.command({"XREADGROUP", "GROUP", "audit", "a", "STREAMS", "sg:{e:concert}:out", ">"});
  ASSERT_TRUE(read && read->type == REDIS_REPLY_ARRAY);
  const auto* items = read->element[0]->element[1];
  for (std::size_t i = 0; i < items->elements; ++i)
    redis_.command({"XACK", "sg:{e:concert}:out", "audit", items->element[i]->element[0]->str});
  long long left = -1;
  for (int i = 0; i < 500 && left != 0; ++i) {
    left = xlen();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(left, 0);
}

}  // namespace
}  // namespace seatgate::test
