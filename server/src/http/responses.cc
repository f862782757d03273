#include "http/responses.h"

#include "http/cors.h"
#include "http/problem.h"

namespace seatgate::http {

response problem_response(const request& req, const error& e) {
  return make_problem(e, req.version(), req.keep_alive());
}

response text_response(const request& req, unsigned status, std::string body,
                       std::string_view type) {
  response res{static_cast<bhttp::status>(status), req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response json_text_response(const request& req, unsigned status, std::string body) {
  return text_response(req, status, std::move(body), "application/json");
}

response json_response(const request& req, unsigned status, const nlohmann::json& body) {
  return json_text_response(req, status, body.dump());
}

response method_not_allowed(const request& req, std::string_view allow) {
  auto res =
      problem_response(req, fail(errc::method_not_allowed, "allowed: " + std::string(allow)));
  res.set(bhttp::field::allow, allow);
  return res;
}

response preflight(const request& req) {
  response res{bhttp::status::no_content, req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::access_control_allow_methods, "GET, POST, PUT, DELETE, OPTIONS");
  res.set(bhttp::field::access_control_allow_headers, k_cors_allow_headers);
  res.set(bhttp::field::access_control_max_age, "600");
  return res;
}

}  // namespace seatgate::http
