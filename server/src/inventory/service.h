// The reservation service: builds script calls (docs/redis-schema.md), runs
// them on the calling thread's Redis connection, and maps the replies to API
// results. No HTTP here beyond the problem type.
#pragma once

#include "http/problem.h"
#include "inventory/reserve_body.h"
#include "inventory/validation.h"
#include "metrics/metrics.h"
#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seatgate::inventory {

namespace net = boost::asio;

struct result {
  unsigned status = 200;
  nlohmann::json body;
  std::string body_text;                 // when not empty, the body as JSON text (`body` unused)
  std::string reservation_id;            // reservation results: its id
  std::optional<http::problem> problem;  // set on failure
  bool replayed = false;                 // answered from an idempotency record
};

// A failed result with the problem's status (detail defaults to the title).
result failure(http::problem p);
// Redis unreachable / timed out: 503 unavailable, retryable after 1 s.
result storage_failure(const boost::system::error_code& ec);

class service {
 public:
  // `reservations_per_minute`: reservations one user may make per event in
  // any 60 s (reserve answers 429 rate_limited above it); 0 = no cap.
  service(redis::connection& conn, metrics::registry& m, unsigned reservations_per_minute = 0)
      : conn_(conn), metrics_(m), reservations_per_minute_(reservations_per_minute) {}

  net::awaitable<result> reserve(const std::string& user, const std::string& idem_key,
                                 const reserve_request& req, const std::string& queue_pass,
                                 const std::string& fingerprint);
  net::awaitable<result> confirm(const std::string& user, const std::string& rid,
                                 const std::string& idem_key, const confirm_request& req,
                                 const std::string& fingerprint);
  net::awaitable<result> release(const std::string& user, const std::string& rid);
  net::awaitable<result> get_reservation(const std::string& user, const std::string& rid);
  // One page, oldest first: {"event_id", "reservations": [...], "next_cursor": string|null}.
  net::awaitable<result> list_reservations(const std::string& user, const std::string& event_id,
                                           const list_request& page = {});

  net::awaitable<result> get_event(const std::string& event_id);
  net::awaitable<result> audit(const std::string& event_id);
  net::awaitable<result> upsert_event(const std::string& event_id, const nlohmann::json& config);
  net::awaitable<result> set_status(const std::string& event_id, const std::string& status);

  // Expires due holds of one event (the sweeper). Returns the number expired,
  // or nullopt on a Redis failure.
  net::awaitable<std::optional<long long>> expire_holds(const std::string& event_id, int batch);

  static constexpr int k_idempotency_ttl_s = 24 * 3600;
  static constexpr int k_expire_batch = 100;
  // read_audit sums the held reservations one by one only up to this many.
  static constexpr int k_audit_scan_limit = 10000;

 private:
  // Runs a script that answers with one reservation (confirm, release, read)
  // and maps the reply: 200 with the reservation, or its problem.
  net::awaitable<result> reservation_script(lua::script s, std::vector<std::string> keys,
                                            std::vector<std::string> args);
  net::awaitable<result> run_json_script(lua::script s, std::vector<std::string> keys,
                                         std::vector<std::string> args, unsigned ok_status);
  redis::connection& conn_;
  metrics::registry& metrics_;
  unsigned reservations_per_minute_;
};

}  // namespace seatgate::inventory
