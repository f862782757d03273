#include "store/layout.h"

#include "store/keys.h"

namespace seatgate::store {

namespace {

using verdict = layout_check::verdict;

layout_check refused(const std::string& found) {
  return {verdict::refused,
          "this Redis holds seatgate data in an older key layout (" + found +
              "), which this version cannot read. Start on empty data: delete the data "
              "directory (--data-dir, default ./seatgate-data), or run with --ephemeral, or "
              "flush the Redis given with --redis-url (FLUSHALL). docs/redis-schema.md, "
              "Layout version, says more."};
}

}  // namespace

boost::asio::awaitable<layout_check> check_layout(redis::connection& conn) {
  auto fail = [](const boost::system::error_code& ec, const redis::reply& r) -> layout_check {
    return {verdict::unavailable, ec ? ec.message() : r.str};
  };
  redis::command get{"GET", k_layout_key};
  auto [ec, version] = co_await conn.command(std::move(get));
  if (ec || version.is_error()) co_return fail(ec, version);
  if (version.type != redis::reply::kind::nil) {
    if (version.str == k_layout_version) co_return layout_check{verdict::ok, {}};
    co_return refused(std::string(k_layout_key) + " = " + version.str + ", this version writes " +
                      k_layout_version);
  }
  // No version: no data yet, data flushed and written again by this
  // version (whose zones live in the event hash), or data of an older
  // seatgate (whose zones have keys of their own). A sample of events tells.
  redis::command sample_events{"SRANDMEMBER", k_events_key, "16"};
  auto [ec2, sample] = co_await conn.command(std::move(sample_events));
  if (ec2 || sample.is_error()) co_return fail(ec2, sample);
  for (const auto& id : sample.elements) {
    const event_keys k(id.str);
    redis::command hget{"HGET", k.event(), "zones"};
    auto [ec_z, zones] = co_await conn.command(std::move(hget));
    if (ec_z || zones.is_error()) co_return fail(ec_z, zones);
    const std::string first = zones.str.substr(0, zones.str.find(','));
    if (first.empty()) continue;
    redis::command hexists{"HEXISTS", k.event(), "z:" + first + ":capacity"};
    auto [ec_c, cap] = co_await conn.command(std::move(hexists));
    if (ec_c || cap.is_error()) co_return fail(ec_c, cap);
    if (cap.integer == 0)
      co_return refused("event " + id.str + " has no zone fields in " + k.event() + " and no " +
                        k_layout_key);
  }
  redis::command stamp{"SET", k_layout_key, k_layout_version, "NX"};
  auto [ec3, set] = co_await conn.command(std::move(stamp));
  if (ec3 || set.is_error()) co_return fail(ec3, set);
  co_return layout_check{verdict::ok, {}};
}

}  // namespace seatgate::store
