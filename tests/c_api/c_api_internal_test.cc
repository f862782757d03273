// The C API's internals, under the same sanitizers as c_api_test: a
// long-lived cancel token holds nothing for calls that have finished.
#include <gtest/gtest.h>
#include <seatgate.h>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>

#include "c/handles.h"
#include "native/cancel.h"
#include "stub_server.h"

namespace {

struct counter {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  int ok = 0;
};

void on_event(void* ud, seatgate_status_t st, seatgate_event_t* ev, seatgate_error_t* e) {
  auto* c = static_cast<counter*>(ud);
  seatgate_event_free(ev);
  seatgate_error_free(e);
  std::lock_guard lock(c->mu);
  ++c->done;
  if (st == SEATGATE_OK) ++c->ok;
  c->cv.notify_all();
}

TEST(CApiCancelToken, ALongLivedTokenDoesNotGrowWithItsCalls) {
  const int port = stub_server_start();
  ASSERT_GT(port, 0);
  seatgate_options_t* o = seatgate_options_new();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_EQ(seatgate_options_set_base_url(o, url.c_str()), SEATGATE_OK);
  // One worker thread: at most one async call registered at a time (with the
  // default pool the bound is the pool's size).
  ASSERT_EQ(seatgate_options_set_async_threads(o, 1), SEATGATE_OK);
  seatgate_client_t* c = nullptr;
  ASSERT_EQ(seatgate_client_new(o, &c, nullptr), SEATGATE_OK);
  seatgate_options_free(o);

  seatgate_cancel_token_t* t = seatgate_cancel_token_new();
  auto registrations = [&] { return t->t.state()->registrations(); };
  counter n;
  constexpr int kAsync = 10'000;
  int sync_ok = 0;
  std::size_t most = 0;
  // Every 100th call, async and sync, makes a request (the stub answers in
  // tens of ms on loopback); the others end in validation on the worker,
  // which links to the token all the same.
  for (int i = 0; i < kAsync; ++i) {
    const bool real = i % 100 == 0;
    ASSERT_EQ(seatgate_get_event_async(c, real ? "summer" : "", t, on_event, &n), SEATGATE_OK);
    if (real) {
      seatgate_event_t* ev = nullptr;
      if (seatgate_get_event(c, "summer", t, &ev, nullptr) == SEATGATE_OK) ++sync_ok;
      seatgate_event_free(ev);
    }
    most = std::max(most, registrations());
  }
  {
    std::unique_lock lock(n.mu);
    n.cv.wait(lock, [&] { return n.done == kAsync; });
  }
  EXPECT_EQ(n.ok, kAsync / 100);
  EXPECT_EQ(sync_ok, kAsync / 100);
  // One async call runs at a time; sync calls here run on this thread.
  EXPECT_LE(most, 1u);
  EXPECT_EQ(registrations(), 0u);

  seatgate_cancel_token_free(t);
  seatgate_client_free(c);
  stub_server_stop();
}

}  // namespace
