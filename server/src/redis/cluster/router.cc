#include "redis/cluster/router.h"

#include "redis/cluster/redirect.h"
#include "redis/cluster/slot.h"
#include "redis/cluster/slot_map.h"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <map>
#include <optional>

namespace seatgate::redis::cluster {
namespace {

constexpr auto nothrow_awaitable = net::as_tuple(net::use_awaitable);
constexpr std::chrono::seconds k_refresh_interval{1};
constexpr int k_max_redirects = 8;

using clock = std::chrono::steady_clock;

bool same_word(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == y;
         });
}

// The slot of a command's first key (argv[1]), or -1 for a command without
// a key: it may go to any master.
int command_slot(const redis::command& argv) {
  constexpr std::array<std::string_view, 9> keyless = {
      "PING", "INFO", "ECHO", "TIME", "CLUSTER", "WAIT", "SCRIPT", "CONFIG", "DBSIZE"};
  if (argv.size() < 2) return -1;
  // SCAN cursor MATCH <pattern>: the pattern's hash tag names the slot (an
  // archive lists one event's keys, all under its tag).
  if (same_word(argv[0], "SCAN")) {
    for (std::size_t i = 2; i + 1 < argv.size(); ++i)
      if (same_word(argv[i], "MATCH")) return key_slot(argv[i + 1]);
    return -1;
  }
  for (auto word : keyless)
    if (same_word(argv[0], word)) return -1;
  return key_slot(argv[1]);
}

}  // namespace

struct router::impl {
  impl(net::any_io_executor ex, std::vector<endpoint> seeds, options o, stats& st)
      : ex_(std::move(ex)), seeds_(std::move(seeds)), opts_(std::move(o)), stats_(st), wake_(ex_) {}

  net::any_io_executor ex_;
  std::vector<endpoint> seeds_;  // at least one (parse_cluster_url)
  options opts_;
  stats& stats_;
  // Every node ever named, by "host:port". Never erased before the router
  // is destroyed, so a node& stays valid across suspension points.
  std::map<std::string, std::unique_ptr<node>> nodes_;
  std::optional<slot_map> map_;
  std::atomic<bool> ready_{false};
  bool started_ = false;
  bool stopped_ = false;
  bool refresh_wanted_ = false;
  std::string last_error_ = "no Redis Cluster slot map yet";
  net::steady_timer wake_;

  node& get(const node_address& a) {
    auto it = nodes_.find(a.name());
    if (it == nodes_.end()) {
      endpoint e = seeds_.front();  // the URL's credentials
      e.type = endpoint::kind::tcp;
      e.host = a.host;
      e.port = a.port;
      auto n = std::make_unique<node>(ex_, std::move(e), opts_, stats_, node::role::cluster_member);
      if (!stopped_) n->start();
      it = nodes_.emplace(a.name(), std::move(n)).first;
    }
    return *it->second;
  }

  void want_refresh() {
    refresh_wanted_ = true;
    wake_.cancel();
  }

  net::awaitable<void> pause(std::chrono::milliseconds d) {
    net::steady_timer t(ex_);
    t.expires_after(d);
    (void)co_await t.async_wait(nothrow_awaitable);
  }

  std::optional<node_address> target_of(int slot) {
    if (!map_) return std::nullopt;
    if (slot >= 0) {
      const shard* s = map_->owner(slot);
      if (s == nullptr) return std::nullopt;
      return s->master;
    }
    for (const auto& s : map_->shards())
      if (get(s.master).ready()) return s.master;
    if (map_->shards().empty()) return std::nullopt;
    return map_->shards().front().master;
  }

  bool has_replicas(const node_address& master) const {
    if (!map_) return false;
    for (const auto& s : map_->shards())
      if (s.master == master) return !s.replicas.empty();
    return false;
  }

  // Asks the known nodes, then the seeds, for CLUSTER SLOTS; the first
  // answer becomes the map and every master gets its connection.
  net::awaitable<bool> refresh() {
    std::vector<node_address> candidates;
    if (map_) {
      for (const auto& s : map_->shards()) {
        candidates.push_back(s.master);
        for (const auto& r : s.replicas) candidates.push_back(r);
      }
    }
    for (const auto& e : seeds_) candidates.push_back({e.host, e.port});
    // Nodes already connected first: a dead master (a failover) must not
    // hold the refresh up for a connect timeout.
    std::stable_partition(candidates.begin(), candidates.end(), [this](const node_address& a) {
      auto it = nodes_.find(a.name());
      return it != nodes_.end() && it->second->ready();
    });
    std::string why;
    std::vector<std::string> asked;
    for (const auto& a : candidates) {
      if (std::find(asked.begin(), asked.end(), a.name()) != asked.end()) continue;
      asked.push_back(a.name());
      node& n = get(a);
      const auto deadline = clock::now() + opts_.connect_timeout;
      while (!n.ready() && !stopped_ && clock::now() < deadline)
        co_await pause(std::chrono::milliseconds(10));
      if (stopped_) co_return false;
      if (!n.ready()) {
        why = a.name() + ": " + (n.last_error().empty() ? "not connected" : n.last_error());
        continue;
      }
      redis::command slots{"CLUSTER", "SLOTS"};
      auto [ec, r] = co_await n.command(std::move(slots));
      if (ec) {
        why = a.name() + ": CLUSTER SLOTS: " + ec.message();
        continue;
      }
      std::string err;
      auto m = slot_map::parse(r, a.host, &err);
      if (!m || m->shards().empty()) {
        why = a.name() + ": " + (m ? "CLUSTER SLOTS lists no node" : err);
        continue;
      }
      map_ = std::move(*m);
      stats_.map_refreshes.fetch_add(1, std::memory_order_relaxed);
      for (const auto& s : map_->shards()) (void)get(s.master);
      co_return true;
    }
    last_error_ = why.empty() ? "no Redis Cluster node to ask" : why;
    co_return false;
  }

  void update_ready() {
    bool ok = map_ && map_->complete();
    if (map_ && !ok) last_error_ = map_->uncovered();
    if (ok) {
      for (const auto& s : map_->shards()) {
        node& n = get(s.master);
        if (!n.ready()) {
          ok = false;
          last_error_ =
              s.master.name() + ": " + (n.last_error().empty() ? "connecting" : n.last_error());
          break;
        }
      }
    }
    if (ok) last_error_.clear();
    ready_ = ok;
  }

  static net::awaitable<void> run(std::shared_ptr<impl> self) {
    auto last_refresh = clock::time_point{};
    while (!self->stopped_) {
      if (self->refresh_wanted_ || !self->map_ ||
          clock::now() - last_refresh >= k_refresh_interval) {
        self->refresh_wanted_ = false;
        bool ok = co_await self->refresh();
        last_refresh = clock::now();
        if (self->stopped_) break;
        if (!ok && !self->map_) {
          self->ready_ = false;
          co_await self->pause(std::chrono::milliseconds(100));
          continue;
        }
      }
      self->update_ready();
      self->wake_.expires_after(std::chrono::milliseconds(self->ready_ ? 100 : 25));
      (void)co_await self->wake_.async_wait(nothrow_awaitable);
    }
    self->ready_ = false;
  }

  // WAIT 1 on the connection that made the write: a replica has it.
  net::awaitable<result> wait_replica(node& n, result written) {
    const auto ms = std::max<long long>(1, opts_.command_timeout.count() / 2);
    stats_.replica_waits.fetch_add(1, std::memory_order_relaxed);
    redis::command wait{"WAIT", "1", std::to_string(ms)};
    auto [ec, acks] = co_await n.command(std::move(wait));
    if (ec) co_return result{ec, {}};
    if (acks.type == reply::kind::integer && acks.integer >= 1) co_return written;
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    co_return result{make_error_code(errc::not_replicated), {}};
  }

  // Sends through `send(node&, asking)` to the owner of `slot` until the
  // reply is final (redis/cluster/redirect.h) or the deadline has passed.
  template <class Send>
  static net::awaitable<result> route(std::shared_ptr<impl> self, int slot, bool durable,
                                      Send send) {
    const auto deadline = clock::now() + self->opts_.command_timeout;
    std::optional<node_address> ask_to;
    int redirects = 0, attempt = 0;
    result r{make_error_code(errc::no_slot_owner), {}};
    while (!self->stopped_) {
      std::optional<node_address> target = ask_to ? ask_to : self->target_of(slot);
      redirect d;
      if (!target) {
        d.what = redirect::action::retry;
        r = {make_error_code(errc::no_slot_owner), {}};
      } else {
        node& n = self->get(*target);
        r = co_await send(n, ask_to.has_value());
        d = decide(r.first, r.second);
        if (d.what == redirect::action::done) {
          if (durable && !r.first && !r.second.is_error() && self->has_replicas(*target))
            co_return co_await self->wait_replica(n, std::move(r));
          co_return r;
        }
        if (d.to.host.empty()) d.to.host = target->host;
      }
      ask_to.reset();
      if (d.what == redirect::action::moved || d.what == redirect::action::ask) {
        self->stats_.redirects.fetch_add(1, std::memory_order_relaxed);
        if (++redirects > k_max_redirects) co_return r;
        if (d.what == redirect::action::ask) {
          ask_to = d.to;
        } else {
          if (!self->map_) self->map_.emplace();
          self->map_->assign(d.slot, d.to);
          self->want_refresh();
        }
        continue;
      }
      self->want_refresh();
      const auto wait = retry_backoff(attempt++);
      if (clock::now() + wait >= deadline) co_return r;
      self->stats_.cluster_retries.fetch_add(1, std::memory_order_relaxed);
      co_await self->pause(wait);
    }
    co_return result{make_error_code(errc::shutting_down), {}};
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    ready_ = false;
    for (auto& [name, n] : nodes_) n->stop();
    wake_.cancel();
  }
};

router::router(net::any_io_executor ex, std::vector<endpoint> seeds, options opts, stats& st)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(seeds), std::move(opts), st)) {}

router::~router() {
  if (impl_) impl_->stop();
}

void router::start() {
  if (impl_->started_ || impl_->stopped_) return;
  impl_->started_ = true;
  net::co_spawn(impl_->ex_, impl::run(impl_), net::detached);
}

void router::stop() { impl_->stop(); }

bool router::ready() const noexcept { return impl_->ready_.load(std::memory_order_relaxed); }

const std::string& router::last_error() const noexcept { return impl_->last_error_; }

net::awaitable<result> router::command(redis::command argv) {
  std::shared_ptr<impl> self = impl_;
  const int slot = command_slot(argv);
  co_return co_await impl::route(self, slot, false,
                                 [&argv](node& n, bool asking) { return n.command(argv, asking); });
}

net::awaitable<result> router::eval(lua::script s, std::vector<std::string> keys,
                                    std::vector<std::string> args, bool read_only, bool durable) {
  std::shared_ptr<impl> self = impl_;
  const int slot = keys.empty() ? -1 : key_slot(keys.front());
  co_return co_await impl::route(self, slot, durable, [&](node& n, bool asking) {
    return n.eval(s, keys, args, read_only, asking);
  });
}

}  // namespace seatgate::redis::cluster
