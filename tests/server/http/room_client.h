// The waiting room's HTTP tests (docs/waiting-room.md): an event with a room,
// a client with the queue routes, and reads of the room's keys in Redis.
#pragma once

#include "eventually.h"
#include "api_client.h"

#include <chrono>
#include <thread>

namespace seatgate::test {

using namespace std::chrono_literals;

// The event's key prefix in Redis.
inline std::string P(const std::string& event) { return "sg:{e:" + event + "}:"; }

inline json room_event(long room_capacity, long admit_per_s, long pass_ttl_s = 300,
                       long zone_capacity = 20000) {
  auto cfg = event_config(zone_capacity, 600, 10, 10);
  cfg["waiting_room"] = {{"enabled", true},
                         {"capacity", room_capacity},
                         {"admit_per_s", admit_per_s},
                         {"pass_ttl_s", pass_ttl_s},
                         {"max_queues_per_user", 2}};
  return cfg;
}

inline const std::string k_succeeded = "seatgate_detached_tasks_total{result=\"succeeded\"}";
inline const std::string k_failed = "seatgate_detached_tasks_total{result=\"failed\"}";
inline const std::string k_retries = "seatgate_detached_task_retries_total";

inline std::string str_of(const redisReply* r) {
  if (!r) return "";
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  if (r->type == REDIS_REPLY_NIL) return "";
  return std::string(r->str, r->len);
}
inline long long integer(const reply_ptr& r) {
  return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
}
inline std::string text(const reply_ptr& r) { return str_of(r.get()); }

// api_client plus the queue routes. These go through a second connection
// with TCP_NODELAY, so that a request written in two pieces (headers, body)
// is not held back by Nagle's algorithm against the server's delayed ACK.
class room_client : public api_client {
 public:
  explicit room_client(const server_process& s) : api_client(s), fast_(s.host(), s.port()) {
    fast_.set_keep_alive(true);
    fast_.set_tcp_nodelay(true);
    fast_.set_read_timeout(30, 0);
  }
  http_reply join(const std::string& token, const std::string& event) {
    return fast("POST", "/v1/events/" + event + "/queue", "", user(token));
  }
  http_reply me(const std::string& token, const std::string& event) {
    return fast("GET", "/v1/events/" + event + "/queue/me", "", user(token));
  }
  http_reply leave(const std::string& token, const std::string& event) {
    return fast("DELETE", "/v1/events/" + event + "/queue/me", "", user(token));
  }
  // Polls queue/me until admitted; returns the pass ("" on timeout).
  std::string wait_for_pass(const std::string& token, const std::string& event,
                            std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      auto r = me(token, event);
      auto j = r.js();
      if (r.status == 200 && j.value("status", "") == "admitted") return j["queue_pass"];
      std::this_thread::sleep_for(20ms);
    }
    return "";
  }
  http_reply reserve_with(const std::string& token, const std::string& event,
                          const std::string& pass, const std::string& key) {
    auto h = user(token);
    h.emplace("Idempotency-Key", key);
    if (!pass.empty()) h.emplace("Queue-Pass", pass);
    return fast("POST", "/v1/reservations",
                json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump(), h);
  }

 private:
  http_reply fast(const std::string& method, const std::string& path, const std::string& body,
                  httplib::Headers headers) {
    return send_on(fast_, method, path, body, std::move(headers), "application/json");
  }
  httplib::Client fast_;
};

}  // namespace seatgate::test
