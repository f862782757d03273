// The five strategies (one file each). PostgreSQL-backed ones share one
// server; each run starts from freshly recreated tables.
#pragma once

#include "options.h"
#include "strategy.h"

#include <memory>

namespace seatgate::test {
class postgres_server;
}

namespace seatgate::lab {

// Read the seat, think, write it: nothing stops two buyers from both reading
// "free" before either writes.
std::unique_ptr<strategy> make_none(const options& o, test::postgres_server& pg);
// BEGIN; SELECT ... FOR UPDATE; think; UPDATE; COMMIT.
std::unique_ptr<strategy> make_pessimistic(const options& o, test::postgres_server& pg);
// Read seat and version; think; UPDATE ... WHERE version = $v; retry on 0 rows.
std::unique_ptr<strategy> make_optimistic(const options& o, test::postgres_server& pg);
// Redis SET NX PX around read-then-write in PostgreSQL; compare-and-delete
// release. `pause`: some writes stall past the lock's TTL.
std::unique_ptr<strategy> make_lock(const options& o, test::postgres_server& pg, bool pause);
// seatgate-server over HTTP, each seat a one-seat zone.
std::unique_ptr<strategy> make_seatgate(const options& o);

}  // namespace seatgate::lab
