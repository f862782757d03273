// seatgate-stream-subscribers: opens N live-availability streams
// (GET /v1/events/<id>/stream) to seatgate-server and keeps reading them, so
// bench/run.sh can measure what fan-out costs the server while a sale runs.
//
// The subscribers stand for browsers on other machines, yet run on the
// server's cores: they must cost as little as possible. One thread, one
// io_context, one small buffer per socket: Asio's reactor reads a socket the
// moment it becomes readable and, when a read leaves it empty, waits for the
// next edge instead of trying again, so a message costs one recv(). Messages
// are counted by their "event: " line.
//
// Prints "open <n>" once every stream has answered (or --open-timeout has
// passed), then, when --hold seconds have passed or on SIGTERM/SIGINT,
// "alive <n>" (streams still open) and "messages <n>" (SSE messages received
// by all streams). Failures to open go to stderr as "failed <n> (first: ...)".
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <vector>

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string event;
  std::size_t streams = 10000;
  double hold_s = 30;
  double open_timeout_s = 90;
  std::size_t concurrent_opens = 256;
};

[[noreturn]] void usage(const char* why) {
  std::cerr << "seatgate-stream-subscribers: " << why
            << "\nusage: seatgate-stream-subscribers --port P --event ID [--host H] [--streams N]"
               " [--hold S] [--open-timeout S]\n";
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view f = argv[i];
    if (i + 1 >= argc) usage("missing value");
    const char* v = argv[++i];
    if (f == "--host") o.host = v;
    else if (f == "--port") o.port = static_cast<unsigned short>(std::atoi(v));
    else if (f == "--event") o.event = v;
    else if (f == "--streams") o.streams = std::strtoull(v, nullptr, 10);
    else if (f == "--hold") o.hold_s = std::atof(v);
    else if (f == "--open-timeout") o.open_timeout_s = std::atof(v);
    else usage("unknown flag");
  }
  if (o.port == 0 || o.event.empty()) usage("--port and --event are required");
  return o;
}

// "\nevent: " may straddle two reads: the last few bytes of one read are kept
// and searched again in front of the next.
constexpr std::string_view k_marker = "\nevent: ";

class subscribers {
 public:
  subscribers(net::io_context& ioc, options o)
      : ioc_(ioc), o_(std::move(o)),
        request_("GET /v1/events/" + o_.event +
                 "/stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"),
        endpoint_(net::ip::make_address(o_.host), o_.port) {
    conns_.reserve(o_.streams);
  }

  void start() {
    for (std::size_t i = 0; i < std::min(o_.concurrent_opens, o_.streams); ++i) open_next();
  }
  std::size_t answered() const { return open_ + failed_; }
  std::size_t open() const { return open_; }
  std::size_t failed() const { return failed_; }
  const std::string& first_failure() const { return first_failure_; }
  std::uint64_t messages() const { return messages_; }
  std::size_t alive() const {
    return static_cast<std::size_t>(
        std::count_if(conns_.begin(), conns_.end(), [](const auto& c) { return c->alive; }));
  }
  void close_all() {
    for (auto& c : conns_) {
      boost::system::error_code ec;
      c->socket.close(ec);
    }
  }

 private:
  struct conn {
    explicit conn(net::io_context& ioc) : socket(ioc) {}
    tcp::socket socket;
    bool alive = false;   // answered 200 and not closed since
    std::array<char, 2048> buf;  // a change is ~200 bytes; more is read on the next turn
    std::string head;     // the response head, while it is read
    char tail[8] = {};    // the end of the last read (k_marker straddling reads)
    std::size_t tail_n = 0;
  };

  void open_next() {
    if (started_ >= o_.streams) return;
    ++started_;
    conns_.push_back(std::make_unique<conn>(ioc_));
    conn* c = conns_.back().get();
    c->socket.async_connect(endpoint_, [this, c](boost::system::error_code ec) {
      if (ec) return fail(c, "connect: " + ec.message());
      net::async_write(c->socket, net::buffer(request_),
                       [this, c](boost::system::error_code wec, std::size_t) {
                         if (wec) return fail(c, "write: " + wec.message());
                         read(c);
                       });
    });
  }

  void fail(conn* c, std::string why) {
    if (first_failure_.empty()) first_failure_ = std::move(why);
    ++failed_;
    boost::system::error_code ignored;
    c->socket.close(ignored);
    open_next();
  }

  void read(conn* c) {
    c->socket.async_read_some(net::buffer(c->buf), [this, c](boost::system::error_code ec,
                                                             std::size_t n) {
      if (ec) return closed(c);
      std::string_view data(c->buf.data(), n);
      if (!c->alive && !take_head(c, data)) return;
      count(c, data);
      read(c);
    });
  }

  // Until the head is complete: false when the stream failed or needs more.
  // On success `data` is what follows the head.
  bool take_head(conn* c, std::string_view& data) {
    const std::size_t before = c->head.size();
    c->head.append(data);
    const auto end = c->head.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (c->head.size() > 16384) fail(c, "response head too long");
      else read(c);
      return false;
    }
    if (c->head.compare(0, 12, "HTTP/1.1 200") != 0) {
      fail(c, c->head.substr(0, c->head.find("\r\n")));
      return false;
    }
    data.remove_prefix(end + 4 - before);
    c->head = std::string();
    c->alive = true;
    // The head ends with "\r\n": the first "event:" line may start the body.
    c->tail[0] = '\n';
    c->tail_n = 1;
    ++open_;
    open_next();
    return true;
  }

  void count(conn* c, std::string_view data) {
    constexpr std::size_t k = k_marker.size() - 1;  // bytes a split marker leaves behind
    // A marker across the seam (it cannot fit in k bytes of data alone).
    char seam[2 * k];
    const std::size_t front = std::min(data.size(), k);
    std::memcpy(seam, c->tail, c->tail_n);
    std::memcpy(seam + c->tail_n, data.data(), front);
    const std::string_view joined(seam, c->tail_n + front);
    if (joined.find(k_marker) != std::string_view::npos) ++messages_;
    for (auto p = data.find(k_marker); p != std::string_view::npos; p = data.find(k_marker, p + 1))
      ++messages_;
    // The stream's last k bytes: of data alone, or of what was kept plus data.
    const std::string_view last = data.size() >= k ? data.substr(data.size() - k)
                                                   : joined.substr(joined.size() - std::min(joined.size(), k));
    std::memmove(c->tail, last.data(), last.size());
    c->tail_n = last.size();
  }

  void closed(conn* c) {
    boost::system::error_code ignored;
    if (!c->alive) return fail(c, "closed before the response head");
    c->alive = false;
    c->socket.close(ignored);
  }

  net::io_context& ioc_;
  const options o_;
  const std::string request_;
  const tcp::endpoint endpoint_;
  std::vector<std::unique_ptr<conn>> conns_;
  std::size_t started_ = 0, open_ = 0, failed_ = 0;
  std::string first_failure_;
  std::uint64_t messages_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < o.streams + 256) {
    nofile.rlim_cur = std::min<rlim_t>(nofile.rlim_max, o.streams + 256);
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  net::io_context ioc(1);
  subscribers subs(ioc, o);
  subs.start();

  using namespace std::chrono;
  const auto t0 = steady_clock::now();
  const auto open_deadline = t0 + duration_cast<steady_clock::duration>(duration<double>(o.open_timeout_s));
  bool reported_open = false;
  net::steady_timer tick(ioc);
  net::steady_timer hold(ioc);
  net::signal_set signals(ioc, SIGTERM, SIGINT);

  auto finish = [&] {
    std::printf("alive %zu\nmessages %llu\n", subs.alive(),
                static_cast<unsigned long long>(subs.messages()));
    std::fflush(stdout);
    subs.close_all();
    ioc.stop();
  };
  auto report_open = [&] {
    reported_open = true;
    std::printf("open %zu\n", subs.open());
    std::fflush(stdout);
    if (subs.failed())
      std::fprintf(stderr, "failed %zu (first: %s)\n", subs.failed(),
                   subs.first_failure().c_str());
    // Until --hold has passed or bench/run.sh sends SIGTERM (its sale is over).
    hold.expires_after(duration_cast<steady_clock::duration>(duration<double>(o.hold_s)));
    hold.async_wait([&](boost::system::error_code ec) {
      if (!ec) finish();
    });
  };
  std::function<void()> poll_open = [&] {
    tick.expires_after(milliseconds(100));
    tick.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (subs.answered() >= o.streams || steady_clock::now() >= open_deadline) report_open();
      else poll_open();
    });
  };
  poll_open();
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    if (!reported_open) report_open();
    hold.cancel();
    tick.cancel();
    finish();
  });
  ioc.run();
  return 0;
}
