#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

#include "outbox/schedule.h"
#include "util/random.h"

namespace seatgate {
namespace {

// One row per setting: the flag, its variable, its default as shown in
// --help, and what it does. `apply` parses a value into the config.
enum class kind { value, boolean };

struct option {
  std::string_view flag;  // without the leading "--"
  std::string_view env;   // empty: flag only
  kind k;
  std::string_view meta;  // value placeholder in --help
  std::string_view def;   // default shown in --help
  std::string_view help;
};

constexpr option k_options[] = {
    {"listen", "SEATGATE_LISTEN", kind::value, "HOST:PORT", "127.0.0.1:8080",
     "IP address and port to listen on (localhost = 127.0.0.1); IPv6 as [::1]:8080;\n"
     "                                  port 0 picks a free port."},
    {"redis-url", "SEATGATE_REDIS_URL", kind::value, "URL", "(embedded)",
     "redis://host:port or unix:///path, or a Redis Cluster:\n"
     "                                  redis+cluster://host:port[,host:port...] (docs/operations.md).\n"
     "                                  Unset: start a private redis-server child."},
    // The embedded Redis's persistence (docs/operations.md "Durability").
    {"data-dir", "SEATGATE_DATA_DIR", kind::value, "DIR", "./seatgate-data",
     "Embedded Redis: its append-only file lives in DIR (created, locked) and\n"
     "                                  survives restarts. Delete DIR to start afresh."},
    {"ephemeral", "SEATGATE_EPHEMERAL", kind::boolean, "", "off",
     "Embedded Redis: data in a temporary directory removed on exit."},
    {"fsync", "SEATGATE_FSYNC", kind::value, "MODE", "always",
     "Embedded Redis appendfsync: always (no acknowledged write lost) or everysec."},
    {"threads", "SEATGATE_THREADS", kind::value, "N", "0",
     "I/O threads, 0..1024; 0 = one per core."},
    {"web-root", "SEATGATE_WEB_ROOT", kind::value, "DIR", "(none)",
     "Serve the static site in DIR at /."},
    {"cors-origin", "SEATGATE_CORS_ORIGINS", kind::value, "ORIGIN", "(none)",
     "Allowed CORS origin; repeat the flag or give a comma-separated list."},
    {"demo", "SEATGATE_DEMO", kind::boolean, "", "off",
     "Demo mode: POST /v1/demo/token issues user tokens; secrets may be generated."},
    {"demo-seed", "SEATGATE_DEMO_SEED", kind::value, "FILE", "(none)",
     "With --demo: event config JSON to create at start."},
    {"jwt-secret-file", "SEATGATE_JWT_SECRET_FILE", kind::value, "FILE", "(none)",
     "Read the JWT secret from FILE (one trailing newline is trimmed)."},
    {"admin-token-file", "SEATGATE_ADMIN_TOKEN_FILE", kind::value, "FILE", "(none)",
     "Read the admin token from FILE (one trailing newline is trimmed)."},
    {"metrics-auth", "SEATGATE_METRICS_AUTH", kind::boolean, "", "off",
     "/metrics requires the admin token."},
    {"body-limit", "SEATGATE_BODY_LIMIT", kind::value, "BYTES", "16384",
     "Largest request body (413 above), 1..67108864."},
    {"header-limit", "SEATGATE_HEADER_LIMIT", kind::value, "BYTES", "8192",
     "Largest request header block (431 above), 1024..1048576."},
    {"idle-timeout-ms", "SEATGATE_IDLE_TIMEOUT_MS", kind::value, "MS", "30000",
     "Close a keep-alive connection idle this long."},
    {"request-timeout-ms", "SEATGATE_REQUEST_TIMEOUT_MS", kind::value, "MS", "10000",
     "Deadline for reading a request and for answering it."},
    {"max-connections", "SEATGATE_MAX_CONNECTIONS", kind::value, "N", "20000",
     "Open connections at most; more are refused. Lowered at start to fit the\n"
     "                                  open-file limit (the effective value is logged)."},
    {"max-connections-per-ip", "SEATGATE_MAX_CONNECTIONS_PER_IP", kind::value, "N", "256",
     "Open connections per client address (IPv6: per /64); more are refused;\n"
     "                                  0 = off. Behind a proxy, raise it or set 0."},
    {"user-rate-limit", "SEATGATE_USER_RATE_LIMIT", kind::value, "R", "10",
     "Requests per second per user, all threads together (429 above); 0 = off."},
    {"user-rate-burst", "SEATGATE_USER_RATE_BURST", kind::value, "N", "2 x rate",
     "Burst size of the per-user rate limit."},
    {"ip-rate-limit", "SEATGATE_IP_RATE_LIMIT", kind::value, "R", "200",
     "/v1 requests per second per client IP (IPv6: per /64); 0 = off."},
    {"ip-rate-burst", "SEATGATE_IP_RATE_BURST", kind::value, "N", "2 x rate",
     "Burst size of the per-IP rate limit."},
    {"jwt-leeway-s", "SEATGATE_JWT_LEEWAY_S", kind::value, "S", "5",
     "Clock skew allowed when checking a token's nbf and iat, 0..300."},
    {"jwt-max-lifetime-s", "SEATGATE_JWT_MAX_LIFETIME_S", kind::value, "S", "86400",
     "Longest token lifetime accepted: exp - iat (or exp - now), 60..31536000."},
    {"reservations-per-user-per-minute", "SEATGATE_RESERVATIONS_PER_USER_PER_MINUTE", kind::value,
     "N", "30",
     "Reservations one user may make per event in any 60 s (429 above), 0..10000;\n"
     "                                  0 = no cap."},
    {"reserve-batch", "SEATGATE_RESERVE_BATCH", kind::value, "N", "32",
     "Reservation requests (and, apart, confirms) of one event an I/O thread\n"
     "                                  sends to Redis in one script call at most (group\n"
     "                                  commit), 1..256; 1 = off."},
    {"sweep-interval-ms", "SEATGATE_SWEEP_INTERVAL_MS", kind::value, "MS", "500",
     "How often expired holds are swept back to available."},
    {"shutdown-timeout-ms", "SEATGATE_SHUTDOWN_TIMEOUT_MS", kind::value, "MS", "10000",
     "On SIGTERM/SIGINT: time for in-flight work to finish."},
    {"redis-timeout-ms", "SEATGATE_REDIS_TIMEOUT_MS", kind::value, "MS", "2000",
     "Deadline for one Redis command."},
    // Live availability streams.
    {"stream-interval-ms", "SEATGATE_STREAM_INTERVAL_MS", kind::value, "MS", "250",
     "How often a server reads a watched event's availability, 10..10000."},
    {"stream-heartbeat-ms", "SEATGATE_STREAM_HEARTBEAT_MS", kind::value, "MS", "15000",
     "A comment line on a quiet stream this often, so proxies keep it open."},
    {"max-stream-subscribers", "SEATGATE_MAX_STREAM_SUBSCRIBERS", kind::value, "N", "10000",
     "Open availability streams at most (503 above); 0 = streams off."},
    {"max-streams-per-ip", "SEATGATE_MAX_STREAMS_PER_IP", kind::value, "N", "32",
     "Open availability streams per client address (429 above); 0 = off."},
    // Outbox consumers: webhooks and PostgreSQL (docs/webhooks.md).
    {"webhooks-allow-private", "SEATGATE_WEBHOOKS_ALLOW_PRIVATE", kind::boolean, "", "off",
     "Webhooks may go to loopback/private addresses (and over http://): local receivers."},
    {"webhook-retry-schedule", "SEATGATE_WEBHOOK_RETRY_SCHEDULE", kind::value, "FIRST,MAX,WINDOW",
     "5000,3600000,86400000",
     "Webhook retries (ms): first wait, longest wait, then failed after WINDOW."},
    {"webhook-timeout-ms", "SEATGATE_WEBHOOK_TIMEOUT_MS", kind::value, "MS", "10000",
     "A webhook POST must be answered 2xx within this."},
    {"outbox-claim-ms", "SEATGATE_OUTBOX_CLAIM_MS", kind::value, "MS", "60000",
     "Outbox entries a consumer left pending this long are taken over by another."},
    {"postgres-url", "SEATGATE_POSTGRES_URL", kind::value, "URL", "(none)",
     "Copy every reservation into PostgreSQL (libpq conninfo or postgresql:// URL)."},
    {"webhook-ca-file", "SEATGATE_WEBHOOK_CA_FILE", kind::value, "FILE", "(system CAs only)",
     "PEM file of CA certificates trusted for https webhooks, besides the system's."},
    // Data lifecycle (docs/operations.md "Data lifecycle").
    {"retention", "SEATGATE_RETENTION", kind::value, "DURATION", "7d",
     "Keep released and expired reservations this long after their outbox\n"
     "                                  entries were consumed; then remove them. N followed\n"
     "                                  by s, m, h or d (e.g. 90s, 36h, 7d)."},
    {"retention-confirmed", "SEATGATE_RETENTION_CONFIRMED", kind::value, "DURATION|off", "off",
     "Remove confirmed reservations this long after confirmation (and consumption);\n"
     "                                  off = keep them until the event is archived."},
    {"log-level", "SEATGATE_LOG_LEVEL", kind::value, "LEVEL", "info",
     "debug, info, warn or error."},
    {"access-log", "SEATGATE_ACCESS_LOG", kind::boolean, "", "on",
     "One JSON log line per request; --no-access-log turns it off."},
};

const option* find_option(std::string_view flag) {
  for (const auto& o : k_options)
    if (o.flag == flag) return &o;
  return nullptr;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<bool> parse_bool(std::string_view v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  return std::nullopt;
}

template <class T>
bool parse_uint(std::string_view v, T lo, T hi, T& out) {
  if (v.empty() || v.size() > 19) return false;
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || p != v.data() + v.size()) return false;
  if (n < static_cast<std::uint64_t>(lo) || n > static_cast<std::uint64_t>(hi)) return false;
  out = static_cast<T>(n);
  return true;
}

bool read_secret_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = ss.str();
  if (!out.empty() && out.back() == '\n') {
    out.pop_back();
    if (!out.empty() && out.back() == '\r') out.pop_back();
  }
  return true;
}

// Where a value came from, for error messages.
std::string origin_of(const option& o, bool from_flag) {
  return from_flag ? "--" + std::string(o.flag) : std::string(o.env);
}

class builder {
 public:
  explicit builder(config& c) : c_(c) {}

  // "N<unit>", unit s, m, h or d, up to 3650 days.
  static std::optional<std::chrono::milliseconds> parse_duration(const std::string& v) {
    if (v.size() < 2) return std::nullopt;
    std::uint64_t unit = 0;
    switch (v.back()) {
      case 's': unit = 1000; break;
      case 'm': unit = 60'000; break;
      case 'h': unit = 3'600'000; break;
      case 'd': unit = 86'400'000; break;
      default: return std::nullopt;
    }
    std::uint64_t n = 0;
    if (!parse_uint<std::uint64_t>(v.substr(0, v.size() - 1), 0, 3650ULL * 86'400'000 / unit, n))
      return std::nullopt;
    return std::chrono::milliseconds(n * unit);
  }

  // Returns an error message, or "" when the value was taken.
  std::string apply(const option& o, std::string_view raw, bool from_flag) {
    const std::string v(raw);
    const std::string where = origin_of(o, from_flag);
    const auto bad = [&](std::string_view why) {
      return "invalid value '" + v + "' for " + where + ": " + std::string(why);
    };
    const std::string_view f = o.flag;
    if (o.k == kind::boolean) {
      const auto b = parse_bool(v);
      if (!b) return bad("expected 1/0, true/false, yes/no or on/off");
      if (f == "demo")
        c_.demo = *b;
      else if (f == "metrics-auth")
        c_.metrics_public = !*b;
      else if (f == "access-log")
        c_.access_log = *b;
      else if (f == "ephemeral")
        c_.ephemeral = *b;
      else if (f == "webhooks-allow-private")
        c_.webhooks_allow_private = *b;
      return {};
    }
    if (f == "listen") {
      std::string host;
      unsigned short port = 0;
      if (!parse_listen(v, host, port))
        return bad("expected IP:PORT with a port 0..65535, e.g. 0.0.0.0:8080 or [::1]:8080");
      c_.listen_host = host;
      c_.listen_port = port;
    } else if (f == "redis-url") {
      if (!v.empty() && v.rfind("redis://", 0) != 0 && v.rfind("unix://", 0) != 0 &&
          v.rfind("redis+cluster://", 0) != 0)
        return bad("expected redis://host:port, unix:///path or redis+cluster://host:port,...");
      if (v == "redis://" || v == "unix://" || v == "redis+cluster://")
        return bad("the URL names no server");
      c_.redis_url = v;
    } else if (f == "data-dir") {
      if (v.empty()) return bad("expected a directory");
      c_.data_dir = v;
    } else if (f == "fsync") {
      if (v != "always" && v != "everysec") return bad("expected always or everysec");
      c_.fsync = v;
    } else if (f == "threads") {
      if (!parse_uint<unsigned>(v, 0, 1024, c_.threads)) return bad("expected an integer 0..1024");
    } else if (f == "web-root") {
      struct stat st {};
      if (v.empty() || ::stat(v.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return bad("not a directory");
      c_.web_root = v;
    } else if (f == "cors-origin") {
      if (!from_flag || !cors_from_flag_) {
        if (from_flag) cors_from_flag_ = true;
        c_.cors_origins.clear();
      }
      std::string_view rest = v;
      while (true) {
        const auto comma = rest.find(',');
        const std::string one = trim(rest.substr(0, comma));
        if (!one.empty()) {
          if (one != "*" && one.rfind("http://", 0) != 0 && one.rfind("https://", 0) != 0)
            return bad("an origin is '*' or starts with http:// or https://");
          c_.cors_origins.push_back(one);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (f == "demo-seed") {
      c_.demo_seed = v;
    } else if (f == "jwt-secret-file" || f == "admin-token-file") {
      std::string& dst = f == "jwt-secret-file" ? c_.jwt_secret : c_.admin_token;
      if (!read_secret_file(v, dst)) return bad("cannot read the file");
    } else if (f == "body-limit") {
      if (!parse_uint<std::size_t>(v, 1, 64u << 20, c_.body_limit))
        return bad("expected 1..67108864");
    } else if (f == "header-limit") {
      if (!parse_uint<std::size_t>(v, 1024, 1u << 20, c_.header_limit))
        return bad("expected 1024..1048576");
    } else if (f == "user-rate-limit" || f == "user-rate-burst" || f == "ip-rate-limit" ||
               f == "ip-rate-burst") {
      double d = 0;
      auto [ptr, e] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (e != std::errc() || ptr != v.data() + v.size() || !(d >= 0) || d > 1e6)
        return bad("expected a number 0..1000000");
      (f == "user-rate-limit"   ? c_.user_rate_limit
       : f == "user-rate-burst" ? c_.user_rate_burst
       : f == "ip-rate-limit"   ? c_.ip_rate_limit
                                : c_.ip_rate_burst) = d;
    } else if (f == "jwt-leeway-s") {
      if (!parse_uint<std::int64_t>(v, 0, 300, c_.jwt_leeway_s)) return bad("expected 0..300");
    } else if (f == "jwt-max-lifetime-s") {
      if (!parse_uint<std::int64_t>(v, 60, 31'536'000, c_.jwt_max_lifetime_s))
        return bad("expected 60..31536000");
    } else if (f == "reservations-per-user-per-minute") {
      if (!parse_uint<unsigned>(v, 0, 10'000, c_.reservations_per_user_per_minute))
        return bad("expected an integer 0..10000");
    } else if (f == "reserve-batch") {
      if (!parse_uint<std::size_t>(v, 1, 256, c_.reserve_batch)) return bad("expected 1..256");
    } else if (f == "max-connections") {
      if (!parse_uint<std::size_t>(v, 1, 1'000'000, c_.max_connections))
        return bad("expected 1..1000000");
    } else if (f == "max-connections-per-ip") {
      if (!parse_uint<std::size_t>(v, 0, 1'000'000, c_.max_connections_per_ip))
        return bad("expected 0..1000000");
    } else if (f == "max-stream-subscribers" || f == "max-streams-per-ip") {
      if (!parse_uint<std::size_t>(v, 0, 1'000'000, f == "max-stream-subscribers"
                                                        ? c_.max_stream_subscribers
                                                        : c_.max_streams_per_ip))
        return bad("expected 0..1000000");
    } else if (f == "webhook-retry-schedule") {
      if (outbox::retry_schedule s; !outbox::parse_schedule(v, s))
        return bad("expected FIRST_MS,MAX_MS,WINDOW_MS with 1 <= FIRST <= MAX");
      c_.webhook_retry_schedule = v;
    } else if (f == "webhook-ca-file") {
      if (::access(v.c_str(), R_OK) != 0) return bad("cannot read the file");
      c_.webhook_ca_file = v;
    } else if (f == "retention" || f == "retention-confirmed") {
      if (f == "retention-confirmed" && v == "off") {
        c_.retention_confirmed.reset();
        return {};
      }
      const auto d = parse_duration(v);
      if (!d) return bad("expected N followed by s, m, h or d (e.g. 7d), at most 3650d");
      if (f == "retention")
        c_.retention = *d;
      else
        c_.retention_confirmed = *d;
    } else if (f == "postgres-url") {
      if (v.empty()) return bad("expected a PostgreSQL connection string");
      c_.postgres_url = v;
    } else if (f == "log-level") {
      if (v != "debug" && v != "info" && v != "warn" && v != "error")
        return bad("expected debug, info, warn or error");
      c_.log_level = v;
    } else {
      std::chrono::milliseconds* ms = nullptr;
      std::uint64_t lo = 1, hi = 3'600'000;
      if (f == "idle-timeout-ms")
        ms = &c_.idle_timeout;
      else if (f == "request-timeout-ms")
        ms = &c_.request_timeout;
      else if (f == "sweep-interval-ms") {
        ms = &c_.sweep_interval;
        lo = 10;
        hi = 60'000;
      } else if (f == "shutdown-timeout-ms") {
        ms = &c_.shutdown_timeout;
        lo = 0;
      } else if (f == "stream-interval-ms" || f == "stream-heartbeat-ms") {
        const bool interval = f == "stream-interval-ms";
        ms = interval ? &c_.stream_interval : &c_.stream_heartbeat;
        lo = interval ? 10 : 1;
        hi = interval ? 10'000 : 600'000;
      } else if (f == "webhook-timeout-ms" || f == "outbox-claim-ms") {
        ms = f == "webhook-timeout-ms" ? &c_.webhook_timeout : &c_.outbox_claim_idle;
        lo = 100;
      } else if (f == "redis-timeout-ms") {
        ms = &c_.redis_timeout;
        lo = 10;
        hi = 600'000;
      }
      if (!ms) return "internal: unhandled option --" + std::string(f);
      std::uint64_t n = 0;
      if (!parse_uint<std::uint64_t>(v, lo, hi, n))
        return bad("expected milliseconds " + std::to_string(lo) + ".." + std::to_string(hi));
      *ms = std::chrono::milliseconds(n);
    }
    return {};
  }

 private:
  config& c_;
  bool cors_from_flag_ = false;
};

}  // namespace

bool parse_listen(std::string_view text, std::string& host, unsigned short& port) {
  std::string_view h, p;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
    if (h.find(':') == std::string_view::npos) return false;  // brackets are for IPv6
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
    if (h.find(':') != std::string_view::npos) return false;  // bare IPv6 needs brackets
  }
  if (h.empty() || p.empty()) return false;
  // The listener binds an address, not a name: only IP literals, plus
  // "localhost" as 127.0.0.1.
  std::string addr = h == "localhost" ? "127.0.0.1" : std::string(h);
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(addr, ec);
  if (ec) return false;
  unsigned short n = 0;
  if (!parse_uint<unsigned short>(p, 0, 65535, n)) return false;
  host = std::move(addr);
  port = n;
  return true;
}

parse_result parse_config(int argc, const char* const* argv, const env_lookup& getenv_fn) {
  parse_result r;
  config c;
  builder b(c);
  const auto fail = [&](std::string msg) {
    r.error = std::move(msg);
    return r;
  };

  // Environment first, so that flags override it.
  for (const auto& o : k_options) {
    if (o.env.empty()) continue;
    const auto v = getenv_fn(o.env);
    if (!v) continue;
    if (o.flag == "redis-url" && v->empty()) continue;
    if (auto err = b.apply(o, *v, false); !err.empty()) return fail(err);
  }
  const auto jwt_env = getenv_fn("SEATGATE_JWT_SECRET");
  const auto admin_env = getenv_fn("SEATGATE_ADMIN_TOKEN");
  if (jwt_env && getenv_fn("SEATGATE_JWT_SECRET_FILE"))
    return fail("set SEATGATE_JWT_SECRET or SEATGATE_JWT_SECRET_FILE, not both");
  if (admin_env && getenv_fn("SEATGATE_ADMIN_TOKEN_FILE"))
    return fail("set SEATGATE_ADMIN_TOKEN or SEATGATE_ADMIN_TOKEN_FILE, not both");
  if (jwt_env) c.jwt_secret = *jwt_env;
  if (admin_env) c.admin_token = *admin_env;

  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      r.help = true;
      return r;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2)
      return fail("unexpected argument '" + std::string(arg) + "' (see --help)");
    arg.remove_prefix(2);
    std::optional<std::string_view> inline_value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    const option* o = find_option(arg);
    if (!o && arg.rfind("no-", 0) == 0) {
      const option* neg = find_option(arg.substr(3));
      if (neg && neg->k == kind::boolean && !inline_value) {
        if (auto err = b.apply(*neg, "false", true); !err.empty()) return fail(err);
        continue;
      }
    }
    if (!o) return fail("unknown flag --" + std::string(arg) + " (see --help)");
    std::string_view value;
    if (o->k == kind::boolean) {
      value = inline_value.value_or("true");
    } else if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= argc || std::string_view(argv[i + 1]).rfind("--", 0) == 0)
        return fail("--" + std::string(o->flag) + " needs a value " + std::string(o->meta));
      value = argv[++i];
    }
    if (auto err = b.apply(*o, value, true); !err.empty()) return fail(err);
  }

  if (!c.demo_seed.empty() && !c.demo) return fail("--demo-seed needs --demo");
  if (!c.redis_url.empty() && (!c.data_dir.empty() || c.ephemeral))
    return fail("--data-dir and --ephemeral are for the embedded Redis, not with --redis-url");
  if (!c.data_dir.empty() && c.ephemeral)
    return fail("--data-dir and --ephemeral exclude each other");
  if (c.jwt_secret.empty() && c.demo) {
    c.jwt_secret = util::random_token(32);
    c.jwt_secret_generated = true;
  } else if (c.jwt_secret.size() < 32 && !c.demo) {
    return fail(
        c.jwt_secret.empty()
            ? "SEATGATE_JWT_SECRET (or SEATGATE_JWT_SECRET_FILE) is required, at least 32 bytes"
            : "SEATGATE_JWT_SECRET is too short: at least 32 bytes are required");
  }
  if (c.admin_token.empty() && !c.demo)
    return fail("SEATGATE_ADMIN_TOKEN (or SEATGATE_ADMIN_TOKEN_FILE) is required");
  r.cfg = std::move(c);
  return r;
}

parse_result parse_config(int argc, const char* const* argv) {
  return parse_config(argc, argv, [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

std::string help_text() {
  std::string out =
      "Usage: seatgate-server [FLAGS]\n"
      "\n"
      "A flag wins over its environment variable. Values: --flag VALUE or --flag=VALUE;\n"
      "switches: --flag, --flag=false or --no-flag; their variables take 1/0, true/false.\n"
      "\n"
      "Flags:\n";
  for (const auto& o : k_options) {
    std::string left = "  --" + std::string(o.flag);
    if (!o.meta.empty()) left += " " + std::string(o.meta);
    out += left;
    out.append(left.size() < 34 ? 34 - left.size() : 1, ' ');
    out += std::string(o.help) + "\n";
    out.append(34, ' ');
    out += "env " + std::string(o.env) + ", default " + std::string(o.def) + "\n";
  }
  out +=
      "  --help, -h                      Print this text and exit.\n"
      "\n"
      "Secrets (environment only, or the *_FILE variants / flags above):\n"
      "  SEATGATE_JWT_SECRET             HS256 key for user tokens; at least 32 bytes.\n"
      "                                  Required, except with --demo, where a random one\n"
      "                                  is generated when unset (tokens then die with the "
      "process).\n"
      "  SEATGATE_ADMIN_TOKEN            Bearer token for /v1/admin/*, compared in constant time.\n"
      "                                  Required, except with --demo, where it may be unset.\n"
      "  Set a secret or its _FILE variable, not both.\n";
  return out;
}

}  // namespace seatgate
