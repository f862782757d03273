// The stub seatgate API. Token "tok" is the only valid one.
//   GET    /v1/events/summer            event (floor: 100 available)
//   GET    /v1/events/slow              answers after 3 s
//   GET    /v1/events/gate              answers (event "gate") once the test
//                                       opens the gate; counts arrivals
//   POST   /v1/reservations             Queue-Pass "qp-1" → 403 queue_pass_invalid
//                                       (X-Request-Id req-pass, Retry-After 3);
//                                       quantity 7 → 409 sold_out (final);
//                                       key "flaky-*" → 503 first, then 201; else 201
//   GET    /v1/reservations/{id}        summer.AAAA… → 200, else 404
//   POST   /v1/reservations/{id}/confirm, DELETE /v1/reservations/{id}
//   GET    /v1/users/me/reservations    two reservations
//   POST   /v1/events/summer/queue      waiting; GET …/queue/me → admitted
//   POST   /v1/events/queued/queue      waiting at 3 (poll 200 ms); each GET
//          …/queue/me one place further, admitted ("qp-q") on the third
//   POST   /v1/events/open/queue        not_required (no waiting room)
//   POST   /v1/events/stuck/queue       waiting at 5 forever (poll 200 ms)
//   DELETE /v1/events/{id}/queue/me     left
#include "stub_server.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace {

const char* kReservation =
    R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"floor","user_id":"alice",)"
    R"("quantity":2,"amount":9000,"currency":"EUR","status":"%s","created_at":"2026-01-01T00:00:00Z",)"
    R"("expires_at":"2026-01-01T00:10:00Z","confirmed_at":null,"payment_ref":null})";

std::string reservation(const char* status) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, kReservation, status);
  return buf;
}

void problem(httplib::Response& res, int status, const std::string& code, bool retryable) {
  res.status = status;
  res.set_content(R"({"type":"urn:seatgate:error:)" + code + R"(","title":"x","status":)" +
                      std::to_string(status) + R"(,"detail":"stub says )" + code + R"(","code":")" +
                      code + R"(","retryable":)" + (retryable ? "true" : "false") + "}",
                  "application/problem+json");
  if (retryable) res.set_header("Retry-After", "0");
}

struct stub {
  httplib::Server srv;
  std::thread thread;
  std::atomic<int> reserve_calls{0};
  std::atomic<int> queue_polls{0};
  std::mutex mu;
  std::set<std::string> flaky_seen;
  std::string last_queue_pass;  // Queue-Pass of the last POST /v1/reservations
  std::condition_variable gate_cv;
  bool gate_open = false;
  std::atomic<int> gate_arrivals{0};
};
std::unique_ptr<stub> g;

bool authorized(const httplib::Request& req, httplib::Response& res) {
  if (req.get_header_value("Authorization") == "Bearer tok") return true;
  problem(res, 401, "unauthorized", false);
  return false;
}

}  // namespace

extern "C" int stub_server_start(void) {
  g = std::make_unique<stub>();
  auto& s = g->srv;
  s.Get("/v1/events/summer", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        R"({"id":"summer","name":"Summer Arena","currency":"EUR","status":"on_sale",)"
        R"("hold_ttl_s":600,"max_per_order":10,"max_per_user":10,"zones":[{"id":"floor",)"
        R"("name":"Floor","capacity":100,"price":4500,"available":100}],)"
        R"("waiting_room":{"enabled":false}})",
        "application/json");
  });
  s.Get("/v1/events/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    res.set_content(R"({"id":"slow"})", "application/json");
  });
  s.Get("/v1/events/gate", [](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(g->mu);
    ++g->gate_arrivals;
    // Bounded, so a test that forgets to open the gate still ends.
    g->gate_cv.wait_for(lock, std::chrono::seconds(20), [] { return g->gate_open; });
    res.set_content(R"({"id":"gate","name":"Gate"})", "application/json");
  });
  s.Post("/v1/reservations", [](const httplib::Request& req, httplib::Response& res) {
    ++g->reserve_calls;
    {
      std::lock_guard lock(g->mu);
      g->last_queue_pass = req.get_header_value("Queue-Pass");
    }
    if (!authorized(req, res)) return;
    std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty()) return problem(res, 400, "missing_idempotency_key", false);
    if (req.get_header_value("Queue-Pass") == "qp-1") {
      problem(res, 403, "queue_pass_invalid", false);
      res.set_header("X-Request-Id", "req-pass");
      res.set_header("Retry-After", "3");
      return;
    }
    if (req.body.find("\"quantity\":7") != std::string::npos)
      return problem(res, 409, "sold_out", false);
    if (key.rfind("flaky-", 0) == 0) {
      std::lock_guard lock(g->mu);
      if (g->flaky_seen.insert(key).second) return problem(res, 503, "unavailable", true);
    }
    res.status = 201;
    res.set_header("Location", "/v1/reservations/summer.AAAAAAAAAAAAAAAAAAAAAA");
    res.set_content(reservation("held"), "application/json");
  });
  s.Get(R"(/v1/reservations/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    if (req.matches[1] != "summer.AAAAAAAAAAAAAAAAAAAAAA")
      return problem(res, 404, "reservation_not_found", false);
    res.set_content(reservation("held"), "application/json");
  });
  s.Post(R"(/v1/reservations/([^/]+)/confirm)",
         [](const httplib::Request& req, httplib::Response& res) {
           if (!authorized(req, res)) return;
           res.set_content(reservation("confirmed"), "application/json");
         });
  s.Delete(R"(/v1/reservations/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(reservation("released"), "application/json");
  });
  s.Get("/v1/users/me/reservations", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(
        "{\"reservations\":[" + reservation("held") + "," + reservation("confirmed") + "]}",
        "application/json");
  });
  s.Post("/v1/events/summer/queue", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(R"({"status":"waiting","position":12,"poll_after_ms":1000})",
                    "application/json");
  });
  s.Get("/v1/events/summer/queue/me", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(
        R"({"status":"admitted","queue_pass":"qp-1","pass_expires_at":"2026-01-01T00:05:00Z"})",
        "application/json");
  });
  s.Post("/v1/events/queued/queue", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    g->queue_polls = 0;
    res.set_content(R"({"status":"waiting","position":3,"poll_after_ms":200})", "application/json");
  });
  s.Get("/v1/events/queued/queue/me", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    int n = ++g->queue_polls;
    if (n >= 3)
      res.set_content(
          R"({"status":"admitted","queue_pass":"qp-q","pass_expires_at":"2026-01-01T00:05:00Z"})",
          "application/json");
    else
      res.set_content(
          R"({"status":"waiting","position":)" + std::to_string(3 - n) + R"(,"poll_after_ms":200})",
          "application/json");
  });
  s.Post("/v1/events/open/queue", [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(R"({"status":"not_required"})", "application/json");
  });
  auto stuck = [](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    res.set_content(R"({"status":"waiting","position":5,"poll_after_ms":200})", "application/json");
  };
  s.Post("/v1/events/stuck/queue", stuck);
  s.Get("/v1/events/stuck/queue/me", stuck);
  s.Delete(R"(/v1/events/([a-z0-9-]+)/queue/me)",
           [](const httplib::Request& req, httplib::Response& res) {
             if (!authorized(req, res)) return;
             res.set_content(R"({"status":"left"})", "application/json");
           });
  int port = s.bind_to_any_port("127.0.0.1");
  if (port <= 0) return 0;
  g->thread = std::thread([] { g->srv.listen_after_bind(); });
  while (!s.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

extern "C" void stub_server_stop(void) {
  if (!g) return;
  stub_server_open_gate();
  g->srv.stop();
  g->thread.join();
  g.reset();
}

extern "C" int stub_server_reserve_calls(void) { return g ? g->reserve_calls.load() : 0; }

extern "C" void stub_server_last_queue_pass(char* out, size_t n) {
  if (!out || n == 0) return;
  std::string v;
  if (g) {
    std::lock_guard lock(g->mu);
    v = g->last_queue_pass;
  }
  std::snprintf(out, n, "%s", v.c_str());
}

extern "C" void stub_server_close_gate(void) {
  std::lock_guard lock(g->mu);
  g->gate_open = false;
}

extern "C" void stub_server_open_gate(void) {
  {
    std::lock_guard lock(g->mu);
    g->gate_open = true;
  }
  g->gate_cv.notify_all();
}

extern "C" int stub_server_gate_arrivals(void) { return g ? g->gate_arrivals.load() : 0; }
