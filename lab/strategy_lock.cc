// Strategy "lock": a Redis lock per seat (SET key token NX PX ttl) around
// the same read-then-write in PostgreSQL, released by a compare-and-delete
// script so a buyer never deletes someone else's lock. Safe only while
// every holder finishes within the TTL: "lock-pause" stalls some writes
// past it (a GC pause, a slow disk, a descheduled VM); the lock expires, a
// second buyer takes it, reads the seat still free, and both write. The
// first buyer learns at release that the lock was gone: too late, its
// booking is committed.
#include "pg.h"
#include "proc_cpu.h"
#include "redis_server.h"
#include "strategies.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace seatgate::lab {
namespace {

constexpr const char* k_release =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
    "return 0";

struct lock_settings {
  unsigned ttl_ms, tries, think_us, pause_ms, pause_percent;
  std::uint64_t seed;
};

class lock_worker : public pg_worker {
 public:
  lock_worker(const std::string& conninfo, const test::redis_server& redis, std::string sha,
              lock_settings s)
      : pg_worker(conninfo), redis_(redis.connect()), sha_(std::move(sha)), s_(s) {}

  attempt book(const buyer& b) override {
    const std::string key = "lab:lock:" + std::to_string(b.event) + ":" + std::to_string(b.seat);
    const std::string token = "buyer-" + std::to_string(b.id);
    const std::string ttl = std::to_string(s_.ttl_ms);
    bool locked = false;
    for (unsigned i = 0; i < s_.tries && !locked; ++i) {
      if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(i));
      test::reply_ptr r(static_cast<redisReply*>(redisCommand(
          redis_.get(), "SET %s %s NX PX %s", key.c_str(), token.c_str(), ttl.c_str())));
      if (!r || r->type == REDIS_REPLY_ERROR) return redis_failed(r.get());
      locked = r->type == REDIS_REPLY_STATUS;
    }
    if (!locked) return {outcome::lock_busy};

    attempt a;
    const auto seat = read("read", b);
    if (!seat.ok || !seat.found) {
      release(key, token);
      return failed();
    }
    if (seat.sold) {
      a.result = outcome::sold;
    } else {
      think(s_.think_us);
      if (s_.pause_percent > 0 &&
          mix64(s_.seed ^ (0x5eedULL << 32) ^ b.id) % 100 < s_.pause_percent) {
        a.paused = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(s_.pause_ms));
      }
      if (write(b) != 1) {
        release(key, token);
        return failed();
      }
      a.result = outcome::booked;
    }
    const int released = release(key, token);
    if (released < 0) return redis_failed(nullptr);
    a.lost_lock = released == 0;
    return a;
  }

 private:
  // 1: our lock deleted; 0: it was no longer ours (expired); -1: error.
  int release(const std::string& key, const std::string& token) {
    test::reply_ptr r(static_cast<redisReply*>(redisCommand(
        redis_.get(), "EVALSHA %s 1 %s %s", sha_.c_str(), key.c_str(), token.c_str())));
    if (!r || r->type != REDIS_REPLY_INTEGER) return -1;
    return static_cast<int>(r->integer);
  }
  attempt redis_failed(const redisReply* r) {
    attempt a;
    a.error = r && r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len)
                                                : std::string("Redis: ") + redis_->errstr;
    return a;
  }

  test::context_ptr redis_;
  std::string sha_;
  lock_settings s_;
};

class lock_strategy : public pg_strategy {
 public:
  lock_strategy(const options& o, test::postgres_server& pg, bool pause)
      : pg_strategy(o, pg), pause_(pause) {}
  std::string name() const override { return pause_ ? "lock-pause" : "lock"; }
  std::string store() const override { return "PostgreSQL + Redis"; }

  void reset(const workload& w) override {
    pg_strategy::reset(w);
    redis_.reset();  // a fresh redis-server: no lock left from an earlier run
    redis_ = std::make_unique<test::redis_server>();
    auto r = redis_->command({"SCRIPT", "LOAD", k_release});
    if (!r || r->type != REDIS_REPLY_STRING) throw std::runtime_error("SCRIPT LOAD failed");
    sha_.assign(r->str, r->len);
  }
  std::unique_ptr<worker> make_worker(unsigned) override {
    const lock_settings s{pause_ ? opts_.pause_ttl_ms : opts_.lock_ttl_ms,
                          opts_.lock_tries,
                          opts_.think_us,
                          pause_ ? opts_.pause_ms : 0,
                          pause_ ? opts_.pause_percent : 0,
                          opts_.seed};
    return std::make_unique<lock_worker>(conninfo(), *redis_, sha_, s);
  }
  double store_cpu_seconds() const override {
    return pg_strategy::store_cpu_seconds() + (redis_ ? process_cpu_seconds(redis_->pid()) : 0);
  }

 private:
  bool pause_;
  std::unique_ptr<test::redis_server> redis_;
  std::string sha_;
};

}  // namespace

std::unique_ptr<strategy> make_lock(const options& o, test::postgres_server& pg, bool pause) {
  return std::make_unique<lock_strategy>(o, pg, pause);
}

}  // namespace seatgate::lab
