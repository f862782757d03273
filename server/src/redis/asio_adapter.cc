#include "redis/asio_adapter.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <memory>

namespace seatgate::redis {
namespace {

namespace net = boost::asio;

struct events : std::enable_shared_from_this<events> {
  events(redisAsyncContext* ac, const net::any_io_executor& ex) : context(ac), socket(ex) {}

  redisAsyncContext* context;  // null once hiredis called cleanup
  net::posix::stream_descriptor socket;
  std::shared_ptr<events> self;  // the reference hiredis holds through ev.data
  bool want_read = false, want_write = false;
  bool read_armed = false, write_armed = false;
  bool in_write = false;

  // async_wait has level semantics: asio re-arms the descriptor when it
  // queues a wait, so data hiredis left unread (it reads 16 KiB per call)
  // completes the next wait at once.
  void arm_read() {
    if (read_armed || !context) return;
    read_armed = true;
    socket.async_wait(net::posix::stream_descriptor::wait_read,
                      [s = shared_from_this()](boost::system::error_code ec) { s->on_read(ec); });
  }

  void arm_write() {
    if (write_armed || !context) return;
    write_armed = true;
    if ((context->c.flags & REDIS_CONNECTED) && !in_write) {
      // A connected socket is almost always writable: skip the reactor and
      // write on the next turn of the loop, which also batches every command
      // issued until then into one write. If the kernel says EAGAIN, hiredis
      // asks again from inside on_write and that time we wait.
      net::post(socket.get_executor(), [s = shared_from_this()] { s->on_write({}); });
    } else {
      // Connecting (writable = connect finished) or a partial write.
      socket.async_wait(
          net::posix::stream_descriptor::wait_write,
          [s = shared_from_this()](boost::system::error_code ec) { s->on_write(ec); });
    }
  }

  void on_read(boost::system::error_code ec) {
    read_armed = false;
    if (ec || !context || !want_read) return;
    redisAsyncHandleRead(context);  // may call cleanup: `self` is gone, the capture keeps us
  }

  void on_write(boost::system::error_code ec) {
    write_armed = false;
    if (ec || !context || !want_write) return;
    in_write = true;
    redisAsyncHandleWrite(context);
    in_write = false;
  }

  static events* from(void* privdata) { return static_cast<events*>(privdata); }

  static void add_read(void* privdata) {
    if (auto* e = from(privdata)) {
      e->want_read = true;
      e->arm_read();
    }
  }
  static void del_read(void* privdata) {
    if (auto* e = from(privdata)) e->want_read = false;  // a pending wait is ignored when it fires
  }
  static void add_write(void* privdata) {
    if (auto* e = from(privdata)) {
      e->want_write = true;
      e->arm_write();
    }
  }
  static void del_write(void* privdata) {
    if (auto* e = from(privdata)) e->want_write = false;
  }
  static void cleanup(void* privdata) {
    auto* e = from(privdata);
    if (!e || !e->context) return;
    std::shared_ptr<events> keep = std::move(e->self);
    e->context->ev = {};
    e->context = nullptr;
    e->want_read = e->want_write = false;
    e->socket.release();  // cancels pending waits; hiredis closes the fd
  }
};

}  // namespace

int attach(redisAsyncContext* ac, const net::any_io_executor& ex) {
  if (ac == nullptr || ac->ev.data != nullptr) return REDIS_ERR;
  auto e = std::make_shared<events>(ac, ex);
  boost::system::error_code ec;
  e->socket.assign(ac->c.fd, ec);
  if (ec) {
    e->socket.release();
    return REDIS_ERR;
  }
  e->self = e;
  ac->ev.data = e.get();
  ac->ev.addRead = &events::add_read;
  ac->ev.delRead = &events::del_read;
  ac->ev.addWrite = &events::add_write;
  ac->ev.delWrite = &events::del_write;
  ac->ev.cleanup = &events::cleanup;
  return REDIS_OK;
}

}  // namespace seatgate::redis
