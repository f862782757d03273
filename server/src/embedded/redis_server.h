// The embedded default (docs/operations.md): with no --redis-url, the server
// starts its own redis-server child on a private Unix socket, its append-only
// file in a data directory that outlives the process (or, ephemeral, in a
// temporary directory removed on exit), restarts it when it dies, and stops
// it on exit.
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
#include <utility>
#include <vector>

namespace seatgate::embedded {

//
// The child runs `redis-server --port 0 --unixsocket <tmp>/redis.sock
// --unixsocketperm 700 --dir <data> --appendonly yes --appendfsync <fsync>
// --save ''`, where <tmp> is a fresh mkdtemp directory under $TMPDIR (or
// /tmp, so the socket path stays short) and <data> is the data directory
// (created if missing) or, ephemeral, <tmp> itself. The data directory is
// locked (flock on <data>/seatgate.lock, held by the server and inherited by
// the child, so a redis-server orphaned by a killed server keeps it until it
// has exited; a new server waits up to 5 s for it): a second server on it
// fails at start. The child runs in its own process group (a terminal's
// Ctrl-C reaches only the server, which drains against a live Redis), with
// its stdout sent to stderr (stdout carries the server's JSON
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
  struct options {
    std::string binary = "redis-server";  // found on PATH unless it holds a '/'
    std::string data_dir;                 // empty: ephemeral (a temporary directory)
    std::string appendfsync = "always";   // always | everysec
  };
  // Starts `redis-server` and waits until it answers PING (up to 10 s).
  // Throws std::runtime_error with a message for the operator on failure (a
  // data directory that cannot be created or written, or is locked).
  explicit redis_server(options opts);
  explicit redis_server(std::string binary = "redis-server")
      : redis_server(options{std::move(binary), {}, "always"}) {}
  ~redis_server();  // SIGTERM, wait (SIGKILL after 5 s), remove the temporary directory
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  std::string url() const { return "unix://" + socket_; }
  pid_t pid() const { return pid_.load(); }
  std::uint64_t restarts() const { return restarts_.load(); }
  // The durable data directory (absolute); empty when ephemeral.
  const std::string& data_dir() const { return data_dir_; }

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
  std::string exe_, dir_, socket_;  // dir_: the temporary directory
  std::string data_dir_;            // the durable directory, or empty
  int lock_fd_ = -1;                // the data directory's lock (durable only)
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
