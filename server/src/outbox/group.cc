#include "outbox/group.h"

#include "util/random.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>

namespace seatgate::outbox {

namespace {

using redis::reply;

// [[id, [f, v, ...]], ...]
std::vector<stream_entry> entries_of_list(const reply& list) {
  std::vector<stream_entry> out;
  for (const auto& e : list.elements) {
    if (!e.is_array() || e.elements.empty()) continue;
    stream_entry se;
    se.id = e.elements[0].str;
    if (e.elements.size() > 1 && e.elements[1].is_array()) {
      const auto& f = e.elements[1].elements;
      for (std::size_t i = 0; i + 1 < f.size(); i += 2)
        se.fields.emplace_back(f[i].str, f[i + 1].str);
    }
    out.push_back(std::move(se));
  }
  return out;
}

std::vector<stream_entry> entries_of(const reply& r) {
  // [[key, [[id, [f, v, ...]], ...]]]
  if (!r.is_array() || r.elements.empty()) return {};
  const auto& stream = r.elements[0];
  if (!stream.is_array() || stream.elements.size() < 2) return {};
  return entries_of_list(stream.elements[1]);
}

// The id right after `id` (the MINID that keeps everything after it).
std::string next_id(const std::string& id) {
  const auto dash = id.find('-');
  std::uint64_t seq = 0;
  if (dash != std::string::npos) std::from_chars(id.data() + dash + 1, id.data() + id.size(), seq);
  return id.substr(0, dash) + "-" + std::to_string(seq + 1);
}

const reply* field_of(const reply& map, std::string_view name) {
  for (std::size_t i = 0; i + 1 < map.elements.size(); i += 2)
    if (map.elements[i].str == name) return &map.elements[i + 1];
  return nullptr;
}

}  // namespace

std::string consumer_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + util::random_token(6);
}

std::int64_t id_ms(const std::string& id) {
  std::int64_t ms = 0;
  std::from_chars(id.data(), id.data() + id.size(), ms);
  return ms;
}

bool id_less(const std::string& a, const std::string& b) {
  const auto am = id_ms(a), bm = id_ms(b);
  if (am != bm) return am < bm;
  std::uint64_t as = 0, bs = 0;
  if (const auto d = a.find('-'); d != std::string::npos)
    std::from_chars(a.data() + d + 1, a.data() + a.size(), as);
  if (const auto d = b.find('-'); d != std::string::npos)
    std::from_chars(b.data() + d + 1, b.data() + b.size(), bs);
  return as < bs;
}

net::awaitable<bool> group_reader::ensure(const std::string& key) {
  if (known_.count(key)) co_return true;
  redis::command create{"XGROUP", "CREATE", key, group_, "0"};
  auto [ec, r] = co_await conn_.command(std::move(create));
  if (ec) co_return false;
  if (r.is_error() && r.str.rfind("BUSYGROUP", 0) != 0) co_return false;  // no stream yet
  known_[key] = true;
  co_return true;
}

net::awaitable<std::vector<stream_entry>> group_reader::take(const std::string& key,
                                                             std::chrono::milliseconds claim_idle,
                                                             std::size_t count, std::size_t limit) {
  std::vector<stream_entry> none;
  if (!co_await ensure(key)) co_return none;
  // What this consumer holds already, oldest first: at most `limit`.
  redis::command mine{"XREADGROUP",          "GROUP",   group_, consumer_, "COUNT",
                      std::to_string(limit), "STREAMS", key,    "0"};
  auto [ec1, r1] = co_await conn_.command(std::move(mine));
  if (ec1) co_return none;
  if (r1.is_error() && r1.str.rfind("NOGROUP", 0) == 0) {
    known_.erase(key);  // the stream was deleted (an archived event)
    co_return none;
  }
  auto held = entries_of(r1);
  // Then, while under `limit`, a dead consumer's idle entries (XAUTOCLAIM
  // looks at 10 x COUNT pending entries at most) and new ones: a consumer
  // never holds more than `limit`, so no round reads more than that.
  std::size_t room = limit > held.size() ? limit - held.size() : 0;
  if (room > 0) {
    redis::command claim{"XAUTOCLAIM", key, group_, consumer_, std::to_string(claim_idle.count()),
                         "0-0", "COUNT", std::to_string(std::min(count, room))};
    auto [ec2, r2] = co_await conn_.command(std::move(claim));
    if (ec2) co_return none;
    // [next cursor, [[id, [f, v, ...]], ...], [deleted ids]]
    if (r2.is_array() && r2.elements.size() >= 2) {
      auto claimed = entries_of_list(r2.elements[1]);
      room -= std::min(room, claimed.size());
      for (auto& e : claimed) held.push_back(std::move(e));
    }
  }
  if (room > 0) {
    redis::command fresh{"XREADGROUP", "GROUP", group_, consumer_, "COUNT",
                         std::to_string(std::min(count, room)), "STREAMS", key, ">"};
    auto [ec3, r3] = co_await conn_.command(std::move(fresh));
    if (ec3) co_return none;
    for (auto& e : entries_of(r3)) held.push_back(std::move(e));
  }
  std::sort(held.begin(), held.end(),
            [](const stream_entry& a, const stream_entry& b) { return id_less(a.id, b.id); });
  // An own entry idle that long (a round slower than claim_idle) is claimed again.
  held.erase(std::unique(held.begin(), held.end(),
                         [](const stream_entry& a, const stream_entry& b) { return a.id == b.id; }),
             held.end());
  if (!held.empty()) {
    // Held entries are being worked on: keep them from looking abandoned.
    redis::command touch{"XCLAIM", key, group_, consumer_, "0"};
    for (const auto& e : held) touch.push_back(e.id);
    touch.push_back("JUSTID");
    co_await conn_.command(std::move(touch));
  }
  co_return held;
}

net::awaitable<bool> group_reader::ack(const std::string& key,
                                       const std::vector<std::string>& ids) {
  if (ids.empty()) co_return true;
  redis::command xack{"XACK", key, group_};
  xack.insert(xack.end(), ids.begin(), ids.end());
  auto [ec, r] = co_await conn_.command(std::move(xack));
  co_return !ec && !r.is_error();
}

net::awaitable<std::map<std::string, std::int64_t>> trim_consumed(
    redis::connection& conn, const std::string& key, std::int64_t now_ms,
    const std::vector<std::string>& required) {
  std::map<std::string, std::int64_t> ages;
  redis::command info{"XINFO", "GROUPS", key};
  auto [ec, groups] = co_await conn.command(std::move(info));
  if (ec || !groups.is_array() || groups.elements.empty()) co_return ages;
  std::string keep_from;  // the smallest id some group still needs
  bool all_known = true;
  for (const auto& g : groups.elements) {
    const auto* name = field_of(g, "name");
    const auto* pending = field_of(g, "pending");
    const auto* last = field_of(g, "last-delivered-id");
    if (!name || !pending || !last) {
      all_known = false;
      continue;
    }
    std::string oldest;  // this group's oldest entry not acknowledged
    if (pending->integer > 0) {
      redis::command summary{"XPENDING", key, name->str};
      auto [pec, p] = co_await conn.command(std::move(summary));
      if (pec || !p.is_array() || p.elements.size() < 2) {
        all_known = false;
        continue;
      }
      oldest = p.elements[1].str;
    } else {
      redis::command after{"XRANGE", key, "(" + last->str, "+", "COUNT", "1"};
      auto [xec, x] = co_await conn.command(std::move(after));
      if (xec) {
        all_known = false;
        continue;
      }
      if (x.is_array() && !x.elements.empty() && x.elements[0].is_array())
        oldest = x.elements[0].elements[0].str;
    }
    ages[name->str] = oldest.empty() ? 0 : std::max<std::int64_t>(0, now_ms - id_ms(oldest));
    const std::string need = oldest.empty() ? next_id(last->str) : oldest;
    if (keep_from.empty() || id_less(need, keep_from)) keep_from = need;
  }
  for (const auto& g : required) all_known = all_known && ages.count(g);
  if (all_known && !keep_from.empty()) {
    redis::command trim{"XTRIM", key, "MINID", keep_from};
    co_await conn.command(std::move(trim));
  }
  co_return ages;
}

}  // namespace seatgate::outbox
