// The cancel token's shared state: hooks are registered per call, removed
// when the call ends, and never run after removal (the transport's abort hook
// points at a pooled connection that is reused or freed right after).
#include <gtest/gtest.h>
#include <httplib.h>

#include <seatgate/client.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "native/cancel.h"

namespace seatgate::test {
namespace {

TEST(CancelState, HooksRunOnceAndAreForgotten) {
  detail::cancel_state s;
  int ran = 0;
  auto a = s.add([&] { ++ran; });
  auto b = s.add([&] { ++ran; });
  ASSERT_NE(a, 0u);
  ASSERT_NE(b, a);
  EXPECT_EQ(s.registrations(), 2u);
  EXPECT_FALSE(s.remove(a));
  EXPECT_EQ(s.registrations(), 1u);
  s.cancel();
  s.cancel();
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(s.registrations(), 0u);
  EXPECT_TRUE(s.remove(b));
  EXPECT_EQ(s.add([&] { ++ran; }), 0u);  // already cancelled: not kept, not run
  EXPECT_EQ(s.registrations(), 0u);
  EXPECT_EQ(ran, 1);
}

// The race the transport had: cancel() took the abort hook, and while it was
// about to run it the request ended, the connection went back to the pool
// (or was destroyed), and the hook then stopped a connection serving another
// call (or freed memory). remove() must wait for a hook that is running.
TEST(CancelState, RemoveWaitsForAHookThatIsRunning) {
  detail::cancel_state s;
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false, finished = false;
  auto id = s.add([&] {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    finished = true;
  });
  std::thread canceller([&] { s.cancel(); });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return entered; });
  }
  std::atomic<bool> removed{false};
  bool finished_when_removed = false;
  std::thread remover([&] {
    const bool cancelled = s.remove(id);
    std::lock_guard lock(mu);
    finished_when_removed = finished;
    removed = true;
    EXPECT_TRUE(cancelled);
  });
  // A remove() that does not wait would return during this pause.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(removed.load());
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  remover.join();
  canceller.join();
  EXPECT_TRUE(finished_when_removed);
}

TEST(CancelState, AChildLinkedWhileItRunsAndForgottenAfter) {
  auto parent = std::make_shared<detail::cancel_state>();
  auto child = std::make_shared<detail::cancel_state>();
  {
    detail::cancel_link link(parent, child);
    EXPECT_EQ(parent->registrations(), 1u);
  }
  EXPECT_EQ(parent->registrations(), 0u);
  parent->cancel();
  EXPECT_FALSE(child->cancelled());  // the link had ended
  detail::cancel_link late(parent, child);
  EXPECT_TRUE(child->cancelled());  // linked to a cancelled parent: at once
}

// One token, two sync calls in flight on two threads: cancelling aborts both
// requests (each call registers its own hook), and the token holds nothing
// once they end.
TEST(CancelToken, OneTokenCancelsEveryCallInFlight) {
  httplib::Server srv;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  int not_aborted = 0;  // requests that waited for the gate to the end
  bool open = false;
  srv.Get("/v1/events/gate", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    ++arrived;
    cv.notify_all();
    if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return open; })) ++not_aborted;
    res.set_content(R"({"id":"gate"})", "application/json");
  });
  const int port = srv.bind_to_any_port("127.0.0.1");
  std::thread th([&] { srv.listen_after_bind(); });
  while (!srv.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  client_options o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  client c(o);
  cancel_token t;
  result<event> a = error{}, b = error{};
  std::thread first([&] { a = c.get_event("gate", &t); });
  std::thread second([&] { b = c.get_event("gate", &t); });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return arrived == 2; });
  }
  t.cancel();
  first.join();
  second.join();
  bool opened_before_return;
  {
    std::lock_guard lock(mu);
    opened_before_return = open;
    open = true;
  }
  cv.notify_all();
  srv.stop();
  th.join();
  EXPECT_FALSE(opened_before_return);
  EXPECT_EQ(not_aborted, 0);
  ASSERT_FALSE(a.ok());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(a.error().code, "cancelled");
  EXPECT_EQ(b.error().code, "cancelled");
  EXPECT_EQ(t.state()->registrations(), 0u);
}

}  // namespace
}  // namespace seatgate::test
