// Structured JSON logs, one line per event on stderr. Thread-safe (one
// write(2) per line).
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
std::string format_line(level l, std::string_view msg, const nlohmann::json& fields, std::int64_t ts_ms);
// "debug" | "info" | "warn" | "error".
std::optional<level> parse_level(std::string_view s);

inline void debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::debug, m, f); }
inline void info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::info, m, f); }
inline void warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::warn, m, f); }
inline void error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::error, m, f); }

}  // namespace seatgate::log
