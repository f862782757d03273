#include "server_process.h"

#include "auth/jwt.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fcntl.h>

#ifndef SEATGATE_SERVER_BIN
#error "SEATGATE_SERVER_BIN must name the seatgate-server binary"
#endif

namespace seatgate::test {

server_process::server_process(options opts) : opts_(std::move(opts)) {
  char tmpl[] = "/tmp/seatgate-test-server-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  log_path_ = dir_ + "/server.log";
  jwt_secret_ = "test-secret-0123456789abcdef0123456789abcdef";
  admin_token_ = "test-admin-token-0123456789";
  if (opts_.redis_url.empty()) data_dir_ = opts_.data_dir.empty() ? dir_ + "/data" : opts_.data_dir;
  spawn(0);
}

server_process::~server_process() {
  if (pid_ > 0) terminate_and_wait();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void server_process::spawn(unsigned short port) {
  int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open server log");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fd, 1);
    dup2(fd, 2);
    if (opts_.fd_limit) {
      rlimit rl{opts_.fd_limit, opts_.fd_limit};
      if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(126);
    }
    if (opts_.own_jwt_secret)
      unsetenv("SEATGATE_JWT_SECRET");
    else
      setenv("SEATGATE_JWT_SECRET", jwt_secret_.c_str(), 1);
    setenv("SEATGATE_ADMIN_TOKEN", admin_token_.c_str(), 1);
    std::vector<std::string> args = {SEATGATE_SERVER_BIN, "--listen",
                                     "127.0.0.1:" + std::to_string(port), "--threads",
                                     std::to_string(opts_.threads)};
    if (!opts_.redis_url.empty()) {
      args.push_back("--redis-url");
      args.push_back(opts_.redis_url);
    } else {
      args.push_back("--data-dir");
      args.push_back(data_dir_);
    }
    if (opts_.demo) args.push_back("--demo");
    if (!opts_.rate_limits)
      args.insert(args.end(), {"--user-rate-limit", "0", "--ip-rate-limit", "0"});
    for (auto& a : opts_.args) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(SEATGATE_SERVER_BIN, argv.data());
    _exit(127);
  }
  ::close(fd);
  // Wait for the "listening" line, then for /readyz-equivalent: the line
  // "ready" that the server logs once Redis is connected and scripts loaded.
  const std::regex port_re("\"msg\":\"listening\"[^\\n]*\"port\":([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool have_port = false;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("seatgate-server exited at start:\n" + log_text());
    }
    std::string text = log_text();
    std::smatch m;
    if (!have_port && std::regex_search(text, m, port_re)) {
      port_ = static_cast<unsigned short>(std::stoi(m[1]));
      have_port = true;
    }
    if (have_port && (!opts_.wait_ready || text.find("\"msg\":\"ready\"") != std::string::npos))
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("seatgate-server did not become ready:\n" + log_text());
}

std::string server_process::user_token(const std::string& user, std::chrono::seconds ttl) const {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return auth::sign_hs256(user, now + ttl.count(), jwt_secret_);
}

int server_process::terminate_and_wait(std::chrono::seconds limit) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void server_process::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void server_process::restart() {
  if (pid_ > 0) terminate_and_wait();
  spawn(port_);
}

std::string server_process::log_text() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace seatgate::test
