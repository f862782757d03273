// The request rules the server and the SDK both check, written once
// (docs/request-rules.md lists them; docs/openapi.yaml states the same
// patterns and limits). Header-only, constexpr and standard library only: the
// server, the native SDK core and the WebAssembly build compile it as is.
//
// Each predicate answers "would the server accept this value?". Which error
// code a refusal gets is each side's business (the server answers with an API
// code, the SDK with its own validation_* code before the network).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace seatgate::rules {

// --- character classes --------------------------------------------------------

constexpr bool is_slug_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}
// Visible ASCII: 0x21..0x7e (no space, no control byte, nothing >= 0x80).
constexpr bool is_visible_ascii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e;
}
// Printable ASCII: visible ASCII or a space.
constexpr bool is_printable_ascii(char c) { return c == ' ' || is_visible_ascii(c); }

// --- ids ----------------------------------------------------------------------

// Event and zone ids are slugs: ^[a-z0-9][a-z0-9-]{0,63}$
inline constexpr std::size_t k_max_slug_len = 64;
constexpr bool is_slug(std::string_view s) {
  if (s.empty() || s.size() > k_max_slug_len || s.front() == '-') return false;
  for (char c : s)
    if (!is_slug_char(c) && c != '-') return false;
  return true;
}

// A reservation id is "<event slug>.<22 base64url chars>" (128 random bits):
// ^[a-z0-9][a-z0-9-]{0,63}\.[A-Za-z0-9_-]{22}$
inline constexpr std::size_t k_reservation_token_len = 22;
// The event part of a reservation id; empty when `rid` is not one.
constexpr std::string_view event_of_reservation_id(std::string_view rid) {
  const auto dot = rid.find('.');
  if (dot == std::string_view::npos) return {};
  const auto event = rid.substr(0, dot);
  const auto token = rid.substr(dot + 1);
  if (!is_slug(event) || token.size() != k_reservation_token_len) return {};
  for (char c : token)
    if (!is_base64url_char(c)) return {};
  return event;
}
constexpr bool is_reservation_id(std::string_view rid) {
  return !event_of_reservation_id(rid).empty();
}

// A user name for the demo login (POST /v1/demo/token): ^[A-Za-z0-9._-]{1,64}$
inline constexpr std::size_t k_max_user_name_len = 64;
constexpr bool is_user_name(std::string_view s) {
  if (s.empty() || s.size() > k_max_user_name_len) return false;
  for (char c : s)
    if (!is_base64url_char(c) && c != '.') return false;
  return true;
}

// --- header and body fields ----------------------------------------------------

// 1..max_len bytes of printable ASCII that neither starts nor ends with a
// space (an HTTP field value loses those anyway).
constexpr bool is_printable_token(std::string_view s, std::size_t max_len) {
  if (s.empty() || s.size() > max_len || s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s)
    if (!is_printable_ascii(c)) return false;
  return true;
}

// Idempotency-Key: 1..255 bytes of printable ASCII, spaces allowed inside.
inline constexpr std::size_t k_max_idempotency_key_len = 255;
constexpr bool is_idempotency_key(std::string_view s) {
  return is_printable_token(s, k_max_idempotency_key_len);
}

// payment_ref of a confirm body: the same shape as an Idempotency-Key.
inline constexpr std::size_t k_max_payment_ref_len = 255;
constexpr bool is_payment_ref(std::string_view s) {
  return is_printable_token(s, k_max_payment_ref_len);
}

// Queue-Pass: the server issues 22 base64url chars; it accepts any value of
// at most 256 visible ASCII bytes and looks it up. Empty means no pass.
inline constexpr std::size_t k_max_queue_pass_len = 256;
constexpr bool is_queue_pass(std::string_view s) {
  if (s.size() > k_max_queue_pass_len) return false;
  for (char c : s)
    if (!is_visible_ascii(c)) return false;
  return true;
}

// Seats in one reservation. The event's max_per_order (itself 1..100) may
// lower the upper bound; that check needs the event.
inline constexpr std::int64_t k_min_quantity = 1;
inline constexpr std::int64_t k_max_quantity = 100;
constexpr bool is_quantity(std::int64_t q) { return q >= k_min_quantity && q <= k_max_quantity; }

}  // namespace seatgate::rules
