#include "inventory/service.h"

#include "inventory/render.h"
#include "store/calls.h"
#include "store/keys.h"
#include "util/log.h"
#include "util/random.h"

#include <charconv>

namespace seatgate::inventory {

namespace {

// A reservation reply {"OK", replayed, pairs...} -> result. `fresh`: what the
// server sent reserve_seats, which a new hold's reply leaves out.
result reservation_result(const redis::reply& r, unsigned ok_status,
                          const known_reservation* fresh = nullptr) {
  result out;
  out.status = ok_status;
  const auto& flag = r.elements.size() > 1 ? r.elements[1] : r.elements[0];
  out.replayed = flag.type == redis::reply::kind::integer ? flag.integer == 1 : flag.str == "1";
  if (out.replayed) fresh = nullptr;  // a replay answers the stored hash in full
  out.body_text = reservation_json(r, 2, fresh);
  if (fresh) out.reservation_id = std::string(fresh->id);
  for (std::size_t i = 2; i + 1 < r.elements.size(); i += 2)
    if (r.elements[i].str == "id") out.reservation_id = r.elements[i + 1].str;
  return out;
}

metrics::outcome outcome_of(const std::string& code) {
  if (code == "sold_out") return metrics::outcome::sold_out;
  if (code == "user_limit_exceeded") return metrics::outcome::user_limit;
  if (code == "unavailable" || code == "internal") return metrics::outcome::error;
  return metrics::outcome::rejected;
}

}  // namespace

result failure(http::problem p) {
  result r;
  if (p.detail.empty()) p.detail = std::string(http::lookup(p.code).title);
  r.status = http::lookup(p.code).status;
  r.problem = std::move(p);
  return r;
}

result storage_failure(const boost::system::error_code& ec) {
  return failure({"unavailable", "storage unavailable: " + ec.message(), true, 1});
}

net::awaitable<result> service::reserve(const std::string& user, const std::string& idem_key,
                                        const reserve_request& req, const std::string& queue_pass,
                                        const std::string& fingerprint) {
  std::string rid;
  rid.reserve(req.event_id.size() + 23);
  rid.append(req.event_id).append(".").append(util::random_token(16));
  auto [script, keys, args] = store::reserve_seats({.event_id = req.event_id,
                                                    .rid = rid,
                                                    .user = user,
                                                    .zone = req.zone_id,
                                                    .quantity = req.quantity,
                                                    .idem_key = idem_key,
                                                    .fingerprint = fingerprint,
                                                    .queue_pass = queue_pass,
                                                    .idem_ttl_s = k_idempotency_ttl_s,
                                                    .expire_batch = k_expire_batch,
                                                    .per_minute = reservations_per_minute_});
  const known_reservation fresh{rid, req.event_id, req.zone_id, user, req.quantity};
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  auto count = [&](metrics::outcome o) {
    metrics_.reservations[static_cast<std::size_t>(o)].fetch_add(1, std::memory_order_relaxed);
  };
  if (ec) {
    count(metrics::outcome::error);
    co_return storage_failure(ec);
  }
  auto answer = interpret(reply);
  if (auto* p = std::get_if<http::problem>(&answer)) {
    count(outcome_of(p->code));
    co_return failure(std::move(*p));
  }
  auto out = reservation_result(reply, 201, &fresh);
  count(out.replayed ? metrics::outcome::replayed : metrics::outcome::created);
  co_return out;
}

net::awaitable<result> service::confirm(const std::string& user, const std::string& rid,
                                        const std::string& idem_key, const confirm_request& req,
                                        const std::string& fingerprint) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return failure({"reservation_not_found", "no such reservation"});
  auto [script, keys, args] =
      store::confirm_reservation({.event_id = *event,
                                  .rid = rid,
                                  .user = user,
                                  .idem_key = idem_key,
                                  .payment_ref = req.payment_ref.value_or(""),
                                  .fingerprint = fingerprint,
                                  .idem_ttl_s = k_idempotency_ttl_s});
  co_return co_await reservation_script(script, std::move(keys), std::move(args));
}

net::awaitable<result> service::release(const std::string& user, const std::string& rid) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return failure({"reservation_not_found", "no such reservation"});
  auto [script, keys, args] = store::release_reservation(*event, rid, user);
  co_return co_await reservation_script(script, std::move(keys), std::move(args));
}

net::awaitable<result> service::get_reservation(const std::string& user, const std::string& rid) {
  auto event = event_of_reservation_id(rid);
  if (!event) co_return failure({"reservation_not_found", "no such reservation"});
  auto [script, keys, args] = store::read_reservation(*event, rid, user);
  co_return co_await reservation_script(script, std::move(keys), std::move(args));
}

net::awaitable<result> service::list_reservations(const std::string& user,
                                                  const std::string& event_id,
                                                  const list_request& page) {
  auto [script, keys, args] = store::list_reservations({.event_id = event_id,
                                                        .user = user,
                                                        .expire_batch = k_expire_batch,
                                                        .limit = page.limit,
                                                        .after_created_at = page.after_created_at,
                                                        .after_rid = page.after_id});
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec) co_return storage_failure(ec);
  auto answer = interpret(reply);
  if (auto* pr = std::get_if<http::problem>(&answer)) {
    // The script refuses a cursor that names none of this user's reservations.
    if (pr->code == "invalid_request") pr->detail = "'cursor' is not a cursor of this list";
    co_return failure(std::move(*pr));
  }
  result out;
  nlohmann::json list = nlohmann::json::array();
  // {"OK", n, more, {pairs...}, {pairs...}, ...}
  const redis::reply* last = nullptr;
  for (std::size_t i = 3; i < reply.elements.size(); ++i) {
    if (!reply.elements[i].is_array()) continue;
    list.push_back(render_reservation(reply.elements[i], 0));
    last = &reply.elements[i];
  }
  const bool more = reply.elements.size() > 2 &&
                    reply.elements[2].type == redis::reply::kind::integer &&
                    reply.elements[2].integer == 1;
  nlohmann::json next = nullptr;
  if (more && last) {
    std::string id, created_at;
    for (std::size_t i = 0; i + 1 < last->elements.size(); i += 2) {
      if (last->elements[i].str == "id") id = last->elements[i + 1].str;
      if (last->elements[i].str == "created_at") created_at = last->elements[i + 1].str;
    }
    std::int64_t at = 0;
    const auto [ptr, e] =
        std::from_chars(created_at.data(), created_at.data() + created_at.size(), at);
    if (e != std::errc() || id.empty())
      co_return failure({"internal", "a listed reservation lacks its id or created_at"});
    next = encode_cursor(at, id);
  }
  out.body = {{"event_id", event_id}, {"reservations", std::move(list)}, {"next_cursor", next}};
  co_return out;
}

net::awaitable<result> service::reservation_script(lua::script s, std::vector<std::string> keys,
                                                   std::vector<std::string> args) {
  auto [ec, reply] = co_await conn_.eval(s, std::move(keys), std::move(args));
  if (ec) co_return storage_failure(ec);
  auto answer = interpret(reply);
  if (auto* pr = std::get_if<http::problem>(&answer)) co_return failure(std::move(*pr));
  co_return reservation_result(reply, 200);
}

net::awaitable<result> service::run_json_script(lua::script s, std::vector<std::string> keys,
                                                std::vector<std::string> args, unsigned ok_status) {
  auto [ec, reply] = co_await conn_.eval(s, std::move(keys), std::move(args));
  if (ec) co_return storage_failure(ec);
  auto answer = interpret(reply);
  if (auto* pr = std::get_if<http::problem>(&answer)) co_return failure(std::move(*pr));
  result out;
  out.status = ok_status;
  if (reply.elements.size() > 1) {
    out.body = nlohmann::json::parse(reply.elements[1].str, nullptr, false);
    if (out.body.is_discarded()) out.body = reply.elements[1].str;
  }
  co_return out;
}

net::awaitable<result> service::get_event(const std::string& event_id) {
  auto [script, keys, args] = store::read_event(event_id);
  co_return co_await run_json_script(script, std::move(keys), std::move(args), 200);
}

net::awaitable<result> service::audit(const std::string& event_id) {
  auto [script, keys, args] = store::read_audit(event_id, k_audit_scan_limit);
  co_return co_await run_json_script(script, std::move(keys), std::move(args), 200);
}

net::awaitable<result> service::upsert_event(const std::string& event_id,
                                             const nlohmann::json& config) {
  // The sweeper's list of events, before the event exists: an event is never
  // left unswept. sg:events is not under the event's hash tag, so it cannot
  // join the script; an id registered for an upsert that then fails is
  // harmless (the sweeper finds no holds for it).
  redis::command sadd{"SADD", store::k_events_key, event_id};
  auto [ec_reg, reg] = co_await conn_.command(std::move(sadd));
  if (ec_reg) co_return storage_failure(ec_reg);
  if (reg.is_error()) {
    nlohmann::json fields{{"event_id", event_id}, {"error", reg.str}};
    log::warn("could not register event for the sweeper", fields);
    co_return failure({"unavailable", "could not register the event for hold expiry", true, 1});
  }
  auto [script, keys, args] = store::upsert_event(event_id, config.dump());
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec) co_return storage_failure(ec);
  auto answer = interpret(reply);
  if (auto* pr = std::get_if<http::problem>(&answer)) co_return failure(std::move(*pr));
  bool created = reply.elements.size() > 1 && reply.elements[1].str == "created";
  // The admission loop's list (docs/waiting-room.md): rooms are only added;
  // admitting in a room that is off is a no-op. A join adds it again.
  const auto room = config.find("waiting_room");
  if (room != config.end() && room->is_object() && room->value("enabled", false)) {
    redis::command rooms{"SADD", store::k_rooms_key, event_id};
    co_await conn_.command(std::move(rooms));
  }
  auto ev = co_await get_event(event_id);
  if (ev.problem) co_return ev;
  ev.status = created ? 201 : 200;
  co_return ev;
}

net::awaitable<result> service::set_status(const std::string& event_id, const std::string& status) {
  auto [script, keys, args] = store::set_event_status(event_id, status);
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec) co_return storage_failure(ec);
  auto answer = interpret(reply);
  if (auto* pr = std::get_if<http::problem>(&answer)) co_return failure(std::move(*pr));
  co_return co_await get_event(event_id);
}

net::awaitable<std::optional<long long>> service::expire_holds(const std::string& event_id,
                                                               int batch) {
  auto [script, keys, args] = store::expire_holds(event_id, batch);
  auto [ec, reply] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec) co_return std::nullopt;
  auto answer = interpret(reply);
  if (std::holds_alternative<http::problem>(answer) || reply.elements.size() < 2)
    co_return std::nullopt;
  const auto& n = reply.elements[1];
  co_return n.type == redis::reply::kind::integer ? n.integer
                                                  : std::stoll(n.str.empty() ? "0" : n.str);
}

}  // namespace seatgate::inventory
