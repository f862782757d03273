// Strategy "seatgate": the real seatgate-server over HTTP, on its own fresh
// redis-server. A hold is one atomic Lua script (check availability, take the
// seat, record the reservation), so there is no read-then-write window to
// lose. Assigned seating is not built yet: each seat is modelled as a
// general-admission zone of capacity 1, at most 100 zones per event (the
// server's limit), so an event of S seats becomes ceil(S / 100) seatgate
// events. A booking is an accepted hold (201); double bookings are counted
// from the 201 answers per seat and checked against the audit endpoint.
#include "proc_cpu.h"
#include "redis_server.h"
#include "server_process.h"
#include "strategies.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace seatgate::lab {
namespace {

using json = nlohmann::json;
constexpr unsigned k_zones_per_event = 100;

std::string event_id(unsigned event, unsigned seat) {
  return "lab-e" + std::to_string(event) + "-p" + std::to_string(seat / k_zones_per_event);
}
std::string zone_id(unsigned seat) { return "s" + std::to_string(seat); }

class seatgate_worker : public worker {
 public:
  seatgate_worker(unsigned short port, const std::vector<std::string>& tokens)
      : client_("127.0.0.1", port), tokens_(tokens) {
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);  // else Nagle + delayed ACK add ~40 ms per request
    client_.set_read_timeout(30, 0);
  }
  attempt book(const buyer& b) override {
    const httplib::Headers h = {{"Authorization", tokens_[b.id]},
                                {"Idempotency-Key", "lab-" + std::to_string(b.id)}};
    const std::string body = R"({"event_id":")" + event_id(b.event, b.seat) + R"(","zone_id":")" +
                             zone_id(b.seat) + R"(","quantity":1})";
    auto res = client_.Post("/v1/reservations", h, body, "application/json");
    attempt a;
    if (!res) {
      a.error = "HTTP: " + httplib::to_string(res.error());
      return a;
    }
    if (res->status == 201) {
      a.result = outcome::booked;
      return a;
    }
    const auto problem = json::parse(res->body, nullptr, false);
    const std::string code =
        problem.is_object() ? problem.value("code", std::string()) : std::string();
    if (res->status == 409 && code == "sold_out") {
      a.result = outcome::sold;
      return a;
    }
    a.error = "HTTP " + std::to_string(res->status) + " " + code;
    return a;
  }

 private:
  httplib::Client client_;
  const std::vector<std::string>& tokens_;
};

class seatgate_strategy : public strategy {
 public:
  explicit seatgate_strategy(const options& o) : opts_(o) {}
  std::string name() const override { return "seatgate"; }
  std::string store() const override { return "seatgate-server + Redis"; }

  void reset(const workload& w) override {
    server_.reset();
    redis_.reset();
    redis_ = std::make_unique<test::redis_server>();
    test::server_process::options so;
    so.redis_url = redis_->url();
    so.threads = opts_.server_threads;
    so.args = {"--user-rate-limit", "0", "--no-access-log"};
    so.args.insert(so.args.end(), opts_.server_args.begin(), opts_.server_args.end());
    server_ = std::make_unique<test::server_process>(so);

    events_.clear();
    httplib::Client admin("127.0.0.1", server_->port());
    const httplib::Headers h = {{"Authorization", "Bearer " + server_->admin_token()}};
    for (unsigned e = 0; e < w.events; ++e) {
      for (unsigned first = 0; first < w.seats; first += k_zones_per_event) {
        json zones = json::array();
        for (unsigned s = first; s < std::min(w.seats, first + k_zones_per_event); ++s)
          zones.push_back({{"id", zone_id(s)},
                           {"name", "Seat " + std::to_string(s)},
                           {"capacity", 1},
                           {"price", 4500}});
        const json cfg = {{"name", "seatgate-lab"}, {"currency", "EUR"},  {"status", "on_sale"},
                          {"hold_ttl_s", 86400},    {"max_per_order", 1}, {"max_per_user", 1},
                          {"zones", zones}};
        const std::string id = event_id(e, first);
        auto res = admin.Put("/v1/admin/events/" + id, h, cfg.dump(), "application/json");
        if (!res || res->status != 201)
          throw std::runtime_error("cannot create event " + id + ": " +
                                   (res ? res->body : httplib::to_string(res.error())));
        events_.push_back(id);
      }
    }
    tokens_.clear();
    tokens_.reserve(w.buyers.size());
    for (const auto& b : w.buyers)
      tokens_.push_back("Bearer " + server_->user_token("lab-buyer-" + std::to_string(b.id)));
  }

  std::unique_ptr<worker> make_worker(unsigned) override {
    return std::make_unique<seatgate_worker>(server_->port(), tokens_);
  }

  double store_cpu_seconds() const override {
    return (server_ ? process_cpu_seconds(server_->pid()) : 0) +
           (redis_ ? process_cpu_seconds(redis_->pid()) : 0);
  }

  verdict verify(const workload&, const std::vector<std::uint32_t>& accepted) override {
    verdict v;
    v.recorded = std::accumulate(accepted.begin(), accepted.end(), std::uint64_t{0});
    for (auto n : accepted) {
      if (n > 1) ++v.double_booked;
      if (n > 1) v.oversold += n - 1;
    }
    // The audit: every zone's counters add up and none holds more than its
    // one seat; the reservations it knows match the 201s we received.
    httplib::Client admin("127.0.0.1", server_->port());
    const httplib::Headers h = {{"Authorization", "Bearer " + server_->admin_token()}};
    bool consistent = true;
    std::uint64_t reserved = 0;
    for (const auto& id : events_) {
      auto res = admin.Get("/v1/admin/events/" + id + "/audit", h);
      const auto j = res && res->status == 200 ? json::parse(res->body, nullptr, false) : json();
      if (!j.is_object()) throw std::runtime_error("audit of " + id + " failed");
      consistent = consistent && j.value("consistent", false);
      for (const auto& z : j.at("zones"))
        if (z.value("held", 0) + z.value("sold", 0) > z.value("capacity", 0)) consistent = false;
      const auto& r = j.at("reservations");
      reserved += r.value("held", 0) + r.value("confirmed", 0);
    }
    if (reserved != v.recorded) {
      consistent = false;
      v.note = "the audit counts " + std::to_string(reserved) + " reservations, the workers saw " +
               std::to_string(v.recorded) + " holds";
    }
    v.audit_consistent = consistent;
    return v;
  }

 private:
  const options& opts_;
  std::unique_ptr<test::redis_server> redis_;
  std::unique_ptr<test::server_process> server_;
  std::vector<std::string> events_;
  std::vector<std::string> tokens_;
};

}  // namespace

std::unique_ptr<strategy> make_seatgate(const options& o) {
  return std::make_unique<seatgate_strategy>(o);
}

}  // namespace seatgate::lab
