// Performs one http_request with cpp-httplib. Keeps a pool of keep-alive
// connections (one httplib::Client per concurrent caller).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "seatgate/core.h"

namespace httplib {
class Client;
}

namespace seatgate::detail {

struct cancel_state;

struct transport_outcome {
  std::optional<http_response> response;  // set on any HTTP answer
  transport_failure failure = transport_failure::network;
  std::string detail;
  bool cancelled = false;
  bool sent = false;  // the request was handed to the network (attempts count it)
};

// Splits "scheme://host:port/prefix" into the httplib origin and a path prefix.
std::pair<std::string, std::string> split_base(const std::string& url);

class http_transport {
 public:
  http_transport(std::string base_url, milliseconds connect_timeout);
  ~http_transport();
  transport_outcome perform(const http_request& req, cancel_state* cancel);

 private:
  std::unique_ptr<httplib::Client> acquire();
  void give_back(std::unique_ptr<httplib::Client> c);

  std::string base_url_;
  milliseconds connect_timeout_;
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> idle_;
};

}  // namespace seatgate::detail
