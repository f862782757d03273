#include "http/cors.h"

#include "http/environment.h"
#include "util/random.h"

#include <algorithm>

namespace seatgate::http {

std::string request_id_for(std::string_view sent) {
  bool valid =
      !sent.empty() && sent.size() <= 128 &&
      std::all_of(sent.begin(), sent.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  return valid ? std::string(sent) : util::request_id();
}

void finish_response(const request& req, response& res, const request_context& ctx) {
  res.set("X-Request-Id", ctx.request_id);
  auto origin = req[bhttp::field::origin];
  if (!origin.empty()) {
    const auto& allowed = ctx.env.cfg.cors_origins;
    bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (any || std::find(allowed.begin(), allowed.end(), origin) != allowed.end()) {
      res.set(bhttp::field::access_control_allow_origin, origin);
      res.set(bhttp::field::vary, "Origin");
      res.set(bhttp::field::access_control_expose_headers, k_cors_expose_headers);
    }
  }
}

}  // namespace seatgate::http
