#include "util/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "util/time.h"

namespace seatgate::log {
namespace {

std::atomic<level> g_min_level{level::info};

std::string_view level_name(level l) {
  switch (l) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "info";
}

void write_all(std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report it
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Access lines, buffered per thread. Every write(2) on stderr of this module
// happens under `out_`, so lines from different threads never interleave,
// whatever their size. A background thread, woken by the first line after a
// flush, waits `k_delay` (so a busy server writes in batches) and writes
// every thread's buffer in one write(2).
class sink {
 public:
  static constexpr auto k_delay = std::chrono::milliseconds(50);
  static constexpr std::size_t k_max_buffer = 256 * 1024;

  struct buffer {
    std::mutex m;
    std::string text;
  };

  static sink& get() {
    static sink s;
    return s;
  }

  ~sink() {
    {
      std::lock_guard lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    flush();
  }

  void append(std::string_view line) {
    buffer& b = mine();
    bool large;
    {
      std::lock_guard lk(b.m);
      b.text.append(line);
      large = b.text.size() >= k_max_buffer;
    }
    if (large) {
      flush();
      return;
    }
    if (!pending_.exchange(true, std::memory_order_acq_rel)) wake();
  }

  // Writes every buffered line, then `extra` (another log line), in order.
  void flush(std::string_view extra = {}) {
    std::string text;
    {
      std::lock_guard lk(m_);
      pending_.store(false, std::memory_order_release);
      for (const auto& b : buffers_) {
        std::lock_guard bl(b->m);
        if (text.empty())
          text.swap(b->text);
        else {
          text.append(b->text);
          b->text.clear();
        }
      }
    }
    text.append(extra);
    if (text.empty()) return;
    std::lock_guard lk(out_);
    write_all(text);
  }

 private:
  sink() = default;

  buffer& mine() {
    thread_local std::shared_ptr<buffer> b;
    if (!b) {
      b = std::make_shared<buffer>();
      std::lock_guard lk(m_);
      buffers_.push_back(b);  // kept after the thread ends; flushed like the others
    }
    return *b;
  }

  void wake() {
    std::lock_guard lk(m_);
    if (stop_) return;
    if (!flusher_.joinable()) flusher_ = std::thread([this] { run(); });
    cv_.notify_one();
  }

  void run() {
    std::unique_lock lk(m_);
    for (;;) {
      cv_.wait(lk, [&] { return stop_ || pending_.load(std::memory_order_acquire); });
      if (stop_) return;
      cv_.wait_for(lk, k_delay, [&] { return stop_; });
      if (stop_) return;
      lk.unlock();
      flush();
      lk.lock();
    }
  }

  std::mutex m_;    // buffers_, stop_, the flusher thread
  std::mutex out_;  // stderr
  std::condition_variable cv_;
  std::vector<std::shared_ptr<buffer>> buffers_;
  std::atomic<bool> pending_{false};
  bool stop_ = false;
  std::thread flusher_;
};

// A JSON string: printable ASCII without a quote or backslash is copied as is; anything
// else goes through nlohmann (escapes, invalid UTF-8 replaced), as before.
void append_json_string(std::string& out, std::string_view s) {
  bool plain = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  out.append(nlohmann::json(std::string(s))
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void set_min_level(level l) { g_min_level.store(l, std::memory_order_relaxed); }

void write(level l, std::string_view msg, const nlohmann::json& fields) {
  if (l < g_min_level.load(std::memory_order_relaxed)) return;
  // Buffered access lines first, so the log keeps its order.
  sink::get().flush(format_line(l, msg, fields, util::now_ms()));
}

void flush() { sink::get().flush(); }

std::string format_access(const access_fields& f, std::int64_t ts_ms) {
  std::string out;
  out.reserve(160 + f.path.size() + f.user.size());
  out.append(R"({"ts":")").append(util::rfc3339_ms(ts_ms));
  out.append(R"(","level":"info","msg":"request","latency_ms":)");
  // nlohmann's own double formatting (shortest round trip), so the number
  // reads exactly as the json-built line had it.
  if (std::isfinite(f.latency_ms)) {
    char num[64];
    char* end = nlohmann::detail::to_chars(num, num + sizeof num, f.latency_ms);
    out.append(num, end);
  } else {
    out.append("null");
  }
  out.append(R"(,"method":)");
  append_json_string(out, f.method);
  out.append(R"(,"path":)");
  append_json_string(out, f.path);
  out.append(R"(,"request_id":)");
  append_json_string(out, f.request_id);
  out.append(R"(,"status":)").append(std::to_string(f.status));
  out.append(R"(,"user":)");
  if (f.user.empty())
    out.append("null");
  else
    append_json_string(out, f.user);
  out.append("}\n");
  return out;
}

void access(const access_fields& f) {
  if (level::info < g_min_level.load(std::memory_order_relaxed)) return;
  sink::get().append(format_access(f, util::now_ms()));
}

std::string format_line(level l, std::string_view msg, const nlohmann::json& fields,
                        std::int64_t ts_ms) {
  nlohmann::ordered_json j;
  j["ts"] = util::rfc3339_ms(ts_ms);
  j["level"] = level_name(l);
  j["msg"] = msg;
  if (fields.is_object()) {
    for (const auto& [k, v] : fields.items()) {
      if (k == "ts" || k == "level" || k == "msg") continue;
      j[k] = v;
    }
  } else if (!fields.is_null()) {
    j["fields"] = fields;
  }
  // Invalid UTF-8 from a client (a path, a header) must not lose the line.
  std::string out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.push_back('\n');
  return out;
}

std::optional<level> parse_level(std::string_view s) {
  if (s == "debug") return level::debug;
  if (s == "info") return level::info;
  if (s == "warn") return level::warn;
  if (s == "error") return level::error;
  return std::nullopt;
}

}  // namespace seatgate::log
