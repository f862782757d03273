#include "redis/cluster/slot_map.h"

#include "redis/cluster/slot.h"

#include <charconv>

namespace seatgate::redis::cluster {
namespace {

std::optional<slot_map> fail(std::string* error, std::string why) {
  if (error) *error = "CLUSTER SLOTS: " + std::move(why);
  return std::nullopt;
}

std::optional<node_address> node_of(const reply& r, std::string_view asked_host) {
  if (!r.is_array() || r.elements.size() < 2) return std::nullopt;
  const reply& host = r.elements[0];
  const reply& port = r.elements[1];
  if (host.type != reply::kind::string || port.type != reply::kind::integer) return std::nullopt;
  if (port.integer < 1 || port.integer > 65535) return std::nullopt;
  node_address a{host.str.empty() ? std::string(asked_host) : host.str,
                 static_cast<int>(port.integer)};
  return a;
}

}  // namespace

std::optional<node_address> parse_address(std::string_view text) {
  auto at = text.find('@');  // host:port@cport
  if (at != std::string_view::npos) text = text.substr(0, at);
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto port_text = text.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 || port > 65535)
    return std::nullopt;
  return node_address{std::string(text.substr(0, colon)), port};
}

std::optional<slot_map> slot_map::parse(const reply& r, std::string_view asked_host,
                                        std::string* error) {
  if (r.is_error()) return fail(error, r.str);
  if (!r.is_array()) return fail(error, "not an array");
  slot_map m;
  m.owner_.assign(k_slots, -1);
  for (const reply& range : r.elements) {
    if (!range.is_array() || range.elements.size() < 3) return fail(error, "bad slot range");
    const reply& first = range.elements[0];
    const reply& last = range.elements[1];
    if (first.type != reply::kind::integer || last.type != reply::kind::integer ||
        first.integer < 0 || last.integer >= k_slots || first.integer > last.integer)
      return fail(error, "bad slot bounds");
    auto master = node_of(range.elements[2], asked_host);
    if (!master) return fail(error, "bad master entry");
    shard s{*master, {}};
    for (std::size_t i = 3; i < range.elements.size(); ++i) {
      auto replica = node_of(range.elements[i], asked_host);
      if (!replica) return fail(error, "bad replica entry");
      s.replicas.push_back(std::move(*replica));
    }
    std::int16_t index = -1;
    for (std::size_t i = 0; i < m.shards_.size(); ++i)
      if (m.shards_[i].master == s.master) index = static_cast<std::int16_t>(i);
    if (index < 0) {
      index = static_cast<std::int16_t>(m.shards_.size());
      m.shards_.push_back(std::move(s));
    }
    for (auto slot = first.integer; slot <= last.integer; ++slot)
      m.owner_[static_cast<std::size_t>(slot)] = index;
  }
  return m;
}

const shard* slot_map::owner(int slot) const {
  if (slot < 0 || slot >= static_cast<int>(owner_.size())) return nullptr;
  auto index = owner_[static_cast<std::size_t>(slot)];
  return index < 0 ? nullptr : &shards_[static_cast<std::size_t>(index)];
}

bool slot_map::complete() const {
  if (owner_.size() != static_cast<std::size_t>(k_slots)) return false;
  for (auto index : owner_)
    if (index < 0) return false;
  return true;
}

std::string slot_map::uncovered() const {
  std::string out;
  int slot = 0;
  while (slot < k_slots) {
    if (owner(slot) != nullptr) {
      ++slot;
      continue;
    }
    int last = slot;
    while (last + 1 < k_slots && owner(last + 1) == nullptr) ++last;
    if (!out.empty()) out += ',';
    out += std::to_string(slot);
    if (last > slot) out += "-" + std::to_string(last);
    slot = last + 1;
  }
  return out.empty() ? out : "slots " + out + " are not served";
}

void slot_map::assign(int slot, const node_address& master) {
  if (slot < 0 || slot >= k_slots) return;
  if (owner_.empty()) owner_.assign(k_slots, -1);
  std::int16_t index = -1;
  for (std::size_t i = 0; i < shards_.size(); ++i)
    if (shards_[i].master == master) index = static_cast<std::int16_t>(i);
  if (index < 0) {
    index = static_cast<std::int16_t>(shards_.size());
    shards_.push_back(shard{master, {}});
  }
  owner_[static_cast<std::size_t>(slot)] = index;
}

}  // namespace seatgate::redis::cluster
