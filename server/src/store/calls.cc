#include "store/calls.h"

#include "store/keys.h"

namespace seatgate::store {

using lua::script;

namespace {

std::string str(std::string_view s) { return std::string(s); }

}  // namespace

script_call reserve_seats(const reserve_seats_args& a) {
  const event_keys k(a.event_id);
  return {script::reserve_seats,
          {k.event(), k.zone(a.zone), k.user_used(a.user), k.idempotency(a.user, a.idem_key),
           k.user_history(a.user), k.holds(), k.counts(), k.zone_holds(a.zone),
           k.user_holds(a.user), k.user_recent(a.user)},
          {str(a.rid), str(a.user), str(a.zone), a.quantity.text(), str(a.fingerprint),
           str(a.queue_pass), a.idem_ttl_s.text(), a.expire_batch.text(), a.per_minute.text()}};
}

script_call confirm_reservation(const confirm_reservation_args& a) {
  const event_keys k(a.event_id);
  script_call c{
      script::confirm_reservation,
      {k.event(), k.reservation(a.rid), k.idempotency(a.user, a.idem_key), k.holds(), k.counts(),
       k.user_holds(a.user)},
      {str(a.rid), str(a.user), str(a.payment_ref), str(a.fingerprint), a.idem_ttl_s.text()}};
  if (a.expire_batch) c.args.push_back(a.expire_batch->text());
  return c;
}

script_call release_reservation(std::string_view event_id, std::string_view rid,
                                std::string_view user) {
  const event_keys k(event_id);
  return {
      script::release_reservation,
      {k.event(), k.reservation(rid), k.holds(), k.counts(), k.user_used(user), k.user_holds(user)},
      {str(rid), str(user)}};
}

script_call read_reservation(std::string_view event_id, std::string_view rid,
                             std::string_view user) {
  const event_keys k(event_id);
  return {script::read_reservation,
          {k.event(), k.reservation(rid), k.holds(), k.counts()},
          {str(rid), str(user)}};
}

script_call list_reservations(const list_reservations_args& a) {
  const event_keys k(a.event_id);
  return {script::list_reservations,
          {k.event(), k.user_history(a.user), k.holds(), k.counts()},
          {str(a.user), a.expire_batch.text(), a.limit.text(), a.after_created_at.text(),
           str(a.after_rid)}};
}

script_call expire_holds(std::string_view event_id, number batch) {
  const event_keys k(event_id);
  return {script::expire_holds, {k.event(), k.holds(), k.counts()}, {batch.text()}};
}

script_call upsert_event(std::string_view event_id, std::string config_json) {
  const event_keys k(event_id);
  return {script::upsert_event, {k.event(), k.queue()}, {std::move(config_json)}};
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
  return {script::read_audit, {k.event(), k.counts()}, {scan_limit.text()}};
}

}  // namespace seatgate::store
