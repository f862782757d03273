// The data lifecycle of the reservation service (docs/operations.md "Data
// lifecycle"): retention of ended reservations, retiring closed events from
// sg:events, archiving an event.
#include "inventory/service.h"
#include "store/calls.h"
#include "store/decode.h"
#include "store/keys.h"
#include "store/script.h"
#include "util/log.h"

namespace seatgate::inventory {

namespace {

// Keys named per SCAN step and per UNLINK at most.
constexpr int k_archive_scan_count = 1000;

}  // namespace

net::awaitable<bool> service::register_event(const std::string& event_id) {
  redis::command sadd{"SADD", store::k_events_key, event_id};
  auto [ec, r] = co_await conn_.command(std::move(sadd));
  co_return !ec && !r.is_error();
}

net::awaitable<std::optional<service::purge_outcome>> service::purge_ended(
    const std::string& event_id, std::int64_t ended_ms, std::optional<std::int64_t> confirmed_ms,
    int batch) {
  auto [script, keys, args] = store::purge_ended(
      event_id, ended_ms,
      confirmed_ms ? store::number(*confirmed_ms) : store::number::verbatim(""), batch);
  auto reply = co_await store::run(conn_, script, std::move(keys), std::move(args));
  if (!reply || reply->elements.size() < 4) co_return std::nullopt;
  purge_outcome out;
  out.removed = store::integer_of(reply->elements[1]);
  out.more = store::integer_of(reply->elements[2]) == 1;
  out.idle = store::integer_of(reply->elements[3]) == 1;
  if (out.removed > 0)
    metrics_.reservations_removed.fetch_add(static_cast<std::uint64_t>(out.removed),
                                            std::memory_order_relaxed);
  co_return out;
}

net::awaitable<bool> service::retire_event(const std::string& event_id) {
  redis::command srem{"SREM", store::k_events_key, event_id};
  auto [ec, r] = co_await conn_.command(std::move(srem));
  if (ec || r.is_error()) co_return false;
  // Opened again since the check? Its opener added it after the change, so
  // a fresh check sees it open: put it back.
  auto again = co_await purge_ended(event_id, 0, std::nullopt, 0);
  if (!again || !again->idle) {
    co_await register_event(event_id);
    co_return false;
  }
  metrics_.events_retired.fetch_add(1, std::memory_order_relaxed);
  co_return true;
}

net::awaitable<result<long long>> service::archive(const std::string& event_id) {
  auto [script, keys, args] = store::archive_event(event_id);
  auto reply = co_await store::run(conn_, script, std::move(keys), std::move(args));
  std::optional<error> refusal;
  if (!reply) {
    refusal = std::move(reply).failure();
    // Only a missing event goes on: a repeat finishes what an interrupted
    // archive left. Every other refusal changed nothing.
    if (refusal->code != errc::event_not_found) co_return std::move(*refusal);
  }
  // Every key of the event shares its hash tag, so on a Cluster they are all
  // on one node (the router sends a SCAN with this MATCH there).
  const std::string pattern = store::event_prefix(event_id) + "*";
  long long removed = 0;
  std::string cursor = "0";
  do {
    redis::command scan{"SCAN", cursor, "MATCH", pattern, "COUNT",
                        std::to_string(k_archive_scan_count)};
    auto [ec, r] = co_await conn_.command(std::move(scan));
    if (ec) co_return store::storage_error(ec);
    if (r.is_error() || !r.is_array() || r.elements.size() < 2)
      co_return error{errc::unavailable, "could not list the event's keys", true, 1};
    cursor = r.elements[0].str;
    if (!r.elements[1].elements.empty()) {
      redis::command unlink{"UNLINK"};
      for (const auto& k : r.elements[1].elements) unlink.push_back(k.str);
      auto [uec, u] = co_await conn_.command(std::move(unlink));
      if (uec) co_return store::storage_error(uec);
      if (u.is_error()) co_return error{errc::unavailable, "could not remove the event's keys", true, 1};
      removed += u.integer;
    }
  } while (cursor != "0");
  for (const char* registry : {store::k_events_key, store::k_rooms_key}) {
    redis::command srem{"SREM", registry, event_id};
    auto [ec, r] = co_await conn_.command(std::move(srem));
    if (ec) co_return store::storage_error(ec);
  }
  if (refusal) co_return std::move(*refusal);
  metrics_.events_archived.fetch_add(1, std::memory_order_relaxed);
  log::info("event archived", {{"event_id", event_id}, {"keys_removed", removed}});
  co_return removed + 1;  // and P ev
}

}  // namespace seatgate::inventory
