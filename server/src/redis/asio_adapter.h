// hiredis's event-library hooks on Boost.Asio, in the shape of hiredis's own
// adapters/libuv.h: a per-connection struct, attach() that refuses a second
// attach, idempotent add/del read/write hooks and a cleanup hook.
//
// The socket is a boost::asio::posix::stream_descriptor wrapping hiredis's fd;
// readiness comes from async_wait and the handlers call
// redisAsyncHandleRead/Write. hiredis owns the fd: the cleanup hook (run when
// hiredis frees the context) release()s the descriptor, so Asio never closes
// it. Everything runs on `ex`, which must be single-threaded (an io_context
// run by one thread, or a strand): a redisAsyncContext is not thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>

struct redisAsyncContext;

namespace seatgate::redis {

// Attaches `ac` to `ex`. Returns REDIS_OK, or REDIS_ERR when `ac` is already
// attached to an event library (ev.data set) or its fd cannot be registered
// with the reactor. After REDIS_OK the adapter's state lives until hiredis
// calls the cleanup hook (redisAsyncFree or a disconnect); call it before
// redisAsyncSetConnectCallback, which asks for the first write event.
int attach(redisAsyncContext* ac, const boost::asio::any_io_executor& ex);

}  // namespace seatgate::redis
