#include "inventory/seating/layout.h"

#include <seatgate/rules.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace seatgate::inventory::seating {

using json = nlohmann::json;

namespace {

using R = json;

parsed<R> refuse(std::string detail) { return fail<R>(errc::invalid_request, std::move(detail)); }

bool is_row_id(std::string_view id) {
  return !id.empty() && id.size() <= k_max_row_id_len &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

// Seats of each row by row id.
using row_sizes = std::map<std::string, std::int64_t>;

// A list of distinct seat ids of the rows, at `name`; "" when fine.
std::string read_seat_list(const json& list, const std::string& name, const row_sizes& rows,
                           std::set<std::string>& out) {
  if (!list.is_array()) return "'" + name + "' must be an array of seat ids";
  for (const auto& s : list) {
    if (!s.is_string()) return "'" + name + "' must be an array of seat ids";
    const auto id = s.get<std::string>();
    std::string row;
    std::int64_t number = 0;
    if (!split_seat_id(id, row, number))
      return "'" + name + "': '" + id + "' is not a seat id such as \"A-12\"";
    const auto it = rows.find(row);
    if (it == rows.end() || number > it->second)
      return "'" + name + "': seat '" + id + "' is outside the rows";
    if (!out.insert(id).second) return "'" + name + "': seat '" + id + "' appears twice";
  }
  return {};
}

// rows[] -> normalised rows and their sizes; "" when fine.
std::string read_rows(const json& zone, const std::string& where, json& rows_out,
                      row_sizes& sizes) {
  const auto it = zone.find("rows");
  const std::string name = where + "rows";
  if (it == zone.end()) return "'" + name + "' is required for a seated zone";
  if (!it->is_array() || it->empty() || static_cast<std::int64_t>(it->size()) > k_max_rows)
    return "'" + name + "' must be an array of 1 to " + std::to_string(k_max_rows) + " rows";
  std::int64_t total = 0;
  rows_out = json::array();
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& r = (*it)[i];
    const std::string at = name + "[" + std::to_string(i) + "]";
    if (!r.is_object()) return "'" + at + "' must be an object";
    if (auto k = unknown_key(r, {"id", "seats", "aisles_after"}))
      return "unknown field '" + at + "." + *k + "'";
    const auto id_it = r.find("id");
    if (id_it == r.end() || !id_it->is_string() || !is_row_id(id_it->get<std::string>()))
      return "'" + at + ".id' must be 1 to 8 letters or digits";
    const auto id = id_it->get<std::string>();
    std::int64_t seats = 0;
    if (auto e = read_int(r, "seats", 1, k_max_seats_per_row, std::nullopt, seats, at + ".");
        !e.empty())
      return e;
    if (!sizes.emplace(id, seats).second) return "row id '" + id + "' appears twice in " + name;
    total += seats;
    if (total > k_max_zone_seats)
      return "'" + name + "' holds more than " + std::to_string(k_max_zone_seats) + " seats";
    std::vector<std::int64_t> aisles;
    if (const auto a = r.find("aisles_after"); a != r.end()) {
      const std::string an = at + ".aisles_after";
      if (!a->is_array()) return "'" + an + "' must be an array of seat numbers";
      for (const auto& v : *a) {
        if (!v.is_number_integer()) return "'" + an + "' must be an array of seat numbers";
        const auto n = v.get<std::int64_t>();
        if (n < 1 || n >= seats)
          return "'" + an + "': an aisle after seat " + std::to_string(n) +
                 " is outside the row (1 to " + std::to_string(seats - 1) + ")";
        if (std::find(aisles.begin(), aisles.end(), n) != aisles.end())
          return "'" + an + "': an aisle after seat " + std::to_string(n) + " appears twice";
        aisles.push_back(n);
      }
    }
    std::sort(aisles.begin(), aisles.end());
    rows_out.push_back({{"id", id}, {"seats", seats}, {"aisles_after", aisles}});
  }
  return {};
}

}  // namespace

bool split_seat_id(std::string_view id, std::string& row, std::int64_t& number) {
  const auto dash = id.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || !is_row_id(id.substr(0, dash))) return false;
  const auto digits = id.substr(dash + 1);
  if (digits.empty() || digits.size() > 4 || digits.front() == '0') return false;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size()) return false;
  row = std::string(id.substr(0, dash));
  return true;
}

std::optional<zone_kind> parse_zone_kind(const json& zone, std::string_view where,
                                         std::string& why) {
  const auto it = zone.find("kind");
  if (it == zone.end()) return zone_kind::general;
  if (it->is_string() && it->get<std::string>() == "general") return zone_kind::general;
  if (it->is_string() && it->get<std::string>() == "seated") return zone_kind::seated;
  why = "'" + std::string(where) + "kind' must be \"general\" or \"seated\"";
  return std::nullopt;
}

parsed<json> parse_seated_zone(const json& z, std::string_view where_view) {
  const std::string where(where_view);
  if (auto k = unknown_key(z, {"id", "name", "kind", "price", "rows", "unavailable", "categories",
                               "category_prices"})) {
    if (*k == "capacity")
      return refuse("'" + where + "capacity' is not given for a seated zone: it is its seats");
    return refuse("unknown field '" + where + *k + "'");
  }
  std::string id, name;
  std::int64_t price = 0;
  if (auto e = read_slug(z, "id", id, where); !e.empty()) return refuse(e);
  if (auto e = read_string(z, "name", 200, std::nullopt, name, where); !e.empty()) return refuse(e);
  if (auto e = read_int(z, "price", 0, 1'000'000'000'000, std::nullopt, price, where); !e.empty())
    return refuse(e);

  json rows;
  row_sizes sizes;
  if (auto e = read_rows(z, where, rows, sizes); !e.empty()) return refuse(e);
  std::int64_t seats = 0;
  for (const auto& [_, n] : sizes) seats += n;

  std::set<std::string> unavailable;
  if (const auto u = z.find("unavailable"); u != z.end())
    if (auto e = read_seat_list(*u, where + "unavailable", sizes, unavailable); !e.empty())
      return refuse(e);

  json categories = json::object();
  if (const auto c = z.find("categories"); c != z.end()) {
    const std::string cn = where + "categories";
    if (!c->is_object() || c->size() > k_max_categories)
      return refuse("'" + cn + "' must be an object of at most " +
                    std::to_string(k_max_categories) + " categories");
    std::set<std::string> placed;
    for (const auto& [cat, list] : c->items()) {
      if (!rules::is_slug(cat))
        return refuse("'" + cn + "': category '" + cat + "' must match [a-z0-9][a-z0-9-]{0,63}");
      std::set<std::string> ids;
      if (auto e = read_seat_list(list, cn + "." + cat, sizes, ids); !e.empty()) return refuse(e);
      for (const auto& s : ids)
        if (!placed.insert(s).second)
          return refuse("'" + cn + "': seat '" + s + "' is in two categories");
      categories[cat] = std::vector<std::string>(ids.begin(), ids.end());
    }
  }

  json prices = json::object();
  if (const auto p = z.find("category_prices"); p != z.end()) {
    const std::string pn = where + "category_prices";
    if (!p->is_object()) return refuse("'" + pn + "' must be an object");
    for (const auto& [cat, _] : p->items()) {
      if (!categories.contains(cat)) return refuse("'" + pn + "': unknown category '" + cat + "'");
      std::int64_t v = 0;
      if (auto e = read_int(*p, cat, 0, 1'000'000'000'000, std::nullopt, v, pn + "."); !e.empty())
        return refuse(e);
      prices[cat] = v;
    }
  }

  return {json{{"id", id},
               {"name", name},
               {"kind", "seated"},
               {"capacity", seats - static_cast<std::int64_t>(unavailable.size())},
               {"price", price},
               {"rows", std::move(rows)},
               {"unavailable", std::vector<std::string>(unavailable.begin(), unavailable.end())},
               {"categories", std::move(categories)},
               {"category_prices", std::move(prices)}},
          {}};
}

json layout_of(const json& zone) {
  return {{"rows", zone.at("rows")},
          {"unavailable", zone.at("unavailable")},
          {"categories", zone.at("categories")},
          {"category_prices", zone.at("category_prices")}};
}

}  // namespace seatgate::inventory::seating
