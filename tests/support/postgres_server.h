// A real PostgreSQL 15 server for tests and the strategy lab: `initdb` into a
// fresh temporary directory, started with `pg_ctl -w` on 127.0.0.1 and a free
// port, with its Unix socket in the same directory; stopped with
// `pg_ctl stop -m fast` (and the directory removed) on destruction.
//
// Durability is traded for speed: fsync, synchronous_commit and
// full_page_writes are off. That is fine for tests and the lab, never for
// data anyone keeps. Authentication is `trust` for the local superuser.
//
// PostgreSQL refuses to run as root: when geteuid() == 0 the directory is
// chowned to the `postgres` user and initdb/pg_ctl run through
// `runuser -u postgres --`. No gtest, no libpq: callers connect with the
// conninfo string.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace seatgate::test {

class postgres_server {
 public:
  struct options {
    std::string bin_dir = "/usr/lib/postgresql/15/bin";  // initdb, pg_ctl
    unsigned max_connections = 100;
    std::vector<std::string> settings;  // extra "name=value" server settings
  };
  // Runs initdb and starts the server; throws std::runtime_error (with the
  // log's tail) on failure.
  explicit postgres_server(options opts);
  postgres_server() : postgres_server(options{}) {}
  ~postgres_server();
  postgres_server(const postgres_server&) = delete;
  postgres_server& operator=(const postgres_server&) = delete;

  unsigned short port() const { return port_; }
  const std::string& socket_dir() const { return socket_dir_; }
  const std::string& user() const { return user_; }
  // libpq conninfo over the Unix socket (`tcp` = over 127.0.0.1 instead).
  std::string conninfo(const std::string& dbname = "postgres", bool tcp = false) const;

  // The postmaster's pid (from postmaster.pid), -1 when stopped.
  pid_t postmaster_pid() const;
  void stop();  // pg_ctl stop -m fast; keeps the data directory
  bool running() const { return running_; }
  std::string log_text() const;

 private:
  void start();
  // Runs a PostgreSQL tool (as `postgres` when root), output appended to the
  // log. Returns its exit status.
  int run_tool(const std::vector<std::string>& args) const;

  options opts_;
  std::string dir_, data_dir_, socket_dir_, log_path_, user_ = "seatgate";
  unsigned short port_ = 0;
  bool running_ = false;
};

}  // namespace seatgate::test
