#include "store/calls.h"

#include "store/keys.h"

namespace seatgate::store {

using lua::script;

namespace {

std::string str(std::string_view s) { return std::string(s); }

}  // namespace

std::vector<std::string> inventory_keys(const event_keys& k) {
  return {k.event(), k.reservations(), k.index(), k.outbox(),
          k.seats(), k.seat_holders(), k.seat_layouts()};
}

script_call reserve_seats(const reserve_seats_args& a) {
  const event_keys k(a.event_id);
  script_call c{script::reserve_seats,
                inventory_keys(k),
                {str(a.rid), str(a.user), str(a.zone), a.quantity.text(), str(a.fingerprint),
                 str(a.queue_pass), a.idem_ttl_s.text(), a.expire_batch.text(),
                 a.per_minute.text(), str(a.seats), str(a.best)}};
  c.keys.push_back(k.idempotency(a.user, a.idem_key));
  c.keys.push_back(k.pass(a.queue_pass));
  c.keys.push_back(k.user_recent(a.user));
  return c;
}

void append_request(script_call& batch, const script_call& one) {
  // The event's fixed keys come once, first; the rest repeat per request.
  batch.keys.insert(batch.keys.end(), one.keys.begin() + k_inventory_keys, one.keys.end());
  batch.args.insert(batch.args.end(), one.args.begin(), one.args.end());
}

script_call reserve_seats_batch(const std::vector<reserve_seats_args>& batch) {
  script_call c = reserve_seats(batch.front());
  for (std::size_t i = 1; i < batch.size(); ++i) append_request(c, reserve_seats(batch[i]));
  return c;
}

script_call confirm_reservation(const confirm_reservation_args& a) {
  const event_keys k(a.event_id);
  script_call c{
      script::confirm_reservation,
      inventory_keys(k),
      {str(a.rid), str(a.user), str(a.payment_ref), str(a.fingerprint), a.idem_ttl_s.text()}};
  c.keys.push_back(k.idempotency(a.user, a.idem_key));
  if (a.expire_batch) c.args.push_back(a.expire_batch->text());
  return c;
}

script_call confirm_reservation_batch(const std::vector<confirm_reservation_args>& batch) {
  // Every request with all six arguments, so the script can count them.
  auto one = [](const confirm_reservation_args& a) {
    script_call c = confirm_reservation(a);
    if (!a.expire_batch) c.args.emplace_back();
    return c;
  };
  script_call c = one(batch.front());
  for (std::size_t i = 1; i < batch.size(); ++i) append_request(c, one(batch[i]));
  return c;
}

script_call release_reservation(std::string_view event_id, std::string_view rid,
                                std::string_view user) {
  return {script::release_reservation, inventory_keys(event_keys(event_id)), {str(rid), str(user)}};
}

script_call read_reservation(std::string_view event_id, std::string_view rid,
                             std::string_view user) {
  return {script::read_reservation, inventory_keys(event_keys(event_id)), {str(rid), str(user)}};
}

script_call list_reservations(const list_reservations_args& a) {
  return {script::list_reservations,
          inventory_keys(event_keys(a.event_id)),
          {str(a.user), a.expire_batch.text(), a.limit.text(), a.after_created_at.text(),
           str(a.after_rid)}};
}

script_call expire_holds(std::string_view event_id, number batch) {
  return {script::expire_holds, inventory_keys(event_keys(event_id)), {batch.text()}};
}

script_call upsert_event(std::string_view event_id, std::string config_json,
                         std::vector<std::string> layouts) {
  const event_keys k(event_id);
  script_call c{script::upsert_event,
                {k.event(), k.queue(), k.seats(), k.seat_holders(), k.seat_layouts()},
                {std::move(config_json)}};
  for (auto& l : layouts) c.args.push_back(std::move(l));
  return c;
}

script_call set_event_status(std::string_view event_id, std::string_view status) {
  const event_keys k(event_id);
  return {script::set_event_status, {k.event(), k.queue()}, {str(status)}};
}

script_call read_event(std::string_view event_id) {
  return {script::read_event, {event_keys(event_id).event()}, {}};
}

script_call read_audit(std::string_view event_id, number scan_limit) {
  const event_keys k(event_id);
  return {script::read_audit,
          {k.event(), k.reservations(), k.index(), k.queue(), k.passes(), k.seats(),
           k.seat_holders(), k.seat_layouts()},
          {scan_limit.text()}};
}

script_call purge_ended(std::string_view event_id, number ended_ms, number confirmed_ms,
                        number batch) {
  return {script::purge_ended,
          inventory_keys(event_keys(event_id)),
          {ended_ms.text(), confirmed_ms.text(), batch.text()}};
}

script_call archive_event(std::string_view event_id) {
  const event_keys k(event_id);
  return {script::archive_event, {k.event(), k.outbox()}, {}};
}

}  // namespace seatgate::store
