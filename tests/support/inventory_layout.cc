#include "inventory_layout.h"

#include <cstdio>
#include <vector>

#include "store/keys.h"

namespace seatgate::test::layout {

namespace {

std::string pad(long long ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%015lld", ms);
  return buf;
}

std::string user_tag(const std::string& user) {
  return std::to_string(user.size()) + ":" + user + ":";
}

std::string text_of(const reply_ptr& p) { return p && p->str ? std::string(p->str, p->len) : ""; }

}  // namespace

std::optional<record> read_record(const redis_endpoint& r, const std::string& event,
                                  const std::string& rid) {
  auto v = r.command({"HGET", store::event_keys(event).reservations(), rid});
  if (!v || !v->str) return std::nullopt;
  return parse_record(text_of(v));
}

std::string status(const redis_endpoint& r, const std::string& event, const std::string& rid) {
  auto rec = read_record(r, event, rid);
  return rec ? rec->status : "";
}

std::string event_order_member(long long expires_at_ms, const std::string& rid) {
  return "e:" + pad(expires_at_ms) + ":" + rid;
}

std::string history_member(const std::string& user, long long created_at_ms,
                           const std::string& rid) {
  return "h:" + user_tag(user) + pad(created_at_ms) + ":" + rid;
}

void set_expires_at(const redis_endpoint& r, const std::string& event, const std::string& rid,
                    long long at_ms) {
  const store::event_keys k(event);
  auto rec = read_record(r, event, rid);
  if (!rec) return;
  auto members = [&](long long exp) {
    const std::string at = pad(exp) + ":" + rid;
    return std::vector<std::string>{"e:" + at, "z:" + rec->zone_id + ":" + at,
                                    "u:" + user_tag(rec->user_id) + at};
  };
  const auto old = members(std::stoll(rec->expires_at));
  const auto now = members(at_ms);
  rec->expires_at = std::to_string(at_ms);
  r.command({"HSET", k.reservations(), rid, store::record_text(*rec)});
  if (rec->status != "held") return;
  r.command({"ZREM", k.index(), old[0], old[1], old[2]});
  r.command({"ZADD", k.index(), "0", now[0], "0", now[1], "0", now[2]});
}

long long counter(const redis_endpoint& r, const std::string& event, const std::string& field) {
  auto v = text_of(r.command({"HGET", store::event_keys(event).event(), field}));
  return v.empty() ? 0 : std::stoll(v);
}

}  // namespace seatgate::test::layout
