// The reservation service: builds script calls (docs/redis-schema.md), runs
// them on the calling thread's Redis connection, and answers with domain
// values or an error. No HTTP here: statuses and bodies are chosen in http/.
#pragma once

#include "domain/reservation.h"
#include "domain/result.h"
#include "inventory/group_commit.h"
#include "inventory/reserve_body.h"
#include "inventory/seating/service.h"
#include "inventory/validation.h"
#include "metrics/metrics.h"
#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seatgate::inventory {

namespace net = boost::asio;

// Disposes of a used queue pass (docs/waiting-room.md): deletes it off the
// request path, in detached work (jobs/pass_deleter.h).
using pass_disposer = std::function<void(std::string event_id, std::string token)>;

class service {
 public:
  // `reservations_per_minute`: reservations one user may make per event in
  // any 60 s (reserve answers rate_limited above it); 0 = no cap.
  // `dispose_pass`: called with the queue pass of every successful reserve.
  // `reserve_batch`: reservation requests (and, apart, confirms) of one event
  // sent to Redis in one call at most (inventory/group_commit.h); 1 = each
  // alone.
  service(redis::connection& conn, metrics::registry& m, unsigned reservations_per_minute = 0,
          pass_disposer dispose_pass = {}, std::size_t reserve_batch = 1)
      : conn_(conn),
        metrics_(m),
        reservations_per_minute_(reservations_per_minute),
        dispose_pass_(std::move(dispose_pass)),
        batcher_(conn, m, reserve_batch) {}

  // A new hold (`created`), or the earlier answer to the same key (`replayed`).
  // A replay disposes of the pass too: the first answer may have been lost
  // before its deletion ran (deleting is idempotent).
  net::awaitable<result<reservation_outcome>> reserve(const std::string& user,
                                                      const std::string& idem_key,
                                                      const reserve_request& req,
                                                      const std::string& queue_pass,
                                                      const std::string& fingerprint);
  net::awaitable<result<reservation_outcome>> confirm(const std::string& user,
                                                      const std::string& rid,
                                                      const std::string& idem_key,
                                                      const confirm_request& req,
                                                      const std::string& fingerprint);
  net::awaitable<result<reservation_outcome>> release(const std::string& user,
                                                      const std::string& rid);
  net::awaitable<result<reservation_outcome>> get_reservation(const std::string& user,
                                                              const std::string& rid);
  // One page, oldest first.
  net::awaitable<result<reservation_page>> list_reservations(const std::string& user,
                                                             const std::string& event_id,
                                                             const list_request& page = {});

  net::awaitable<result<nlohmann::json>> get_event(const std::string& event_id);
  // The same read as a read-only call (EVALSHA_RO): the live availability
  // poller's (live/hub.h), which Redis counts apart in INFO commandstats.
  net::awaitable<result<nlohmann::json>> poll_event(const std::string& event_id);
  net::awaitable<result<nlohmann::json>> audit(const std::string& event_id);
  net::awaitable<result<event_outcome>> upsert_event(const std::string& event_id,
                                                     const nlohmann::json& config);
  net::awaitable<result<nlohmann::json>> set_status(const std::string& event_id,
                                                    const std::string& status);

  // A seated zone's seat map (inventory/seating/service.h).
  net::awaitable<result<seating::seat_map>> seat_map(const std::string& event_id,
                                                     const std::string& zone_id);

  // Expires due holds of one event (the sweeper). Returns the number expired,
  // or nullopt on a Redis failure.
  net::awaitable<std::optional<long long>> expire_holds(const std::string& event_id, int batch);

  // Data lifecycle (inventory/lifecycle.cc, docs/operations.md "Data
  // lifecycle"). One retention step of an event: ended reservations older
  // than `ended_ms` (released, expired) and `confirmed_ms` (confirmed;
  // nullopt = kept) whose outbox entries every group consumed, `batch` at
  // most. nullopt on a Redis failure.
  struct purge_outcome {
    long long removed = 0;
    bool more = false;  // the batch was full: call again
    bool idle = false;  // closed, no holds, outbox drained
  };
  net::awaitable<std::optional<purge_outcome>> purge_ended(
      const std::string& event_id, std::int64_t ended_ms, std::optional<std::int64_t> confirmed_ms,
      int batch);
  // Drops a closed, idle event from sg:events (the sweeper's and the
  // consumers' list); puts it back if it came alive meanwhile.
  net::awaitable<bool> retire_event(const std::string& event_id);
  // Archives a closed, drained event: every key under its prefix goes, and
  // it leaves the registries. Answers the number of keys removed;
  // event_not_found (after removing any key an interrupted archive left),
  // event_not_closed, holds_live, outbox_not_drained.
  net::awaitable<result<long long>> archive(const std::string& event_id);

  static constexpr int k_idempotency_ttl_s = 24 * 3600;
  static constexpr int k_expire_batch = 100;
  // The event's due holds a confirm call expires first (housekeeping; the
  // script's own default, sent so that every confirm of a batch carries it).
  static constexpr int k_confirm_expire_batch = 16;
  // read_audit sums the held reservations one by one only up to this many.
  static constexpr int k_audit_scan_limit = 10000;

 private:
  // Runs a script that answers with one reservation (confirm, release, read).
  net::awaitable<result<reservation_outcome>> reservation_script(lua::script s,
                                                                 std::vector<std::string> keys,
                                                                 std::vector<std::string> args);
  // Runs a script that answers with one JSON document (event, audit).
  net::awaitable<result<nlohmann::json>> document_script(lua::script s,
                                                         std::vector<std::string> keys,
                                                         std::vector<std::string> args,
                                                         bool read_only = false);
  void count(metrics::outcome o);
  // SADD sg:events (inventory/lifecycle.cc); false on a Redis failure.
  net::awaitable<bool> register_event(const std::string& event_id);

  redis::connection& conn_;
  metrics::registry& metrics_;
  unsigned reservations_per_minute_;
  pass_disposer dispose_pass_;
  group_commit batcher_;
};

}  // namespace seatgate::inventory
