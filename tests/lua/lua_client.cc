#include "lua_client.h"

#include <stdexcept>

#include "inventory_layout.h"
#include "store/new_hold.h"
#include "store/record.h"
#include "store/keys.h"

namespace seatgate::test {
namespace {

std::string str(const redisReply* r) {
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return std::string(r->str, r->len);
}

fields pairs(const redisReply* r, size_t from) {
  fields out;
  for (size_t i = from; i + 1 < r->elements; i += 2)
    out[str(r->element[i])] = str(r->element[i + 1]);
  // A reservation's reply carries its stored record (docs/redis-schema.md,
  // Replies): its fields as the API names them, seats only when it has some.
  if (auto it = out.find("record"); it != out.end()) {
    const auto rec = store::parse_record(it->second);
    if (!rec) throw std::runtime_error("bad record: " + it->second);
    out.erase(it);
    for (const auto& [k, v] : store::named_fields(*rec))
      if (k != "version" && (k != "seats" || !v.empty())) out.emplace(k, v);
  }
  return out;
}

bool is_hot_path(lua::script s) {
  return s == lua::script::reserve_seats || s == lua::script::confirm_reservation ||
         s == lua::script::release_reservation || s == lua::script::read_reservation;
}

}  // namespace

std::string prefix(const std::string& event) { return store::event_prefix(event); }

std::string event_config::to_json() const {
  nlohmann::json z = nlohmann::json::array();
  for (const auto& zone : zones) {
    nlohmann::json j = {
        {"id", zone.id}, {"name", zone.name}, {"capacity", zone.capacity}, {"price", zone.price}};
    if (!zone.layout.is_null()) {
      j["kind"] = "seated";
      for (const auto& [k, v] : zone.layout.items()) j[k] = v;
    }
    z.push_back(std::move(j));
  }
  return nlohmann::json{{"name", name},
                        {"currency", "EUR"},
                        {"status", status},
                        {"hold_ttl_s", hold_ttl_s},
                        {"max_per_order", max_per_order},
                        {"max_per_user", max_per_user},
                        {"zones", z},
                        {"waiting_room", waiting_room}}
      .dump();
}

script_reply parse_reply(lua::script s, const redisReply* r) {
  if (!r) throw std::runtime_error("no reply");
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis error: " + str(r));
  if (s == lua::script::reserve_seats && r->type == REDIS_REPLY_STRING) {
    // A new hold: one text of what the caller cannot know (docs/redis-schema.md).
    const std::string text = str(r);
    if (!store::is_new_hold(text)) throw std::runtime_error("unexpected reply: " + str(r));
    script_reply out;
    out.ok = true;
    for (const auto& [k, v] : store::new_hold_pairs(text)) out.reservation.emplace(k, v);
    return out;
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 2)
    throw std::runtime_error("unexpected reply shape");
  script_reply out;
  out.ok = str(r->element[0]) == "OK";
  if (!out.ok) {
    if (r->elements < 3 || r->elements > 5 || r->element[2]->type != REDIS_REPLY_INTEGER)
      throw std::runtime_error("bad ERR reply");
    out.code = str(r->element[1]);
    out.retry_after_s = r->element[2]->integer;
    if (r->elements > 3) out.seats = str(r->element[3]);
    return out;
  }
  if (is_hot_path(s)) {
    if (r->element[1]->type != REDIS_REPLY_INTEGER) throw std::runtime_error("bad replayed");
    out.replayed = r->element[1]->integer;
    out.reservation = pairs(r, 2);
  } else if (s == lua::script::list_reservations) {
    if (r->elements < 3 || r->element[1]->type != REDIS_REPLY_INTEGER ||
        r->element[2]->type != REDIS_REPLY_INTEGER)
      throw std::runtime_error("bad list header");
    out.n = r->element[1]->integer;
    out.more = r->element[2]->integer;
    for (size_t i = 3; i < r->elements; ++i) out.list.push_back(pairs(r->element[i], 0));
    if (out.list.size() != static_cast<size_t>(out.n)) throw std::runtime_error("bad list count");
  } else if (s == lua::script::expire_holds) {
    if (r->element[1]->type != REDIS_REPLY_INTEGER) throw std::runtime_error("bad count");
    out.n = r->element[1]->integer;
  } else {
    out.text = str(r->element[1]);
  }
  return out;
}

lua_client::lua_client(const redis_endpoint& server) : server_(server), link_(server.link()) {
  load_all();
}

reply_ptr lua_client::command(const std::vector<std::string>& argv) {
  auto r = link_->command(argv);
  if (!r) throw std::runtime_error("redis connection failed");
  return r;
}

void lua_client::load_all() {
  shas_.clear();
  for (const auto& s : lua::all_scripts()) {
    auto r = command({"SCRIPT", "LOAD", std::string(s.text)});
    if (r->type != REDIS_REPLY_STRING)
      throw std::runtime_error("SCRIPT LOAD " + std::string(s.name) + ": " + str(r.get()));
    shas_.push_back(str(r.get()));
  }
}

reply_ptr lua_client::evalsha(lua::script s, const std::vector<std::string>& keys,
                              const std::vector<std::string>& argv) {
  std::vector<std::string> cmd = {"EVALSHA", shas_.at(static_cast<size_t>(s)),
                                  std::to_string(keys.size())};
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return command(cmd);
}

reply_ptr lua_client::evalsha(const store::script_call& call) {
  if (guard_ && (guard_all_ || is_room_script(call.script)))
    return guard_->evalsha(shas_.at(static_cast<size_t>(call.script)), call);
  return evalsha(call.script, call.keys, call.args);
}

script_reply lua_client::run(const store::script_call& call) {
  return parse_reply(call.script, evalsha(call).get());
}

std::string lua_client::hget(const std::string& key, const std::string& field) {
  auto r = command({"HGET", key, field});
  return r->type == REDIS_REPLY_STRING ? str(r.get()) : "";
}

long long lua_client::now_ms() {
  auto r = command({"TIME"});
  return std::stoll(str(r->element[0])) * 1000 + std::stoll(str(r->element[1])) / 1000;
}

script_reply lua_client::upsert(const std::string& ev, const event_config& cfg) {
  std::vector<std::string> layouts;
  bool seated = false;
  for (const auto& z : cfg.zones) {
    layouts.push_back(z.layout.is_null() ? "" : z.layout.dump());
    seated = seated || !z.layout.is_null();
  }
  if (!seated) layouts.clear();
  return run(store::upsert_event(ev, cfg.to_json(), std::move(layouts)));
}

script_reply lua_client::upsert_raw(const std::string& ev, const std::string& json) {
  return run(store::upsert_event(ev, json));
}

script_reply lua_client::reserve(const std::string& ev, const std::string& rid,
                                 const std::string& user, const std::string& zone,
                                 const std::string& quantity, const std::string& idem_key,
                                 const std::string& fp, const std::string& queue_pass,
                                 const std::string& batch, const std::string& per_minute,
                                 const std::string& seats, const std::string& best) {
  using store::number;
  auto out = run(store::reserve_seats({.event_id = ev,
                                       .rid = rid,
                                       .user = user,
                                       .zone = zone,
                                       .quantity = number::verbatim(quantity),
                                       .idem_key = idem_key,
                                       .fingerprint = fp,
                                       .queue_pass = queue_pass,
                                       .idem_ttl_s = k_idem_ttl_s,
                                       .expire_batch = number::verbatim(batch),
                                       .per_minute = number::verbatim(per_minute),
                                       .seats = seats,
                                       .best = best}));
  if (out.ok && out.replayed == 0) {
    // A new hold's reply carries only what the caller cannot know
    // (docs/redis-schema.md); the rest is what it sent, as the server does.
    out.fresh_reply = out.reservation;
    const fields sent = {{"id", rid},          {"event_id", ev},       {"zone_id", zone},
                         {"user_id", user},    {"quantity", quantity}, {"status", "held"},
                         {"confirmed_at", ""}, {"payment_ref", ""}};
    for (const auto& [k, v] : sent) out.reservation.emplace(k, v);
  }
  return out;
}

script_reply lua_client::confirm(const std::string& ev, const std::string& rid,
                                 const std::string& user, const std::string& idem_key,
                                 const std::string& fp, const std::string& payment_ref) {
  return run(store::confirm_reservation({.event_id = ev,
                                         .rid = rid,
                                         .user = user,
                                         .idem_key = idem_key,
                                         .payment_ref = payment_ref,
                                         .fingerprint = fp,
                                         .idem_ttl_s = k_idem_ttl_s}));
}

script_reply lua_client::release(const std::string& ev, const std::string& rid,
                                 const std::string& user) {
  return run(store::release_reservation(ev, rid, user));
}

script_reply lua_client::read(const std::string& ev, const std::string& rid,
                              const std::string& user) {
  return run(store::read_reservation(ev, rid, user));
}

script_reply lua_client::list(const std::string& ev, const std::string& user,
                              const std::string& batch, const std::string& limit,
                              const std::string& after_at, const std::string& after_rid) {
  using store::number;
  return run(store::list_reservations({.event_id = ev,
                                       .user = user,
                                       .expire_batch = number::verbatim(batch),
                                       .limit = number::verbatim(limit),
                                       .after_created_at = number::verbatim(after_at),
                                       .after_rid = after_rid}));
}

script_reply lua_client::expire(const std::string& ev, const std::string& batch) {
  return run(store::expire_holds(ev, store::number::verbatim(batch)));
}

script_reply lua_client::set_status(const std::string& ev, const std::string& status) {
  return run(store::set_event_status(ev, status));
}

script_reply lua_client::read_event(const std::string& ev) { return run(store::read_event(ev)); }

script_reply lua_client::audit(const std::string& ev, const std::string& scan_limit) {
  return run(store::read_audit(ev, store::number::verbatim(scan_limit)));
}

void lua_client::make_due(const std::string& ev, const std::string& rid, long long ms_ago) {
  layout::set_expires_at(server_, ev, rid, now_ms() - ms_ago);
}

}  // namespace seatgate::test
