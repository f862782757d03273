// Live availability (GET /v1/events/{id}/stream) against a real
// seatgate-server and redis-server, over raw sockets: the snapshot and the
// changes, fan-out with Redis reads independent of the number of
// subscribers, the limits, bad input, shutdown.
#include "api_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace seatgate::test {
namespace {

using namespace std::chrono_literals;

// One Server-Sent Events message.
struct sse_event {
  std::string id, type, data;
  json js() const { return json::parse(data, nullptr, false); }
};

// A stream subscriber on its own socket: parses the header, undoes the
// chunked framing and splits the messages. Every wait is bounded.
class sse_client {
 public:
  // `source`: the local address to connect from (127.0.0.x); `rcvbuf` > 0
  // shrinks the receive buffer (a reader that stalls sooner); `version`: the
  // request's HTTP version (HTTP/1.0: a body without chunked framing).
  sse_client(unsigned short port, const std::string& path, const std::string& source = "",
             int rcvbuf = 0, const std::string& version = "HTTP/1.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (!source.empty()) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
      ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    const std::string req =
        "GET " + path + " " + version + "\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n";
    (void)::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~sse_client() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // The status code (0 if none came); the header block in `head_`.
  int status(std::chrono::milliseconds limit = 10s) {
    while (raw_.find("\r\n\r\n") == std::string::npos)
      if (!fill(limit)) return 0;
    const auto end = raw_.find("\r\n\r\n");
    head_ = raw_.substr(0, end + 4);
    raw_.erase(0, end + 4);
    chunked_ = head_.find("Transfer-Encoding: chunked") != std::string::npos;
    return std::stoi(head_.substr(9, 3));
  }
  const std::string& head() const { return head_; }
  // The body once the status is read (a problem's JSON).
  std::string body(std::chrono::milliseconds limit = 5s) {
    while (fill(limit)) {
    }
    return raw_;
  }

  // The next message (comments skipped); nullopt when the stream ends or
  // nothing comes within `limit`.
  std::optional<sse_event> next(std::chrono::milliseconds limit = 10s) {
    for (;;) {
      dechunk();
      const auto end = body_.find("\n\n");
      if (end != std::string::npos) {
        const std::string block = body_.substr(0, end);
        body_.erase(0, end + 2);
        sse_event e;
        std::size_t pos = 0;
        while (pos <= block.size()) {
          auto nl = block.find('\n', pos);
          if (nl == std::string::npos) nl = block.size();
          const std::string line = block.substr(pos, nl - pos);
          pos = nl + 1;
          if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
          if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
          if (line.rfind("data: ", 0) == 0) e.data = line.substr(6);
        }
        if (!e.type.empty()) return e;
        ++comments_;
        continue;  // a comment (heartbeat)
      }
      if (!fill(limit)) return std::nullopt;
    }
  }
  // The zone's `available` once a message reports `want`; false if the
  // stream ends or stays silent for `limit` first.
  bool sees_available(const std::string& zone, long want, std::chrono::milliseconds limit = 15s) {
    while (auto e = next(limit)) {
      // Kept whole: a range-for over `e->js()["zones"]` would walk a member
      // of a destroyed temporary.
      const json doc = e->js();
      const auto zones = doc.find("zones");
      if (zones == doc.end() || !zones->is_array()) continue;
      for (const auto& z : *zones)
        if (z.value("id", "") == zone && z.value("available", -1L) == want) return true;
    }
    return false;
  }
  // True once the server ended the body (last chunk) or closed the socket.
  bool ended(std::chrono::milliseconds limit = 15s) {
    for (;;) {
      dechunk();
      if (last_chunk_) return true;
      body_.clear();
      if (!fill(limit)) return eof_;
    }
  }
  bool last_chunk() const { return last_chunk_; }
  bool chunked() const { return chunked_; }
  // Comment blocks (heartbeats) next() has skipped so far.
  int comments() const { return comments_; }

 private:
  // Reads what is there, waiting up to `limit`; false on timeout or end.
  bool fill(std::chrono::milliseconds limit) {
    if (fd_ < 0 || eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
    char buf[16384];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    raw_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  void dechunk() {
    if (!chunked_) {
      body_ += raw_;
      raw_.clear();
      return;
    }
    for (;;) {
      const auto crlf = raw_.find("\r\n");
      if (crlf == std::string::npos) return;
      const auto size = std::stoul(raw_.substr(0, crlf), nullptr, 16);
      if (size == 0) {
        last_chunk_ = true;
        return;
      }
      if (raw_.size() < crlf + 2 + size + 2) return;
      body_.append(raw_, crlf + 2, size);
      raw_.erase(0, crlf + 2 + size + 2);
    }
  }
  int fd_ = -1;
  std::string raw_, head_, body_;
  bool chunked_ = false, eof_ = false, last_chunk_ = false;
  int comments_ = 0;
};

long metric(const std::string& text, const std::string& series) {
  auto pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::stol(text.substr(pos + series.size() + 2));
}

long availability_reads(const redis_server& redis) {
  auto r = redis.command({"INFO", "commandstats"});
  const std::string text(r->str, r->len);
  const auto pos = text.find("cmdstat_evalsha_ro:calls=");
  if (pos == std::string::npos) return 0;
  return std::stol(text.substr(pos + 25));
}

std::string stream_path(const std::string& event) { return "/v1/events/" + event + "/stream"; }

TEST(LiveAvailability, SnapshotFirstThenEachChange) {
  redis_server redis;
  server_process server({redis.url(), {"--stream-interval-ms", "20"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(100)).status, 201);

  sse_client sub(server.port(), stream_path("arena"));
  ASSERT_EQ(sub.status(), 200);
  EXPECT_NE(sub.head().find("Content-Type: text/event-stream"), std::string::npos);
  auto first = sub.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type, "snapshot");
  EXPECT_FALSE(first->id.empty());
  EXPECT_EQ(first->js()["id"], "arena");
  EXPECT_EQ(first->js()["zones"][0]["available"], 100);
  EXPECT_EQ(first->js()["zones"][0]["capacity"], 100);

  ASSERT_EQ(api.reserve(server.user_token("u1"), "arena", "floor", 3, "k1").status, 201);
  auto change = sub.next();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->type, "availability");
  EXPECT_GT(std::stol(change->id), std::stol(first->id));
  EXPECT_EQ(change->js()["zones"][0]["id"], "floor");
  EXPECT_EQ(change->js()["zones"][0]["available"], 97);
}

// A change goes to every subscriber as the same message, framed as each
// connection needs: chunked for HTTP/1.1, as is for HTTP/1.0.
TEST(LiveAvailability, HttpOneZeroAndOneOneSubscribersGetTheSameMessages) {
  redis_server redis;
  server_process server({redis.url(), {"--stream-interval-ms", "20"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(100)).status, 201);

  sse_client old_client(server.port(), stream_path("arena"), "", 0, "HTTP/1.0");
  sse_client new_client(server.port(), stream_path("arena"));
  ASSERT_EQ(old_client.status(), 200);
  ASSERT_EQ(new_client.status(), 200);
  EXPECT_FALSE(old_client.chunked());
  EXPECT_TRUE(new_client.chunked());
  auto s1 = old_client.next(), s2 = new_client.next();
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(s1->type, "snapshot");
  EXPECT_EQ(s2->type, "snapshot");

  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(api.reserve(server.user_token("u" + std::to_string(i)), "arena", "floor", 1,
                          "k" + std::to_string(i))
                  .status,
              201);
    // Each reservation shows up on both, in the same messages.
    EXPECT_TRUE(old_client.sees_available("floor", 100 - i)) << i;
    EXPECT_TRUE(new_client.sees_available("floor", 100 - i)) << i;
  }
  const auto m = api.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_stream_subscribers"), 2);
}

// After changes were written, a stream that falls quiet still gets its
// heartbeat comment (the writer counts the writes it did not make itself).
TEST(LiveAvailability, AQuietStreamGetsHeartbeatsAfterChanges) {
  redis_server redis;
  server_process server({redis.url(), {"--stream-interval-ms", "20", "--stream-heartbeat-ms",
                                       "300"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(100)).status, 201);
  sse_client sub(server.port(), stream_path("arena"));
  ASSERT_EQ(sub.status(), 200);
  ASSERT_TRUE(sub.next().has_value());
  ASSERT_EQ(api.reserve(server.user_token("u1"), "arena", "floor", 2, "k1").status, 201);
  ASSERT_TRUE(sub.sees_available("floor", 98));
  // Nothing changes from here on: within a bounded wait a comment comes.
  const int before = sub.comments();
  for (int i = 0; i < 100 && sub.comments() == before; ++i) {
    auto e = sub.next(100ms);
    EXPECT_FALSE(e.has_value()) << "no change was made, yet a message came";
  }
  EXPECT_GT(sub.comments(), before);
}

TEST(LiveAvailability, ReadsPerSecondDoNotGrowWithSubscribers) {
  redis_server redis;
  // 2 I/O threads: each reads a watched event once per interval.
  server_process server({redis.url(),
                         {"--stream-interval-ms", "50", "--max-streams-per-ip", "0",
                          "--max-connections-per-ip", "0"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(1000, 600, 10, 10)).status, 201);

  std::atomic<bool> stop{false};
  std::atomic<int> made{0};
  std::thread buyers([&] {
    api_client b(server);
    for (int i = 0; !stop && i < 900; ++i) {
      if (b.reserve(server.user_token("buyer" + std::to_string(i)), "arena", "floor", 1,
                    "k" + std::to_string(i))
              .status == 201)
        ++made;
    }
  });
  // Availability reads per second over a window, with the reserves running.
  const auto reads_per_s = [&] {
    const long before = availability_reads(redis);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(1500ms);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return static_cast<double>(availability_reads(redis) - before) / s;
  };

  std::vector<std::unique_ptr<sse_client>> subs;
  subs.push_back(std::make_unique<sse_client>(server.port(), stream_path("arena")));
  ASSERT_EQ(subs[0]->status(), 200);
  const double one = reads_per_s();
  for (int i = 1; i < 200; ++i) {
    subs.push_back(std::make_unique<sse_client>(server.port(), stream_path("arena")));
    ASSERT_EQ(subs.back()->status(), 200) << i;
  }
  const double many = reads_per_s();
  stop = true;
  buyers.join();
  // One feed per event per I/O thread: at most 2 threads' worth, never 200x.
  EXPECT_GT(one, 0);
  EXPECT_LE(many, one * 2 * 1.5 + 5) << "1 subscriber: " << one << "/s, 200: " << many << "/s";
  EXPECT_LE(many, 2 * (1000.0 / 50) * 1.5) << many;

  EXPECT_GT(made.load(), 0);

  // Every subscriber, on either thread, ends on the final availability: the
  // messages it was sent while nobody read are waiting in its socket.
  const long final_available = counts(api, "arena", "floor").available;
  EXPECT_EQ(final_available, 1000 - made.load());
  int saw = 0;
  for (auto& s : subs) saw += s->sees_available("floor", final_available, 5s) ? 1 : 0;
  EXPECT_EQ(saw, 200);
}

// One thread's feed with more subscribers than one slice of a publish (the
// hub lets other work run between slices): subscribers that leave while
// changes go out are skipped, the others get every change, and nobody counts
// as slow.
TEST(LiveAvailability, SubscribersLeavingWhileChangesGoOutDoNotDisturbTheOthers) {
  redis_server redis;
  server_process server({redis.url(),
                         {"--stream-interval-ms", "10", "--threads", "1",
                          "--max-streams-per-ip", "0", "--max-connections-per-ip", "0"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(1000, 600, 10, 10)).status, 201);
  std::vector<std::unique_ptr<sse_client>> subs;
  for (int i = 0; i < 300; ++i) {
    subs.push_back(std::make_unique<sse_client>(server.port(), stream_path("arena")));
    ASSERT_EQ(subs.back()->status(), 200) << i;
  }
  std::atomic<bool> stop{false};
  std::atomic<int> made{0};
  std::thread buyers([&] {
    api_client b(server);
    for (int i = 0; !stop && i < 400; ++i)
      if (b.reserve(server.user_token("buyer" + std::to_string(i)), "arena", "floor", 1,
                    "k" + std::to_string(i))
              .status == 201)
        ++made;
  });
  // Every other subscriber leaves, a few at a time, while reserves go on.
  for (std::size_t i = 0; i < subs.size(); i += 2) {
    subs[i]->close();
    if (i % 20 == 0) std::this_thread::sleep_for(5ms);
  }
  stop = true;
  buyers.join();
  ASSERT_GT(made.load(), 0);
  const long final_available = counts(api, "arena", "floor").available;
  EXPECT_EQ(final_available, 1000 - made.load());
  int saw = 0;
  for (std::size_t i = 1; i < subs.size(); i += 2)
    saw += subs[i]->sees_available("floor", final_available, 5s) ? 1 : 0;
  EXPECT_EQ(saw, 150);
  const auto m = api.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_stream_dropped_total{reason=\"slow\"}"), 0);
  EXPECT_EQ(metric(m, "seatgate_stream_dropped_total{reason=\"stalled\"}"), 0);
  bool settled = false;  // the server sees the closed sockets on its next write or read
  for (int i = 0; i < 100 && !settled; ++i) {
    settled = metric(api.send("GET", "/metrics").body, "seatgate_stream_subscribers") == 150;
    if (!settled) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(settled);
}

// Many zones with long names: a snapshot is several KB, so a reader that
// never reads fills its socket after a few of them.
json wide_event(const std::string& name) {
  json cfg = event_config(10);
  cfg["name"] = name;
  cfg["zones"] = json::array();
  for (int z = 0; z < 60; ++z)
    cfg["zones"].push_back({{"id", "zone-" + std::to_string(z)},
                            {"name", "Upper tier block " + std::to_string(z) + std::string(40, 'x')},
                            {"capacity", 10},
                            {"price", 4500}});
  return cfg;
}

TEST(LiveAvailability, ASubscriberThatNeverReadsIsDroppedAndTheOthersGoOn) {
  redis_server redis;
  server_process server({redis.url(),
                         {"--stream-interval-ms", "10", "--threads", "1",
                          "--max-streams-per-ip", "0"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", wide_event("v0")).status, 201);
  sse_client stuck(server.port(), stream_path("arena"), "", 2048);
  sse_client reader(server.port(), stream_path("arena"));
  ASSERT_EQ(reader.status(), 200);
  ASSERT_TRUE(reader.next().has_value());

  // The live reader reads all the time, on its own thread, so only the stuck
  // one falls behind; it keeps the last name it saw.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::string seen;
  std::thread drain([&] {
    while (!stop) {
      auto e = reader.next(100ms);
      if (!e) continue;
      const auto name = e->js().value("name", "");
      std::lock_guard lock(mu);
      if (!name.empty()) seen = name;
    }
  });
  // Each rename is a new snapshot for every subscriber. Rename until the
  // server gives up on the stuck one (bounded: 600 renames).
  long dropped = 0;
  int renames = 0;
  for (; renames < 600 && dropped < 1; ++renames) {
    ASSERT_EQ(api.put_event("arena", wide_event("v" + std::to_string(renames + 1))).status, 200);
    if (renames % 20 == 19) {
      const auto m = api.send("GET", "/metrics").body;
      dropped = metric(m, "seatgate_stream_dropped_total{reason=\"slow\"}") +
                metric(m, "seatgate_stream_dropped_total{reason=\"stalled\"}");
    }
  }
  EXPECT_GE(dropped, 1) << "after " << renames << " renames";

  // The reader still gets the latest snapshot.
  const std::string last = "v" + std::to_string(renames);
  bool latest = false;
  for (int i = 0; i < 200 && !latest; ++i) {
    {
      std::lock_guard lock(mu);
      latest = seen == last;
    }
    if (!latest) std::this_thread::sleep_for(25ms);
  }
  stop = true;
  drain.join();
  EXPECT_TRUE(latest) << last;
  // And the stuck one, when it finally reads, finds its stream ended.
  EXPECT_EQ(stuck.status(), 200);
  EXPECT_TRUE(stuck.ended());
  const auto m = api.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_stream_subscribers"), 1);
}

TEST(LiveAvailability, LimitsPerAddressThenPerServer) {
  redis_server redis;
  server_process server(
      {redis.url(), {"--max-stream-subscribers", "3", "--max-streams-per-ip", "2"}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(10)).status, 201);

  sse_client a(server.port(), stream_path("arena"), "127.0.0.1");
  sse_client b(server.port(), stream_path("arena"), "127.0.0.1");
  ASSERT_EQ(a.status(), 200);
  ASSERT_EQ(b.status(), 200);
  sse_client c(server.port(), stream_path("arena"), "127.0.0.1");
  ASSERT_EQ(c.status(), 429);
  EXPECT_NE(c.head().find("Retry-After"), std::string::npos);
  EXPECT_NE(c.body().find("rate_limited"), std::string::npos);

  sse_client d(server.port(), stream_path("arena"), "127.0.0.2");
  ASSERT_EQ(d.status(), 200);
  sse_client e(server.port(), stream_path("arena"), "127.0.0.3");
  ASSERT_EQ(e.status(), 503);
  EXPECT_NE(e.body().find("unavailable"), std::string::npos);

  // A closed stream gives its place back (when the server notices the close).
  a.close();
  bool admitted = false;
  for (int i = 0; i < 200 && !admitted; ++i) {
    sse_client f(server.port(), stream_path("arena"), "127.0.0.3");
    admitted = f.status() == 200;
    if (!admitted) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(admitted);
  EXPECT_TRUE(d.next().has_value());  // the others go on
}

TEST(LiveAvailability, UnknownEventBadInputAndWrongMethod) {
  redis_server redis;
  server_process server({redis.url(), {}});
  api_client api(server);
  auto missing = api.send("GET", stream_path("no-such-event"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code(), "event_not_found");
  auto bad = api.send("GET", "/v1/events/Bad_Id!/stream");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.code(), "invalid_request");
  auto post = api.send("POST", stream_path("arena"), "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET");
  // Refusals hold no place: the gauge is back at zero.
  const auto m = api.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_stream_subscribers"), 0);
}

TEST(LiveAvailability, ShutdownEndsStreamsCleanly) {
  redis_server redis;
  server_process server({redis.url(), {}});
  api_client api(server);
  ASSERT_EQ(api.put_event("arena", event_config(10)).status, 201);
  sse_client sub(server.port(), stream_path("arena"));
  ASSERT_EQ(sub.status(), 200);
  ASSERT_TRUE(sub.next().has_value());
  EXPECT_EQ(server.terminate_and_wait(), 0);
  EXPECT_TRUE(sub.ended());
  EXPECT_TRUE(sub.last_chunk());
}

}  // namespace
}  // namespace seatgate::test
