// GET /v1/events/{id}/stream: checks the limits and the event, subscribes to
// this thread's feed, and answers the stream's header; the session then
// writes the stream (http/event_stream.cc).
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/responses.h"
#include "live/hub.h"
#include "live/limits.h"

namespace seatgate::http::handlers {

net::awaitable<response> event_stream(request& req, request_context& ctx, const route_args& a) {
  const auto& env = ctx.env;
  if (!env.streams || !env.stream_limits || env.stopping())
    co_return problem_response(
        req, error{errc::unavailable, "live availability is not available here", true, 5});
  auto place = env.stream_limits->acquire(ctx.client);
  if (!place.granted) {
    if (place.why == live::limits::refusal::address_full)
      co_return problem_response(
          req, error{errc::rate_limited, "too many open streams from this address", true, 5});
    co_return problem_response(
        req, error{errc::unavailable, "this server holds as many streams as it may", true, 5});
  }
  nlohmann::json event;
  if (const auto* seen = env.streams->current(a.id)) {
    event = *seen;  // watched on this thread already: no Redis read
  } else {
    auto read = co_await env.reservations.get_event(a.id);
    if (!read) co_return problem_response(req, read.failure());
    event = std::move(*read);
  }
  auto sub = env.streams->subscribe(a.id, std::move(event));
  ctx.stream = std::make_shared<live::subscription>(env.streams->shared_from_this(), a.id,
                                                    std::move(sub), std::move(*place.granted),
                                                    env.metrics);
  response res{bhttp::status::ok, req.version()};
  res.keep_alive(false);
  res.set(bhttp::field::content_type, "text/event-stream");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Accel-Buffering", "no");  // nginx: pass each message on at once
  co_return res;
}

}  // namespace seatgate::http::handlers
