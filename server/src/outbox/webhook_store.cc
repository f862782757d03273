#include "outbox/webhook_store.h"

#include "outbox/keys.h"
#include "outbox/signature.h"
#include "store/decode.h"
#include "util/time.h"

#include <algorithm>
#include <charconv>

namespace seatgate::outbox {

namespace {

using redis::reply;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// A plain command's failure (not a script's: any reply but an error is fine).
std::optional<error> error_of(const boost::system::error_code& ec, const reply& r) {
  if (ec) return store::storage_error(ec);
  if (r.is_error()) return error{errc::unavailable, "storage error", true, 1};
  return std::nullopt;
}

std::optional<endpoint> endpoint_of(const std::string& id, const reply& r) {
  if (!r.is_array() || r.elements.empty()) return std::nullopt;
  endpoint ep;
  ep.id = id;
  for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2) {
    const auto& k = r.elements[i].str;
    const auto& v = r.elements[i + 1].str;
    if (k == "url") {
      ep.url = v;
    } else if (k == "events") {
      ep.events = split(v);
    } else if (k == "event_ids") {
      ep.event_ids = split(v);
    } else if (k == "secret") {
      ep.secret = v;
    } else if (k == "created_at") {
      std::from_chars(v.data(), v.data() + v.size(), ep.created_at);
    }
  }
  return ep;
}

}  // namespace

nlohmann::json endpoint_json(const endpoint& ep) {
  return {{"id", ep.id},
          {"url", ep.url},
          {"events", ep.events},
          {"event_ids", ep.event_ids},
          {"created_at", util::rfc3339_ms(ep.created_at)}};
}

net::awaitable<result<put_outcome>> webhook_store::put(endpoint ep) {
  auto old = co_await get(ep.id);
  if (!old) co_return old.failure();
  put_outcome out;
  out.created = !old->has_value();
  if (ep.secret.empty()) {
    if (*old && !(*old)->secret.empty()) {
      ep.secret = (*old)->secret;
    } else {
      ep.secret = new_secret();
      out.secret_generated = true;
    }
  }
  ep.created_at = *old ? (*old)->created_at : util::now_ms();
  redis::command hset{"HSET",   endpoint_key(ep.id), "url",        ep.url,
                      "events", join(ep.events),     "event_ids",  join(ep.event_ids),
                      "secret", ep.secret,           "created_at", std::to_string(ep.created_at)};
  auto [ec, r] = co_await conn_.command(std::move(hset));
  if (auto e = error_of(ec, r)) co_return *e;
  redis::command sadd{"SADD", k_endpoints_key, ep.id};
  auto [ec2, r2] = co_await conn_.command(std::move(sadd));
  if (auto e = error_of(ec2, r2)) co_return *e;
  out.stored = std::move(ep);
  co_return out;
}

net::awaitable<result<std::optional<endpoint>>> webhook_store::get(const std::string& id) {
  redis::command hgetall{"HGETALL", endpoint_key(id)};
  auto [ec, r] = co_await conn_.command(std::move(hgetall));
  if (auto e = error_of(ec, r)) co_return *e;
  co_return endpoint_of(id, r);
}

net::awaitable<result<std::vector<endpoint>>> webhook_store::list() {
  redis::command smembers{"SMEMBERS", k_endpoints_key};
  auto [ec, ids] = co_await conn_.command(std::move(smembers));
  if (auto e = error_of(ec, ids)) co_return *e;
  std::vector<endpoint> out;
  for (const auto& id : ids.elements) {
    auto ep = co_await get(id.str);
    if (!ep) co_return ep.failure();
    if (*ep) out.push_back(std::move(**ep));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  co_return out;
}

net::awaitable<result<bool>> webhook_store::remove(const std::string& id) {
  redis::command srem{"SREM", k_endpoints_key, id};
  auto [ec, r] = co_await conn_.command(std::move(srem));
  if (auto e = error_of(ec, r)) co_return *e;
  redis::command del{"DEL", endpoint_key(id), failed_key(id)};
  auto [ec2, r2] = co_await conn_.command(std::move(del));
  if (auto e = error_of(ec2, r2)) co_return *e;
  co_return r.integer == 1 || r2.integer > 0;
}

net::awaitable<result<std::vector<nlohmann::json>>> webhook_store::failed(const std::string& id) {
  redis::command hvals{"HVALS", failed_key(id)};
  auto [ec, r] = co_await conn_.command(std::move(hvals));
  if (auto e = error_of(ec, r)) co_return *e;
  std::vector<nlohmann::json> out;
  for (const auto& v : r.elements) {
    auto j = nlohmann::json::parse(v.str, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.value("failed_at", std::string()) < b.value("failed_at", std::string());
  });
  co_return out;
}

net::awaitable<result<bool>> webhook_store::add_failed(const std::string& id,
                                                       const nlohmann::json& record) {
  redis::command hset{"HSET", failed_key(id), record.at("delivery").get<std::string>(),
                      record.dump()};
  auto [ec, r] = co_await conn_.command(std::move(hset));
  if (auto e = error_of(ec, r)) co_return *e;
  co_return true;
}

net::awaitable<result<bool>> webhook_store::retry(const std::string& id,
                                                  const std::string& delivery) {
  redis::command hget{"HGET", failed_key(id), delivery};
  auto [ec, r] = co_await conn_.command(std::move(hget));
  if (auto e = error_of(ec, r)) co_return *e;
  if (r.type != reply::kind::string) co_return false;
  // Queued before it leaves the failed list: a crash between the two leaves
  // it in both (retried, and listed until retried again), never in neither.
  redis::command xadd{"XADD", k_retries_key, "*", "endpoint", id, "record", r.str};
  auto [ec2, r2] = co_await conn_.command(std::move(xadd));
  if (auto e = error_of(ec2, r2)) co_return *e;
  redis::command hdel{"HDEL", failed_key(id), delivery};
  auto [ec3, r3] = co_await conn_.command(std::move(hdel));
  if (auto e = error_of(ec3, r3)) co_return *e;
  co_return true;
}

}  // namespace seatgate::outbox
