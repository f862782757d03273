#include "inventory/validation.h"

#include <algorithm>
#include <charconv>

#include "util/hex.h"

namespace seatgate::inventory {
namespace {

using json = nlohmann::json;

seatgate::error refusal(errc code, std::string detail) {
  return {code, std::move(detail), std::nullopt, std::nullopt};
}

}  // namespace

std::optional<std::string> event_of_reservation_id(std::string_view rid) {
  const auto event = rules::event_of_reservation_id(rid);
  if (event.empty()) return std::nullopt;
  return std::string(event);
}

std::optional<seatgate::error> check_idempotency_key(std::optional<std::string_view> key) {
  if (!key) return refusal(errc::missing_idempotency_key, "the Idempotency-Key header is required");
  if (rules::is_idempotency_key(*key)) return std::nullopt;
  return refusal(errc::invalid_idempotency_key,
                 "Idempotency-Key must be 1..255 printable ASCII characters");
}

std::optional<seatgate::error> check_queue_pass(std::string_view pass) {
  if (rules::is_queue_pass(pass)) return std::nullopt;
  if (pass.size() > rules::k_max_queue_pass_len)
    return refusal(errc::queue_pass_invalid, "queue pass too long");
  return refusal(errc::queue_pass_invalid, "a queue pass is visible ASCII only");
}

parsed<confirm_request> parse_confirm(std::string_view body) {
  using R = confirm_request;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) body = "{}";
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>(errc::invalid_json, why);
  if (!j->is_object()) return fail<R>(errc::invalid_request, "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"payment_ref"}))
    return fail<R>(errc::invalid_request, "unknown field '" + *k + "'");
  R r;
  r.canonical = json::object();
  if (const auto it = j->find("payment_ref"); it != j->end() && !it->is_null()) {
    if (!it->is_string() || !rules::is_payment_ref(it->get_ref<const std::string&>()))
      return fail<R>(errc::invalid_request,
                     "'payment_ref' must be 1 to 255 printable ASCII characters");
    r.payment_ref = it->get<std::string>();
    r.canonical["payment_ref"] = *r.payment_ref;
  }
  return {std::move(r), {}};
}

parsed<status_request> parse_status(std::string_view body) {
  using R = status_request;
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>(errc::invalid_json, why);
  if (!j->is_object()) return fail<R>(errc::invalid_request, "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"status"}))
    return fail<R>(errc::invalid_request, "unknown field '" + *k + "'");
  const auto it = j->find("status");
  if (it == j->end()) return fail<R>(errc::invalid_request, "'status' is required");
  if (!it->is_string()) return fail<R>(errc::invalid_request, "'status' must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s != "on_sale" && s != "paused" && s != "closed")
    return fail<R>(errc::invalid_request, "'status' must be on_sale, paused or closed");
  return {R{s}, {}};
}

std::string encode_cursor(std::int64_t created_at_ms, std::string_view rid) {
  return util::hex_encode(std::to_string(created_at_ms) + ":" + std::string(rid));
}

parsed<list_request> parse_list_query(std::string_view event_id,
                                      std::optional<std::string_view> limit,
                                      std::optional<std::string_view> cursor) {
  using R = list_request;
  R out;
  if (limit) {
    const bool digits =
        !limit->empty() && limit->size() <= 3 &&
        std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; });
    const int n = digits ? std::stoi(std::string(*limit)) : 0;
    if (n < 1 || n > k_max_list_limit)
      return fail<R>(errc::invalid_request, "'limit' must be an integer 1..100");
    out.limit = n;
  }
  if (cursor && !cursor->empty()) {
    const auto bad_cursor = [] {
      return fail<R>(errc::invalid_request, "'cursor' is not a cursor of this list");
    };
    // encode_cursor writes lowercase hex only.
    if (cursor->size() > 512 || cursor->find_first_not_of(util::k_hex_digits) != cursor->npos)
      return bad_cursor();
    const auto plain = util::hex_decode(*cursor);
    if (!plain) return bad_cursor();
    const auto colon = plain->find(':');
    if (colon == std::string::npos || colon == 0 || colon > 15) return bad_cursor();
    std::int64_t at = 0;
    const auto [p, ec] = std::from_chars(plain->data(), plain->data() + colon, at);
    if (ec != std::errc() || p != plain->data() + colon || at < 0) return bad_cursor();
    std::string rid = plain->substr(colon + 1);
    const auto rid_event = rules::event_of_reservation_id(rid);
    if (rid_event.empty() || rid_event != event_id) return bad_cursor();
    out.after_created_at = at;
    out.after_id = std::move(rid);
  }
  return {std::move(out), {}};
}

}  // namespace seatgate::inventory
