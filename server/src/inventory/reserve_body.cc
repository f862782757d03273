#include "inventory/reserve_body.h"

#include <seatgate/rules.h>

#include <utility>

namespace seatgate::inventory {
namespace {

using json = nlohmann::json;

// The body every client sends: one flat object with exactly event_id and
// zone_id (slugs) and quantity (an integer in 1..100), any order. Read by
// nlohmann's SAX interface (the same lexer as json::parse, no DOM). Anything
// else stops it, and parse_reserve falls back to the full path, which finds
// the exact problem; so a body this accepts is one the full path accepts with
// the same values.
class reserve_sax {
 public:
  std::string event_id, zone_id;
  std::int64_t quantity = 0;
  bool complete() const { return seen_ == 7 && depth_ == 0 && closed_; }

  bool null() { return false; }
  bool boolean(bool) { return false; }
  bool number_integer(json::number_integer_t v) { return quantity_value(v); }
  bool number_unsigned(json::number_unsigned_t v) {
    return v <= static_cast<std::uint64_t>(rules::k_max_quantity) &&
           quantity_value(static_cast<std::int64_t>(v));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return false; }
  bool string(json::string_t& v) {
    if (depth_ != 1 || (field_ != 0 && field_ != 1) || !rules::is_slug(v)) return false;
    (field_ == 0 ? event_id : zone_id) = std::move(v);
    return true;
  }
  bool binary(json::binary_t&) { return false; }
  bool start_object(std::size_t) {
    if (depth_ != 0 || closed_) return false;
    depth_ = 1;
    return true;
  }
  bool key(json::string_t& k) {
    if (k == "event_id")
      field_ = 0;
    else if (k == "zone_id")
      field_ = 1;
    else if (k == "quantity")
      field_ = 2;
    else
      return false;
    const unsigned bit = 1u << field_;
    if (seen_ & bit) return false;  // duplicate key
    seen_ |= bit;
    return true;
  }
  bool end_object() {
    depth_ = 0;
    closed_ = true;
    return true;
  }
  bool start_array(std::size_t) { return false; }
  bool end_array() { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  bool quantity_value(std::int64_t v) {
    if (depth_ != 1 || field_ != 2 || !rules::is_quantity(v)) return false;
    quantity = v;
    return true;
  }
  int depth_ = 0;
  int field_ = -1;
  unsigned seen_ = 0;
  bool closed_ = false;
};

std::string reserve_canonical(const reserve_request& r) {
  // Slugs need no JSON escaping.
  std::string out;
  out.reserve(r.event_id.size() + r.zone_id.size() + 48);
  out.push_back('{');
  if (r.allow_split) out.append(R"("allow_split":true,)");
  if (r.best_available) out.append(R"("best_available":true,)");
  out.append(R"("event_id":")").append(r.event_id).append(R"(","quantity":)");
  out.append(std::to_string(r.quantity));
  if (!r.seats.empty()) out.append(R"(,"seats":)").append(json(r.seats).dump(-1, ' ', false, json::error_handler_t::replace));
  out.append(R"(,"zone_id":")").append(r.zone_id).append(R"("})");
  return out;
}

// The seated fields of the full path: seats, best_available, allow_split.
std::optional<error> read_seated(const json& j, reserve_request& r) {
  if (const auto it = j.find("seats"); it != j.end()) {
    if (!it->is_array()) return error{errc::invalid_request, "'seats' must be an array of seat ids"};
    if (it->empty() || it->size() > static_cast<std::size_t>(rules::k_max_quantity))
      return error{errc::invalid_quantity, "'seats' must name 1 to 100 seats"};
    for (const auto& s : *it) {
      if (!s.is_string() || s.get_ref<const std::string&>().empty() ||
          s.get_ref<const std::string&>().size() > 16)
        return error{errc::invalid_request, "'seats' must hold seat ids such as \"A-12\""};
      if (s.get_ref<const std::string&>().find_first_of(",|") != std::string::npos) {
        error e{errc::invalid_seats, "'" + s.get<std::string>() + "' is not a seat id"};
        e.seats = {s.get<std::string>()};
        return e;
      }
      r.seats.push_back(s.get<std::string>());
    }
  }
  for (const auto& [key, flag] : {std::pair{"best_available", &r.best_available},
                                  std::pair{"allow_split", &r.allow_split}}) {
    const auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_boolean()) return error{errc::invalid_request, "'" + std::string(key) + "' must be true or false"};
    *flag = it->get<bool>();
  }
  if (!r.seats.empty() && (r.best_available || r.allow_split))
    return error{errc::invalid_request,
                "'seats' picks seats; 'best_available' and 'allow_split' ask for a quantity"};
  return std::nullopt;
}

}  // namespace

parsed<reserve_request> parse_reserve(std::string_view body) {
  using R = reserve_request;
  {
    reserve_sax sax;
    // sax_parse is strict (only whitespace may follow the value), except for a NUL.
    if (!has_nul(body) && json::sax_parse(body.begin(), body.end(), &sax) && sax.complete()) {
      R r;
      r.event_id = std::move(sax.event_id);
      r.zone_id = std::move(sax.zone_id);
      r.quantity = sax.quantity;
      r.canonical = reserve_canonical(r);
      return {std::move(r), {}};
    }
  }
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>(errc::invalid_json, why);
  if (!j->is_object()) return fail<R>(errc::invalid_request, "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"event_id", "zone_id", "quantity", "seats", "best_available",
                                "allow_split"}))
    return fail<R>(errc::invalid_request, "unknown field '" + *k + "'");

  R r;
  if (auto e = read_slug(*j, "event_id", r.event_id); !e.empty())
    return fail<R>(errc::invalid_request, e);
  if (auto e = read_slug(*j, "zone_id", r.zone_id); !e.empty())
    return fail<R>(errc::invalid_request, e);
  if (auto e = read_seated(*j, r)) return {std::nullopt, std::move(*e)};
  if (!j->contains("quantity") && r.seats.empty())
    return fail<R>(errc::invalid_request, "'quantity' (or 'seats') is required");
  if (j->contains("quantity")) {
    if (auto e = read_int(*j, "quantity", rules::k_min_quantity, rules::k_max_quantity,
                          std::nullopt, r.quantity);
        !e.empty())
      return fail<R>(errc::invalid_quantity, e);
    if (!r.seats.empty() && r.quantity != static_cast<std::int64_t>(r.seats.size()))
      return fail<R>(errc::invalid_quantity, "'quantity' must be the number of 'seats'");
  }
  if (!r.seats.empty()) r.quantity = static_cast<std::int64_t>(r.seats.size());
  r.canonical = reserve_canonical(r);
  return {std::move(r), {}};
}

std::string reserve_request::seats_arg() const {
  std::string out;
  for (const auto& s : seats) out.append(out.empty() ? "" : ",").append(s);
  return out;
}

std::string_view reserve_request::best_arg() const {
  if (allow_split) return "split";
  return best_available ? "1" : "";
}

}  // namespace seatgate::inventory
