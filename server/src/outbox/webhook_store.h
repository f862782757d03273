// The webhook endpoints and their failed deliveries in Redis (global keys,
// outbox/keys.h), for the admin routes and the delivery loop. Runs on the
// calling thread's connection; no HTTP here.
#pragma once

#include "domain/result.h"
#include "outbox/webhook_spec.h"
#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace seatgate::outbox {

namespace net = boost::asio;

struct put_outcome {
  bool created = false;
  bool secret_generated = false;
  endpoint stored;
};

class webhook_store {
 public:
  explicit webhook_store(redis::connection& conn) : conn_(conn) {}

  // Creates or replaces the endpoint. Without a secret it keeps the stored
  // one, or generates one for a new endpoint.
  net::awaitable<result<put_outcome>> put(endpoint ep);
  net::awaitable<result<std::optional<endpoint>>> get(const std::string& id);
  net::awaitable<result<std::vector<endpoint>>> list();
  // False when there was no such endpoint.
  net::awaitable<result<bool>> remove(const std::string& id);

  // The failed deliveries of an endpoint, oldest first (records as stored).
  net::awaitable<result<std::vector<nlohmann::json>>> failed(const std::string& id);
  // Records a delivery that gave up.
  net::awaitable<result<bool>> add_failed(const std::string& id, const nlohmann::json& record);
  // Queues a failed delivery again (k_retries_key); false when the endpoint
  // has no failed delivery of that id.
  net::awaitable<result<bool>> retry(const std::string& id, const std::string& delivery);

 private:
  redis::connection& conn_;
};

// The endpoint's JSON as the admin routes show it (never the secret).
nlohmann::json endpoint_json(const endpoint& ep);

}  // namespace seatgate::outbox
