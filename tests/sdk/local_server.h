// An httplib server on a free loopback port, running on its own thread for
// the test's lifetime: the native client's tests talk to it over real sockets.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace seatgate::test {

class local_server {
 public:
  local_server() {
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { srv_.listen_after_bind(); });
    while (!srv_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~local_server() {
    srv_.stop();
    thread_.join();
  }
  httplib::Server& srv() { return srv_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace seatgate::test
