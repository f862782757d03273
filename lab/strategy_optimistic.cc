// Strategy "optimistic": no lock is held while the application thinks; the
// write succeeds only if the seat's version is still the one read. A buyer
// who loses the race re-reads (up to --optimistic-retries times) and then
// finds the seat sold; with one row per seat a conflict means exactly that,
// so "retries exhausted" needs a seat that changes without being sold.
#include "pg.h"
#include "strategies.h"

namespace seatgate::lab {
namespace {

class optimistic_worker : public pg_worker {
 public:
  optimistic_worker(const std::string& conninfo, unsigned think_us, unsigned retries)
      : pg_worker(conninfo), think_us_(think_us), retries_(retries) {}
  attempt book(const buyer& b) override {
    attempt a;
    for (unsigned i = 0; i <= retries_; ++i) {
      const auto seat = read("read", b);
      if (!seat.ok || !seat.found) return failed();
      if (seat.sold) {
        a.result = outcome::sold;
        return a;
      }
      think(think_us_);
      const long n = write(b, &seat.version);
      if (n < 0) return failed();
      if (n == 1) {
        a.result = outcome::booked;
        return a;
      }
      ++a.conflicts;  // someone wrote first: the version moved on
    }
    a.result = outcome::retries_exhausted;
    return a;
  }

 private:
  unsigned think_us_, retries_;
};

class optimistic_strategy : public pg_strategy {
 public:
  using pg_strategy::pg_strategy;
  std::string name() const override { return "optimistic"; }
  std::unique_ptr<worker> make_worker(unsigned) override {
    return std::make_unique<optimistic_worker>(conninfo(), opts_.think_us,
                                               opts_.optimistic_retries);
  }
};

}  // namespace

std::unique_ptr<strategy> make_optimistic(const options& o, test::postgres_server& pg) {
  return std::make_unique<optimistic_strategy>(o, pg);
}

}  // namespace seatgate::lab
