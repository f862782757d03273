// SDK benchmarks (Google Benchmark): what the client adds per call, without
// the network — validation, key generation, request building, response
// classification and decoding — and the cost of an idempotency key.
#include <benchmark/benchmark.h>

#include <seatgate/client.h>
#include <seatgate/core.h>

#include <random>

namespace {

using namespace seatgate;

constexpr const char* kReservation =
    R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"floor",)"
    R"("user_id":"alice","quantity":2,"amount":9000,"currency":"EUR","status":"held",)"
    R"("created_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:10:00Z",)"
    R"("confirmed_at":null,"payment_ref":null})";

core_options options() {
  core_options o;
  o.token_provider = [] { return std::string(200, 't'); };  // a JWT-sized token
  o.user_agent = "bench/1";
  o.budget.capacity = 0;
  return o;
}

http_response created() {
  http_response r;
  r.status = 201;
  r.headers = {{"Content-Type", "application/json"},
               {"Location", "/v1/reservations/summer.AAAAAAAAAAAAAAAAAAAAAA"},
               {"X-Request-Id", "0123456789abcdef"}};
  r.body = kReservation;
  return r;
}

// One reserve through the core: validate, generate the key (getrandom),
// build the request, classify the 201 and decode the reservation.
void BM_CoreReserve(benchmark::State& state) {
  client_core core(options(), system_environment());
  const http_response ok = created();
  reserve_request req{.event_id = "summer", .zone_id = "floor", .quantity = 2};
  for (auto _ : state) {
    operation op = core.reserve(req);
    step s = op.start();
    benchmark::DoNotOptimize(s.request.body.data());
    s = op.on_response(ok);
    auto r = parse_reservation(s.response.body);
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_CoreReserve);

// The same with one retry (503, then 201): backoff draw, budget, second request.
void BM_CoreReserveOneRetry(benchmark::State& state) {
  client_core core(options(), system_environment());
  const http_response ok = created();
  http_response busy;
  busy.status = 503;
  busy.headers = {{"Retry-After", "1"}};
  busy.body = R"({"type":"urn:seatgate:error:unavailable","title":"Unavailable","status":503,)"
              R"("detail":"try again","code":"unavailable","retryable":true})";
  reserve_request req{.event_id = "summer", .zone_id = "floor", .quantity = 2};
  for (auto _ : state) {
    operation op = core.reserve(req);
    op.start();
    op.on_response(busy);
    step s = op.on_timer();
    s = op.on_response(ok);
    auto r = parse_reservation(s.response.body);
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_CoreReserveOneRetry);

// The core alone with a non-syscall random source, to separate getrandom.
void BM_CoreReserveUserSpaceRandom(benchmark::State& state) {
  std::mt19937_64 prng(1);
  environment env = system_environment();
  env.random_bytes = [&](std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(prng());
  };
  client_core core(options(), env);
  const http_response ok = created();
  reserve_request req{.event_id = "summer", .zone_id = "floor", .quantity = 2};
  for (auto _ : state) {
    operation op = core.reserve(req);
    op.start();
    step s = op.on_response(ok);
    auto r = parse_reservation(s.response.body);
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_CoreReserveUserSpaceRandom);

// An idempotency key: 16 bytes from getrandom(2) + UUID v4 formatting.
void BM_KeyGetrandom(benchmark::State& state) {
  environment env = system_environment();
  for (auto _ : state) benchmark::DoNotOptimize(uuid_v4(env));
}
BENCHMARK(BM_KeyGetrandom);

// Formatting alone (no system call).
void BM_KeyFormatOnly(benchmark::State& state) {
  std::uint8_t bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  for (auto _ : state) {
    bytes[0]++;
    benchmark::DoNotOptimize(uuid_v4(bytes));
  }
}
BENCHMARK(BM_KeyFormatOnly);

}  // namespace

BENCHMARK_MAIN();
