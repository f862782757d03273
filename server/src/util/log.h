// Structured JSON logs, one line per event on stderr. Thread-safe: lines are
// written whole, never interleaved.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::log {

enum class level { debug, info, warn, error };
void set_min_level(level l);
// Writes {"ts":"<RFC3339>","level":"info","msg":msg, ...fields}.
void write(level l, std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

// The line write() would emit at `ts_ms` (ms since the epoch), newline
// included. Fields named ts/level/msg are dropped; a non-object `fields` is
// nested under "fields". Invalid UTF-8 is replaced, never thrown.
std::string format_line(level l, std::string_view msg, const nlohmann::json& fields,
                        std::int64_t ts_ms);
// The access log: one line per request, the same JSON write(level::info,
// "request", fields) gives for these fields (sorted keys: latency_ms, method,
// path, request_id, status, user — user null when empty). Formatted without a
// JSON object, and buffered per thread: a background thread writes what every
// thread buffered at most ~50 ms after the first unwritten line, any other
// log line first writes what is buffered, and so does flush() and the end of
// the process (static destruction). Invalid UTF-8 is replaced.
struct access_fields {
  std::string_view method, path;
  unsigned status = 0;
  double latency_ms = 0;
  std::string_view request_id, user;
};
void access(const access_fields& f);
// The line access() would write at `ts_ms`, newline included.
std::string format_access(const access_fields& f, std::int64_t ts_ms);
// Writes every buffered line now.
void flush();

// "debug" | "info" | "warn" | "error".
std::optional<level> parse_level(std::string_view s);

inline void debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  write(level::debug, m, f);
}
inline void info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  write(level::info, m, f);
}
inline void warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  write(level::warn, m, f);
}
inline void error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
  write(level::error, m, f);
}

}  // namespace seatgate::log
