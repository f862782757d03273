// Flags and SEATGATE_* environment variables (docs/operations.md). A flag wins over its
// environment variable; --help lists them all.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate {

struct config {
  std::string listen_host = "127.0.0.1";  // --listen HOST:PORT / SEATGATE_LISTEN
  unsigned short listen_port = 8080;
  std::string redis_url;  // --redis-url / SEATGATE_REDIS_URL; empty = embedded
  // The embedded Redis (docs/operations.md "Durability"): --data-dir (empty:
  // ./seatgate-data), --ephemeral (a temporary directory), --fsync.
  std::string data_dir;
  bool ephemeral = false;
  std::string fsync = "always";
  unsigned threads = 0;   // --threads / SEATGATE_THREADS; 0 = hardware cores
  std::string web_root;   // --web-root / SEATGATE_WEB_ROOT
  std::vector<std::string>
      cors_origins;            // --cors-origin (repeatable, or comma list) / SEATGATE_CORS_ORIGINS
  bool demo = false;           // --demo / SEATGATE_DEMO=1
  std::string demo_seed;       // --demo-seed FILE: event config JSON to PUT at start (with --demo)
  std::string jwt_secret;      // SEATGATE_JWT_SECRET or SEATGATE_JWT_SECRET_FILE
  std::string admin_token;     // SEATGATE_ADMIN_TOKEN or SEATGATE_ADMIN_TOKEN_FILE
  bool metrics_public = true;  // --metrics-auth => /metrics needs the admin token
  std::size_t body_limit = 16 * 1024;                // --body-limit BYTES
  std::size_t header_limit = 8 * 1024;               // --header-limit BYTES
  std::chrono::milliseconds idle_timeout{30000};     // --idle-timeout-ms
  std::chrono::milliseconds request_timeout{10000};  // --request-timeout-ms
  std::size_t max_connections = 20000;  // --max-connections; clamped below the fd limit at start
  std::size_t max_connections_per_ip = 256;  // --max-connections-per-ip; 0 = off
  // Rate limits, shared by all I/O threads (docs/operations.md "Rate limits").
  double user_rate_limit = 10;    // --user-rate-limit R: requests/s per user; 0 = off
  double user_rate_burst = 0;     // --user-rate-burst N: bucket size; 0 = 2 x rate (at least 1)
  double ip_rate_limit = 200;     // --ip-rate-limit R: /v1 requests/s per client IP; 0 = off
  double ip_rate_burst = 0;       // --ip-rate-burst N: bucket size; 0 = 2 x rate (at least 1)
  std::int64_t jwt_leeway_s = 5;  // --jwt-leeway-s: clock skew allowed for nbf/iat
  std::int64_t jwt_max_lifetime_s = 86400;  // --jwt-max-lifetime-s: exp - (iat or now) at most
  // --reservations-per-user-per-minute N: reservations one user may make per
  // event in any 60 s (429 rate_limited above it); 0 = no cap.
  unsigned reservations_per_user_per_minute = 30;
  // --reserve-batch N: reservation requests of one event that one I/O thread
  // sends to Redis in one script call at most (group commit); 1 = off.
  std::size_t reserve_batch = 32;
  std::chrono::milliseconds sweep_interval{500};      // --sweep-interval-ms
  std::chrono::milliseconds shutdown_timeout{10000};  // --shutdown-timeout-ms
  std::chrono::milliseconds redis_timeout{2000};      // --redis-timeout-ms
  std::string log_level = "info";                     // --log-level debug|info|warn|error
  bool access_log = true;                             // --no-access-log
  // Live availability (GET /v1/events/{id}/stream; docs/operations.md "Live availability").
  std::chrono::milliseconds stream_interval{250};     // --stream-interval-ms: one read per event
  std::chrono::milliseconds stream_heartbeat{15000};  // --stream-heartbeat-ms: comment line
  std::size_t max_stream_subscribers = 10000;         // --max-stream-subscribers (503 above)
  std::size_t max_streams_per_ip = 32;                // --max-streams-per-ip (429 above); 0 = off
  // Outbox consumers (docs/webhooks.md; docs/operations.md "PostgreSQL system of record").
  bool webhooks_allow_private = false;                           // --webhooks-allow-private
  std::string webhook_retry_schedule = "5000,3600000,86400000";  // --webhook-retry-schedule
  std::chrono::milliseconds webhook_timeout{10000};              // --webhook-timeout-ms
  std::chrono::milliseconds outbox_claim_idle{60000};            // --outbox-claim-ms
  std::string postgres_url;                                      // --postgres-url
  std::string webhook_ca_file;  // --webhook-ca-file: extra CAs trusted for https webhooks
  // Data lifecycle (docs/operations.md "Data lifecycle"): how long ended
  // reservations are kept after their outbox entries were consumed.
  std::chrono::milliseconds retention{7LL * 24 * 3600 * 1000};       // --retention
  std::optional<std::chrono::milliseconds> retention_confirmed;     // --retention-confirmed; off
  bool jwt_secret_generated = false;  // --demo without a secret: jwt_secret is random
};

struct parse_result {
  std::optional<config> cfg;  // set on success
  bool help = false;          // --help was asked: print help_text(), exit 0
  std::string error;          // non-empty on a bad flag/value: print, exit 2
};

// argv as given to main; env lookups through getenv.
// Rules: flags override variables; bad values, unknown flags and stray
// arguments are errors naming the flag or variable. Unless --demo,
// jwt_secret must be >= 32 bytes and admin_token non-empty; with --demo an
// unset jwt_secret is generated (jwt_secret_generated) and an unset
// admin_token is left empty for main to generate and print.
parse_result parse_config(int argc, const char* const* argv);

// The same with the environment injected (tests): returns a variable's
// value, or nullopt when it is unset.
using env_lookup = std::function<std::optional<std::string>(std::string_view)>;
parse_result parse_config(int argc, const char* const* argv, const env_lookup& getenv_fn);

// "IPv4:PORT", "[IPv6]:PORT" or "localhost:PORT" -> host (an IP literal,
// brackets removed; localhost becomes 127.0.0.1) and port 0..65535.
bool parse_listen(std::string_view text, std::string& host, unsigned short& port);
std::string help_text();

}  // namespace seatgate
