// The embedded default (docs/operations.md): with no --redis-url, the server
// starts its own redis-server child on a private Unix socket in a temporary
// directory (append-only file on), restarts it when it dies, and stops it on
// exit.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace seatgate::embedded {

//
// The child runs `redis-server --port 0 --unixsocket <dir>/redis.sock
// --unixsocketperm 700 --dir <dir> --appendonly yes --save ''` in a fresh
// mkdtemp directory under $TMPDIR (or /tmp), in its own process group (a
// terminal's Ctrl-C reaches only the server, which drains against a live
// Redis), with its stdout sent to stderr (stdout carries the server's JSON
// logs). It gets SIGTERM if the parent dies (PR_SET_PDEATHSIG: strictly, when
// the *thread* that constructed this object exits, so construct it on the
// main thread). Not copyable or movable; construct it from one thread.
//
// Supervision: a thread of this object reaps the child when it exits (no
// zombie) and starts it again on the same directory and socket, so the
// append-only file is replayed and the server's connections reconnect by
// themselves. Restarts back off from 100 ms doubling to 5 s while the child
// keeps dying; a child that stayed up 30 s resets the backoff.
class redis_server {
 public:
  // Starts `redis-server` (found on PATH, or `binary`) and waits until it
  // answers PING (up to 10 s). Throws std::runtime_error on failure.
  explicit redis_server(std::string binary = "redis-server");
  ~redis_server();  // SIGTERM, wait (SIGKILL after 5 s), remove the directory
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  std::string url() const { return "unix://" + socket_; }
  pid_t pid() const { return pid_.load(); }
  std::uint64_t restarts() const { return restarts_.load(); }

  // What the supervisor saw: the child exited (reaped; a restart follows
  // after `backoff`), or a new child answers PING.
  struct event {
    enum kind { exited, restarted } what;
    pid_t pid;
    int wait_status;  // for `exited`: as waitpid reports it
    std::chrono::milliseconds backoff;
  };
  // Called on the supervisor thread, under its lock (do not call back into
  // this object). Set it right after construction.
  void on_event(std::function<void(const event&)> fn);

 private:
  pid_t spawn();  // fork + exec; the child pid
  void supervise();
  std::string exe_, dir_, socket_;
  std::vector<std::string> args_;
  std::atomic<pid_t> pid_{-1};
  std::atomic<std::uint64_t> restarts_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::function<void(const event&)> on_event_;
  std::thread supervisor_;
};

}  // namespace seatgate::embedded
