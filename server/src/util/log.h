// Structured JSON logs, one line per event on stderr. Thread-safe (one
// write(2) per line).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace seatgate::log {

enum class level { debug, info, warn, error };
void set_min_level(level l);
// Writes {"ts":"<RFC3339>","level":"info","msg":msg, ...fields}.
void write(level l, std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

inline void info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::info, m, f); }
inline void warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::warn, m, f); }
inline void error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) { write(level::error, m, f); }

}  // namespace seatgate::log
