#include "store/record.h"

#include <charconv>

namespace seatgate::store {

std::optional<record> parse_record(std::string_view text) {
  std::string_view head[11];
  std::size_t at = 0;
  for (auto& h : head) {
    const auto bar = text.find('|', at);
    if (bar == std::string_view::npos) return std::nullopt;
    h = text.substr(at, bar - at);
    at = bar + 1;
  }
  std::size_t ulen = 0;
  const auto [p, ec] = std::from_chars(head[10].data(), head[10].data() + head[10].size(), ulen);
  if (ec != std::errc() || p != head[10].data() + head[10].size() || ulen > text.size() - at)
    return std::nullopt;
  record r{std::string(head[0]), std::string(head[1]), std::string(head[2]),
           std::string(head[3]), std::string(head[4]), std::string(head[5]),
           std::string(head[6]), std::string(head[7]), std::string(head[8]),
           std::string(text.substr(at, ulen)), "", std::string(head[9])};
  if (at + ulen < text.size()) {
    if (text[at + ulen] != '|') return std::nullopt;
    r.payment_ref = std::string(text.substr(at + ulen + 1));
  }
  return r;
}

std::string record_text(const record& r) {
  std::string out;
  for (const std::string* f : {&r.status, &r.version, &r.quantity, &r.amount, &r.created_at,
                               &r.expires_at, &r.confirmed_at, &r.zone_id, &r.currency, &r.seats})
    out.append(*f).push_back('|');
  out.append(std::to_string(r.user_id.size())).append("|").append(r.user_id).append("|");
  return out.append(r.payment_ref);
}

std::vector<std::pair<std::string_view, std::string_view>> named_fields(const record& r) {
  return {{"zone_id", r.zone_id},       {"user_id", r.user_id},
          {"quantity", r.quantity},     {"amount", r.amount},
          {"currency", r.currency},     {"status", r.status},
          {"created_at", r.created_at}, {"expires_at", r.expires_at},
          {"confirmed_at", r.confirmed_at}, {"payment_ref", r.payment_ref},
          {"version", r.version},       {"seats", r.seats}};
}

}  // namespace seatgate::store
