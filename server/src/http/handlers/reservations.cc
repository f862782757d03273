// The reservation routes (docs/openapi.yaml): reserve, confirm, read,
// release, and a user's list.
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/render.h"
#include "http/responses.h"
#include "inventory/fingerprint.h"
#include "inventory/reserve_body.h"
#include "inventory/validation.h"

namespace seatgate::http::handlers {

namespace {

// 200 (or `status`) with the reservation; Idempotent-Replayed on a replay.
response reservation_response(const request& req, const result<reservation_outcome>& r,
                              unsigned status = 200) {
  if (!r) return problem_response(req, r.failure());
  auto res = json_text_response(req, status, reservation_json(r->value));
  if (r->replayed) res.set("Idempotent-Replayed", "true");
  return res;
}

}  // namespace

net::awaitable<response> reserve(request& req, request_context& ctx, const route_args&) {
  SG_TRY(authenticate_user(req, ctx));
  SG_TRY(require_json_body(req));
  auto key = header(req, "Idempotency-Key");
  SG_TRY(inventory::check_idempotency_key(key));
  auto parsed = inventory::parse_reserve(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  std::string pass(header(req, "Queue-Pass").value_or(""));
  if (auto e = inventory::check_queue_pass(pass)) co_return problem_response(req, std::move(*e));
  auto fp = inventory::fingerprint("POST", "/v1/reservations", parsed.value->canonical);
  auto r =
      co_await ctx.env.reservations.reserve(ctx.user, std::string(*key), *parsed.value, pass, fp);
  // A new hold and its replay both answer 201 (docs/openapi.yaml).
  auto res = reservation_response(req, r, 201);
  if (r) res.set(bhttp::field::location, "/v1/reservations/" + r->value.id);
  co_return res;
}

net::awaitable<response> confirm(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  SG_TRY(require_json_body(req));
  auto key = header(req, "Idempotency-Key");
  SG_TRY(inventory::check_idempotency_key(key));
  auto parsed = inventory::parse_confirm(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  auto fp = inventory::fingerprint("POST", "/v1/reservations/" + a.id + "/confirm",
                                   parsed.value->canonical);
  co_return reservation_response(req, co_await ctx.env.reservations.confirm(
                                          ctx.user, a.id, std::string(*key), *parsed.value, fp));
}

net::awaitable<response> reservation(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  auto& svc = ctx.env.reservations;
  if (req.method() == bhttp::verb::get)
    co_return reservation_response(req, co_await svc.get_reservation(ctx.user, a.id));
  co_return reservation_response(req, co_await svc.release(ctx.user, a.id));
}

net::awaitable<response> my_reservations(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  auto event = query_param(a.query, "event_id");
  if (!event || !inventory::is_slug(*event))
    co_return problem_response(
        req, fail(errc::invalid_request, "query parameter event_id (an event slug) is required"));
  auto page = inventory::parse_list_query(*event, query_param(a.query, "limit"),
                                          query_param(a.query, "cursor"));
  if (!page.value) co_return problem_response(req, page.error);
  auto r = co_await ctx.env.reservations.list_reservations(ctx.user, *event, *page.value);
  if (!r) co_return problem_response(req, r.failure());
  co_return json_text_response(req, 200, reservation_page_json(*r));
}

}  // namespace seatgate::http::handlers
