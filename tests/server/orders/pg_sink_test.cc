// The PostgreSQL system of record (docs/operations.md "PostgreSQL system of
// record") against a real PostgreSQL 15 and real seatgate-server processes:
// one row per reservation at its latest version, an older entry never
// overwriting a newer one, nothing lost across a SIGKILL, and a URL that
// does not connect refused at start with a clear error.
#include "api_client.h"
#include "outbox_feed.h"
#include "postgres_server.h"

#include <libpq-fe.h>

#include <atomic>
#include <thread>
#include <vector>

namespace seatgate::test {
namespace {

class PgSinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pg_ = new postgres_server(); }
  static void TearDownTestSuite() {
    delete pg_;
    pg_ = nullptr;
  }
  void SetUp() override { query("DROP TABLE IF EXISTS seatgate_reservations"); }

  std::unique_ptr<server_process> start(const std::string& pg_url) {
    server_process::options o;
    o.redis_url = redis_.url();
    o.args = {"--postgres-url", pg_url, "--outbox-claim-ms", "1000"};
    return std::make_unique<server_process>(o);
  }

  // Rows of a query, each column as text ("" for NULL).
  static std::vector<std::vector<std::string>> query(const std::string& sql) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(pg_->conninfo().c_str()), &PQfinish);
    EXPECT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      rows.emplace_back();
      for (int j = 0; j < PQnfields(r.get()); ++j) rows.back().push_back(PQgetvalue(r.get(), i, j));
    }
    return rows;
  }
  static long long count(const std::string& where = "true") {
    auto rows = query("SELECT count(*) FROM seatgate_reservations WHERE " + where);
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  // Waits (bounded) until `count(where)` is `n`.
  static bool wait_count(long long n, const std::string& where = "true") {
    for (int i = 0; i < 1500; ++i) {
      if (count(where) == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static postgres_server* pg_;
  redis_server redis_;
};
postgres_server* PgSinkTest::pg_ = nullptr;

TEST_F(PgSinkTest, OneRowPerReservationAtItsLatestVersion) {
  auto server = start(pg_->conninfo());
  feed(redis_, {"concert", "concert.a", 1, "alice"});
  feed(redis_, {"concert", "concert.a", 2, "alice", "pay_a"});
  feed(redis_, {"concert", "concert.b", 1, "bob"});
  feed(redis_, {"concert", "concert.b", 2, "bob"}, "reservation.released");
  // An older status arriving after a newer one does not overwrite it.
  feed(redis_, {"concert", "concert.c", 2, "carol", "pay_c"});
  feed(redis_, {"concert", "concert.c", 1, "carol"});
  ASSERT_TRUE(wait_count(3)) << count() << " rows; XLEN "
                             << redis_.command({"XLEN", "sg:{e:concert}:out"})->integer << "\n"
                             << server->log_text();
  ASSERT_TRUE(wait_count(1, "id = 'concert.c' AND status = 'confirmed'"));
  // Once the last entry was copied, nothing changes any more.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto rows = query(
      "SELECT id, status, version, user_id, payment_ref, amount, currency, confirmed_at IS NULL, "
      "last_type FROM seatgate_reservations ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"concert.a", "confirmed", "2", "alice", "pay_a",
                                               "5000", "EUR", "f", "reservation.confirmed"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"concert.b", "released", "2", "bob", "", "5000",
                                               "EUR", "t", "reservation.released"}));
  EXPECT_EQ(rows[2][1], "confirmed");
  EXPECT_EQ(rows[2][2], "2");
  auto metrics = api_client(*server).send("GET", "/metrics").body;
  EXPECT_NE(metrics.find("seatgate_pg_rows_total 6"), std::string::npos) << metrics;
}

TEST_F(PgSinkTest, NothingIsLostWhenTheServerIsKilledMidWay) {
  auto server = start(pg_->conninfo());
  const int n = 300;
  for (int i = 0; i < n; ++i) feed(redis_, {"sale", "sale.r" + std::to_string(i), 1});
  // Kill it while it copies (or just after: either way nothing may be lost).
  for (int i = 0; i < 1500 && count() <= 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server->kill_hard();
  for (int i = 0; i < n; ++i) feed(redis_, {"sale", "sale.r" + std::to_string(i), 2});
  server->restart();
  ASSERT_TRUE(wait_count(n, "status = 'confirmed'")) << server->log_text();
  EXPECT_EQ(count(), n);
  EXPECT_EQ(count("version = 2"), n);
  auto dup = query("SELECT count(DISTINCT id) FROM seatgate_reservations");
  EXPECT_EQ(dup[0][0], std::to_string(n));
}

// A flash sale of 1,000 seats with confirms, the server killed with SIGKILL
// half-way and started again: once caught up, PostgreSQL holds exactly the
// sales the audit counts, each once.
TEST_F(PgSinkTest, FlashSaleWithAKilledServerEndsWithEverySaleOnceInPostgres) {
  auto server = start(pg_->conninfo());
  ASSERT_EQ(api_client(*server).put_event("flash", event_config(1000, 600, 1, 1)).status, 201);
  std::atomic<int> next{0}, sold{0};
  const auto buy_until = [&](int stop_at) {
    std::vector<std::thread> buyers;
    for (int t = 0; t < 8; ++t)
      buyers.emplace_back([&] {
        api_client c(*server);
        for (int i = next++; i < stop_at; i = next++) {
          const auto user = "buyer" + std::to_string(i);
          const auto token = server->user_token(user);
          auto r = c.reserve(token, "flash", "floor", 1, "r" + user);
          if (r.status != 201) continue;
          if (c.confirm(token, r.js()["id"], "c" + user).status == 200) ++sold;
        }
      });
    for (auto& b : buyers) b.join();
  };
  buy_until(450);
  server->kill_hard();
  server->restart();
  next = 450;
  buy_until(1200);  // more buyers than seats: it sells out
  api_client c(*server);
  const auto audit = counts(c, "flash");
  EXPECT_TRUE(audit.consistent) << audit.audit.dump();
  EXPECT_EQ(audit.sold, 1000);
  EXPECT_EQ(sold.load(), 1000) << "every seat sold was answered 200 here";
  ASSERT_TRUE(wait_count(audit.sold, "status = 'confirmed'")) << count("status = 'confirmed'");
  EXPECT_EQ(count(), audit.sold) << "no reservation without its sale";
  auto dup = query("SELECT count(DISTINCT id), count(*) FROM seatgate_reservations");
  EXPECT_EQ(dup[0][0], dup[0][1]);
  EXPECT_EQ(count("version = 2"), audit.sold) << "each at its confirmed version";
}

TEST_F(PgSinkTest, AUrlThatDoesNotConnectIsRefusedAtStart) {
  try {
    start("host=127.0.0.1 port=1 dbname=none connect_timeout=2");
    FAIL() << "the server started without its PostgreSQL";
  } catch (const std::runtime_error& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("exited at start"), std::string::npos) << text;
    EXPECT_NE(text.find("cannot connect to PostgreSQL"), std::string::npos) << text;
  }
  try {
    start("not a conninfo at all");
    FAIL() << "the server started with a malformed URL";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to PostgreSQL"), std::string::npos);
  }
}

}  // namespace
}  // namespace seatgate::test
