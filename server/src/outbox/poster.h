// What the delivery loop needs of an HTTP client: POST a body to a target,
// and whether a 2xx came back in time. The client itself (Beast, with the
// SSRF guard at connect time) is webhooks/client.h; the loop knows only this.
#pragma once

#include "outbox/webhook_spec.h"

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace seatgate::outbox {

struct post_result {
  unsigned status = 0;  // 0: no answer (refused, unreachable, timed out)
  std::string error;    // why, when not a 2xx
  bool ok() const { return status >= 200 && status < 300; }
};

using headers = std::vector<std::pair<std::string, std::string>>;
using poster =
    std::function<boost::asio::awaitable<post_result>(const target&, headers, std::string body)>;

}  // namespace seatgate::outbox
