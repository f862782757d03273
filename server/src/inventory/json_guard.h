// The strict JSON every request body goes through, and the field readers the
// body parsers share. Pure: text in, values or an errc out.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/errc.h"

namespace seatgate::inventory {

// A parsed request part, or why it was refused (`error`, meaningful when
// !value: invalid_json, invalid_request, invalid_quantity, ...).
template <class T>
struct parsed {
  std::optional<T> value;
  seatgate::error error;
};

template <class T>
parsed<T> fail(errc code, std::string detail) {
  parsed<T> p;
  p.error = {code, std::move(detail), std::nullopt, std::nullopt};
  return p;
}

// nlohmann's lexer takes a NUL byte for the end of the input, so a value
// followed by "\0anything" would parse. JSON text never holds a raw NUL
// (not even inside a string), so any NUL makes the body invalid.
bool has_nul(std::string_view text);

// Parses JSON text, refusing duplicate keys (ambiguous: which one counts?),
// nesting deeper than 32 and anything after the value but whitespace.
// nullopt + `why` on failure.
std::optional<nlohmann::json> parse_json(std::string_view text, std::string& why);

// The object's first key not in `allowed`, if any.
std::optional<std::string> unknown_key(const nlohmann::json& obj,
                                       std::initializer_list<std::string_view> allowed);

// Field readers: "" when fine, else the detail of the failure naming the
// field as `where` + `key` ("zones[0].capacity"). A missing field takes
// `def`, or is refused when there is none.
// An integer in [lo, hi]; floats (even 2.0) are not integers.
std::string read_int(const nlohmann::json& obj, const std::string& key, std::int64_t lo,
                     std::int64_t hi, std::optional<std::int64_t> def, std::int64_t& out,
                     std::string_view where = {});
// A string of 1..max_len bytes without control characters.
std::string read_string(const nlohmann::json& obj, const std::string& key, std::size_t max_len,
                        std::optional<std::string_view> def, std::string& out,
                        std::string_view where = {});
// A slug (required).
std::string read_slug(const nlohmann::json& obj, const std::string& key, std::string& out,
                      std::string_view where = {});

}  // namespace seatgate::inventory
