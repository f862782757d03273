// A small HTTP client for the server tests (cpp-httplib), with the calls the
// tests repeat: events, reservations, audit.
#pragma once

#include "redis_server.h"
#include "server_process.h"

#include <httplib.h>
#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace seatgate::test {

using json = nlohmann::json;

struct http_reply {
  int status = 0;  // 0: no response (connection failure)
  std::string body;
  httplib::Headers headers;
  json js() const { return json::parse(body, nullptr, false); }
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
  std::string code() const {
    auto j = js();
    return j.is_object() && j.contains("code") ? j["code"].get<std::string>() : "";
  }
};

class api_client {
 public:
  api_client(const server_process& s) : srv_(s), cli_(s.host(), s.port()) {
    cli_.set_keep_alive(true);
    cli_.set_read_timeout(30, 0);
    cli_.set_connection_timeout(5, 0);
  }

  http_reply send(const std::string& method, const std::string& path, const std::string& body = "",
                  httplib::Headers headers = {},
                  const std::string& content_type = "application/json") {
    return send_on(cli_, method, path, body, std::move(headers), content_type);
  }

  httplib::Headers user(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  httplib::Headers admin() { return {{"Authorization", "Bearer " + srv_.admin_token()}}; }

  http_reply put_event(const std::string& id, const json& cfg) {
    return send("PUT", "/v1/admin/events/" + id, cfg.dump(), admin());
  }
  http_reply audit(const std::string& id) {
    return send("GET", "/v1/admin/events/" + id + "/audit", "", admin());
  }
  http_reply reserve(const std::string& token, const std::string& event, const std::string& zone,
                     json quantity, const std::string& key, httplib::Headers extra = {}) {
    auto h = user(token);
    if (!key.empty()) h.emplace("Idempotency-Key", key);
    for (auto& kv : extra) h.insert(kv);
    return send("POST", "/v1/reservations",
                json{{"event_id", event}, {"zone_id", zone}, {"quantity", quantity}}.dump(), h);
  }
  http_reply confirm(const std::string& token, const std::string& rid, const std::string& key,
                     const json& body = json::object()) {
    auto h = user(token);
    if (!key.empty()) h.emplace("Idempotency-Key", key);
    return send("POST", "/v1/reservations/" + rid + "/confirm", body.dump(), h);
  }
  http_reply release(const std::string& token, const std::string& rid) {
    return send("DELETE", "/v1/reservations/" + rid, "", user(token));
  }
  http_reply get(const std::string& token, const std::string& rid) {
    return send("GET", "/v1/reservations/" + rid, "", user(token));
  }

 protected:
  // One request on `cli`; a body (and its type) goes with it when given and
  // always with POST and PUT.
  static http_reply send_on(httplib::Client& cli, const std::string& method,
                            const std::string& path, const std::string& body,
                            httplib::Headers headers, const std::string& content_type) {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(headers);
    if (!body.empty() || method == "POST" || method == "PUT") {
      req.body = body;
      if (!content_type.empty()) req.set_header("Content-Type", content_type);
    }
    auto res = cli.send(req);
    http_reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.headers = res->headers;
    return r;
  }

 private:
  const server_process& srv_;
  httplib::Client cli_;
};

// An event config with one zone; tweak fields per test.
inline json event_config(long capacity = 100, int hold_ttl_s = 600, int max_per_order = 10,
                         int max_per_user = 10) {
  return json{
      {"name", "Test Event"},
      {"currency", "EUR"},
      {"status", "on_sale"},
      {"hold_ttl_s", hold_ttl_s},
      {"max_per_order", max_per_order},
      {"max_per_user", max_per_user},
      {"zones", json::array({json{
                    {"id", "floor"}, {"name", "Floor"}, {"capacity", capacity}, {"price", 4500}}})},
      {"waiting_room", json{{"enabled", false}}}};
}

// The zone's counters from the audit, plus the whole-event consistency flag.
struct zone_counts {
  long capacity = -1, available = -1, held = -1, sold = -1;
  bool consistent = false;
  json audit;
  bool operator==(const zone_counts& o) const {
    return capacity == o.capacity && available == o.available && held == o.held && sold == o.sold;
  }
};

inline zone_counts counts(api_client& c, const std::string& event,
                          const std::string& zone = "floor") {
  zone_counts z;
  auto r = c.audit(event);
  z.audit = r.js();
  if (r.status != 200 || !z.audit.is_object()) return z;
  z.consistent = z.audit.value("consistent", false);
  for (auto& zz : z.audit["zones"]) {
    if (zz["id"] == zone) {
      z.capacity = zz["capacity"];
      z.available = zz["available"];
      z.held = zz["held"];
      z.sold = zz["sold"];
      z.consistent = z.consistent && zz.value("consistent", false);
    }
  }
  return z;
}

// A counter's value in a /metrics text (-1 when absent).
inline long metric(const std::string& text, const std::string& name) {
  auto pos = text.find("\n" + name + " ");
  if (pos == std::string::npos) return -1;
  return std::stol(text.substr(pos + name.size() + 2));
}

}  // namespace seatgate::test
