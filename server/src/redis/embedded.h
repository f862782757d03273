// The embedded default of SPEC §7: with no --redis-url, the server starts its
// own redis-server child on a private Unix socket in a temporary directory
// (append-only file on) and stops it on exit.
#pragma once

#include <string>
#include <sys/types.h>

namespace seatgate::redis {

//
// The child runs `redis-server --port 0 --unixsocket <dir>/redis.sock
// --unixsocketperm 700 --dir <dir> --appendonly yes --save ''` in a fresh
// mkdtemp directory under $TMPDIR (or /tmp), in its own process group (a
// terminal's Ctrl-C reaches only the server, which drains against a live
// Redis), with its stdout sent to stderr (stdout carries the server's JSON
// logs). It gets SIGTERM if the parent dies (PR_SET_PDEATHSIG: strictly, when
// the *thread* that constructed this object exits, so construct it on the
// main thread). Not copyable or movable; construct it from one thread.
class embedded_server {
 public:
  // Starts `redis-server` (found on PATH, or `binary`) and waits until it
  // answers PING (up to 10 s). Throws std::runtime_error on failure.
  explicit embedded_server(std::string binary = "redis-server");
  ~embedded_server();  // SIGTERM, wait (SIGKILL after 5 s), remove the directory
  embedded_server(const embedded_server&) = delete;
  embedded_server& operator=(const embedded_server&) = delete;

  std::string url() const { return "unix://" + socket_; }
  pid_t pid() const { return pid_; }

 private:
  std::string dir_;
  std::string socket_;
  pid_t pid_ = -1;
};

}  // namespace seatgate::redis
