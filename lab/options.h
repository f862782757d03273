// Command-line options of seatgate-lab (see --help and docs/strategies.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seatgate::lab {

struct options {
  // Workload: E events x S seats, the first H seats of each event hot.
  unsigned events = 1;
  unsigned seats = 200;
  unsigned hot = 20;
  unsigned hot_percent = 80;  // share of buyers who want a hot seat
  unsigned buyers = 50000;
  unsigned connections = 16;
  std::uint64_t seed = 42;
  // Time between reading a seat and writing it in the read-then-write
  // strategies (the application's own work); 0 = a thread yield.
  unsigned think_us = 0;

  // Distributed lock.
  unsigned lock_ttl_ms = 2000;
  unsigned lock_tries = 3;      // SET NX attempts, 1 ms, 2 ms ... apart
  unsigned pause_ttl_ms = 100;  // "lock-pause": a shorter TTL ...
  unsigned pause_ms = 150;      // ... and a longer pause between read and write
  unsigned pause_percent = 10;  // of the attempts that reach the write

  unsigned optimistic_retries = 3;

  // seatgate-server.
  unsigned server_threads = 2;
  std::vector<std::string> server_args;

  std::vector<std::string> strategies;  // empty: all
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
  std::string json_path, svg_path;
  bool check = false;
  unsigned check_tries = 5;
  bool quiet = false;
};

// All strategy names, in run order.
const std::vector<std::string>& all_strategies();

// Parses argv. On --help prints usage and returns nullopt with `exit_code`
// 0; on a bad flag prints the reason and returns nullopt with `exit_code` 2.
std::optional<options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace seatgate::lab
