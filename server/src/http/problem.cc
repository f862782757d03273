#include "http/problem.h"

#include <array>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace seatgate::http {
namespace {

struct entry {
  errc code;
  unsigned status;
  bool retryable;
};

// Every error code the server answers with, in the order of domain/errc.h.
// The SDK's retry rules read `retryable`.
constexpr std::array k_table{
    // 400
    entry{errc::invalid_json, 400, false},
    entry{errc::invalid_request, 400, false},
    entry{errc::missing_idempotency_key, 400, false},
    entry{errc::invalid_idempotency_key, 400, false},
    // 401, 403
    entry{errc::unauthorized, 401, false},
    entry{errc::forbidden, 403, false},
    entry{errc::queue_pass_required, 403, false},
    entry{errc::queue_pass_invalid, 403, false},
    // 404, 405, 408
    entry{errc::not_found, 404, false},
    entry{errc::event_not_found, 404, false},
    entry{errc::zone_not_found, 404, false},
    entry{errc::reservation_not_found, 404, false},
    entry{errc::method_not_allowed, 405, false},
    entry{errc::request_timeout, 408, false},
    // 409
    entry{errc::sold_out, 409, false},
    entry{errc::user_limit_exceeded, 409, false},
    entry{errc::event_not_on_sale, 409, false},
    entry{errc::already_confirmed, 409, false},
    entry{errc::reservation_released, 409, false},
    entry{errc::capacity_below_committed, 409, false},
    entry{errc::idempotency_key_in_use, 409, true},
    entry{errc::queue_limit_exceeded, 409, false},
    // 410, 413, 415, 422, 429, 431
    entry{errc::reservation_expired, 410, false},
    entry{errc::payload_too_large, 413, false},
    entry{errc::unsupported_media_type, 415, false},
    entry{errc::invalid_quantity, 422, false},
    entry{errc::idempotency_key_reused, 422, false},
    entry{errc::rate_limited, 429, true},
    entry{errc::headers_too_large, 431, false},
    // 500, 503
    entry{errc::internal, 500, false},
    entry{errc::unavailable, 503, true},
    entry{errc::timeout, 503, true},
    // Assigned seating (docs/seating.md)
    entry{errc::zone_not_seated, 409, false},
    entry{errc::seats_taken, 409, false},  // retryable when one of the seats is held
    entry{errc::invalid_seats, 422, false},
    entry{errc::no_adjacent_seats, 409, false},
    // Archiving an event (docs/operations.md "Archiving an event")
    entry{errc::event_not_closed, 409, false},
    entry{errc::holds_live, 409, true},
    entry{errc::outbox_not_drained, 409, true},
};

// The table follows the enum's order, so a code finds its row by value.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < k_table.size(); ++i)
    if (static_cast<std::size_t>(k_table[i].code) != i + 1) return false;
  return true;
}
static_assert(in_enum_order(), "http/problem.cc's table must list domain/errc.h in order");

const entry& row(errc code) {
  const auto i = static_cast<std::size_t>(code) - 1;
  return i < k_table.size() ? k_table[i] : row(errc::internal);
}

}  // namespace

problem_info lookup(errc code) {
  const entry& e = row(code);
  return {e.status, title(e.code), e.retryable};
}

problem_info lookup(std::string_view code) {
  return lookup(errc_from_name(code).value_or(errc::internal));
}

bool is_known(std::string_view code) { return errc_from_name(code).has_value(); }

std::vector<std::string_view> known_codes() {
  std::vector<std::string_view> out;
  out.reserve(k_table.size());
  for (const auto& e : k_table) out.push_back(code_name(e.code));
  return out;
}

response make_problem(const error& e, unsigned version, bool keep_alive) {
  const entry& r = row(e.code);
  const std::string_view code = code_name(r.code);
  const bool retryable = e.retryable.value_or(r.retryable);

  nlohmann::ordered_json body;
  body["type"] = "urn:seatgate:error:" + std::string(code);
  body["title"] = title(r.code);
  body["status"] = r.status;
  body["detail"] = e.detail.empty() ? std::string(title(r.code)) : e.detail;
  body["code"] = code;
  body["retryable"] = retryable;
  // The seats the error names, under the name its code gives them.
  if (!e.seats.empty()) {
    const char* name = r.code == errc::seats_taken     ? "taken"
                       : r.code == errc::invalid_seats ? "invalid"
                                                       : "seats";
    body[name] = e.seats;
  }

  response res{static_cast<beast_http::status>(r.status), version};
  res.set(beast_http::field::content_type, "application/problem+json");
  res.set(beast_http::field::cache_control, "no-store");
  if (retryable || e.retry_after)
    res.set(beast_http::field::retry_after, std::to_string(e.retry_after.value_or(1)));
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

response make_problem(const problem& p, unsigned version, bool keep_alive) {
  // An unknown code is a server bug: answer as `internal`, keep the detail.
  const errc code = errc_from_name(p.code).value_or(errc::internal);
  return make_problem(error{code, p.detail, p.retryable, p.retry_after}, version, keep_alive);
}

}  // namespace seatgate::http
