#include "outbox/pg_sink.h"

#include "outbox/entry.h"
#include "outbox/keys.h"
#include "redis/url.h"
#include "store/keys.h"
#include "util/log.h"

#include <hiredis/hiredis.h>
#include <libpq-fe.h>

#include <memory>
#include <vector>

namespace seatgate::outbox {

const char k_pg_schema[] = R"sql(
CREATE TABLE IF NOT EXISTS seatgate_reservations (
  id           text PRIMARY KEY,
  event_id     text NOT NULL,
  zone_id      text NOT NULL,
  user_id      text NOT NULL,
  quantity     integer NOT NULL,
  amount       bigint NOT NULL,
  currency     text NOT NULL,
  status       text NOT NULL,
  seats        text[] NOT NULL,
  payment_ref  text,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  confirmed_at timestamptz,
  version      integer NOT NULL,
  last_type    text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  outbox_id    text NOT NULL,
  synced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS seatgate_reservations_event_status
  ON seatgate_reservations (event_id, status);
)sql";

namespace {

constexpr char k_upsert[] = R"sql(
INSERT INTO seatgate_reservations AS r
  (id, event_id, zone_id, user_id, quantity, amount, currency, status, seats, payment_ref,
   created_at, expires_at, confirmed_at, version, last_type, occurred_at, outbox_id)
VALUES ($1, $2, $3, $4, $5::integer, $6::bigint, $7, $8, string_to_array($9, ','),
        NULLIF($10, ''), to_timestamp($11::bigint / 1000.0), to_timestamp($12::bigint / 1000.0),
        to_timestamp(NULLIF($13, '')::bigint / 1000.0), $14::integer, $15,
        to_timestamp($16::bigint / 1000.0), $17)
ON CONFLICT (id) DO UPDATE SET
  status = excluded.status, quantity = excluded.quantity, amount = excluded.amount,
  seats = excluded.seats, payment_ref = excluded.payment_ref,
  expires_at = excluded.expires_at, confirmed_at = excluded.confirmed_at,
  version = excluded.version, last_type = excluded.last_type,
  occurred_at = excluded.occurred_at, outbox_id = excluded.outbox_id, synced_at = now()
WHERE excluded.version > r.version
)sql";

struct pg_deleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct redis_deleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct reply_deleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using pg_ptr = std::unique_ptr<PGconn, pg_deleter>;
using redis_ptr = std::unique_ptr<redisContext, redis_deleter>;
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

// Runs SQL without results; "" or the error.
std::string exec(PGconn* c, const char* sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c, sql), &PQclear);
  const auto st = PQresultStatus(r.get());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return {};
  return PQerrorMessage(c);
}

pg_ptr connect_pg(const std::string& url, std::string& why) {
  pg_ptr c(PQconnectdb(url.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK) {
    why = c ? PQerrorMessage(c.get()) : "out of memory";
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return nullptr;
  }
  // Two instances starting at once may race to create the table: the
  // loser's CREATE fails once and succeeds on the retry.
  why = exec(c.get(), k_pg_schema);
  if (!why.empty()) why = exec(c.get(), k_pg_schema);
  if (!why.empty()) return nullptr;
  return c;
}

redis_ptr connect_redis(const std::string& url) {
  auto ep = redis::parse_url(url);
  if (!ep) return nullptr;
  const timeval tv{2, 0};
  redis_ptr c(ep->type == redis::endpoint::kind::unix_socket
                  ? redisConnectUnixWithTimeout(ep->path.c_str(), tv)
                  : redisConnectWithTimeout(ep->host.c_str(), ep->port, tv));
  if (!c || c->err) return nullptr;
  redisSetTimeout(c.get(), tv);
  if (!ep->password.empty()) {
    std::vector<const char*> argv{"AUTH"};
    if (!ep->username.empty()) argv.push_back(ep->username.c_str());
    argv.push_back(ep->password.c_str());
    reply_ptr r(static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), nullptr)));
    if (!r || r->type == REDIS_REPLY_ERROR) return nullptr;
  }
  return c;
}

reply_ptr command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) argv.push_back(a.data()), lens.push_back(a.size());
  return reply_ptr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

// The entries of an XREADGROUP reply.
std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> entries_of(
    const redisReply* r) {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> out;
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements == 0) return out;
  const redisReply* stream = r->element[0];
  if (stream->type != REDIS_REPLY_ARRAY || stream->elements < 2) return out;
  const redisReply* list = stream->element[1];
  for (size_t i = 0; i < list->elements; ++i) {
    const redisReply* e = list->element[i];
    if (e->type != REDIS_REPLY_ARRAY || e->elements < 1) continue;
    std::vector<std::pair<std::string, std::string>> fields;
    if (e->elements > 1 && e->element[1]->type == REDIS_REPLY_ARRAY) {
      const redisReply* f = e->element[1];
      for (size_t j = 0; j + 1 < f->elements; j += 2)
        fields.emplace_back(std::string(f->element[j]->str, f->element[j]->len),
                            std::string(f->element[j + 1]->str, f->element[j + 1]->len));
    }
    out.emplace_back(std::string(e->element[0]->str, e->element[0]->len), std::move(fields));
  }
  return out;
}

// Upserts the entries in one transaction; "" or the error.
std::string write_rows(PGconn* c, const std::vector<entry>& rows) {
  if (auto e = exec(c, "BEGIN"); !e.empty()) return e;
  for (const auto& row : rows) {
    const auto f = to_fields(row);
    auto get = [&](std::string_view k) -> const std::string& {
      for (const auto& [name, v] : f)
        if (name == k) return v;
      static const std::string none;
      return none;
    };
    const std::string* vals[] = {&row.id,
                                 &row.event_id,
                                 &row.zone_id,
                                 &row.user_id,
                                 &get("quantity"),
                                 &get("amount"),
                                 &row.currency,
                                 &row.status,
                                 &get("seats"),
                                 &row.payment_ref,
                                 &get("created_at"),
                                 &get("expires_at"),
                                 &get("confirmed_at"),
                                 &get("version"),
                                 &row.type,
                                 &get("occurred_at"),
                                 &row.stream_id};
    const char* params[17];
    for (int i = 0; i < 17; ++i) params[i] = vals[i]->c_str();
    std::unique_ptr<PGresult, decltype(&PQclear)> r(
        PQexecParams(c, k_upsert, 17, nullptr, params, nullptr, nullptr, 0), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      std::string why = PQerrorMessage(c);
      exec(c, "ROLLBACK");
      return why;
    }
  }
  return exec(c, "COMMIT");
}

}  // namespace

pg_sink::pg_sink(std::string redis_url, std::string pg_url, std::string consumer,
                 std::chrono::milliseconds claim_idle, metrics::registry& m)
    : redis_url_(std::move(redis_url)),
      pg_url_(std::move(pg_url)),
      consumer_(std::move(consumer)),
      claim_idle_(claim_idle),
      metrics_(m) {}

pg_sink::~pg_sink() { stop(); }

bool pg_sink::probe(const std::string& pg_url, std::string& why) {
  return connect_pg(pg_url, why) != nullptr;
}

void pg_sink::start() {
  thread_ = std::thread([this] { run(); });
}

void pg_sink::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void pg_sink::run() {
  pg_ptr pg;
  redis_ptr rc;
  std::string last_error;
  const auto pause = [this](std::chrono::milliseconds d) {
    for (auto waited = std::chrono::milliseconds(0); waited < d && !stop_;
         waited += std::chrono::milliseconds(50))
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  while (!stop_) {
    if (!pg || PQstatus(pg.get()) != CONNECTION_OK) {
      std::string why;
      pg = connect_pg(pg_url_, why);
      if (!pg) {
        if (why != last_error) log::warn("PostgreSQL unreachable; retrying", {{"error", why}});
        last_error = why;
        pause(std::chrono::milliseconds(1000));
        continue;
      }
      last_error.clear();
    }
    if (!rc || rc->err) {
      rc = connect_redis(redis_url_);
      if (!rc) {
        pause(std::chrono::milliseconds(500));
        continue;
      }
    }
    auto events = command(rc.get(), {"SMEMBERS", store::k_events_key});
    if (!events || events->type != REDIS_REPLY_ARRAY) {
      rc.reset();
      continue;
    }
    std::size_t written = 0;
    for (size_t i = 0; i < events->elements && !stop_; ++i) {
      const auto key = outbox_key(std::string(events->element[i]->str, events->element[i]->len));
      command(rc.get(), {"XGROUP", "CREATE", key, k_pg_group, "0"});
      command(rc.get(), {"XAUTOCLAIM", key, k_pg_group, consumer_,
                         std::to_string(claim_idle_.count()), "0-0", "COUNT", "500", "JUSTID"});
      command(rc.get(),
              {"XREADGROUP", "GROUP", k_pg_group, consumer_, "COUNT", "500", "STREAMS", key, ">"});
      auto mine = command(rc.get(), {"XREADGROUP", "GROUP", k_pg_group, consumer_, "COUNT", "1000",
                                     "STREAMS", key, "0"});
      std::vector<entry> rows;
      std::vector<std::string> ids;
      for (auto& [id, fields] : entries_of(mine.get())) {
        if (auto e = parse(id, fields)) rows.push_back(std::move(*e));
        ids.push_back(id);  // deleted or not understood: nothing to copy
      }
      if (ids.empty()) continue;
      if (!rows.empty()) {
        if (auto why = write_rows(pg.get(), rows); !why.empty()) {
          log::warn("PostgreSQL write failed; retrying", {{"error", why}});
          pg.reset();
          break;
        }
      }
      std::vector<std::string> ack{"XACK", key, k_pg_group};
      ack.insert(ack.end(), ids.begin(), ids.end());
      command(rc.get(), ack);
      written += rows.size();
      metrics_.pg_rows.fetch_add(rows.size(), std::memory_order_relaxed);
    }
    if (written == 0) pause(std::chrono::milliseconds(200));
  }
}

}  // namespace seatgate::outbox
