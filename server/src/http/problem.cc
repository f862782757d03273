#include "http/problem.h"

#include <algorithm>
#include <array>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace seatgate::http {
namespace {

struct entry {
  std::string_view code;
  problem_info info;
};

// Every error code the server answers with. Keep in step with docs/openapi.yaml and
// docs/; the SDK's retry rules read `retryable`.
constexpr std::array k_table{
    // 400
    entry{"invalid_json", {400, "Request body is not valid JSON", false}},
    entry{"invalid_request", {400, "Invalid request", false}},
    entry{"missing_idempotency_key", {400, "Idempotency-Key header is required", false}},
    entry{"invalid_idempotency_key", {400, "Idempotency-Key header is invalid", false}},
    // 401, 403
    entry{"unauthorized", {401, "Authentication required", false}},
    entry{"forbidden", {403, "Forbidden", false}},
    entry{"queue_pass_required", {403, "A queue pass is required", false}},
    entry{"queue_pass_invalid", {403, "Queue pass is invalid or expired", false}},
    // 404, 405, 408
    entry{"not_found", {404, "Not found", false}},
    entry{"event_not_found", {404, "Event not found", false}},
    entry{"zone_not_found", {404, "Zone not found", false}},
    entry{"reservation_not_found", {404, "Reservation not found", false}},
    entry{"method_not_allowed", {405, "Method not allowed", false}},
    entry{"request_timeout", {408, "Request was not received in time", false}},
    // 409
    entry{"sold_out", {409, "Not enough seats available", false}},
    entry{"user_limit_exceeded", {409, "Ticket limit per user reached", false}},
    entry{"event_not_on_sale", {409, "Event is not on sale", false}},
    entry{"already_confirmed", {409, "Reservation is already confirmed", false}},
    entry{"reservation_released", {409, "Reservation was released", false}},
    entry{"capacity_below_committed", {409, "Capacity below held and sold seats", false}},
    entry{"idempotency_key_in_use",
          {409, "A request with this Idempotency-Key is in progress", true}},
    entry{"queue_limit_exceeded", {409, "Too many waiting rooms joined", false}},
    // 410, 413, 415, 422, 429, 431
    entry{"reservation_expired", {410, "Reservation has expired", false}},
    entry{"payload_too_large", {413, "Request body is too large", false}},
    entry{"unsupported_media_type", {415, "Content-Type must be application/json", false}},
    entry{"invalid_quantity", {422, "Invalid quantity", false}},
    entry{"idempotency_key_reused",
          {422, "Idempotency-Key was used for a different request", false}},
    entry{"rate_limited", {429, "Too many requests", true}},
    entry{"headers_too_large", {431, "Request headers are too large", false}},
    // 500, 503
    entry{"internal", {500, "Internal server error", false}},
    entry{"unavailable", {503, "Service temporarily unavailable", true}},
    entry{"timeout", {503, "Request timed out", true}},
};

const entry* find(std::string_view code) {
  const auto it =
      std::find_if(k_table.begin(), k_table.end(), [&](const entry& e) { return e.code == code; });
  return it == k_table.end() ? nullptr : &*it;
}

}  // namespace

problem_info lookup(std::string_view code) {
  const entry* e = find(code);
  return e ? e->info : find("internal")->info;
}

bool is_known(std::string_view code) { return find(code) != nullptr; }

std::vector<std::string_view> known_codes() {
  std::vector<std::string_view> out;
  out.reserve(k_table.size());
  for (const auto& e : k_table) out.push_back(e.code);
  return out;
}

response make_problem(const problem& p, unsigned version, bool keep_alive) {
  // An unknown code is a server bug: answer as `internal`, keep the detail.
  const std::string_view code = is_known(p.code) ? std::string_view(p.code) : "internal";
  const problem_info info = lookup(code);
  const bool retryable = p.retryable.value_or(info.retryable);

  nlohmann::ordered_json body;
  body["type"] = "urn:seatgate:error:" + std::string(code);
  body["title"] = info.title;
  body["status"] = info.status;
  body["detail"] = p.detail.empty() ? std::string(info.title) : p.detail;
  body["code"] = code;
  body["retryable"] = retryable;

  response res{static_cast<beast_http::status>(info.status), version};
  res.set(beast_http::field::content_type, "application/problem+json");
  res.set(beast_http::field::cache_control, "no-store");
  if (retryable || p.retry_after)
    res.set(beast_http::field::retry_after, std::to_string(p.retry_after.value_or(1)));
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

}  // namespace seatgate::http
