#include "pg.h"

#include "postgres_server.h"
#include "proc_cpu.h"

#include <chrono>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace seatgate::lab {

void think(unsigned think_us) {
  if (think_us == 0)
    std::this_thread::yield();
  else
    std::this_thread::sleep_for(std::chrono::microseconds(think_us));
}

pg_conn pg_connect(const std::string& conninfo) {
  pg_conn c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to PostgreSQL: " +
                             std::string(c ? PQerrorMessage(c.get()) : "out of memory"));
  return c;
}

pg_result pg_exec(PGconn* c, const std::string& sql) {
  pg_result r(PQexec(c, sql.c_str()));
  const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw std::runtime_error("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in: " + sql);
  return r;
}

namespace {

// Marks the seat sold and appends the booking in one statement (so one
// transaction even in autocommit): the booking row exists iff the UPDATE
// matched.
constexpr const char* k_write =
    "WITH u AS (UPDATE seats SET sold = true, holder = $3, version = version + 1 "
    "WHERE event_id = $1 AND seat_id = $2 RETURNING event_id, seat_id) "
    "INSERT INTO bookings (event_id, seat_id, buyer) SELECT event_id, seat_id, $3 FROM u";
constexpr const char* k_write_v =
    "WITH u AS (UPDATE seats SET sold = true, holder = $3, version = version + 1 "
    "WHERE event_id = $1 AND seat_id = $2 AND version = $4 RETURNING event_id, seat_id) "
    "INSERT INTO bookings (event_id, seat_id, buyer) SELECT event_id, seat_id, $3 FROM u";

}  // namespace

pg_worker::pg_worker(const std::string& conninfo) : conn_(pg_connect(conninfo)) {
  const struct {
    const char* name;
    const char* sql;
    int params;
  } stmts[] = {
      {"read", "SELECT sold, version FROM seats WHERE event_id = $1 AND seat_id = $2", 2},
      {"read_for_update",
       "SELECT sold, version FROM seats WHERE event_id = $1 AND seat_id = $2 FOR UPDATE", 2},
      {"write", k_write, 3},
      {"write_v", k_write_v, 4},
  };
  for (const auto& s : stmts) {
    pg_result r(PQprepare(conn_.get(), s.name, s.sql, s.params, nullptr));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error("PREPARE " + std::string(s.name) + ": " +
                               PQerrorMessage(conn_.get()));
  }
}

pg_worker::row pg_worker::read(const char* stmt, const buyer& b) {
  const std::string e = std::to_string(b.event), s = std::to_string(b.seat);
  const char* params[] = {e.c_str(), s.c_str()};
  pg_result r(PQexecPrepared(conn_.get(), stmt, 2, params, nullptr, nullptr, 0));
  row out;
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    error_ = PQerrorMessage(conn_.get());
    return out;
  }
  out.ok = true;
  out.found = PQntuples(r.get()) == 1;
  if (out.found) {
    out.sold = PQgetvalue(r.get(), 0, 0)[0] == 't';
    out.version = std::stoll(PQgetvalue(r.get(), 0, 1));
  }
  return out;
}

long pg_worker::write(const buyer& b, const long long* version) {
  const std::string e = std::to_string(b.event), s = std::to_string(b.seat),
                    who = std::to_string(b.id), v = version ? std::to_string(*version) : "";
  const char* params[] = {e.c_str(), s.c_str(), who.c_str(), v.c_str()};
  pg_result r(PQexecPrepared(conn_.get(), version ? "write_v" : "write", version ? 4 : 3, params,
                             nullptr, nullptr, 0));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    error_ = PQerrorMessage(conn_.get());
    return -1;
  }
  return std::atol(PQcmdTuples(r.get()));
}

bool pg_worker::exec(const char* sql) {
  pg_result r(PQexec(conn_.get(), sql));
  if (r && PQresultStatus(r.get()) == PGRES_COMMAND_OK) return true;
  error_ = PQerrorMessage(conn_.get());
  return false;
}

attempt pg_worker::failed() {
  attempt a;
  a.result = outcome::error;
  a.error = error_.empty() ? "PostgreSQL error" : error_;
  while (!a.error.empty() && (a.error.back() == '\n' || a.error.back() == ' ')) a.error.pop_back();
  if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) exec("ROLLBACK");
  return a;
}

std::string pg_strategy::conninfo() const { return pg_.conninfo(); }

void pg_strategy::reset(const workload& w) {
  auto c = pg_connect(conninfo());
  pg_exec(c.get(), "SET client_min_messages = warning");
  pg_exec(c.get(), "DROP TABLE IF EXISTS bookings, seats");
  pg_exec(c.get(),
          "CREATE TABLE seats (event_id int NOT NULL, seat_id int NOT NULL, "
          "sold boolean NOT NULL DEFAULT false, holder bigint, version bigint NOT NULL DEFAULT 0, "
          "PRIMARY KEY (event_id, seat_id))");
  // Append-only: one row per booking the application believed it made.
  pg_exec(c.get(),
          "CREATE TABLE bookings (id bigserial PRIMARY KEY, event_id int NOT NULL, "
          "seat_id int NOT NULL, buyer bigint NOT NULL, "
          "booked_at timestamptz NOT NULL DEFAULT clock_timestamp())");
  pg_exec(c.get(), "INSERT INTO seats (event_id, seat_id) SELECT e, s FROM generate_series(0, " +
                       std::to_string(w.events - 1) + ") e, generate_series(0, " +
                       std::to_string(w.seats - 1) + ") s");
  pg_exec(c.get(), "VACUUM ANALYZE seats");
  pg_exec(c.get(), "CHECKPOINT");
}

double pg_strategy::store_cpu_seconds() const {
  return process_tree_cpu_seconds(pg_.postmaster_pid());
}

verdict pg_strategy::verify(const workload&, const std::vector<std::uint32_t>& accepted) {
  auto c = pg_connect(conninfo());
  auto r = pg_exec(c.get(),
                   "SELECT count(*), count(DISTINCT (event_id, seat_id)), "
                   "(SELECT count(*) FROM (SELECT 1 FROM bookings GROUP BY event_id, seat_id "
                   "HAVING count(*) > 1) d) FROM bookings");
  verdict v;
  v.recorded = std::stoull(PQgetvalue(r.get(), 0, 0));
  v.oversold = v.recorded - std::stoull(PQgetvalue(r.get(), 0, 1));
  v.double_booked = std::stoull(PQgetvalue(r.get(), 0, 2));
  const auto answered = std::accumulate(accepted.begin(), accepted.end(), std::uint64_t{0});
  if (answered != v.recorded)
    v.note = "the bookings table holds " + std::to_string(v.recorded) + " rows, the workers saw " +
             std::to_string(answered) + " accepted";
  return v;
}

}  // namespace seatgate::lab
