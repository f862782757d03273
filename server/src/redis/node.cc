#include "redis/node.h"

#include "redis/asio_adapter.h"
#include "redis/resp.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <cassert>
#include <charconv>
#include <deque>
#include <random>
#include <stdexcept>

namespace seatgate::redis {
namespace {

constexpr auto nothrow_awaitable = net::as_tuple(net::use_awaitable);

struct async_context_deleter {
  void operator()(redisAsyncContext* c) const { redisAsyncFree(c); }
};
using async_context_ptr = std::unique_ptr<redisAsyncContext, async_context_deleter>;

// One command in flight. It lives in the frame of the coroutine awaiting it;
// impl::inflight_ holds a pointer to it that is nulled when the command
// completes, times out, or the frame is destroyed before resuming.
struct pending {
  explicit pending(const net::any_io_executor& ex) : timer(ex) {}
  ~pending() {
    if (slot) *slot = nullptr;
  }
  pending(const pending&) = delete;
  pending& operator=(const pending&) = delete;

  net::steady_timer timer;  // the command timeout, cancelled to wake the coroutine
  result res;
  bool done = false;
  pending** slot = nullptr;
};

using argv_ptrs = boost::container::small_vector<const char*, 16>;
using argv_lens = boost::container::small_vector<std::size_t, 16>;

}  // namespace

struct node::impl {
  impl(net::any_io_executor ex, endpoint where, options o, stats& st, role r)
      : ex_(std::move(ex)),
        opts_(std::move(o)),
        stats_(st),
        endpoint_(std::move(where)),
        role_(r),
        shas_(script_shas()),
        wake_(ex_),
        rng_(std::random_device{}()) {}

  ~impl() { close(errc::shutting_down); }

  net::any_io_executor ex_;
  options opts_;
  stats& stats_;
  endpoint endpoint_;
  role role_;
  const std::vector<std::string>& shas_;  // indexed like lua::all_scripts()

  async_context_ptr ctx_;
  bool connected_ = false;  // hiredis reported the connect of ctx_
  std::atomic<bool> ready_{false};
  bool started_ = false;
  bool stopped_ = false;
  errc close_reason_ = errc::connection_lost;  // what a null reply means right now
  std::string last_error_;

  // Commands in flight on ctx_, in send order: hiredis answers in order.
  std::deque<pending*> inflight_;
  std::string cmd_;  // format_command's buffer (one strand: no two users at once)
  // Wakes the run loop: connect, disconnect, stop; also its sleep timer.
  net::steady_timer wake_;
  std::minstd_rand rng_;

  result fail(errc e) {
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    return {make_error_code(e), {}};
  }

  errc unavailable() const { return stopped_ ? errc::shutting_down : errc::not_connected; }

  // Frees the context; hiredis completes what is in flight with null replies.
  void close(errc reason) {
    if (!ctx_) return;
    close_reason_ = reason;
    connected_ = false;
    ready_ = false;
    async_context_ptr c = std::move(ctx_);
    c.reset();
  }

  static impl* self_of(const redisAsyncContext* ac) { return static_cast<impl*>(ac->data); }

  static void on_connect(const redisAsyncContext* ac, int status) {
    impl* self = self_of(ac);
    if (status != REDIS_OK) {
      self->last_error_ = std::string("connect: ") + (ac->errstr ? ac->errstr : "failed");
      // hiredis frees the context right after this callback.
      if (self->ctx_.get() == ac) (void)self->ctx_.release();
      self->connected_ = false;
    } else {
      self->connected_ = true;
    }
    self->wake_.cancel();
  }

  static void on_disconnect(const redisAsyncContext* ac, int /*status*/) {
    impl* self = self_of(ac);
    if (self->ctx_.get() == ac) {
      (void)self->ctx_.release();  // hiredis frees it after this callback
      self->last_error_ = std::string("connection lost: ") + (ac->errstr ? ac->errstr : "closed");
    }
    self->connected_ = false;
    self->ready_ = false;
    self->wake_.cancel();
  }

  static void on_reply(redisAsyncContext* ac, void* r, void* privdata) {
    impl* self = self_of(ac);
    assert(!self->inflight_.empty() && privdata == &self->inflight_.front());
    (void)privdata;
    pending* p = self->inflight_.front();
    self->inflight_.pop_front();
    if (p == nullptr) return;  // timed out: the late reply is dropped
    p->slot = nullptr;
    if (r != nullptr) {
      p->res = {{}, from_hiredis(static_cast<const redisReply*>(r))};
    } else {
      bool broken = ac->err == REDIS_ERR_PROTOCOL || ac->err == REDIS_ERR_OOM;
      p->res.first = make_error_code(broken ? errc::protocol : self->close_reason_);
    }
    p->done = true;
    p->timer.cancel();
  }

  // Sends one command on the current connection and waits for its reply;
  // with `asking`, ASKING goes first, its reply dropped.
  net::awaitable<result> exec(int argc, const char** argv, const std::size_t* lens,
                              bool asking = false) {
    if (!ctx_ || !connected_) co_return fail(unavailable());
    if (asking) {
      static constexpr char k_asking[] = "*1\r\n$6\r\nASKING\r\n";
      inflight_.push_back(nullptr);
      if (redisAsyncFormattedCommand(ctx_.get(), &impl::on_reply, &inflight_.back(), k_asking,
                                     sizeof k_asking - 1) != REDIS_OK) {
        inflight_.pop_back();
        co_return fail(unavailable());
      }
    }
    pending p(ex_);
    inflight_.push_back(&p);
    p.slot = &inflight_.back();
    format_command(cmd_, argc, argv, lens);
    if (redisAsyncFormattedCommand(ctx_.get(), &impl::on_reply, p.slot, cmd_.data(), cmd_.size()) !=
        REDIS_OK) {
      inflight_.pop_back();
      p.slot = nullptr;
      co_return fail(unavailable());
    }
    stats_.commands.fetch_add(1, std::memory_order_relaxed);
    p.timer.expires_after(opts_.command_timeout);
    (void)co_await p.timer.async_wait(nothrow_awaitable);
    if (!p.done) {
      // No reply in time. hiredis cannot cancel a sent command: its reply
      // will arrive in order and be dropped; the connection stays usable.
      if (p.slot) *p.slot = nullptr;
      p.slot = nullptr;
      co_return fail(errc::timeout);
    }
    if (p.res.first) stats_.errors.fetch_add(1, std::memory_order_relaxed);
    co_return std::move(p.res);
  }

  net::awaitable<result> load_script(std::size_t i) {
    const auto& text = lua::all_scripts()[i].text;
    const char* argv[] = {"SCRIPT", "LOAD", text.data()};
    const std::size_t lens[] = {6, 4, text.size()};
    co_return co_await exec(3, argv, lens);
  }

  // AUTH (when the URL has a password), then SCRIPT LOAD of every script.
  net::awaitable<bool> setup() {
    if (!endpoint_.password.empty()) {
      argv_ptrs argv{"AUTH"};
      argv_lens lens{4};
      if (!endpoint_.username.empty()) {
        argv.push_back(endpoint_.username.data());
        lens.push_back(endpoint_.username.size());
      }
      argv.push_back(endpoint_.password.data());
      lens.push_back(endpoint_.password.size());
      auto [ec, r] = co_await exec(static_cast<int>(argv.size()), argv.data(), lens.data());
      if (ec || r.is_error()) {
        last_error_ = "AUTH: " + (ec ? ec.message() : r.str);
        co_return false;
      }
    }
    if (role_ == role::standalone && !co_await refuse_cluster()) co_return false;
    for (std::size_t i = 0; i < shas_.size(); ++i) {
      auto [ec, r] = co_await load_script(i);
      const auto name = std::string(lua::all_scripts()[i].name);
      if (ec || r.type != reply::kind::string) {
        last_error_ = "SCRIPT LOAD " + name + ": " + (ec ? ec.message() : r.str);
        co_return false;
      }
      if (r.str != shas_[i]) {
        last_error_ =
            "SCRIPT LOAD " + name + ": Redis computed SHA1 " + r.str + ", expected " + shas_[i];
        co_return false;
      }
    }
    co_return true;
  }

  // A plain redis:// URL at a Redis Cluster node would get MOVED for most
  // keys: refuse it with a reason that names the cluster URL.
  net::awaitable<bool> refuse_cluster() {
    const char* argv[] = {"INFO", "cluster"};
    const std::size_t lens[] = {4, 7};
    auto [ec, r] = co_await exec(2, argv, lens);
    if (ec) {
      last_error_ = "INFO cluster: " + ec.message();
      co_return false;
    }
    if (r.str.find("cluster_enabled:1") != std::string::npos) {
      const std::string where = endpoint_.type == endpoint::kind::unix_socket
                                    ? endpoint_.path
                                    : endpoint_.host + ":" + std::to_string(endpoint_.port);
      last_error_ = where + " is a Redis Cluster node: use --redis-url redis+cluster://host:port";
      co_return false;
    }
    co_return true;
  }

  net::awaitable<bool> connect_once() {
    close_reason_ = errc::connection_lost;
    connected_ = false;
    redisAsyncContext* raw = endpoint_.type == endpoint::kind::unix_socket
                                 ? redisAsyncConnectUnix(endpoint_.path.c_str())
                                 : redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
    if (raw == nullptr) {
      last_error_ = "connect: out of memory";
      co_return false;
    }
    async_context_ptr ac(raw);
    if (ac->err) {
      last_error_ = std::string("connect: ") + ac->errstr;
      co_return false;
    }
    ac->data = this;
    if (attach(ac.get(), ex_) != REDIS_OK) {
      last_error_ = "connect: cannot attach the socket to Asio";
      co_return false;
    }
    if (endpoint_.type == endpoint::kind::tcp) redisEnableKeepAlive(&ac->c);
    redisAsyncSetDisconnectCallback(ac.get(), &impl::on_disconnect);
    redisAsyncSetConnectCallback(ac.get(), &impl::on_connect);  // asks for the first write event
    ctx_ = std::move(ac);

    wake_.expires_after(opts_.connect_timeout);
    while (ctx_ && !connected_ && !stopped_) {
      auto [ec] = co_await wake_.async_wait(nothrow_awaitable);
      if (!ec) {
        last_error_ = "connect: timed out";
        break;
      }
    }
    if (!connected_ || stopped_) close(stopped_ ? errc::shutting_down : errc::connection_lost);
    co_return ctx_ != nullptr;
  }

  net::awaitable<void> sleep(std::chrono::milliseconds d) {
    wake_.expires_after(d);
    while (!stopped_) {
      auto [ec] = co_await wake_.async_wait(nothrow_awaitable);
      if (!ec) break;
    }
  }

  std::chrono::milliseconds jittered(std::chrono::milliseconds backoff) {
    // "Equal jitter": half fixed, half random, so reconnects of many
    // connections spread out but none retries immediately.
    auto half = backoff.count() / 2;
    std::uniform_int_distribution<long long> dist(0, half);
    return std::chrono::milliseconds(backoff.count() - half + dist(rng_));
  }

  static net::awaitable<void> run(std::shared_ptr<impl> self) {
    auto backoff = self->opts_.backoff_min;
    bool was_ready = false;
    while (!self->stopped_) {
      bool ok = co_await self->connect_once();
      if (ok) ok = co_await self->setup();
      if (ok && self->ctx_ && !self->stopped_) {
        self->last_error_.clear();
        self->ready_ = true;
        if (was_ready) self->stats_.reconnects.fetch_add(1, std::memory_order_relaxed);
        was_ready = true;
        backoff = self->opts_.backoff_min;
        self->wake_.expires_at(net::steady_timer::time_point::max());
        while (self->ctx_ && !self->stopped_)
          (void)co_await self->wake_.async_wait(nothrow_awaitable);
        self->ready_ = false;
      }
      self->close(self->stopped_ ? errc::shutting_down : errc::connection_lost);
      if (self->stopped_) break;
      co_await self->sleep(self->jittered(backoff));
      backoff = std::min(backoff * 2, std::max(self->opts_.backoff_max, self->opts_.backoff_min));
    }
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    ready_ = false;
    close(errc::shutting_down);
    wake_.cancel();
  }
};

node::node(net::any_io_executor ex, endpoint where, options opts, stats& st, role r)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(where), std::move(opts), st, r)) {}

node::~node() {
  if (impl_) impl_->stop();
}

void node::start() {
  if (impl_->started_ || impl_->stopped_) return;
  impl_->started_ = true;
  net::co_spawn(impl_->ex_, impl::run(impl_), net::detached);
}

void node::stop() { impl_->stop(); }

bool node::ready() const noexcept { return impl_->ready_.load(std::memory_order_relaxed); }

const std::string& node::last_error() const noexcept { return impl_->last_error_; }

net::awaitable<result> node::command(redis::command argv, bool asking) {
  std::shared_ptr<impl> self = impl_;  // `this` may be gone when we resume
  if (!self->ready_) co_return self->fail(self->unavailable());
  if (argv.empty()) co_return self->fail(errc::protocol);
  argv_ptrs ptrs;
  argv_lens lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  co_return co_await self->exec(static_cast<int>(ptrs.size()), ptrs.data(), lens.data(), asking);
}

net::awaitable<result> node::eval(lua::script s, std::vector<std::string> keys,
                                  std::vector<std::string> args, bool read_only, bool asking) {
  std::shared_ptr<impl> self = impl_;  // `this` may be gone when we resume
  if (!self->ready_) co_return self->fail(self->unavailable());
  const auto index = static_cast<std::size_t>(s);
  const std::string& sha = self->shas_.at(index);
  char numkeys[24];
  auto numkeys_end = std::to_chars(numkeys, numkeys + sizeof numkeys, keys.size()).ptr;

  argv_ptrs ptrs{read_only ? "EVALSHA_RO" : "EVALSHA", sha.data(), numkeys};
  argv_lens lens{read_only ? std::size_t{10} : std::size_t{7}, sha.size(),
                 static_cast<std::size_t>(numkeys_end - numkeys)};
  for (const auto* list : {&keys, &args}) {
    for (const auto& a : *list) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
  }
  const int argc = static_cast<int>(ptrs.size());

  result r = co_await self->exec(argc, ptrs.data(), lens.data(), asking);
  if (!r.first && r.second.is_error() && r.second.str.starts_with("NOSCRIPT")) {
    // The script cache was emptied (restart, failover, SCRIPT FLUSH).
    self->stats_.noscript_reloads.fetch_add(1, std::memory_order_relaxed);
    result loaded = co_await self->load_script(index);
    if (loaded.first || loaded.second.is_error()) co_return loaded;
    if (loaded.second.str != sha) co_return self->fail(errc::protocol);
    r = co_await self->exec(argc, ptrs.data(), lens.data(), asking);
  }
  co_return r;
}

}  // namespace seatgate::redis
