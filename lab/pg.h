// PostgreSQL pieces shared by the none, pessimistic, optimistic and lock
// strategies: the schema, one connection per worker with prepared
// statements, the store's CPU, and the double-booking count from the
// append-only `bookings` table.
#pragma once

#include "options.h"
#include "strategy.h"

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace seatgate::test {
class postgres_server;
}

namespace seatgate::lab {

struct pg_conn_deleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct pg_result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using pg_conn = std::unique_ptr<PGconn, pg_conn_deleter>;
using pg_result = std::unique_ptr<PGresult, pg_result_deleter>;

pg_conn pg_connect(const std::string& conninfo);  // throws on failure
// Runs SQL; throws unless the status is COMMAND_OK or TUPLES_OK.
pg_result pg_exec(PGconn* c, const std::string& sql);

// A worker's connection, with the statements every strategy uses prepared:
//   read(e, s)            -> status             read_v(e, s) -> status, version
//   read_for_update(e, s) -> status (row lock)
//   write(e, s, buyer)    marks the seat sold and appends a booking (1 row)
//   write_v(e, s, buyer, version) the same only if the version is unchanged
class pg_worker : public worker {
 protected:
  explicit pg_worker(const std::string& conninfo);
  struct row {
    bool ok = false;  // false: the query failed (error_ holds why)
    bool found = false;
    bool sold = false;
    long long version = 0;
  };
  row read(const char* stmt, const buyer& b);
  // Runs a write statement; the number of rows it changed, -1 on error.
  long write(const buyer& b, const long long* version = nullptr);
  bool exec(const char* sql);  // BEGIN, COMMIT, ROLLBACK
  attempt failed();            // outcome::error with the connection's message
  pg_conn conn_;
  std::string error_;
};

class pg_strategy : public strategy {
 public:
  pg_strategy(const options& o, test::postgres_server& pg) : opts_(o), pg_(pg) {}
  std::string store() const override { return "PostgreSQL"; }
  void reset(const workload& w) override;  // drop, create, fill, checkpoint
  double store_cpu_seconds() const override;
  verdict verify(const workload& w, const std::vector<std::uint32_t>& accepted) override;

 protected:
  std::string conninfo() const;
  const options& opts_;
  test::postgres_server& pg_;
};

}  // namespace seatgate::lab
