// A real webhook receiver for the tests: an HTTP server on a free loopback
// port (cpp-httplib, its own threads) that records every POST in arrival
// order and answers as told: 200, 500, or only after being released (a
// hang), or is not listening at all (down).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seatgate::test {

struct received {
  std::string delivery, signature, body;
};

class webhook_receiver {
 public:
  enum class mode { ok, fail, hang };

  explicit webhook_receiver(unsigned short port = 0) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::unique_lock lock(mu_);
        got_.push_back({req.get_header_value("Seatgate-Delivery"),
                        req.get_header_value("Seatgate-Signature"), req.body});
        ++in_handler_;
        cv_.notify_all();
        cv_.wait(lock, [this] { return mode_ != mode::hang || stopping_; });
        --in_handler_;
        res.status = mode_ == mode::ok ? 200 : 500;
      }
      res.set_content("{}", "application/json");
    });
    port_ = port ? (server_.bind_to_port("127.0.0.1", port) ? port : 0)
                 : static_cast<unsigned short>(server_.bind_to_any_port("127.0.0.1"));
    if (!port_) throw std::runtime_error("receiver: cannot bind");
    // Bound and listening already: connections wait in the backlog until the loop runs.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~webhook_receiver() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      cv_.notify_all();
    }
    server_.stop();
    thread_.join();
  }

  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  void set_mode(mode m) {
    std::lock_guard lock(mu_);
    mode_ = m;
    cv_.notify_all();
  }
  std::vector<received> got() const {
    std::lock_guard lock(mu_);
    return got_;
  }
  // Waits (bounded) until `pred(got())` holds; returns whether it did.
  template <class Pred>
  bool wait_for(Pred pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return pred(got_); });
  }
  // Waits until a request is being held (mode hang).
  bool wait_held(std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return in_handler_ > 0; });
  }

 private:
  httplib::Server server_;
  unsigned short port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<received> got_;
  mode mode_ = mode::ok;
  int in_handler_ = 0;
  bool stopping_ = false;
};

}  // namespace seatgate::test
