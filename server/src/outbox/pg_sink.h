// The PostgreSQL system of record (docs/operations.md "PostgreSQL system of
// record"): with --postgres-url, every outbox entry is upserted into
// `seatgate_reservations`, one row per reservation, an older version never
// overwriting a newer. Consumer group `pg`: entries are acknowledged after
// the transaction that wrote them commits (at least once, same effect).
// libpq and a synchronous Redis connection on a thread of its own, so a
// slow database never holds up a request.
#pragma once

#include "metrics/metrics.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace seatgate::outbox {

// The schema, created on start (idempotent).
extern const char k_pg_schema[];

class pg_sink {
 public:
  pg_sink(std::string redis_url, std::string pg_url, std::string consumer,
          std::chrono::milliseconds claim_idle, metrics::registry& m);
  ~pg_sink();
  pg_sink(const pg_sink&) = delete;
  pg_sink& operator=(const pg_sink&) = delete;

  // Connects once and creates the schema; false with `why` when it cannot
  // (the server then refuses to start).
  static bool probe(const std::string& pg_url, std::string& why);

  void start();
  void stop();  // joins the thread; idempotent

 private:
  void run();
  std::string redis_url_, pg_url_, consumer_;
  std::chrono::milliseconds claim_idle_;
  metrics::registry& metrics_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace seatgate::outbox
