// Command-line options of seatgate-load (`seatgate-load --help`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace seatgate::bench {

enum class scenario_kind { reserve, reserve_confirm, flash_sale, event_read };
enum class loop_mode { closed, open };

struct options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  scenario_kind scenario = scenario_kind::reserve;
  loop_mode mode = loop_mode::closed;
  double rate = 0;  // open loop: operations started per second, all threads
  unsigned connections = 64;
  unsigned threads = 1;
  double duration_s = 10;      // measured window; for the flash sale, its time limit
  double warmup_s = 0;         // run, but not measured, before the window
  double drain_s = 5;          // after the window: finish what is in flight, at most this long
  double timeout_s = 10;       // per request
  std::string event_id;        // default: bench-<scenario>-<random>
  bool setup = true;           // PUT the event through the admin API first
  bool seated = false;         // the zone is seated (rows of 100); reserves ask for best available
  std::uint64_t capacity = 0;  // 0: scenario default
  std::uint64_t users = 100000;
  std::uint64_t operations = 0;  // 0: unlimited; else start at most this many operations
  unsigned quantity = 1;
  std::uint64_t max_per_user = 0;  // 0: scenario default
  unsigned hold_ttl_s = 600;
  std::string json_path;  // "-" = stdout
  std::string label;
  bool progress = true;
  std::string jwt_secret;   // SEATGATE_JWT_SECRET
  std::string admin_token;  // SEATGATE_ADMIN_TOKEN
};

const char* name_of(scenario_kind s);
const char* name_of(loop_mode m);

// Parses argv. On --help prints usage and returns an exit code of 0 in
// `exit_code`; on a bad flag prints why and sets it to 2.
std::optional<options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace seatgate::bench
