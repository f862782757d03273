#include "metrics/metrics.h"

#include <cstdio>

namespace seatgate::metrics {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

std::string num(std::uint64_t v) { return std::to_string(v); }

std::string num_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void counter(std::string& out, std::string_view name, std::string_view help, std::uint64_t v) {
  header(out, name, "counter", help);
  sample(out, name, {}, num(v));
}

}  // namespace

std::string_view route_name(route r) {
  switch (r) {
    case route::healthz:
      return "healthz";
    case route::readyz:
      return "readyz";
    case route::metrics:
      return "metrics";
    case route::admin_put_event:
      return "admin_put_event";
    case route::admin_audit:
      return "admin_audit";
    case route::admin_status:
      return "admin_status";
    case route::get_event:
      return "get_event";
    case route::reserve:
      return "reserve";
    case route::get_reservation:
      return "get_reservation";
    case route::confirm:
      return "confirm";
    case route::release:
      return "release";
    case route::list_reservations:
      return "list_reservations";
    case route::queue_join:
      return "queue_join";
    case route::queue_status:
      return "queue_status";
    case route::queue_leave:
      return "queue_leave";
    case route::demo_token:
      return "demo_token";
    case route::seat_map:
      return "seat_map";
    case route::event_stream:
      return "event_stream";
    case route::admin_webhooks:
      return "admin_webhooks";
    case route::admin_archive:
      return "admin_archive";
    case route::static_file:
      return "static_file";
    case route::preflight:
      return "preflight";
    case route::other:
    case route::count_:
      break;
  }
  return "other";
}

std::string_view outcome_name(outcome o) {
  switch (o) {
    case outcome::created:
      return "created";
    case outcome::replayed:
      return "replayed";
    case outcome::sold_out:
      return "sold_out";
    case outcome::user_limit:
      return "user_limit";
    case outcome::rejected:
      return "rejected";
    case outcome::error:
    case outcome::count_:
      break;
  }
  return "error";
}

void registry::observe_request(route r, unsigned status, double seconds) {
  const auto ri = static_cast<std::size_t>(r) < requests.size()
                      ? static_cast<std::size_t>(r)
                      : static_cast<std::size_t>(route::other);
  const unsigned cls = status / 100;
  if (cls >= 1 && cls <= 5) requests[ri][cls].fetch_add(1, relaxed);

  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  std::size_t b = 0;
  while (b < k_latency_bounds.size() && seconds > k_latency_bounds[b]) ++b;
  latency_buckets[b].fetch_add(1, relaxed);
  const double us = seconds * 1e6;
  latency_sum_us.fetch_add(
      us > 1e15 ? std::uint64_t{1'000'000'000'000'000} : static_cast<std::uint64_t>(us + 0.5),
      relaxed);
  latency_count.fetch_add(1, relaxed);
}

void registry::reservation(outcome o) {
  if (static_cast<std::size_t>(o) < reservations.size())
    reservations[static_cast<std::size_t>(o)].fetch_add(1, relaxed);
}

std::string registry::render(const redis::stats& redis_stats, bool redis_ready) const {
  std::string out;
  out.reserve(8192);

  header(out, "seatgate_http_requests_total", "counter",
         "HTTP requests answered, by route and status class.");
  for (std::size_t r = 0; r < requests.size(); ++r) {
    for (unsigned cls = 1; cls <= 5; ++cls) {
      const auto v = requests[r][cls].load(relaxed);
      if (v == 0) continue;
      std::string labels = "route=\"";
      labels.append(route_name(static_cast<route>(r))).append("\",code=\"");
      labels.append(std::to_string(cls)).append("xx\"");
      sample(out, "seatgate_http_requests_total", labels, num(v));
    }
  }

  // _count is the +Inf bucket as read here, so the two agree within one
  // scrape even while requests are being observed.
  header(out, "seatgate_http_request_duration_seconds", "histogram",
         "Time from a request's first byte read to its response queued.");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < latency_buckets.size(); ++b) {
    cumulative += latency_buckets[b].load(relaxed);
    const std::string le = b < k_latency_bounds.size() ? num_double(k_latency_bounds[b]) : "+Inf";
    sample(out, "seatgate_http_request_duration_seconds_bucket", "le=\"" + le + "\"",
           num(cumulative));
  }
  char sum[40];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(latency_sum_us.load(relaxed)) / 1e6);
  sample(out, "seatgate_http_request_duration_seconds_sum", {}, sum);
  sample(out, "seatgate_http_request_duration_seconds_count", {}, num(cumulative));

  header(out, "seatgate_reservations_total", "counter", "Reservation attempts, by outcome.");
  for (std::size_t o = 0; o < reservations.size(); ++o) {
    sample(out, "seatgate_reservations_total",
           "outcome=\"" + std::string(outcome_name(static_cast<outcome>(o))) + "\"",
           num(reservations[o].load(relaxed)));
  }

  counter(out, "seatgate_holds_expired_total", "Holds returned to available after their expiry.",
          holds_expired.load(relaxed));

  header(out, "seatgate_detached_tasks", "gauge",
         "Detached tasks (queue pass deletions) not yet finished.");
  sample(out, "seatgate_detached_tasks", "state=\"pending\"", num(detached_pending.load(relaxed)));
  header(out, "seatgate_detached_tasks_total", "counter", "Detached tasks finished, by result.");
  sample(out, "seatgate_detached_tasks_total", "result=\"succeeded\"",
         num(detached_succeeded.load(relaxed)));
  sample(out, "seatgate_detached_tasks_total", "result=\"failed\"",
         num(detached_failed.load(relaxed)));
  counter(out, "seatgate_detached_task_retries_total",
          "Retries of detached tasks after a Redis error.", detached_retries.load(relaxed));

  header(out, "seatgate_connections_open", "gauge", "Client connections open now.");
  sample(out, "seatgate_connections_open", {}, std::to_string(connections_open.load(relaxed)));
  header(out, "seatgate_connections_refused_total", "counter",
         "New connections answered 503 and closed, by the limit they hit.");
  sample(out, "seatgate_connections_refused_total", "reason=\"max_connections\"",
         num(refused_max_connections.load(relaxed)));
  sample(out, "seatgate_connections_refused_total", "reason=\"per_ip\"",
         num(refused_per_ip.load(relaxed)));
  counter(out, "seatgate_accept_errors_total",
          "Failed accept calls (e.g. out of file descriptors); the listener backs off.",
          accept_errors.load(relaxed));

  header(out, "seatgate_stream_subscribers", "gauge", "Live availability streams open now.");
  sample(out, "seatgate_stream_subscribers", {}, std::to_string(stream_subscribers.load(relaxed)));
  counter(out, "seatgate_stream_messages_total",
          "Availability messages queued to stream subscribers (snapshots and changes).",
          stream_messages.load(relaxed));
  header(out, "seatgate_stream_dropped_total", "counter",
         "Streams closed by the server because the subscriber fell behind, by reason.");
  sample(out, "seatgate_stream_dropped_total", "reason=\"slow\"",
         num(stream_dropped_slow.load(relaxed)));
  sample(out, "seatgate_stream_dropped_total", "reason=\"stalled\"",
         num(stream_dropped_stalled.load(relaxed)));

  counter(out, "seatgate_reserve_calls_total",
          "reserve_seats script calls sent to Redis (one per batch of reservation requests).",
          reserve_calls.load(relaxed));
  counter(out, "seatgate_reserve_call_requests_total",
          "Reservation requests those calls carried (divided by the calls: the mean batch).",
          reserve_call_requests.load(relaxed));
  counter(out, "seatgate_confirm_calls_total",
          "confirm_reservation script calls sent to Redis (one per batch of confirms).",
          confirm_calls.load(relaxed));
  counter(out, "seatgate_confirm_call_requests_total",
          "Confirm requests those calls carried (divided by the calls: the mean batch).",
          confirm_call_requests.load(relaxed));
  header(out, "seatgate_webhook_deliveries_total", "counter",
         "Webhook delivery attempts, by outcome (retried: failed, to be tried again).");
  sample(out, "seatgate_webhook_deliveries_total", "outcome=\"succeeded\"",
         num(webhook_succeeded.load(relaxed)));
  sample(out, "seatgate_webhook_deliveries_total", "outcome=\"retried\"",
         num(webhook_retried.load(relaxed)));
  sample(out, "seatgate_webhook_deliveries_total", "outcome=\"failed\"",
         num(webhook_failed.load(relaxed)));
  header(out, "seatgate_outbox_oldest_unacked_seconds", "gauge",
         "Age of the oldest outbox entry a consumer group has not acknowledged, by group.");
  sample(out, "seatgate_outbox_oldest_unacked_seconds", "group=\"webhooks\"",
         num_double(static_cast<double>(webhook_oldest_ms.load(relaxed)) / 1000.0));
  sample(out, "seatgate_outbox_oldest_unacked_seconds", "group=\"pg\"",
         num_double(static_cast<double>(pg_lag_ms.load(relaxed)) / 1000.0));
  counter(out, "seatgate_pg_rows_total", "Outbox entries written to PostgreSQL.",
          pg_rows.load(relaxed));
  counter(out, "seatgate_reservations_removed_total",
          "Ended reservations removed by retention (--retention, --retention-confirmed).",
          reservations_removed.load(relaxed));
  counter(out, "seatgate_events_archived_total", "Events archived (their keys removed).",
          events_archived.load(relaxed));
  counter(out, "seatgate_events_retired_total",
          "Closed events with nothing left to do dropped from the background work list.",
          events_retired.load(relaxed));

  counter(out, "seatgate_embedded_redis_restarts_total",
          "Times the embedded redis-server died and was started again.",
          embedded_redis_restarts.load(relaxed));
  header(out, "seatgate_rate_limited_total", "counter",
         "Requests refused with 429 rate_limited, by limit.");
  sample(out, "seatgate_rate_limited_total", "scope=\"user\"",
         num(rate_limited_user.load(relaxed)));
  sample(out, "seatgate_rate_limited_total", "scope=\"ip\"", num(rate_limited_ip.load(relaxed)));

  counter(out, "seatgate_redis_commands_total", "Redis commands sent.",
          redis_stats.commands.load(relaxed));
  counter(out, "seatgate_redis_errors_total", "Redis commands that failed.",
          redis_stats.errors.load(relaxed));
  counter(out, "seatgate_redis_reconnects_total", "Successful reconnects to Redis after a loss.",
          redis_stats.reconnects.load(relaxed));
  counter(out, "seatgate_redis_noscript_reloads_total",
          "NOSCRIPT replies answered by reloading the script.",
          redis_stats.noscript_reloads.load(relaxed));
  // Redis Cluster (docs/operations.md, Redis Cluster).
  counter(out, "seatgate_redis_cluster_redirects_total", "MOVED and ASK replies followed.",
          redis_stats.redirects.load(relaxed));
  counter(out, "seatgate_redis_cluster_retries_total",
          "Calls resent after TRYAGAIN, CLUSTERDOWN or a node down.",
          redis_stats.cluster_retries.load(relaxed));
  counter(out, "seatgate_redis_cluster_map_refreshes_total", "Slot maps read from CLUSTER SLOTS.",
          redis_stats.map_refreshes.load(relaxed));
  counter(out, "seatgate_redis_cluster_replica_waits_total",
          "WAIT 1 after a confirmation on a master with replicas.",
          redis_stats.replica_waits.load(relaxed));
  header(out, "seatgate_redis_ready", "gauge",
         "1 when Redis is reachable and the scripts are loaded.");
  sample(out, "seatgate_redis_ready", {}, redis_ready ? "1" : "0");
  return out;
}

}  // namespace seatgate::metrics
