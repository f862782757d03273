// The SDK against a real seatgate-server and redis-server.
#include <gtest/gtest.h>
#include <httplib.h>

#include <seatgate/client.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "redis_server.h"
#include "server_process.h"
#include "server_support.h"

namespace seatgate::test {
namespace {

class SdkAgainstServer : public ::testing::Test {
 protected:
  redis_server redis;
  server_process srv{server_process::options{.redis_url = redis.url()}};
};

TEST_F(SdkAgainstServer, RetryableSoldOutSucceedsWhenAHoldIsReleasedDuringBackoff) {
  put_event(srv, "sdk-soldout", event_config(2));
  client bob(user(srv, "bob"));
  auto bobs = bob.reserve({.event_id = "sdk-soldout", .zone_id = "floor", .quantity = 2});
  ASSERT_TRUE(bobs.ok()) << bobs.error().code << ": " << bobs.error().message;

  std::vector<retry_info> retries;
  std::atomic<bool> released{false};
  auto o = user(srv, "alice");
  o.on_retry = [&](const retry_info& i) {
    retries.push_back(i);
    if (!released.exchange(true)) {  // bob gives up his seats while alice waits
      auto rel = bob.release(bobs->id);
      EXPECT_TRUE(rel.ok()) << rel.error().code;
    }
  };
  client alice(o);
  auto r = alice.reserve({.event_id = "sdk-soldout", .zone_id = "floor", .quantity = 1});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r->status, "held");
  EXPECT_EQ(r->quantity, 1);
  ASSERT_GE(retries.size(), 1u);
  EXPECT_EQ(retries[0].reason, "sold_out");
  EXPECT_EQ(retries[0].http_status, 409);
  EXPECT_GE(retries[0].delay, milliseconds(1000));  // Retry-After (s) is the floor
}

// Forwards everything to the real server; on the first reserve it lets the
// server commit, then kills the server and swallows the answer (the client
// times out), restarting the server before the client's next attempt.
class crash_proxy {
 public:
  explicit crash_proxy(server_process& srv) : srv_(srv) {
    auto forward = [this](const httplib::Request& req, httplib::Response& res) {
      httplib::Client up(srv_.host(), srv_.port());
      up.set_read_timeout(std::chrono::seconds(10));
      httplib::Request fwd;
      fwd.method = req.method;
      fwd.path = req.target;
      fwd.body = req.body;
      for (const auto& [k, v] : req.headers)
        if (k != "Host" && k != "Content-Length" && k != "REMOTE_ADDR" && k != "REMOTE_PORT" &&
            k != "LOCAL_ADDR" && k != "LOCAL_PORT")
          fwd.headers.emplace(k, v);
      auto r = up.send(fwd);
      if (req.method == "POST" && req.path == "/v1/reservations" && forwarded_reserves_++ == 0) {
        committed_status_ = r ? r->status : 0;
        srv_.kill_hard();  // the hold is in Redis; its answer never reaches the client
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        res.status = 599;
        return;
      }
      if (!r) {
        res.status = 502;
        return;
      }
      res.status = r->status;
      for (const auto& [k, v] : r->headers)
        if (k != "Content-Length" && k != "Transfer-Encoding" && k != "Connection")
          res.set_header(k, v);
      res.body = r->body;
    };
    srv_proxy_.Get(".*", forward);
    srv_proxy_.Post(".*", forward);
    srv_proxy_.Delete(".*", forward);
    port_ = srv_proxy_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { srv_proxy_.listen_after_bind(); });
    while (!srv_proxy_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~crash_proxy() {
    srv_proxy_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int committed_status() const { return committed_status_; }
  int forwarded_reserves() const { return forwarded_reserves_; }

 private:
  server_process& srv_;
  httplib::Server srv_proxy_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> forwarded_reserves_{0};
  std::atomic<int> committed_status_{0};
};

TEST_F(SdkAgainstServer, ServerKilledAndRestartedBetweenAttemptsYieldsOneReservation) {
  put_event(srv, "sdk-crash", event_config(10));
  crash_proxy proxy(srv);
  std::vector<retry_info> retries;
  auto o = user(srv, "carol", proxy.url());
  o.request_timeout = milliseconds(700);
  o.on_retry = [&](const retry_info& i) {
    retries.push_back(i);
    if (!srv.running()) srv.restart();  // same port, same Redis
  };
  client carol(o);
  const std::string key = carol.new_idempotency_key();
  auto r = carol.reserve(
      {.event_id = "sdk-crash", .zone_id = "floor", .quantity = 3, .idempotency_key = key});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message << "\n" << srv.log_text();
  EXPECT_EQ(proxy.committed_status(), 201);  // the first attempt did commit
  EXPECT_GE(proxy.forwarded_reserves(), 2);
  ASSERT_GE(retries.size(), 1u);
  EXPECT_EQ(retries[0].reason, "timeout");
  EXPECT_TRUE(r->replayed);  // the retry got the stored reservation

  client direct(user(srv, "carol"));
  auto mine = direct.list_my_reservations("sdk-crash");
  ASSERT_TRUE(mine.ok()) << mine.error().code;
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).id, r->id);
  auto ev = direct.get_event("sdk-crash");
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->find_zone("floor")->available.value_or(-1), 7);
}

TEST_F(SdkAgainstServer, A422IsNeverRetried) {
  put_event(srv, "sdk-422", event_config(10, /*max_per_order=*/2));
  std::vector<retry_info> retries;
  auto o = user(srv, "dave");
  o.on_retry = [&](const retry_info& i) { retries.push_back(i); };
  client dave(o);

  // The SDK has no snapshot of the event, so the server judges the quantity.
  auto big = dave.reserve({.event_id = "sdk-422", .zone_id = "floor", .quantity = 3});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().http_status, 422);
  EXPECT_EQ(big.error().code, "invalid_quantity");
  EXPECT_EQ(big.error().attempts, 1);

  auto first = dave.reserve(
      {.event_id = "sdk-422", .zone_id = "floor", .quantity = 1, .idempotency_key = "k-422"});
  ASSERT_TRUE(first.ok()) << first.error().code;
  auto reused = dave.reserve(
      {.event_id = "sdk-422", .zone_id = "floor", .quantity = 2, .idempotency_key = "k-422"});
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().http_status, 422);
  EXPECT_EQ(reused.error().code, "idempotency_key_reused");
  EXPECT_FALSE(reused.error().retryable);
  EXPECT_EQ(reused.error().attempts, 1);
  EXPECT_TRUE(retries.empty());

  auto again = dave.reserve(
      {.event_id = "sdk-422", .zone_id = "floor", .quantity = 1, .idempotency_key = "k-422"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->id, first->id);
}

// The request and response hooks on a call the server makes retry (409
// sold_out while bob holds the only seat; he releases it during alice's
// backoff): the request hook sees both attempts with one key and adds a
// tracing X-Request-Id, which the server echoes in each answer (so the
// header reached it); it cannot touch the SDK's headers; the first call of
// the hook throws, and the call still succeeds and the log says why.
TEST_F(SdkAgainstServer, RequestHookSeesEveryAttemptAndItsHeaderReachesTheServer) {
  put_event(srv, "sdk-hooks", event_config(1));
  client bob(user(srv, "bob"));
  auto bobs = bob.reserve({.event_id = "sdk-hooks", .zone_id = "floor", .quantity = 1});
  ASSERT_TRUE(bobs.ok()) << bobs.error().code << ": " << bobs.error().message;

  struct seen_request {
    std::string operation, method, url, key;
    int attempt;
    bool sdk_header_added;
  };
  std::vector<seen_request> requests;
  std::vector<attempt_info> answers;
  std::vector<std::string> lines;
  auto o = user(srv, "alice");
  o.on_request = [&](const request_info& r) {
    const bool evil = r.add_header("Idempotency-Key", "not-the-sdks") ||
                      r.add_header("Authorization", "Bearer someone-else") ||
                      r.add_header("X-Trace", "a\r\nQueue-Pass: forged");
    requests.push_back({std::string(r.operation), std::string(r.method), r.url,
                        std::string(r.idempotency_key), r.attempt, evil});
    EXPECT_TRUE(r.add_header("X-Request-Id", "alice-hook-" + std::to_string(r.attempt)));
    if (r.attempt == 1) throw std::runtime_error("tracing backend down");
  };
  o.on_attempt = [&](const attempt_info& a) { answers.push_back(a); };
  o.log = [&](log_level, const std::string& line) { lines.push_back(line); };
  o.on_retry = [&](const retry_info&) {
    if (answers.size() == 1) EXPECT_TRUE(bob.release(bobs->id).ok());
  };
  client alice(o);
  auto r = alice.reserve({.event_id = "sdk-hooks", .zone_id = "floor", .quantity = 1});
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r->status, "held");

  ASSERT_EQ(requests.size(), 2u);
  ASSERT_EQ(answers.size(), 2u);
  const std::string key = requests[0].key;
  EXPECT_TRUE(is_uuid_v4(key)) << key;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(requests[i].operation, "reserve");
    EXPECT_EQ(requests[i].method, "POST");
    EXPECT_EQ(requests[i].url, srv.base_url() + "/v1/reservations");
    EXPECT_EQ(requests[i].attempt, i + 1);
    EXPECT_EQ(requests[i].key, key);
    EXPECT_FALSE(requests[i].sdk_header_added);
    EXPECT_EQ(answers[i].attempt, i + 1);
    EXPECT_EQ(answers[i].operation, "reserve");
    EXPECT_EQ(answers[i].idempotency_key, key);
    // The server answered with the id the hook sent, also when it threw after adding it.
    EXPECT_EQ(answers[i].request_id, "alice-hook-" + std::to_string(i + 1));
  }
  EXPECT_EQ(answers[0].status, 409);
  EXPECT_EQ(answers[1].status, 201);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "on_request hook threw: tracing backend down"),
            lines.end());

  // The SDK's key went out, not the hook's: a replay of it is alice's hold.
  auto again = alice.reserve(
      {.event_id = "sdk-hooks", .zone_id = "floor", .quantity = 1, .idempotency_key = key});
  ASSERT_TRUE(again.ok()) << again.error().code;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->id, r->id);
}

// The app saved its key, lost the answer, refreshed the event (now sold
// out: by its own seats) and reserves again with the saved key: the server
// replays the reservation instead of the SDK refusing the order.
TEST_F(SdkAgainstServer, ResumingASavedKeyAfterGetEventReplaysTheReservation) {
  put_event(srv, "sdk-resume", event_config(2));
  client erin(user(srv, "erin"));
  const std::string key = erin.new_idempotency_key();
  const reserve_request order{
      .event_id = "sdk-resume", .zone_id = "floor", .quantity = 2, .idempotency_key = key};
  auto first = erin.reserve(order);
  ASSERT_TRUE(first.ok()) << first.error().code << ": " << first.error().message;

  auto ev = erin.get_event("sdk-resume");
  ASSERT_TRUE(ev.ok()) << ev.error().code;
  EXPECT_EQ(ev->find_zone("floor")->available.value_or(-1), 0);
  auto mine = erin.list_my_reservations("sdk-resume");
  ASSERT_TRUE(mine.ok()) << mine.error().code;

  auto again = erin.reserve(order);
  ASSERT_TRUE(again.ok()) << again.error().code << ": " << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->quantity, 2);
}

// docs/waiting-room.md through the SDK: a room with one slot. Bob waits (his positions
// are reported) while Alice holds the one pass; Alice's reservation consumes
// it, the server frees the slot, and Bob is admitted and reserves.
TEST_F(SdkAgainstServer, WaitForPassAdmitsTheSecondUserAfterTheFirstReserves) {
  put_event(
      srv, "sdk-room",
      event_config(10, 10, R"({"enabled":true,"capacity":1,"admit_per_s":5,"pass_ttl_s":30})"));
  using clock = std::chrono::steady_clock;

  client alice(user(srv, "alice"));
  auto a = alice.wait_for_pass("sdk-room");
  ASSERT_TRUE(a.ok()) << a.error().code << ": " << a.error().message;
  ASSERT_EQ(a->status, "admitted");
  EXPECT_FALSE(a->queue_pass.empty());

  // Without a pass the room turns a reserve away.
  client carol(user(srv, "carol"));
  auto refused = carol.reserve({.event_id = "sdk-room", .zone_id = "floor", .quantity = 1});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "queue_pass_required");
  EXPECT_EQ(refused.error().http_status, 403);

  std::mutex mu;
  std::vector<queue_position> seen;
  clock::time_point alice_reserved{}, bob_admitted{};
  wait_for_pass_options o;
  o.deadline = std::chrono::seconds(60);
  o.on_position = [&](const queue_position& p) {
    std::lock_guard lock(mu);
    seen.push_back(p);
  };
  client bob(user(srv, "bob"));
  result<queue_state> b = error{};
  std::thread waiter([&] {
    b = bob.wait_for_pass("sdk-room", o);
    bob_admitted = clock::now();
  });

  // Bob keeps waiting while Alice's pass is live: at least two positions.
  const auto until = clock::now() + std::chrono::seconds(20);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 2) break;
    }
    if (clock::now() > until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  {
    std::lock_guard lock(mu);
    ASSERT_GE(seen.size(), 2u) << "bob was not kept waiting";
    for (const auto& p : seen) {
      EXPECT_EQ(p.position, 1);
      EXPECT_GE(p.poll_after.count(), 1);
      EXPECT_GE(p.next_poll_in.count(), p.poll_after.count() * 8 / 10 - 1);
      EXPECT_LE(p.next_poll_in.count(),
                std::max<long long>(p.poll_after.count(), 250) * 12 / 10 + 1);
    }
  }

  // Alice reserves; the SDK sends her pass by itself.
  auto ar = alice.reserve({.event_id = "sdk-room", .zone_id = "floor", .quantity = 2});
  alice_reserved = clock::now();
  ASSERT_TRUE(ar.ok()) << ar.error().code << ": " << ar.error().message;
  EXPECT_EQ(ar->status, "held");

  waiter.join();
  ASSERT_TRUE(b.ok()) << b.error().code << ": " << b.error().message;
  EXPECT_EQ(b->status, "admitted");
  EXPECT_NE(b->queue_pass, a->queue_pass);
  EXPECT_GE(bob_admitted, alice_reserved);
  auto br = bob.reserve({.event_id = "sdk-room", .zone_id = "floor", .quantity = 1});
  ASSERT_TRUE(br.ok()) << br.error().code << ": " << br.error().message;
  EXPECT_EQ(br->user_id, "bob");

  // A pass is good for one reservation.
  auto again = bob.reserve(
      {.event_id = "sdk-room", .zone_id = "floor", .quantity = 1, .queue_pass = b->queue_pass});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "queue_pass_invalid");
}

TEST_F(SdkAgainstServer, WaitForPassWithoutARoomIsNotRequired) {
  put_event(srv, "sdk-open", event_config(5));
  client alice(user(srv, "alice"));
  auto a = alice.wait_for_pass("sdk-open");
  ASSERT_TRUE(a.ok()) << a.error().code << ": " << a.error().message;
  EXPECT_EQ(a->status, "not_required");
  auto missing = alice.wait_for_pass("sdk-nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "event_not_found");
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_EQ(missing.error().attempts, 1);
}

// The server answers a repeated release from the stored reservation with
// Idempotent-Replayed: true (docs/redis-schema.md, release_reservation); the
// native client reports it as every face does. Leaving a waiting room answers
// {"status":"left"}, also when repeated.
TEST_F(SdkAgainstServer, RepeatedReleaseIsReplayedAndLeaveQueueIsLeft) {
  put_event(srv, "sdk-again", event_config(5));
  client carol(user(srv, "carol"));
  auto held = carol.reserve({.event_id = "sdk-again", .zone_id = "floor", .quantity = 1});
  ASSERT_TRUE(held.ok()) << held.error().code << ": " << held.error().message;
  auto first = carol.release(held->id);
  ASSERT_TRUE(first.ok()) << first.error().code;
  EXPECT_EQ(first->status, "released");
  EXPECT_FALSE(first->replayed);
  auto again = carol.release(held->id);
  ASSERT_TRUE(again.ok()) << again.error().code;
  EXPECT_EQ(again->status, "released");
  EXPECT_TRUE(again->replayed);

  for (int i = 0; i < 2; ++i) {
    auto left = carol.leave_queue("sdk-again");
    ASSERT_TRUE(left.ok()) << left.error().code;
    EXPECT_EQ(left->status, "left");
  }
}

// Seated zones against the real server: the seat map and its 304, two users
// picking the same seat at once (exactly one holds it; the other's error
// names it, not retried while the winner's hold is held only as long as
// sold_out_wait_ms allows), best available, a sold seat refused without
// retries, no_adjacent_seats never retried, and the audit.
TEST_F(SdkAgainstServer, SeatedZonePickBestAvailableAndTakenSeats) {
  put_event(srv, "sdk-seats",
            R"({"name":"Seats","currency":"EUR","status":"on_sale","hold_ttl_s":600,)"
            R"("max_per_order":6,"max_per_user":8,"zones":[{"id":"stalls","name":"Stalls",)"
            R"("kind":"seated","price":4500,"rows":[{"id":"A","seats":6,"aisles_after":[3]},)"
            R"({"id":"B","seats":4}]}],"waiting_room":{"enabled":false}})");
  std::vector<retry_info> retries;
  auto oa = user(srv, "ann");
  oa.on_retry = [&](const retry_info& i) { retries.push_back(i); };
  client ann(oa), bob(user(srv, "bob"));

  auto map = ann.get_seat_map("sdk-seats", "stalls");
  ASSERT_TRUE(map.ok()) << map.error().code << ": " << map.error().message;
  EXPECT_EQ(map->available, 10);
  EXPECT_FALSE(map->etag.empty());
  auto same = ann.get_seat_map("sdk-seats", "stalls");
  ASSERT_TRUE(same.ok()) << same.error().code << ": " << same.error().message;
  EXPECT_TRUE(same->not_modified);

  // Both want A-2 at once.
  result<reservation> ra = error{}, rb = error{};
  std::thread ta([&] {
    ra = ann.reserve({.event_id = "sdk-seats",
                      .zone_id = "stalls",
                      .sold_out_wait_ms = 0,
                      .seats = {"A-2", "A-3"}});
  });
  std::thread tb([&] {
    rb = bob.reserve(
        {.event_id = "sdk-seats", .zone_id = "stalls", .sold_out_wait_ms = 0, .seats = {"A-2"}});
  });
  ta.join();
  tb.join();
  ASSERT_NE(ra.ok(), rb.ok()) << "exactly one holds A-2";
  const auto& won = ra.ok() ? ra.value() : rb.value();
  const auto& lost = ra.ok() ? rb.error() : ra.error();
  EXPECT_EQ(lost.code, errc::seats_taken);
  EXPECT_EQ(lost.http_status, 409);
  EXPECT_TRUE(lost.retryable);  // held, not sold: it may come back
  EXPECT_EQ(lost.attempts, 1);  // sold_out_wait_ms 0: not waited for
  EXPECT_EQ(lost.taken, (std::vector<std::string>{"A-2"}));
  EXPECT_EQ(won.status, "held");
  EXPECT_FALSE(won.seats.empty());
  EXPECT_EQ(won.quantity, static_cast<std::int64_t>(won.seats.size()));

  // Best available for 3: adjacent seats of one row, no aisle crossed.
  auto best = bob.reserve(
      {.event_id = "sdk-seats", .zone_id = "stalls", .quantity = 3, .best_available = true});
  ASSERT_TRUE(best.ok()) << best.error().code << ": " << best.error().message;
  ASSERT_EQ(best->seats.size(), 3u);
  // Sold seats are refused at once: confirm the winner's, then pick one of them.
  ASSERT_TRUE(ra.ok() ? ann.confirm({.reservation_id = won.id}).ok()
                      : bob.confirm({.reservation_id = won.id}).ok());
  client cy(user(srv, "cy"));
  auto sold = cy.reserve({.event_id = "sdk-seats", .zone_id = "stalls", .seats = {"A-2"}});
  ASSERT_FALSE(sold.ok());
  EXPECT_EQ(sold.error().code, errc::seats_taken);
  EXPECT_FALSE(sold.error().retryable);
  EXPECT_EQ(sold.error().attempts, 1);
  // The map now shows every hold; an unknown seat never leaves the client.
  auto now = cy.get_seat_map("sdk-seats", "stalls");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->state_of("A-2"), 's');
  for (const auto& id : best->seats) EXPECT_EQ(now->state_of(id), 'h') << id;
  auto unknown = cy.reserve({.event_id = "sdk-seats", .zone_id = "stalls", .seats = {"C-1"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, errc::validation_unknown_seat);
  EXPECT_EQ(unknown.error().attempts, 0);
  // Five together: enough seats are left, but no row has five adjacent
  // (row A is split by its aisle, row B has four): never retried.
  auto five = cy.reserve(
      {.event_id = "sdk-seats", .zone_id = "stalls", .quantity = 5, .best_available = true});
  ASSERT_FALSE(five.ok());
  EXPECT_EQ(five.error().code, errc::no_adjacent_seats);
  EXPECT_FALSE(five.error().retryable);
  EXPECT_EQ(five.error().attempts, 1);
  EXPECT_TRUE(retries.empty());

  // Nothing sold twice, and the counters agree with the seats.
  httplib::Client admin(srv.host(), srv.port());
  auto audit = admin.Get("/v1/admin/events/sdk-seats/audit",
                         httplib::Headers{{"Authorization", "Bearer " + srv.admin_token()}});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200) << audit->body;
  EXPECT_NE(audit->body.find("\"double_booked_seats\":[]"), std::string::npos) << audit->body;
  EXPECT_NE(audit->body.find("\"consistent\":true"), std::string::npos) << audit->body;
}

}  // namespace
}  // namespace seatgate::test
