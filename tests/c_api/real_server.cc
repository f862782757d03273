// A real seatgate-server + redis-server behind a C interface, and a plain
// cpp-httplib transport for the C tests' own driving loops.
#include "real_server.h"

#include <httplib.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "redis_server.h"
#include "server_process.h"

namespace {

using seatgate::test::redis_server;
using seatgate::test::server_process;

std::unique_ptr<redis_server> g_redis;
std::unique_ptr<server_process> g_srv;
std::string g_url;

char* dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

}  // namespace

extern "C" {

int real_server_start(void) {
  try {
    g_redis = std::make_unique<redis_server>();
    g_srv = std::make_unique<server_process>(server_process::options{.redis_url = g_redis->url()});
    g_url = g_srv->base_url();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "real_server_start: %s\n", e.what());
    return -1;
  }
}

void real_server_stop(void) {
  g_srv.reset();
  g_redis.reset();
}

const char* real_server_base_url(void) { return g_url.c_str(); }

void real_server_user_token(const char* user, char* out, size_t n) {
  std::snprintf(out, n, "%s", g_srv->user_token(user).c_str());
}

int real_server_put_event(const char* id, int capacity, const char* room) {
  const std::string cfg =
      R"({"name":"C Test","currency":"EUR","status":"on_sale","hold_ttl_s":600,)"
      R"("max_per_order":10,"max_per_user":10,"zones":[{"id":"floor","name":"Floor",)"
      R"("capacity":)" +
      std::to_string(capacity) + R"(,"price":4500}],"waiting_room":)" +
      (room ? room : R"({"enabled":false})") + "}";
  httplib::Client admin(g_srv->host(), g_srv->port());
  auto r = admin.Put((std::string("/v1/admin/events/") + id).c_str(),
                     httplib::Headers{{"Authorization", "Bearer " + g_srv->admin_token()}}, cfg,
                     "application/json");
  return r ? r->status : -1;
}

int test_http_perform(const char* method, const char* url, size_t header_count,
                      const char* const* names, const char* const* values, const char* body,
                      size_t body_length, int64_t timeout_ms, test_http_response_t* out) {
  std::memset(out, 0, sizeof *out);
  // url = http://host:port/path
  std::string u(url);
  const std::size_t slash = u.find('/', u.find("://") + 3);
  const std::string origin = u.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : u.substr(slash);
  httplib::Client cl(origin);
  const auto t = std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 10000);
  cl.set_connection_timeout(t);
  cl.set_read_timeout(t);
  cl.set_write_timeout(t);
  httplib::Request req;
  req.method = method;
  req.path = target;
  std::string content_type = "application/json";
  for (size_t i = 0; i < header_count; ++i) {
    if (strcasecmp(names[i], "Content-Type") == 0)
      content_type = values[i];
    else
      req.headers.emplace(names[i], values[i]);
  }
  if (body_length > 0) {
    req.body.assign(body, body_length);
    req.headers.emplace("Content-Type", content_type);
  }
  auto res = cl.send(req);
  if (!res) return -1;
  out->status = res->status;
  out->header_count = res->headers.size();
  out->header_names = static_cast<char**>(std::calloc(out->header_count + 1, sizeof(char*)));
  out->header_values = static_cast<char**>(std::calloc(out->header_count + 1, sizeof(char*)));
  size_t i = 0;
  for (const auto& [k, v] : res->headers) {
    out->header_names[i] = dup(k);
    out->header_values[i] = dup(v);
    ++i;
  }
  out->body = dup(res->body);
  out->body_length = res->body.size();
  return 0;
}

void test_http_response_free(test_http_response_t* r) {
  for (size_t i = 0; i < r->header_count; ++i) {
    std::free(r->header_names[i]);
    std::free(r->header_values[i]);
  }
  std::free(r->header_names);
  std::free(r->header_values);
  std::free(r->body);
  std::memset(r, 0, sizeof *r);
}

}  // extern "C"
