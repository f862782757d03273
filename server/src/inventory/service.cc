#include "inventory/service.h"

#include "store/calls.h"
#include "store/decode.h"
#include "store/keys.h"
#include "store/script.h"
#include "util/log.h"
#include "util/random.h"

#include <charconv>

namespace seatgate::inventory {

namespace {

using store::known_reservation;

metrics::outcome outcome_of(errc code) {
  if (code == errc::sold_out) return metrics::outcome::sold_out;
  if (code == errc::user_limit_exceeded) return metrics::outcome::user_limit;
  if (code == errc::unavailable || code == errc::internal) return metrics::outcome::error;
  return metrics::outcome::rejected;
}

error no_reservation() { return fail(errc::reservation_not_found, "no such reservation"); }

}  // namespace

void service::count(metrics::outcome o) {
  metrics_.reservations[static_cast<std::size_t>(o)].fetch_add(1, std::memory_order_relaxed);
}

net::awaitable<result<reservation_outcome>> service::reserve(const std::string& user,
                                                             const std::string& idem_key,
                                                             const reserve_request& req,
                                                             const std::string& queue_pass,
                                                             const std::string& fingerprint) {
  std::string rid;
  rid.reserve(req.event_id.size() + 23);
  rid.append(req.event_id).append(".").append(util::random_token(16));
  const std::string seats = req.seats_arg();
  auto call = store::reserve_seats({.event_id = req.event_id,
                                                    .rid = rid,
                                                    .user = user,
                                                    .zone = req.zone_id,
                                                    .quantity = req.quantity,
                                                    .idem_key = idem_key,
                                                    .fingerprint = fingerprint,
                                                    .queue_pass = queue_pass,
                                                    .idem_ttl_s = k_idempotency_ttl_s,
                                                    .expire_batch = k_expire_batch,
                                                    .per_minute = reservations_per_minute_,
                                                    .seats = seats,
                                                    .best = req.best_arg()});
  const known_reservation fresh{rid, req.event_id, req.zone_id, user, req.quantity};
  auto reply = co_await batcher_.run(req.event_id, std::move(call));
  if (!reply) {
    count(outcome_of(reply.failure().code));
    auto e = std::move(reply).failure();
    // Seats asked of a general-admission zone (docs/seating.md): a bad request.
    if (e.code == errc::zone_not_seated)
      e = fail(errc::invalid_request, "zone '" + req.zone_id +
                                          "' is general admission: 'seats', 'best_available' "
                                          "and 'allow_split' apply to seated zones only");
    co_return e;
  }
  auto out = store::decode_reservation_reply(*reply, &fresh);
  count(out.replayed ? metrics::outcome::replayed : metrics::outcome::created);
  if (!queue_pass.empty() && dispose_pass_) dispose_pass_(req.event_id, queue_pass);
  co_return out;
}

net::awaitable<result<reservation_outcome>> service::confirm(const std::string& user,
                                                             const std::string& rid,
                                                             const std::string& idem_key,
                                                             const confirm_request& req,
                                                             const std::string& fingerprint) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return no_reservation();
  // Group commit: this turn's confirms of the event go as one call.
  auto call = store::confirm_reservation({.event_id = *event,
                                          .rid = rid,
                                          .user = user,
                                          .idem_key = idem_key,
                                          .payment_ref = req.payment_ref.value_or(""),
                                          .fingerprint = fingerprint,
                                          .idem_ttl_s = k_idempotency_ttl_s,
                                          .expire_batch = k_confirm_expire_batch});
  auto reply = co_await batcher_.run(*event, std::move(call));
  if (!reply) co_return std::move(reply).failure();
  co_return store::decode_reservation_reply(*reply);
}

net::awaitable<result<reservation_outcome>> service::release(const std::string& user,
                                                             const std::string& rid) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return no_reservation();
  auto [script, keys, args] = store::release_reservation(*event, rid, user);
  co_return co_await reservation_script(script, std::move(keys), std::move(args));
}

net::awaitable<result<reservation_outcome>> service::get_reservation(const std::string& user,
                                                                     const std::string& rid) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return no_reservation();
  auto [script, keys, args] = store::read_reservation(*event, rid, user);
  co_return co_await reservation_script(script, std::move(keys), std::move(args));
}

net::awaitable<result<reservation_page>> service::list_reservations(const std::string& user,
                                                                    const std::string& event_id,
                                                                    const list_request& page) {
  auto [script, keys, args] = store::list_reservations({.event_id = event_id,
                                                        .user = user,
                                                        .expire_batch = k_expire_batch,
                                                        .limit = page.limit,
                                                        .after_created_at = page.after_created_at,
                                                        .after_rid = page.after_id});
  auto reply = co_await store::run(conn_, script, std::move(keys), std::move(args));
  if (!reply) {
    auto e = std::move(reply).failure();
    // The script refuses a cursor that names none of this user's reservations.
    if (e.code == errc::invalid_request) e.detail = "'cursor' is not a cursor of this list";
    co_return e;
  }
  // {"OK", n, more, {pairs...}, {pairs...}, ...}
  reservation_page out;
  out.event_id = event_id;
  for (std::size_t i = 3; i < reply->elements.size(); ++i)
    if (reply->elements[i].is_array())
      out.items.push_back(store::decode_reservation(reply->elements[i], 0));
  const bool more = reply->elements.size() > 2 &&
                    reply->elements[2].type == redis::reply::kind::integer &&
                    reply->elements[2].integer == 1;
  if (more && !out.items.empty()) {
    const reservation& last = out.items.back();
    if (last.id.empty() || !last.created_at_ms)
      co_return fail(errc::internal, "a listed reservation lacks its id or created_at");
    out.next_cursor = encode_cursor(*last.created_at_ms, last.id);
  }
  co_return out;
}

net::awaitable<result<reservation_outcome>> service::reservation_script(
    lua::script s, std::vector<std::string> keys, std::vector<std::string> args) {
  auto reply = co_await store::run(conn_, s, std::move(keys), std::move(args));
  if (!reply) co_return std::move(reply).failure();
  co_return store::decode_reservation_reply(*reply);
}

net::awaitable<result<nlohmann::json>> service::document_script(lua::script s,
                                                                std::vector<std::string> keys,
                                                                std::vector<std::string> args,
                                                                bool read_only) {
  auto reply = co_await store::run(conn_, s, std::move(keys), std::move(args), read_only);
  if (!reply) co_return std::move(reply).failure();
  co_return store::decode_document(*reply);
}

net::awaitable<result<nlohmann::json>> service::get_event(const std::string& event_id) {
  auto [script, keys, args] = store::read_event(event_id);
  co_return co_await document_script(script, std::move(keys), std::move(args));
}

net::awaitable<result<nlohmann::json>> service::poll_event(const std::string& event_id) {
  auto [script, keys, args] = store::read_event(event_id);
  co_return co_await document_script(script, std::move(keys), std::move(args), true);
}

net::awaitable<result<nlohmann::json>> service::audit(const std::string& event_id) {
  auto [script, keys, args] = store::read_audit(event_id, k_audit_scan_limit);
  co_return co_await document_script(script, std::move(keys), std::move(args));
}

net::awaitable<result<event_outcome>> service::upsert_event(const std::string& event_id,
                                                            const nlohmann::json& config) {
  // The sweeper's list of events, before the event exists: an event is never
  // left unswept. sg:events is not under the event's hash tag, so it cannot
  // join the script; an id registered for an upsert that then fails is
  // harmless (the sweeper finds no holds for it).
  redis::command sadd{"SADD", store::k_events_key, event_id};
  auto [ec_reg, reg] = co_await conn_.command(std::move(sadd));
  if (ec_reg) co_return store::storage_error(ec_reg);
  if (reg.is_error()) {
    nlohmann::json fields{{"event_id", event_id}, {"error", reg.str}};
    log::warn("could not register event for the sweeper", fields);
    co_return error{errc::unavailable, "could not register the event for hold expiry", true, 1};
  }
  // Seated zones' layouts (docs/seating.md) are written by the same script,
  // in the same step as the counters.
  auto [script, keys, args] =
      store::upsert_event(event_id, config.dump(), seating::layouts_of(config));
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec) co_return store::storage_error(ec);
  if (auto e = store::error_of(reply)) {
    if (e->code == errc::capacity_below_committed && !e->seats.empty())
      e->detail = "zone '" + store::field(reply, 4) +
                  "': held or sold seats would be removed or made unavailable: " +
                  store::field(reply, 3);
    co_return std::move(*e);
  }
  const bool created = store::field(reply, 1) == "created";
  // Again after the change: a closed event opened by this upsert may have
  // been retired from sg:events meanwhile (retire_event).
  if (config.value("status", std::string()) != "closed") co_await register_event(event_id);
  // The admission loop's list (docs/waiting-room.md): rooms are only added;
  // admitting in a room that is off is a no-op. A join adds it again.
  const auto room = config.find("waiting_room");
  if (room != config.end() && room->is_object() && room->value("enabled", false)) {
    redis::command rooms{"SADD", store::k_rooms_key, event_id};
    co_await conn_.command(std::move(rooms));
  }
  auto ev = co_await get_event(event_id);
  if (!ev) co_return std::move(ev).failure();
  co_return event_outcome{std::move(ev).value(), created};
}

net::awaitable<result<nlohmann::json>> service::set_status(const std::string& event_id,
                                                           const std::string& status) {
  auto [script, keys, args] = store::set_event_status(event_id, status);
  auto reply = co_await store::run(conn_, script, std::move(keys), std::move(args));
  if (!reply) co_return std::move(reply).failure();
  // A closed event leaves sg:events once idle (retire_event); one opened
  // again goes back, after the change, so a retirement racing with it
  // finds it open when it checks again.
  if (status != "closed") co_await register_event(event_id);
  co_return co_await get_event(event_id);
}

net::awaitable<result<seating::seat_map>> service::seat_map(const std::string& event_id,
                                                            const std::string& zone_id) {
  co_return co_await seating::read_seat_map(conn_, event_id, zone_id);
}

net::awaitable<std::optional<long long>> service::expire_holds(const std::string& event_id,
                                                               int batch) {
  auto [script, keys, args] = store::expire_holds(event_id, batch);
  auto reply = co_await store::run(conn_, script, std::move(keys), std::move(args));
  if (!reply || reply->elements.size() < 2) co_return std::nullopt;
  co_return store::integer_of(reply->elements[1]);
}

}  // namespace seatgate::inventory
