#include "options.h"

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

namespace seatgate::bench {
namespace {

constexpr std::string_view k_usage = R"(seatgate-load: HTTP load generator for seatgate-server

usage: seatgate-load [flags]

  --target HOST:PORT      server address (default 127.0.0.1:8080)
  --scenario NAME         reserve | reserve-confirm | flash-sale | event-read
                          (default reserve)
  --mode closed|open      closed loop: each connection sends its next request
                          when the previous answers; open loop: operations
                          start at a constant --rate, latency measured from
                          the intended start (no coordinated omission)
  --rate N                open loop: operations per second, in total
  --connections N         keep-alive connections, in total (default 64)
  --threads N             client threads, each with its own connections (default 1)
  --duration S            measured seconds (default 10); for flash-sale the
                          time limit (default 120)
  --warmup S              seconds run before the measured window (default 0)
  --drain S               after the window, finish in-flight work for at most
                          S seconds (default 5)
  --timeout S             per-request timeout (default 10)
  --event ID              event id (default bench-<scenario>-<random>)
  --no-setup              use an existing event: do not PUT it first
  --seated                a seated zone of --capacity seats (rows of 100, aisles
                          after seats 25 and 75; docs/seating.md): each reserve
                          asks for best available, split allowed
  --capacity N            zone capacity (default 10000000, the server's maximum;
                          flash-sale 10000)
  --users N               distinct users (default 100000)
  --operations N          start at most N operations, then finish (default: no limit)
  --quantity N            seats per reservation (default 1)
  --max-per-user N        event max_per_user (default 10000; flash-sale 10)
  --hold-ttl S            event hold_ttl_s (default 600)
  --json FILE             also write the results as JSON (- = stdout)
  --label TEXT            free text copied into the JSON
  --quiet                 no live progress line on stderr

environment: SEATGATE_JWT_SECRET (signs user tokens), SEATGATE_ADMIN_TOKEN
(event setup and the flash-sale audit).
exit status: 0 done; 1 nothing succeeded or setup failed; 2 bad usage;
3 flash-sale invariant violated.
)";

double to_number(std::string_view flag, const std::string& v) {
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || d < 0) {
    throw std::invalid_argument(std::string(flag) + ": not a non-negative number: " + v);
  }
  return d;
}

}  // namespace

const char* name_of(scenario_kind s) {
  switch (s) {
    case scenario_kind::reserve:
      return "reserve";
    case scenario_kind::reserve_confirm:
      return "reserve-confirm";
    case scenario_kind::flash_sale:
      return "flash-sale";
    case scenario_kind::event_read:
      return "event-read";
  }
  return "?";
}

const char* name_of(loop_mode m) { return m == loop_mode::closed ? "closed" : "open"; }

std::optional<options> parse_options(int argc, char** argv, int& exit_code) {
  options o;
  bool duration_set = false;
  exit_code = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string flag = argv[i];
      std::string value;
      bool has_value = false;
      if (auto eq = flag.find('='); eq != std::string::npos && flag.starts_with("--")) {
        value = flag.substr(eq + 1);
        flag.resize(eq);
        has_value = true;
      }
      auto next = [&]() -> const std::string& {
        if (!has_value) {
          if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
          value = argv[++i];
          has_value = true;
        }
        return value;
      };
      if (flag == "--help" || flag == "-h") {
        std::cout << k_usage;
        return std::nullopt;
      } else if (flag == "--target") {
        const auto& t = next();
        auto colon = t.rfind(':');
        if (colon == std::string::npos) throw std::invalid_argument("--target: HOST:PORT");
        o.host = t.substr(0, colon);
        o.port = t.substr(colon + 1);
      } else if (flag == "--scenario") {
        const auto& s = next();
        if (s == "reserve")
          o.scenario = scenario_kind::reserve;
        else if (s == "reserve-confirm")
          o.scenario = scenario_kind::reserve_confirm;
        else if (s == "flash-sale")
          o.scenario = scenario_kind::flash_sale;
        else if (s == "event-read")
          o.scenario = scenario_kind::event_read;
        else
          throw std::invalid_argument("--scenario: unknown " + s);
      } else if (flag == "--mode") {
        const auto& m = next();
        if (m == "closed")
          o.mode = loop_mode::closed;
        else if (m == "open")
          o.mode = loop_mode::open;
        else
          throw std::invalid_argument("--mode: closed or open");
      } else if (flag == "--rate") {
        o.rate = to_number(flag, next());
      } else if (flag == "--connections") {
        o.connections = static_cast<unsigned>(to_number(flag, next()));
      } else if (flag == "--threads") {
        o.threads = static_cast<unsigned>(to_number(flag, next()));
      } else if (flag == "--duration") {
        o.duration_s = to_number(flag, next());
        duration_set = true;
      } else if (flag == "--warmup") {
        o.warmup_s = to_number(flag, next());
      } else if (flag == "--drain") {
        o.drain_s = to_number(flag, next());
      } else if (flag == "--timeout") {
        o.timeout_s = to_number(flag, next());
      } else if (flag == "--event") {
        o.event_id = next();
      } else if (flag == "--no-setup") {
        o.setup = false;
      } else if (flag == "--seated") {
        o.seated = true;
      } else if (flag == "--capacity") {
        o.capacity = static_cast<std::uint64_t>(to_number(flag, next()));
      } else if (flag == "--users") {
        o.users = static_cast<std::uint64_t>(to_number(flag, next()));
      } else if (flag == "--operations") {
        o.operations = static_cast<std::uint64_t>(to_number(flag, next()));
      } else if (flag == "--quantity") {
        o.quantity = static_cast<unsigned>(to_number(flag, next()));
      } else if (flag == "--max-per-user") {
        o.max_per_user = static_cast<std::uint64_t>(to_number(flag, next()));
      } else if (flag == "--hold-ttl") {
        o.hold_ttl_s = static_cast<unsigned>(to_number(flag, next()));
      } else if (flag == "--json") {
        o.json_path = next();
      } else if (flag == "--label") {
        o.label = next();
      } else if (flag == "--quiet") {
        o.progress = false;
      } else {
        throw std::invalid_argument("unknown flag " + flag + " (see --help)");
      }
    }
    if (o.mode == loop_mode::open && o.rate <= 0) {
      throw std::invalid_argument("--mode open needs --rate");
    }
    if (o.connections == 0 || o.threads == 0 || o.users == 0 || o.quantity == 0) {
      throw std::invalid_argument("--connections, --threads, --users, --quantity must be >= 1");
    }
    if (o.threads > o.connections) o.threads = o.connections;
    if (o.scenario == scenario_kind::flash_sale) {
      if (!duration_set) o.duration_s = 120;
      if (o.capacity == 0) o.capacity = 10000;
      if (o.max_per_user == 0) o.max_per_user = 10;
    }
    if (o.capacity == 0) o.capacity = 10000000;
    if (o.max_per_user == 0) o.max_per_user = 10000;
  } catch (const std::exception& e) {
    std::cerr << "seatgate-load: " << e.what() << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (const char* s = std::getenv("SEATGATE_JWT_SECRET")) o.jwt_secret = s;
  if (const char* s = std::getenv("SEATGATE_ADMIN_TOKEN")) o.admin_token = s;
  return o;
}

}  // namespace seatgate::bench
