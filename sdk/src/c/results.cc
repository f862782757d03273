// The C API's result handles: field getters and JSON.
#include <cstdlib>
#include <cstring>

#include "handles.h"

namespace {

const char* opt_cstr(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

char* dup_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

}  // namespace

extern "C" {

/* results */
#define SG_GET(type, name, expr, dflt) \
  type name { return x ? (expr) : (dflt); }

SG_GET(const char*, seatgate_event_id(const seatgate_event_t* x), x->e.id.c_str(), nullptr)
SG_GET(const char*, seatgate_event_name(const seatgate_event_t* x), x->e.name.c_str(), nullptr)
SG_GET(const char*, seatgate_event_currency(const seatgate_event_t* x), x->e.currency.c_str(),
       nullptr)
SG_GET(const char*, seatgate_event_status(const seatgate_event_t* x), x->e.status.c_str(), nullptr)
SG_GET(int64_t, seatgate_event_max_per_order(const seatgate_event_t* x), x->e.max_per_order, -1)
SG_GET(int64_t, seatgate_event_max_per_user(const seatgate_event_t* x), x->e.max_per_user, -1)
SG_GET(size_t, seatgate_event_zone_count(const seatgate_event_t* x), x->e.zones.size(), 0)

const char* seatgate_event_zone_id(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].id.c_str() : nullptr;
}
const char* seatgate_event_zone_name(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].name.c_str() : nullptr;
}
int64_t seatgate_event_zone_capacity(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].capacity : -1;
}
int64_t seatgate_event_zone_price(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].price : -1;
}
int64_t seatgate_event_zone_available(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() && x->e.zones[i].available ? *x->e.zones[i].available : -1;
}
void seatgate_event_free(seatgate_event_t* e) { delete e; }

SG_GET(const char*, seatgate_reservation_id(const seatgate_reservation_t* x), x->r.id.c_str(),
       nullptr)
SG_GET(const char*, seatgate_reservation_event_id(const seatgate_reservation_t* x),
       x->r.event_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_zone_id(const seatgate_reservation_t* x),
       x->r.zone_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_user_id(const seatgate_reservation_t* x),
       x->r.user_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_status(const seatgate_reservation_t* x),
       x->r.status.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_currency(const seatgate_reservation_t* x),
       x->r.currency.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_created_at(const seatgate_reservation_t* x),
       x->r.created_at.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_expires_at(const seatgate_reservation_t* x),
       opt_cstr(x->r.expires_at), nullptr)
SG_GET(const char*, seatgate_reservation_confirmed_at(const seatgate_reservation_t* x),
       opt_cstr(x->r.confirmed_at), nullptr)
SG_GET(const char*, seatgate_reservation_payment_ref(const seatgate_reservation_t* x),
       opt_cstr(x->r.payment_ref), nullptr)
SG_GET(int64_t, seatgate_reservation_quantity(const seatgate_reservation_t* x), x->r.quantity, -1)
SG_GET(int64_t, seatgate_reservation_amount(const seatgate_reservation_t* x), x->r.amount, -1)
SG_GET(int, seatgate_reservation_replayed(const seatgate_reservation_t* x), x->r.replayed ? 1 : 0,
       0)
void seatgate_reservation_free(seatgate_reservation_t* r) { delete r; }

size_t seatgate_reservation_list_count(const seatgate_reservation_list_t* l) {
  return l ? l->items.size() : 0;
}
const seatgate_reservation_t* seatgate_reservation_list_at(const seatgate_reservation_list_t* l,
                                                           size_t i) {
  return l && i < l->items.size() ? &l->items[i] : nullptr;
}
void seatgate_reservation_list_free(seatgate_reservation_list_t* l) { delete l; }

SG_GET(const char*, seatgate_queue_state_status(const seatgate_queue_state_t* x),
       x->q.status.c_str(), nullptr)
SG_GET(int64_t, seatgate_queue_state_position(const seatgate_queue_state_t* x), x->q.position, -1)
SG_GET(int64_t, seatgate_queue_state_poll_after_ms(const seatgate_queue_state_t* x),
       x->q.poll_after_ms, -1)
SG_GET(const char*, seatgate_queue_state_pass(const seatgate_queue_state_t* x),
       x->q.queue_pass.c_str(), nullptr)
void seatgate_queue_state_free(seatgate_queue_state_t* q) { delete q; }

#undef SG_GET

char* seatgate_event_to_json(const seatgate_event_t* e) {
  if (!e) return nullptr;
  try {
    return dup_string(seatgate::to_json(e->e));
  } catch (...) {
    return nullptr;
  }
}
char* seatgate_reservation_to_json(const seatgate_reservation_t* r) {
  if (!r) return nullptr;
  try {
    return dup_string(seatgate::to_json(r->r));
  } catch (...) {
    return nullptr;
  }
}
void seatgate_string_free(char* s) { std::free(s); }

/* assigned seating */
namespace {
const char* at_or_null(const std::vector<std::string>& v, size_t i) {
  return i < v.size() ? v[i].c_str() : nullptr;
}
const seatgate::seat_row* row_of(const seatgate_seat_map_t* m, size_t i) {
  return m && i < m->m.rows.size() ? &m->m.rows[i] : nullptr;
}
}  // namespace

size_t seatgate_error_taken_count(const seatgate_error_t* e) { return e ? e->e.taken.size() : 0; }
const char* seatgate_error_taken_at(const seatgate_error_t* e, size_t i) {
  return e ? at_or_null(e->e.taken, i) : nullptr;
}
size_t seatgate_reservation_seat_count(const seatgate_reservation_t* r) {
  return r ? r->r.seats.size() : 0;
}
const char* seatgate_reservation_seat_at(const seatgate_reservation_t* r, size_t i) {
  return r ? at_or_null(r->r.seats, i) : nullptr;
}
const char* seatgate_seat_map_event_id(const seatgate_seat_map_t* m) {
  return m ? m->m.event_id.c_str() : nullptr;
}
const char* seatgate_seat_map_zone_id(const seatgate_seat_map_t* m) {
  return m ? m->m.zone_id.c_str() : nullptr;
}
int64_t seatgate_seat_map_available(const seatgate_seat_map_t* m) {
  return m ? m->m.available : -1;
}
const char* seatgate_seat_map_etag(const seatgate_seat_map_t* m) {
  return m ? m->m.etag.c_str() : nullptr;
}
int seatgate_seat_map_not_modified(const seatgate_seat_map_t* m) {
  return m && m->m.not_modified ? 1 : 0;
}
size_t seatgate_seat_map_row_count(const seatgate_seat_map_t* m) {
  return m ? m->m.rows.size() : 0;
}
const char* seatgate_seat_map_row_id(const seatgate_seat_map_t* m, size_t i) {
  const auto* r = row_of(m, i);
  return r ? r->id.c_str() : nullptr;
}
int64_t seatgate_seat_map_row_seats(const seatgate_seat_map_t* m, size_t i) {
  const auto* r = row_of(m, i);
  return r ? r->seats : -1;
}
const char* seatgate_seat_map_row_states(const seatgate_seat_map_t* m, size_t i) {
  const auto* r = row_of(m, i);
  return r ? r->states.c_str() : nullptr;
}
size_t seatgate_seat_map_row_aisle_count(const seatgate_seat_map_t* m, size_t i) {
  const auto* r = row_of(m, i);
  return r ? r->aisles_after.size() : 0;
}
int64_t seatgate_seat_map_row_aisle_at(const seatgate_seat_map_t* m, size_t i, size_t j) {
  const auto* r = row_of(m, i);
  return r && j < r->aisles_after.size() ? r->aisles_after[j] : -1;
}
char seatgate_seat_map_seat_state(const seatgate_seat_map_t* m, const char* seat_id) {
  return m && seat_id ? m->m.state_of(seat_id) : 0;
}
char* seatgate_seat_map_to_json(const seatgate_seat_map_t* m) {
  if (!m) return nullptr;
  try {
    return dup_string(seatgate::to_json(m->m));
  } catch (...) {
    return nullptr;
  }
}
void seatgate_seat_map_free(seatgate_seat_map_t* m) { delete m; }

}  // extern "C"
