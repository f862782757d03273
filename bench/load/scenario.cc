#include "scenario.h"

#include "token.h"

#include <nlohmann/json.hpp>

namespace seatgate::bench {

const char* name_of(request_kind k) {
  switch (k) {
    case request_kind::reserve:
      return "reserve";
    case request_kind::confirm:
      return "confirm";
    case request_kind::read:
      return "event-read";
  }
  return "?";
}

std::string_view json_string_field(std::string_view body, std::string_view name) {
  std::string quoted = "\"";
  quoted.append(name);
  quoted += '"';
  for (std::size_t at = body.find(quoted); at != std::string_view::npos;
       at = body.find(quoted, at + 1)) {
    std::size_t i = at + quoted.size();
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    if (i >= body.size() || body[i] != ':') continue;
    ++i;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    if (i >= body.size() || body[i] != '"') continue;
    const std::size_t end = body.find('"', i + 1);
    if (end == std::string_view::npos) return {};
    return body.substr(i + 1, end - i - 1);
  }
  return {};
}

scenario::scenario(const options& opts, std::string run_id)
    : opts_(opts), run_id_(std::move(run_id)) {
  event_id_ = opts.event_id.empty() ? std::string("bench-") + name_of(opts.scenario) + "-" + run_id_
                                    : opts.event_id;
  reserve_body_ = R"({"event_id":")" + event_id_ + R"(","zone_id":")" + zone_id_ +
                  R"(","quantity":)" + std::to_string(opts.quantity) +
                  (opts.seated ? R"(,"best_available":true,"allow_split":true})" : "}");
  if (opts.scenario != scenario_kind::event_read) {
    // Minted once: the hot path only copies them.
    const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     24 * 3600;
    tokens_.reserve(opts.users);
    for (std::uint64_t u = 0; u < opts.users; ++u) {
      tokens_.push_back("Bearer " + mint_hs256("user-" + std::to_string(u), exp, opts.jwt_secret));
    }
  }
}

std::string scenario::event_config_json() const {
  nlohmann::json cfg = {
      {"name", std::string("seatgate-load ") + name_of(opts_.scenario)},
      {"currency", "EUR"},
      {"status", "on_sale"},
      {"hold_ttl_s", opts_.hold_ttl_s},
      {"max_per_order", std::max<unsigned>(10, opts_.quantity)},
      {"max_per_user", opts_.max_per_user},
      {"zones", nlohmann::json::array({{{"id", zone_id_},
                                        {"name", "General admission"},
                                        {"capacity", opts_.capacity},
                                        {"price", 4500}}})},
      {"waiting_room", {{"enabled", false}}},
  };
  if (opts_.seated) {
    // Rows of 100 seats (the last one shorter), front first (docs/seating.md).
    auto& z = cfg["zones"][0];
    z.erase("capacity");
    z["name"] = "Seated arena";
    z["kind"] = "seated";
    z["rows"] = nlohmann::json::array();
    for (std::uint64_t left = opts_.capacity, i = 0; left > 0; ++i) {
      const std::uint64_t n = std::min<std::uint64_t>(left, 100);
      nlohmann::json row = {{"id", "R" + std::to_string(i + 1)}, {"seats", n}};
      row["aisles_after"] = nlohmann::json::array();
      if (n > 75) row["aisles_after"] = {25, 75};
      z["rows"].push_back(std::move(row));
      left -= n;
    }
  }
  return cfg.dump();
}

std::int64_t scenario::since_start() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start_time).count();
}

std::string scenario::next_key(worker_ids& ids) const {
  std::string key = ids.key_prefix;
  key += std::to_string(ids.seq++);
  return key;
}

std::string scenario::build(std::string_view method, std::string_view target, std::uint64_t user,
                            std::string_view idem_key, std::string_view body) const {
  std::string r;
  r.reserve(512 + body.size());
  r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ");
  r.append(opts_.host).append("\r\n");
  if (!tokens_.empty()) r.append("Authorization: ").append(tokens_[user]).append("\r\n");
  if (!idem_key.empty()) r.append("Idempotency-Key: ").append(idem_key).append("\r\n");
  if (!body.empty()) {
    r.append("Content-Type: application/json\r\nContent-Length: ");
    r.append(std::to_string(body.size())).append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

bool scenario::start(worker_ids& ids, op_state& op, outgoing& out) {
  if (stop.load(std::memory_order_relaxed)) return false;
  if (opts_.operations != 0 &&
      operations_started.fetch_add(1, std::memory_order_relaxed) >= opts_.operations) {
    return false;
  }
  op.step = 0;
  switch (opts_.scenario) {
    case scenario_kind::event_read:
      out.kind = request_kind::read;
      out.bytes = build("GET", "/v1/events/" + event_id_, 0, {}, {});
      return true;
    case scenario_kind::flash_sale:
      op.user = next_user.fetch_add(1, std::memory_order_relaxed);
      if (op.user >= opts_.users) return false;
      break;
    case scenario_kind::reserve:
    case scenario_kind::reserve_confirm:
      op.user = next_user.fetch_add(1, std::memory_order_relaxed) % opts_.users;
      break;
  }
  out.kind = request_kind::reserve;
  out.bytes = build("POST", "/v1/reservations", op.user, next_key(ids), reserve_body_);
  return true;
}

bool scenario::next(worker_ids& ids, op_state& op, const response_view& res, outgoing& out) {
  if (opts_.scenario == scenario_kind::reserve || opts_.scenario == scenario_kind::event_read) {
    return false;
  }
  if (op.step == 0) {
    if (res.status == 409 && json_string_field(res.body, "code") == "sold_out") {
      std::int64_t none = -1;
      first_sold_out_ns.compare_exchange_strong(none, since_start());
      if (opts_.scenario == scenario_kind::flash_sale &&
          res.body.find("\"retryable\":false") != std::string_view::npos) {
        sold_out_final.store(true);
        stop.store(true);
      }
      return false;
    }
    if (res.status != 201) return false;
    const auto rid = json_string_field(res.body, "id");
    if (rid.empty()) return false;
    op.step = 1;
    out.kind = request_kind::confirm;
    std::string target = "/v1/reservations/";
    target.append(rid).append("/confirm");
    out.bytes = build("POST", target, op.user, next_key(ids), R"({"payment_ref":"bench"})");
    return true;
  }
  if (res.status == 200) {
    const auto seats = confirmed_seats.fetch_add(opts_.quantity) + opts_.quantity;
    if (opts_.scenario == scenario_kind::flash_sale && seats >= opts_.capacity) {
      std::int64_t none = -1;
      sold_out_ns.compare_exchange_strong(none, since_start());
      stop.store(true);
    }
  }
  return false;
}

}  // namespace seatgate::bench
