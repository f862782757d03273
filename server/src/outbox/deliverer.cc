#include "outbox/deliverer.h"

#include "outbox/entry.h"
#include "outbox/keys.h"
#include "outbox/signature.h"
#include "store/keys.h"
#include "util/log.h"
#include "util/time.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <random>

namespace seatgate::outbox {

namespace {

using redis::reply;

// A reservation's order key lives as long as a delivery may (its window).
constexpr std::int64_t k_order_ttl_ms = 8LL * 24 * 3600 * 1000;

struct progress {
  unsigned attempts = 0;   // failed so far
  std::int64_t next = 0;   // ms; 0 = now
  std::int64_t first = 0;  // ms of the first attempt; 0 = none yet
};

// "<attempts>:<next>:<first>"
progress progress_of(const std::string& s) {
  progress p;
  const auto a = s.find(':'), b = s.find(':', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) return p;
  std::from_chars(s.data(), s.data() + a, p.attempts);
  std::from_chars(s.data() + a + 1, s.data() + b, p.next);
  std::from_chars(s.data() + b + 1, s.data() + s.size(), p.first);
  return p;
}

std::map<std::string, std::string> hash_of(const reply& r) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2)
    out[r.elements[i].str] = r.elements[i + 1].str;
  return out;
}

double jitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

struct deliverer::work {
  std::string stream, state;  // the stream and the entry's state key
  bool retry = false;         // from the manual-retry stream
  entry e;
  endpoint ep;
  std::string delivery;
  progress p;
};

deliverer::deliverer(redis::connection& conn, metrics::registry& m, poster post, delivery_options o)
    : conn_(conn),
      metrics_(m),
      store_(conn),
      post_(std::move(post)),
      opts_(std::move(o)),
      reader_(conn, k_webhooks_group, opts_.consumer) {}

net::awaitable<void> deliverer::run(const std::atomic<bool>& stopping) {
  net::steady_timer timer(co_await net::this_coro::executor);
  bool more = false;
  while (!stopping.load(std::memory_order_relaxed)) {
    // A backlog (a flash sale's tens of thousands of entries) is worked off
    // pass after pass, not one batch per `poll`; other work on the thread
    // still runs between passes.
    timer.expires_after(more ? std::chrono::milliseconds(0) : opts_.poll);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    more = false;
    if (stopping.load(std::memory_order_relaxed) || !conn_.ready()) continue;
    more = co_await round();
  }
}

net::awaitable<bool> deliverer::round() {
  auto endpoints = co_await store_.list();
  if (!endpoints) co_return false;
  redis::command smembers{"SMEMBERS", store::k_events_key};
  auto [ec, events] = co_await conn_.command(std::move(smembers));
  if (ec || !events.is_array()) co_return false;
  bool more = false;
  std::vector<std::string> required{std::string(k_webhooks_group)};
  if (opts_.postgres) required.emplace_back(k_pg_group);
  std::int64_t webhook_age = 0, pg_age = 0;
  const auto note = [&](const std::map<std::string, std::int64_t>& ages) {
    if (auto it = ages.find(k_webhooks_group); it != ages.end())
      webhook_age = std::max(webhook_age, it->second);
    if (auto it = ages.find(k_pg_group); it != ages.end()) pg_age = std::max(pg_age, it->second);
  };
  for (const auto& ev : events.elements) {
    const auto key = outbox_key(ev.str);
    more = co_await serve_stream(key, false, *endpoints) || more;
    note(co_await trim_consumed(conn_, key, util::now_ms(), required));
  }
  more = co_await serve_stream(k_retries_key, true, *endpoints) || more;
  // Named: GCC 12 mishandles a braced temporary in a co_await expression.
  const std::vector<std::string> webhooks_only{std::string(k_webhooks_group)};
  note(co_await trim_consumed(conn_, k_retries_key, util::now_ms(), webhooks_only));
  metrics_.webhook_oldest_ms.store(webhook_age, std::memory_order_relaxed);
  metrics_.pg_lag_ms.store(pg_age, std::memory_order_relaxed);
  co_return more;
}

net::awaitable<bool> deliverer::serve_stream(const std::string& key, bool retries,
                                             const std::vector<endpoint>& endpoints) {
  auto held = co_await reader_.take(key, opts_.claim_idle, opts_.batch, opts_.max_pending);
  std::vector<std::string> done;
  // Order keys of reservations whose last change (confirmed, released,
  // expired) just settled: no later change can wait on them, so they go
  // once that entry is acknowledged (not before: an entry redelivered after
  // a crash between settling and acknowledging still finds its order).
  redis::command finished{"DEL"};
  const auto now = util::now_ms();
  for (const auto& se : held) {
    std::optional<entry> e;
    std::string only_endpoint, delivery;
    if (retries) {
      nlohmann::json record;
      for (const auto& [k, v] : se.fields)
        if (k == "record") record = nlohmann::json::parse(v, nullptr, false);
      if (record.is_object() && record.contains("entry") && record["entry"].is_object()) {
        std::vector<std::pair<std::string, std::string>> fields;
        for (const auto& [k, v] : record["entry"].items())
          if (v.is_string()) fields.emplace_back(k, v.get<std::string>());
        e = parse(record.value("entry_id", std::string()), fields);
        only_endpoint = record.value("endpoint", std::string());
        delivery = record.value("delivery", std::string());
      }
    } else if (!se.fields.empty()) {
      e = parse(se.id, se.fields);
    }
    if (!e) {
      if (!se.fields.empty())
        log::warn("outbox entry not understood; skipped", {{"stream", key}, {"id", se.id}});
      done.push_back(se.id);
      continue;
    }
    const auto state_k = state_key(key, se.id);
    redis::command hgetall{"HGETALL", state_k};
    auto [ec, st] = co_await conn_.command(std::move(hgetall));
    if (ec || st.is_error()) continue;
    const auto state = hash_of(st);
    bool settled = true;
    for (const auto& ep : endpoints) {
      if (retries ? ep.id != only_endpoint : !ep.wants(e->type, e->event_id)) continue;
      const auto it = state.find(ep.id);
      if (it != state.end() && (it->second == "ok" || it->second == "failed")) continue;
      settled = false;
      auto w = std::make_shared<work>();
      w->p = it == state.end() ? progress{} : progress_of(it->second);
      w->delivery = retries ? delivery : delivery_id(*e, ep.id);
      if (w->p.next > now || in_flight_.count(w->delivery) ||
          in_flight_.size() >= opts_.max_in_flight)
        continue;
      w->stream = key;
      w->state = state_k;
      w->retry = retries;
      w->e = *e;
      w->ep = ep;
      if (!retries && !co_await in_order(*w)) continue;
      in_flight_.insert(w->delivery);
      net::co_spawn(co_await net::this_coro::executor, deliver(std::move(w)), net::detached);
    }
    if (!settled) continue;
    if (!retries) {
      redis::command mark{"HSET", order_key(e->event_id, e->id), "*", std::to_string(e->version)};
      auto [mec, m] = co_await conn_.command(std::move(mark));
      if (mec || m.is_error()) continue;
      redis::command ttl{"PEXPIRE", order_key(e->event_id, e->id), std::to_string(k_order_ttl_ms)};
      co_await conn_.command(std::move(ttl));
    }
    redis::command del{"DEL", state_k};
    co_await conn_.command(std::move(del));
    done.push_back(se.id);
    if (!retries && e->status != "held") finished.push_back(order_key(e->event_id, e->id));
  }
  // More is waiting when the batch was full and this pass settled some of
  // it (entries only waiting for a retry's time do not count: no spinning).
  const bool more = held.size() >= opts_.batch && !done.empty();
  if (co_await reader_.ack(key, done) && finished.size() > 1) co_await conn_.command(std::move(finished));
  co_return more;
}

net::awaitable<bool> deliverer::in_order(const work& w) {
  if (w.e.version <= 1) co_return true;
  redis::command hmget{"HMGET", order_key(w.e.event_id, w.e.id), w.ep.id, "*"};
  auto [ec, r] = co_await conn_.command(std::move(hmget));
  if (ec || !r.is_array()) co_return false;
  std::int64_t settled = 0;
  for (const auto& v : r.elements) {
    std::int64_t n = 0;
    if (v.type == reply::kind::string)
      std::from_chars(v.str.data(), v.str.data() + v.str.size(), n);
    settled = std::max(settled, n);
  }
  co_return settled >= w.e.version - 1;
}

net::awaitable<void> deliverer::deliver(std::shared_ptr<work> w) {
  auto self = shared_from_this();
  const std::string body = payload(w->e);
  post_result r;
  auto t = parse_url(w->ep.url, opts_.allow_private);
  if (!t) {
    r.error = t.failure().detail;
  } else {
    headers h{{"Seatgate-Delivery", w->delivery},
              {"Seatgate-Signature", signature_header(w->ep.secret, util::now_s(), body)}};
    r = co_await post_(*t, std::move(h), body);
  }
  const auto now = util::now_ms();
  std::string state;
  bool final = r.ok();
  if (r.ok()) {
    state = "ok";
    metrics_.webhook_succeeded.fetch_add(1, std::memory_order_relaxed);
  } else {
    const unsigned attempts = w->p.attempts + 1;
    const std::int64_t first = w->p.first ? w->p.first : now;
    const auto next = now + retry_delay(opts_.schedule, attempts, jitter()).count();
    if (next - first > opts_.schedule.window.count()) {
      final = true;
      state = "failed";
      nlohmann::json fields = nlohmann::json::object();
      for (const auto& [k, v] : to_fields(w->e)) fields[k] = v;
      const nlohmann::json record = {{"delivery", w->delivery},
                                     {"endpoint", w->ep.id},
                                     {"entry_id", w->e.stream_id},
                                     {"type", w->e.type},
                                     {"event_id", w->e.event_id},
                                     {"reservation_id", w->e.id},
                                     {"attempts", attempts},
                                     {"last_error", r.error},
                                     {"first_attempt_at", util::rfc3339_ms(first)},
                                     {"failed_at", util::rfc3339_ms(now)},
                                     {"entry", fields}};
      if (!co_await store_.add_failed(w->ep.id, record)) final = false, state.clear();
      if (final) metrics_.webhook_failed.fetch_add(1, std::memory_order_relaxed);
    } else {
      state = std::to_string(attempts) + ":" + std::to_string(next) + ":" + std::to_string(first);
      metrics_.webhook_retried.fetch_add(1, std::memory_order_relaxed);
    }
    log::warn("webhook delivery failed", {{"endpoint", w->ep.id},
                                          {"delivery", w->delivery},
                                          {"error", r.error},
                                          {"attempts", attempts},
                                          {"final", final}});
  }
  // The order first, then the state: once the state says settled, a round
  // may settle the entry and drop the order key; nothing writes it after.
  if (final && !w->retry) {
    redis::command mark{"HSET", order_key(w->e.event_id, w->e.id), w->ep.id,
                        std::to_string(w->e.version)};
    co_await conn_.command(std::move(mark));
    redis::command ttl{"PEXPIRE", order_key(w->e.event_id, w->e.id),
                       std::to_string(k_order_ttl_ms)};
    co_await conn_.command(std::move(ttl));
  }
  if (!state.empty()) {
    redis::command hset{"HSET", w->state, w->ep.id, state};
    co_await conn_.command(std::move(hset));
    redis::command ttl{"PEXPIRE", w->state,
                       std::to_string(opts_.schedule.window.count() + k_order_ttl_ms)};
    co_await conn_.command(std::move(ttl));
  }
  in_flight_.erase(w->delivery);
}

}  // namespace seatgate::outbox
