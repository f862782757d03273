#include "embedded/redis_server.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace seatgate::embedded {
namespace {

using namespace std::chrono_literals;

// execv() wants a path; resolving PATH here keeps the forked child to
// async-signal-safe calls only.
std::string resolve_binary(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error(name + " not found on PATH (install Redis or pass --redis-url)");
}

bool answers_ping(const std::string& socket) {
  timeval tv{0, 200'000};
  redisContext* c = redisConnectUnixWithTimeout(socket.c_str(), tv);
  bool ok = false;
  if (c && !c->err) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = r && r->type == REDIS_REPLY_STATUS;
    if (r) freeReplyObject(r);
  }
  if (c) redisFree(c);
  return ok;
}

// Waits up to `limit` for the child to exit; true once it is reaped.
bool reap(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

void terminate(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);  // redis-server flushes the append-only file and exits
  if (reap(pid, 5s)) return;
  ::kill(pid, SIGKILL);
  reap(pid, 5s);
}

// Creates the data directory if missing and takes its lock; returns the lock
// file's descriptor. The lock of a killed server's redis-server (which gets
// SIGTERM and exits) is waited for up to 5 s.
int lock_data_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error("cannot create the data directory '" + dir +
                             "': " + (ec ? ec.message() : "not a directory") +
                             " (choose another with --data-dir, or --ephemeral)");
  const std::string path = dir + "/seatgate.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || ::access(dir.c_str(), W_OK) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("the data directory '" + dir + "' is not writable: " + why);
  }
  for (int i = 0; ::flock(fd, LOCK_EX | LOCK_NB) != 0; ++i) {
    if (errno != EWOULDBLOCK || i == 500) {
      ::close(fd);
      throw std::runtime_error("the data directory '" + dir +
                               "' is in use by another seatgate-server (" + path +
                               " is locked); stop it or choose another --data-dir");
    }
    std::this_thread::sleep_for(10ms);
  }
  return fd;
}

}  // namespace

redis_server::redis_server(options opts) {
  exe_ = resolve_binary(opts.binary);
  if (opts.appendfsync != "always" && opts.appendfsync != "everysec")
    throw std::runtime_error("appendfsync must be always or everysec");
  std::string data = opts.data_dir;
  if (!data.empty()) {
    data = std::filesystem::absolute(data).lexically_normal().string();
    lock_fd_ = lock_data_dir(data);
    data_dir_ = data;
  }

  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/seatgate-redis-XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    throw std::runtime_error("mkdtemp " + tmpl + " failed");
  }
  dir_ = tmpl;
  if (data.empty()) data = dir_;
  socket_ = dir_ + "/redis.sock";
  auto cleanup_dir = [this] {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    if (lock_fd_ >= 0) ::close(lock_fd_);
    lock_fd_ = -1;
  };
  if (socket_.size() >= sizeof(sockaddr_un::sun_path)) {
    cleanup_dir();
    throw std::runtime_error("socket path too long for a Unix socket: " + socket_);
  }

  args_ = {exe_, "--port", "0", "--unixsocket", socket_, "--unixsocketperm", "700", "--dir", data};
  args_.insert(args_.end(), {"--appendonly", "yes", "--appendfsync", opts.appendfsync, "--save", "",
                             "--daemonize", "no", "--loglevel", "warning"});
  pid_t pid = spawn();
  if (pid < 0) {
    cleanup_dir();
    throw std::runtime_error("fork failed");
  }
  pid_ = pid;

  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers_ping(socket_)) {
      supervisor_ = std::thread([this] { supervise(); });
      return;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid_ = -1;
      cleanup_dir();
      throw std::runtime_error(exe_ + " exited during startup (status " + std::to_string(status) +
                               ")");
    }
    std::this_thread::sleep_for(10ms);
  }
  terminate(pid);
  pid_ = -1;
  cleanup_dir();
  throw std::runtime_error(exe_ + " did not answer PING on " + socket_ + " within 10 s");
}

pid_t redis_server::spawn() {
  std::vector<char*> argv;
  for (auto& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child: async-signal-safe calls only.
  // Die with the parent (strictly: with the thread that forked us).
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(1);
  // Own process group: a terminal's Ctrl-C goes to the server, which then
  // drains its requests against a Redis that is still running.
  ::setpgid(0, 0);
  // The server's stdout carries JSON logs; Redis warnings go to stderr.
  ::dup2(2, 1);
  // The data directory's lock stays held while this child lives (fd 3).
  unsigned first_closed = 3;
  if (lock_fd_ >= 0) {
    if (lock_fd_ == 3)
      ::fcntl(3, F_SETFD, 0);
    else
      ::dup2(lock_fd_, 3);
    first_closed = 4;
  }
  long closed = -1;
#ifdef SYS_close_range
  closed = ::syscall(SYS_close_range, first_closed, ~0U, 0U);
#endif
  if (closed != 0) {
    for (int fd = static_cast<int>(first_closed); fd < 1024; ++fd) ::close(fd);
  }
  ::execv(exe_.c_str(), argv.data());
  ::_exit(127);
}

void redis_server::on_event(std::function<void(const event&)> fn) {
  std::lock_guard lock(mu_);
  on_event_ = std::move(fn);
}

void redis_server::supervise() {
  auto backoff = 100ms;
  auto started = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (const pid_t pid = pid_.load(); pid > 0) {
      cv_.wait_for(lock, 100ms);
      if (stop_) break;
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) != pid) continue;
      // Reaped: no zombie. Start it again on the same data after a backoff.
      pid_ = -1;
      if (std::chrono::steady_clock::now() - started > 30s) backoff = 100ms;
      if (on_event_) on_event_({event::exited, pid, status, backoff});
    }
    if (cv_.wait_for(lock, backoff, [this] { return stop_; })) break;
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5s);
    const pid_t child = spawn();
    if (child < 0) continue;  // fork failed: try again after the next backoff
    pid_ = child;
    started = std::chrono::steady_clock::now();
    // Wait (without the lock: the destructor may want it) until it answers.
    lock.unlock();
    bool up = false, died = false;
    for (int i = 0; i < 1000 && !up && !died; ++i) {
      up = answers_ping(socket_);
      int status = 0;
      if (!up) died = ::waitpid(child, &status, WNOHANG) == child;
      if (!up && !died) std::this_thread::sleep_for(10ms);
    }
    if (!up && !died) terminate(child);  // hung: kill it and start over
    lock.lock();
    if (!up) {
      pid_ = -1;
      continue;
    }
    restarts_.fetch_add(1);
    if (on_event_) on_event_({event::restarted, child, 0, backoff});
  }
}

redis_server::~redis_server() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  terminate(pid_.load());
  pid_ = -1;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace seatgate::embedded
