// The webhook tests' fixture: a real redis-server, a real webhook receiver
// (receiver.h) and real seatgate-server processes sharing that Redis; the
// outbox is fed like the status-change scripts write it (outbox_feed.h).
#pragma once

#include "api_client.h"
#include "outbox_feed.h"
#include "receiver.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>
#include <memory>
#include <set>

namespace seatgate::test {

// hex HMAC-SHA256(secret, "<t>.<body>"), computed here independently of the server.
inline std::string hmac_hex(const std::string& secret, const std::string& msg) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += {d[mac[i] >> 4], d[mac[i] & 15]};
  return out;
}

// True when `header` (t=..,v1=..) signs `body` with `secret`.
inline bool signed_by(const std::string& header, const std::string& body,
                      const std::string& secret) {
  const auto comma = header.find(",v1=");
  if (header.rfind("t=", 0) != 0 || comma == std::string::npos) return false;
  const std::string t = header.substr(2, comma - 2);
  return header.substr(comma + 4) == hmac_hex(secret, t + "." + body);
}

// The (reservation id, version) of a delivered body.
inline std::pair<std::string, std::int64_t> change_of(const received& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object()) return {"", 0};
  const auto& res = j["data"]["reservation"];
  return {res.value("id", ""), res.value("version", std::int64_t{0})};
}

// Every delivery id names one body (redeliveries repeat both), and per
// reservation the versions arrive in order. Returns what is wrong, or "".
inline std::string check_deliveries(const std::vector<received>& got) {
  std::map<std::string, std::string> body_of;
  std::map<std::string, std::int64_t> last;
  for (const auto& r : got) {
    auto [it, fresh] = body_of.emplace(r.delivery, r.body);
    if (!fresh) {
      if (it->second != r.body) return "delivery " + r.delivery + " came with two bodies";
      continue;
    }
    auto [rid, v] = change_of(r);
    if (v <= last[rid])
      return rid + ": version " + std::to_string(v) + " after " + std::to_string(last[rid]);
    last[rid] = v;
  }
  return {};
}

// The distinct (reservation, version) pairs delivered.
inline std::set<std::pair<std::string, std::int64_t>> changes(const std::vector<received>& got) {
  std::set<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : got) out.insert(change_of(r));
  return out;
}

class HooksTest : public ::testing::Test {
 protected:
  // Fast schedules so retries, failures and takeovers happen in seconds.
  static std::vector<std::string> fast_args(bool allow_private = true) {
    std::vector<std::string> a{"--webhook-retry-schedule", "100,400,1500",
                               "--outbox-claim-ms",        "1500",
                               "--webhook-timeout-ms",     "5000"};
    if (allow_private) a.push_back("--webhooks-allow-private");
    return a;
  }
  std::unique_ptr<server_process> start_server(std::vector<std::string> args) {
    server_process::options o;
    o.redis_url = redis_.url();
    o.args = std::move(args);
    return std::make_unique<server_process>(o);
  }
  void SetUp() override {
    server_ = start_server(fast_args());
    client_ = std::make_unique<api_client>(*server_);
  }

  http_reply put_hook(const std::string& id, const json& body) {
    return client_->send("PUT", "/v1/admin/webhooks/" + id, body.dump(), client_->admin());
  }
  http_reply hooks() { return client_->send("GET", "/v1/admin/webhooks", "", client_->admin()); }
  http_reply failed(const std::string& id) {
    return client_->send("GET", "/v1/admin/webhooks/" + id + "/deliveries?status=failed", "",
                         client_->admin());
  }
  // Registers endpoint `id` for every type at `url`; returns its secret.
  std::string subscribe(const std::string& id, const std::string& url) {
    auto r = put_hook(id, {{"url", url},
                           {"events",
                            {"reservation.held", "reservation.confirmed", "reservation.released",
                             "reservation.expired"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.js().value("secret", "");
  }
  // Feeds `n` reservations, each held then confirmed (2n entries).
  std::set<std::pair<std::string, std::int64_t>> feed_sales(int n, const std::string& prefix) {
    std::set<std::pair<std::string, std::int64_t>> want;
    for (int v = 1; v <= 2; ++v)
      for (int i = 0; i < n; ++i) {
        change c;
        c.rid = "concert." + prefix + std::to_string(i);
        c.version = v;
        feed(redis_, c);
        want.insert({c.rid, v});
      }
    return want;
  }
  long long xlen(const std::string& event = "concert") {
    auto r = redis_.command({"XLEN", "sg:{e:" + event + "}:out"});
    return r ? r->integer : -1;
  }

  redis_server redis_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<api_client> client_;
};

}  // namespace seatgate::test
