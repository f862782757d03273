// Strategy "none": read, then write, each statement its own transaction.
// Between the two the application does its own work (think(): a yield by
// default, --think-us to widen it); any buyer who reads the seat in that
// window also sees it free, and both writes succeed.
#include "pg.h"
#include "strategies.h"

namespace seatgate::lab {
namespace {

class none_worker : public pg_worker {
 public:
  none_worker(const std::string& conninfo, unsigned think_us)
      : pg_worker(conninfo), think_us_(think_us) {}
  attempt book(const buyer& b) override {
    const auto seat = read("read", b);
    if (!seat.ok || !seat.found) return failed();
    if (seat.sold) return {outcome::sold};
    think(think_us_);
    if (write(b) != 1) return failed();
    return {outcome::booked};
  }

 private:
  unsigned think_us_;
};

class none_strategy : public pg_strategy {
 public:
  using pg_strategy::pg_strategy;
  std::string name() const override { return "none"; }
  std::unique_ptr<worker> make_worker(unsigned) override {
    return std::make_unique<none_worker>(conninfo(), opts_.think_us);
  }
};

}  // namespace

std::unique_ptr<strategy> make_none(const options& o, test::postgres_server& pg) {
  return std::make_unique<none_strategy>(o, pg);
}

}  // namespace seatgate::lab
