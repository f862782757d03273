#include "util/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "util/time.h"

namespace seatgate::log {
namespace {

std::atomic<level> g_min_level{level::info};

std::string_view level_name(level l) {
  switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
  }
  return "info";
}

}  // namespace

void set_min_level(level l) { g_min_level.store(l, std::memory_order_relaxed); }

void write(level l, std::string_view msg, const nlohmann::json& fields) {
  if (l < g_min_level.load(std::memory_order_relaxed)) return;
  std::string line = format_line(l, msg, fields, util::now_ms());
  // One write(2) per line keeps lines whole across threads (stderr is
  // unbuffered; a pipe write up to PIPE_BUF is atomic).
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report it
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string format_line(level l, std::string_view msg, const nlohmann::json& fields,
                        std::int64_t ts_ms) {
  nlohmann::ordered_json j;
  j["ts"] = util::rfc3339_ms(ts_ms);
  j["level"] = level_name(l);
  j["msg"] = msg;
  if (fields.is_object()) {
    for (const auto& [k, v] : fields.items()) {
      if (k == "ts" || k == "level" || k == "msg") continue;
      j[k] = v;
    }
  } else if (!fields.is_null()) {
    j["fields"] = fields;
  }
  // Invalid UTF-8 from a client (a path, a header) must not lose the line.
  std::string out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.push_back('\n');
  return out;
}

std::optional<level> parse_level(std::string_view s) {
  if (s == "debug") return level::debug;
  if (s == "info") return level::info;
  if (s == "warn") return level::warn;
  if (s == "error") return level::error;
  return std::nullopt;
}

}  // namespace seatgate::log
