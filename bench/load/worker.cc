#include "worker.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace seatgate::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct connection {
  explicit connection(net::io_context& io) : socket(io), retry_timer(io) {}
  tcp::socket socket;
  net::steady_timer retry_timer;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  op_state op;
  outgoing out;
  clock_type::time_point origin;  // latency origin of the request in flight
  clock_type::time_point sent;
  bool busy = false;     // a request is in flight
  bool pending = false;  // `out` must be sent once (re)connected
  bool timed_out = false;
};

std::string status_key(int status, std::string_view body) {
  std::string key = std::to_string(status);
  if (status >= 400) {
    if (auto code = json_string_field(body, "code"); !code.empty()) {
      key += ' ';
      key.append(code);
    }
  }
  return key;
}

}  // namespace

struct worker::impl {
  impl(const options& o, scenario& s, run_window w, int id, unsigned n, double rate,
       worker_progress& p)
      : opts(o), sc(s), window(w), progress(p), tick_timer(io), pace_timer(io) {
    ids.key_prefix = "k-" + s.event_id() + "-" + std::to_string(id) + "-";
    if (rate > 0) interval = std::chrono::duration<double>(1.0 / rate);
    for (unsigned i = 0; i < n; ++i) conns.push_back(std::make_unique<connection>(io));
  }

  const options& opts;
  scenario& sc;
  run_window window;
  worker_progress& progress;
  net::io_context io;
  tcp::endpoint endpoint;
  net::steady_timer tick_timer;
  net::steady_timer pace_timer;
  std::vector<std::unique_ptr<connection>> conns;
  std::vector<connection*> idle;
  std::deque<clock_type::time_point> backlog;
  std::chrono::duration<double> interval{0};
  std::uint64_t scheduled = 0;
  worker_ids ids;
  worker_stats stats;
  bool finishing = false;  // no new operations
  bool no_more_work = false;
  bool stopped = false;

  bool open_loop() const { return opts.mode == loop_mode::open; }

  void run() {
    tcp::resolver resolver(io);
    beast::error_code ec;
    auto results = resolver.resolve(opts.host, opts.port, ec);
    if (ec || results.empty()) {
      ++stats.connect_errors;
      progress.done = true;
      return;
    }
    endpoint = *results.begin();
    for (auto& c : conns) connect(c.get());
    tick();
    if (open_loop()) pace();
    io.run();
    progress.done = true;
  }

  void connect(connection* c) {
    c->socket.async_connect(endpoint, [this, c](beast::error_code ec) {
      if (stopped) return;
      if (ec) {
        ++stats.connect_errors;
        progress.errors.fetch_add(1, std::memory_order_relaxed);
        beast::error_code ignored;
        c->socket.close(ignored);
        c->retry_timer.expires_after(50ms);
        c->retry_timer.async_wait([this, c](beast::error_code ec) {
          if (!ec && !stopped) connect(c);
        });
        return;
      }
      c->socket.set_option(tcp::no_delay(true), ec);
      if (c->pending) {
        c->pending = false;
        c->origin = clock_type::now();
        send(c);
      } else {
        on_idle(c);
      }
    });
  }

  void reconnect(connection* c) {
    beast::error_code ignored;
    c->socket.close(ignored);
    c->buffer.clear();
    if (stopped) return;
    connect(c);
  }

  // A connection with nothing in flight: give it the next operation.
  void on_idle(connection* c) {
    if (!finishing && !open_loop()) {
      if (begin_op(c, clock_type::now())) return;
    } else if (open_loop() && !backlog.empty()) {
      const auto intended = backlog.front();
      backlog.pop_front();
      progress.backlog.store(backlog.size(), std::memory_order_relaxed);
      if (begin_op(c, intended)) return;
    }
    idle.push_back(c);
    maybe_done();
  }

  bool begin_op(connection* c, clock_type::time_point origin) {
    if (!sc.start(ids, c->op, c->out)) {
      no_more_work = true;
      finishing = true;
      backlog.clear();
      progress.backlog.store(0, std::memory_order_relaxed);
      pace_timer.cancel();
      return false;
    }
    c->origin = origin;
    send(c);
    return true;
  }

  void send(connection* c) {
    c->busy = true;
    c->timed_out = false;
    c->sent = clock_type::now();
    net::async_write(c->socket, net::buffer(c->out.bytes),
                     [this, c](beast::error_code ec, std::size_t) {
                       if (ec) return fail(c);
                       read(c);
                     });
  }

  void read(connection* c) {
    c->parser.emplace();
    c->parser->body_limit(1 << 20);
    http::async_read(c->socket, c->buffer, *c->parser,
                     [this, c](beast::error_code ec, std::size_t) {
                       if (ec) return fail(c);
                       on_response(c);
                     });
  }

  void record(connection* c, const std::string& key, clock_type::time_point now) {
    auto& k = stats.kinds[static_cast<int>(c->out.kind)];
    if (c->origin >= window.measure_start) {
      k.latency_ns.record(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - c->origin).count()));
      ++k.statuses[key];
    }
    if (now >= window.measure_start && now <= window.measure_end) ++k.completed_in_window;
  }

  void on_response(connection* c) {
    const auto now = clock_type::now();
    auto& res = c->parser->get();
    const int status = res.result_int();
    record(c, status_key(status, res.body()), now);
    progress.responses.fetch_add(1, std::memory_order_relaxed);
    if (status < 200 || status >= 300) progress.not_2xx.fetch_add(1, std::memory_order_relaxed);
    const bool keep_alive = res.keep_alive();
    const response_view view{c->out.kind, status, res.body()};
    const bool more = sc.next(ids, c->op, view, c->out);
    c->busy = false;
    if (!keep_alive) {
      c->pending = more;
      reconnect(c);
      return;
    }
    if (more) {
      c->origin = now;
      send(c);
      return;
    }
    on_idle(c);
  }

  void fail(connection* c) {
    if (stopped) return;
    if (c->busy) {
      record(c, c->timed_out ? "timeout" : "conn_error", clock_type::now());
      progress.errors.fetch_add(1, std::memory_order_relaxed);
      c->busy = false;
    }
    c->pending = false;  // the operation is abandoned
    reconnect(c);
  }

  void pace() {
    if (finishing || stopped) return;
    const auto now = clock_type::now();
    for (;;) {
      const auto intended =
          window.start + std::chrono::duration_cast<clock_type::duration>(interval * scheduled);
      if (intended > now || intended >= window.measure_end) break;
      backlog.push_back(intended);
      ++scheduled;
    }
    while (!backlog.empty() && !idle.empty() && !no_more_work) {
      connection* c = idle.back();
      idle.pop_back();
      const auto intended = backlog.front();
      backlog.pop_front();
      if (!begin_op(c, intended)) idle.push_back(c);
    }
    progress.backlog.store(backlog.size(), std::memory_order_relaxed);
    const auto next =
        window.start + std::chrono::duration_cast<clock_type::duration>(interval * scheduled);
    pace_timer.expires_at(next);
    pace_timer.async_wait([this](beast::error_code ec) {
      if (!ec) pace();
    });
  }

  // Every 20 ms: end of window, global stop, per-request timeouts, drain limit.
  void tick() {
    if (stopped) return;
    const auto now = clock_type::now();
    if (!finishing && (now >= window.measure_end || sc.stop.load(std::memory_order_relaxed))) {
      finishing = true;
      pace_timer.cancel();
      if (open_loop() && sc.stop.load()) backlog.clear();
    }
    const auto timeout = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(opts.timeout_s));
    for (auto& c : conns) {
      if (c->busy && !c->timed_out && now - c->sent > timeout) {
        c->timed_out = true;
        beast::error_code ignored;
        c->socket.cancel(ignored);
      }
    }
    if (now >= window.drain_end) return stop_all();
    if (maybe_done()) return;
    tick_timer.expires_after(20ms);
    tick_timer.async_wait([this](beast::error_code ec) {
      if (!ec) tick();
    });
  }

  bool maybe_done() {
    if (stopped) return true;
    // No new work (window over, or the scenario ran out) and nothing in flight.
    if (!finishing || !backlog.empty()) return false;
    for (auto& c : conns) {
      if (c->busy || c->pending) return false;
    }
    stop_all();
    return true;
  }

  void stop_all() {
    if (stopped) return;
    stopped = true;
    const auto now = clock_type::now();
    for (const auto& intended : backlog) {
      // Never sent: at least this late. Counted, never hidden.
      auto& k = stats.kinds[static_cast<int>(sc.first_kind())];
      if (intended >= window.measure_start) {
        k.latency_ns.record(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - intended).count()));
        ++k.statuses["unsent"];
      }
      ++stats.unsent;
    }
    backlog.clear();
    for (auto& c : conns) {
      if (c->busy) {
        record(c.get(), "unfinished", now);
        c->busy = false;
      }
      beast::error_code ignored;
      c->socket.close(ignored);
      c->retry_timer.cancel();
    }
    tick_timer.cancel();
    pace_timer.cancel();
    io.stop();
  }
};

worker::worker(const options& opts, scenario& sc, run_window window, int id, unsigned connections,
               double rate_per_s, worker_progress& progress)
    : impl_(new impl(opts, sc, window, id, connections, rate_per_s, progress)) {}

worker::~worker() { delete impl_; }

void worker::run() { impl_->run(); }

const worker_stats& worker::stats() const { return impl_->stats; }

}  // namespace seatgate::bench
