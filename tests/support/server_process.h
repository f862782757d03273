// A real seatgate-server process for tests, talking to a real redis-server.
// The server listens on 127.0.0.1:0; the fixture reads the chosen port from
// its "listening" log line. Logs go to a file kept next to the test's
// temporary directory (printed on failure).
#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace seatgate::test {

class server_process {
 public:
  struct options {
    std::string redis_url;          // empty: the server starts its embedded Redis
    std::vector<std::string> args;  // extra flags
    unsigned threads = 2;
    bool demo = false;
    // false: the per-user and per-IP rate limits are off (the tests send
    // thousands of requests from 127.0.0.1 and few users); `args` may still
    // set them. true: the server's defaults apply.
    bool rate_limits = false;
    // When non-zero: the child's RLIMIT_NOFILE (soft and hard) before exec,
    // so descriptor exhaustion is reachable with a few hundred sockets.
    unsigned long fd_limit = 0;
    // With the embedded Redis: its --data-dir. Empty: a directory of this
    // fixture's own (kept across restart(), removed with the fixture).
    std::string data_dir;
    // true: SEATGATE_JWT_SECRET is not set, so a --demo server signs with a
    // secret of its own (user_token() then signs with the wrong one).
    bool own_jwt_secret = false;
    // false: return once the server listens, ready or not (bad Redis
    // configurations: /readyz answers 503).
    bool wait_ready = true;
  };
  explicit server_process(options opts);
  ~server_process();  // SIGTERM, then SIGKILL after 10 s
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  unsigned short port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& jwt_secret() const { return jwt_secret_; }

  // An HS256 token for `user`, valid `ttl` from now.
  std::string user_token(const std::string& user,
                         std::chrono::seconds ttl = std::chrono::hours(1)) const;

  // Sends SIGTERM and waits for the exit status (returns it; -1 on signal).
  int terminate_and_wait(std::chrono::seconds limit = std::chrono::seconds(20));
  void kill_hard();  // SIGKILL
  // Starts again on the same port (after terminate/kill).
  void restart();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string log_text() const;
  // The embedded Redis's data directory (empty with redis_url).
  const std::string& data_dir() const { return data_dir_; }

 private:
  void spawn(unsigned short port);
  options opts_;
  std::string dir_, log_path_, jwt_secret_, admin_token_, data_dir_;
  unsigned short port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace seatgate::test
