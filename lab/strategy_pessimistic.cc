// Strategy "pessimistic": the row lock of SELECT ... FOR UPDATE makes every
// other buyer of the seat wait until COMMIT, then read it sold. Correct; the
// cost is four round trips per buyer and a queue on every hot row.
#include "pg.h"
#include "strategies.h"

namespace seatgate::lab {
namespace {

class pessimistic_worker : public pg_worker {
 public:
  pessimistic_worker(const std::string& conninfo, unsigned think_us)
      : pg_worker(conninfo), think_us_(think_us) {}
  attempt book(const buyer& b) override {
    if (!exec("BEGIN")) return failed();
    const auto seat = read("read_for_update", b);
    if (!seat.ok || !seat.found) return failed();
    if (seat.sold) {
      if (!exec("ROLLBACK")) return failed();
      return {outcome::sold};
    }
    think(think_us_);
    if (write(b) != 1) return failed();
    if (!exec("COMMIT")) return failed();
    return {outcome::booked};
  }

 private:
  unsigned think_us_;
};

class pessimistic_strategy : public pg_strategy {
 public:
  using pg_strategy::pg_strategy;
  std::string name() const override { return "pessimistic"; }
  std::unique_ptr<worker> make_worker(unsigned) override {
    return std::make_unique<pessimistic_worker>(conninfo(), opts_.think_us);
  }
};

}  // namespace

std::unique_ptr<strategy> make_pessimistic(const options& o, test::postgres_server& pg) {
  return std::make_unique<pessimistic_strategy>(o, pg);
}

}  // namespace seatgate::lab
