// client::watch_availability against a real seatgate-server and Redis: the
// stream's snapshot then a change made by another client, stop, the polling
// fallback when streams are refused, the server gone and back, an unknown
// event, and a watch destroyed from its own callback.
#include <gtest/gtest.h>

#include <seatgate/client.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>

#include "redis_server.h"
#include "server_process.h"
#include "server_support.h"

namespace seatgate::test {
namespace {

// What a watch told, for the test thread to wait on. Waits are bounded
// (a minute) so a broken watch fails the test instead of hanging it.
struct recorder {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<availability_update> updates;
  std::vector<std::pair<error, bool>> errors;

  std::function<void(const availability_update&)> on_update() {
    return [this](const availability_update& u) {
      std::lock_guard lock(mu);
      updates.push_back(u);
      cv.notify_all();
    };
  }
  std::function<void(const error&, bool)> on_error() {
    return [this](const error& e, bool final) {
      std::lock_guard lock(mu);
      errors.emplace_back(e, final);
      cv.notify_all();
    };
  }
  // The first update told with the floor at `available` (nullopt if none came).
  std::optional<availability_update> until_available(std::int64_t available) {
    std::unique_lock lock(mu);
    std::optional<availability_update> found;
    cv.wait_for(lock, std::chrono::minutes(1), [&] {
      for (const auto& u : updates)
        if (!u.ev.zones.empty() && u.ev.zones[0].available == available) found = u;
      return found.has_value();
    });
    return found;
  }
  bool until_error(const std::string& code) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::minutes(1), [&] {
      for (const auto& [e, final] : errors)
        if (e.code == code) return true;
      return false;
    });
  }
  std::size_t update_count() {
    std::lock_guard lock(mu);
    return updates.size();
  }
};

watch_options quick(recorder& r) {
  watch_options o;
  o.poll_interval = milliseconds(50);
  o.stream_retry = milliseconds(200);
  o.on_error = r.on_error();
  return o;
}

class WatchAgainstServer : public ::testing::Test {
 protected:
  redis_server redis;
  server_process srv{
      server_process::options{.redis_url = redis.url(), .args = {"--stream-interval-ms", "20"}}};
};

TEST_F(WatchAgainstServer, SnapshotThenAChangeMadeElsewhereThenStop) {
  put_event(srv, "watch-live", event_config(50));
  client viewer(user(srv, "viewer"));
  client buyer(user(srv, "buyer"));
  recorder r;
  auto w = viewer.watch_availability("watch-live", r.on_update(), quick(r));
  auto first = r.until_available(50);
  ASSERT_TRUE(first) << "no snapshot";
  EXPECT_TRUE(first->live);
  EXPECT_EQ(first->ev.id, "watch-live");
  EXPECT_EQ(first->ev.zones[0].capacity, 50);

  ASSERT_TRUE(buyer.reserve({.event_id = "watch-live", .zone_id = "floor", .quantity = 4}).ok());
  auto moved = r.until_available(46);
  ASSERT_TRUE(moved) << "the reserve was not told";
  EXPECT_TRUE(moved->live);
  EXPECT_EQ(moved->ev.zones[0].name, "Floor");  // the rest of the event is kept
  EXPECT_EQ(moved->ev.status, "on_sale");

  w->stop();  // joins: no callback after this
  EXPECT_FALSE(w->running());
  const auto told = r.update_count();
  ASSERT_TRUE(buyer.reserve({.event_id = "watch-live", .zone_id = "floor", .quantity = 1}).ok());
  EXPECT_EQ(r.update_count(), told);
}

TEST_F(WatchAgainstServer, ARefusedStreamFallsBackToPolling) {
  server_process refusing{
      server_process::options{.redis_url = redis.url(), .args = {"--max-stream-subscribers", "0"}}};
  put_event(refusing, "watch-poll", event_config(30));
  client viewer(user(refusing, "viewer"));
  client buyer(user(refusing, "buyer"));
  recorder r;
  auto w = viewer.watch_availability("watch-poll", r.on_update(), quick(r));
  auto first = r.until_available(30);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->live);
  ASSERT_TRUE(buyer.reserve({.event_id = "watch-poll", .zone_id = "floor", .quantity = 2}).ok());
  auto moved = r.until_available(28);
  ASSERT_TRUE(moved);
  EXPECT_FALSE(moved->live);
  EXPECT_TRUE(w->running());
}

// The server killed: the broken stream and the failed polls are told as
// errors (not final); once it is back, the watch reconnects and tells changes.
TEST_F(WatchAgainstServer, ServerGoneThenBackIsReportedAndResumed) {
  put_event(srv, "watch-gone", event_config(40));
  auto o = user(srv, "viewer");
  o.retry.max_attempts = 1;  // each poll fails fast while the server is down
  client viewer(o);
  recorder r;
  auto w = viewer.watch_availability("watch-gone", r.on_update(), quick(r));
  ASSERT_TRUE(r.until_available(40));
  srv.kill_hard();
  ASSERT_TRUE(r.until_error("network"));
  {
    std::lock_guard lock(r.mu);
    for (const auto& [e, final] : r.errors) EXPECT_FALSE(final) << e.code;
  }
  srv.restart();
  client buyer(user(srv, "buyer"));
  ASSERT_TRUE(buyer.reserve({.event_id = "watch-gone", .zone_id = "floor", .quantity = 3}).ok());
  ASSERT_TRUE(r.until_available(37)) << "no update after the server came back";
  EXPECT_TRUE(w->running());
}

TEST_F(WatchAgainstServer, AnUnknownEventEndsTheWatchWithAFinalError) {
  client viewer(user(srv, "viewer"));
  recorder r;
  auto w = viewer.watch_availability("watch-missing", r.on_update(), quick(r));
  ASSERT_TRUE(r.until_error("event_not_found"));
  w->stop();
  std::lock_guard lock(r.mu);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].second);
  EXPECT_EQ(r.errors[0].first.http_status, 404);
  EXPECT_TRUE(r.updates.empty());
}

// A Swift deinit or a Kotlin finaliser in the handler: the watch is destroyed
// from its own callback, and the watch's client first.
TEST_F(WatchAgainstServer, DestroyedFromItsOwnCallback) {
  put_event(srv, "watch-self", event_config(10));
  auto viewer = std::make_unique<client>(user(srv, "viewer"));
  std::unique_ptr<availability_watch> w;
  std::promise<void> stored;
  std::shared_future<void> ready = stored.get_future().share();
  std::promise<void> destroyed;
  int calls = 0;
  w = viewer->watch_availability("watch-self", [&](const availability_update&) {
    ready.wait();  // the test has stored the watch
    ++calls;
    w.reset();
    destroyed.set_value();
  });
  viewer.reset();  // the watch polls with a client of its own
  stored.set_value();
  auto done = destroyed.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::minutes(1)), std::future_status::ready);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(w, nullptr);
}

}  // namespace
}  // namespace seatgate::test
