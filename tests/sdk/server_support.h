// Helpers of the SDK tests against a real seatgate-server.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <seatgate/client.h>

#include <string>

#include "server_process.h"

namespace seatgate::test {

inline std::string event_config(int capacity, int max_per_order = 10,
                                const std::string& room = R"({"enabled":false})") {
  return R"({"name":"SDK Test","currency":"EUR","status":"on_sale","hold_ttl_s":600,)"
         R"("max_per_order":)" +
         std::to_string(max_per_order) +
         R"(,"max_per_user":10,"zones":[{"id":"floor","name":"Floor","capacity":)" +
         std::to_string(capacity) + R"(,"price":4500}],"waiting_room":)" + room + "}";
}

inline void put_event(const server_process& srv, const std::string& id, const std::string& cfg) {
  httplib::Client admin(srv.host(), srv.port());
  auto r = admin.Put(("/v1/admin/events/" + id).c_str(),
                     httplib::Headers{{"Authorization", "Bearer " + srv.admin_token()}}, cfg,
                     "application/json");
  ASSERT_TRUE(r) << "PUT event: no answer";
  ASSERT_TRUE(r->status == 200 || r->status == 201) << r->status << " " << r->body;
}

inline client_options user(const server_process& srv, const std::string& name,
                           std::string base_url = {}) {
  client_options o;
  o.base_url = base_url.empty() ? srv.base_url() : base_url;
  o.token_provider = [t = srv.user_token(name)] { return t; };
  return o;
}

}  // namespace seatgate::test
