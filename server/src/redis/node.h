// One pipelined hiredis async connection to one Redis node, attached to one
// io_context
// (single-threaded: all calls must come from that io_context's thread, and
// the io_context must be run by one thread).
//
// - start(): connects in the background; on failure or loss it reconnects
//   with exponential backoff (min..max, "equal jitter": each wait is between
//   half and all of the current backoff), forever until stop(). After every
//   (re)connect it sends AUTH when the URL has a password, then SCRIPT LOAD
//   for every embedded script (checking that Redis computed the SHA1 we did),
//   and only then does ready() turn true. A standalone node also asks
//   INFO cluster and refuses a Redis Cluster node (it would answer MOVED
//   for most keys) with a last_error() that names redis+cluster://.
// - command()/eval() never throw and never queue while disconnected. Their
//   error_code (redis::errc) is
//     not_connected    ready() is false (connecting, reconnecting);
//     connection_lost  the connection dropped with the command in flight;
//     timeout          no reply within options::command_timeout (the
//                      connection stays open; the late reply is dropped);
//     protocol         hiredis could not parse the stream, or an empty argv;
//     shutting_down    stop() was called, or the connection destroyed.
//   A Redis error reply ("-ERR ...", "-WRONGTYPE ...", a script's
//   redis.error_reply) is NOT an error_code: the result is a success
//   error_code with a reply of kind::error, and the caller decides what it
//   means (errc::server_error is there for callers that want to report it).
//   Many commands may be in flight at once; they are pipelined and answered
//   in order.
// - eval() calls EVALSHA; on a NOSCRIPT error it loads the script again and
//   retries exactly once (counted in stats().noscript_reloads). With
//   `asking`, ASKING is sent right before the command (and before its
//   resend), back to back so no other command of the pipeline comes between.
// - stop() and the destructor are safe with commands in flight: those
//   complete with errc::shutting_down when their coroutines next run. The
//   shared state lives on until the last coroutine using it has finished.
//   Like any Asio I/O object, destroy the connection before its io_context.
// - A sent command cannot be recalled: on timeout its reply is dropped when
//   it arrives. A peer that stops answering without closing the socket is
//   seen as timeouts (TCP keepalive eventually closes it), not as a loss.
#pragma once

#include "redis/error.h"
#include "redis/reply.h"
#include "redis/stats.h"
#include "redis/url.h"

#include <seatgate/lua_scripts.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

namespace seatgate::redis {

namespace net = boost::asio;

struct options {
  std::string url = "redis://127.0.0.1:6379";  // or unix:///path/to/socket
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{2000};
};

using result = std::pair<boost::system::error_code, reply>;

class node {
 public:
  enum class role { standalone, cluster_member };
  // opts.url is not read: `where` says where to connect. `st` must outlive
  // the node and every coroutine still running one of its commands.
  node(net::any_io_executor ex, endpoint where, options opts, stats& st, role r = role::standalone);
  ~node();
  node(const node&) = delete;
  node& operator=(const node&) = delete;

  // Starts the background connect loop (once; a no-op after stop()).
  void start();
  // Stops reconnecting, closes the connection, fails pending commands with
  // errc::shutting_down. Idempotent.
  void stop();
  // Connected and every script loaded. Safe to read from any thread.
  bool ready() const noexcept;
  // Why the last connect or script load failed, or why the connection was
  // lost; empty while ready(). For logs and /readyz diagnostics; read it on
  // the connection's thread.
  const std::string& last_error() const noexcept;

  // Sends argv (binary-safe) as one command.
  net::awaitable<result> command(command argv, bool asking = false);
  // EVALSHA sha(s) #keys keys... args... (EVALSHA_RO when `read_only`: Redis
  // refuses any write, and INFO commandstats counts these calls apart).
  net::awaitable<result> eval(lua::script s, std::vector<std::string> keys,
                              std::vector<std::string> args, bool read_only = false,
                              bool asking = false);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace seatgate::redis
