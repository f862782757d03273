// The WebAssembly face of the sans-IO core: a thin C export layer.
//
// JavaScript (seatgate_api.js, appended to the Emscripten glue) owns all I/O:
// it calls sg_op_start / sg_op_on_response / sg_op_on_transport_error /
// sg_op_on_timer / sg_op_cancel / sg_op_cancel_unsent and performs the
// returned step with fetch() and setTimeout(). Steps and results cross the boundary as JSON text:
//
//   {"k":"send","method":..,"path":..,"headers":[[name,value],..],"body":..,"timeout_ms":n,
//    "attempt":n}
//   {"k":"wait","delay_ms":n,"retry":{"attempt":n,"delay_ms":n,"reason":..,"status":n}}
//   {"k":"wait","delay_ms":n,"position":{"position":n,"poll_after_ms":n,"next_poll_in_ms":n}}
//   {"k":"done","status":n,"value":<the result the core decoded, as to_json>}
//   {"k":"failed","error":{"code":..,"message":..,"retryable":..,"attempts":..,"status":..,
//                          "request_id":..,"retry_after_ms":..,"pass_expires_at":..
//                          (these three when known)}}
//
// The clock and the CSPRNG are injected from JavaScript (EM_JS imports below),
// as the core requires. Everything runs on the one JS thread; a returned
// const char* stays valid until the next sg_* call.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seatgate/core.h"
#include "seatgate/types.h"

// Host imports: Module.seatgateHost is installed by seatgate_api.js.
EM_JS(double, sg_host_now_ms, (int client), { return Module["seatgateHost"]["now"](client); });
EM_JS(void, sg_host_random, (int client, std::uint8_t* buf, std::size_t len),
      { Module["seatgateHost"]["random"](client, HEAPU8.subarray(buf, buf + len)); });

namespace {

using json = nlohmann::json;
using namespace seatgate;

struct wasm_client {
  std::unique_ptr<client_core> core;
  std::string token;
  std::optional<retry_info> last_retry;  // set by on_retry while an op is stepped
};

struct wasm_op {
  int client = 0;
  operation op;
  http_request pending;  // the last send step's request, for sg_op_add_header
};

std::map<int, std::unique_ptr<wasm_client>> g_clients;
std::map<int, std::unique_ptr<wasm_op>> g_ops;
int g_next_id = 1;
std::string g_out;  // the last string handed to JavaScript

const char* out(std::string s) {
  g_out = std::move(s);
  return g_out.c_str();
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json parse(const char* text) {
  json j = json::parse(text ? text : "", nullptr, false);
  return j.is_object() ? j : json::object();
}

std::int64_t int_or(const json& j, const char* key, std::int64_t fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : fallback;
}

std::string str_or(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string failed_json(const error& e) {
  // to_json(error) is {"error":{...}}; splice in the step kind.
  return "{\"k\":\"failed\"," + to_json(e).substr(1);
}

std::string step_json(wasm_op& w, const step& s) {
  switch (s.kind) {
    case step_kind::send: {
      json headers = json::array();
      for (const auto& [k, v] : s.request.headers) headers.push_back(json::array({k, v}));
      return dump(json{{"k", "send"},
                       {"method", s.request.method},
                       {"path", s.request.path},
                       {"headers", std::move(headers)},
                       {"body", s.request.body},
                       {"timeout_ms", s.request.timeout.count()},
                       {"attempt", s.attempt}});
    }
    case step_kind::wait: {
      json j{{"k", "wait"}, {"delay_ms", s.delay.count()}};
      if (s.position)
        j["position"] = json{{"position", s.position->position},
                             {"poll_after_ms", s.position->poll_after.count()},
                             {"next_poll_in_ms", s.position->next_poll_in.count()}};
      auto& c = *g_clients.at(w.client);
      if (c.last_retry)
        j["retry"] = json{{"attempt", c.last_retry->attempt},
                          {"delay_ms", c.last_retry->delay.count()},
                          {"reason", c.last_retry->reason},
                          {"status", c.last_retry->http_status}};
      return dump(j);
    }
    case step_kind::done:  // the core decoded the result
      return "{\"k\":\"done\",\"status\":" + std::to_string(s.response.status) +
             ",\"value\":" + to_json(s.value) + "}";
    case step_kind::failed:
      return failed_json(s.err);
  }
  return failed_json(error{});
}

wasm_op* find_op(int id) {
  auto it = g_ops.find(id);
  return it == g_ops.end() ? nullptr : it->second.get();
}

const char* no_such_op() {
  error e;
  e.code = errc::invalid_state;
  e.message = "No such operation (already freed?).";
  return out(failed_json(e));
}

// Runs one input of an operation and renders the step it returns.
template <class F>
const char* drive(int op_id, F&& input) {
  wasm_op* w = find_op(op_id);
  if (!w) return no_such_op();
  auto c = g_clients.find(w->client);
  if (c != g_clients.end()) c->second->last_retry.reset();
  step s = input(w->op);
  const char* text = out(step_json(*w, s));
  if (s.kind == step_kind::send) w->pending = std::move(s.request);
  return text;
}

}  // namespace

extern "C" {

// options: {"max_attempts","base_delay_ms","max_delay_ms","deadline_ms",
// "request_timeout_ms","budget_capacity","budget_refill_per_s",
// "snapshot_max_age_ms","user_agent"}; absent fields keep the core defaults.
EMSCRIPTEN_KEEPALIVE int sg_client_new(const char* options_json) {
  const json o = parse(options_json);
  const int id = g_next_id++;
  auto c = std::make_unique<wasm_client>();
  wasm_client* raw = c.get();

  core_options opts;
  opts.retry.max_attempts = static_cast<int>(int_or(o, "max_attempts", opts.retry.max_attempts));
  opts.retry.base_delay = milliseconds(int_or(o, "base_delay_ms", opts.retry.base_delay.count()));
  opts.retry.max_delay = milliseconds(int_or(o, "max_delay_ms", opts.retry.max_delay.count()));
  opts.retry.deadline = milliseconds(int_or(o, "deadline_ms", opts.retry.deadline.count()));
  opts.request_timeout =
      milliseconds(int_or(o, "request_timeout_ms", opts.request_timeout.count()));
  opts.snapshot_max_age =
      milliseconds(int_or(o, "snapshot_max_age_ms", opts.snapshot_max_age.count()));
  if (auto it = o.find("budget_capacity"); it != o.end() && it->is_number())
    opts.budget.capacity = it->get<double>();
  if (auto it = o.find("budget_refill_per_s"); it != o.end() && it->is_number())
    opts.budget.refill_per_second = it->get<double>();
  opts.user_agent = str_or(o, "user_agent");
  opts.token_provider = [raw] { return raw->token; };
  opts.on_retry = [raw](const retry_info& info) { raw->last_retry = info; };

  environment env;
  env.now_ms = [id] { return static_cast<std::int64_t>(sg_host_now_ms(id)); };
  env.random_bytes = [id](std::uint8_t* buf, std::size_t len) { sg_host_random(id, buf, len); };

  c->core = std::make_unique<client_core>(std::move(opts), std::move(env));
  g_clients.emplace(id, std::move(c));
  return id;
}

// Operations keep the core state alive, so freeing a client with operations
// still running is safe.
EMSCRIPTEN_KEEPALIVE void sg_client_free(int client) { g_clients.erase(client); }

EMSCRIPTEN_KEEPALIVE void sg_client_set_token(int client, const char* token) {
  if (auto it = g_clients.find(client); it != g_clients.end())
    it->second->token = token ? token : "";
}

EMSCRIPTEN_KEEPALIVE double sg_client_budget_tokens(int client) {
  auto it = g_clients.find(client);
  return it == g_clients.end() ? 0 : it->second->core->retry_budget_tokens();
}

EMSCRIPTEN_KEEPALIVE const char* sg_client_uuid(int client) {
  std::uint8_t b[16];
  sg_host_random(client, b, sizeof b);
  return out(uuid_v4(b));
}

// name: an operation's name ("get_event", "reserve", ... as
// seatgate::operation_name). args: {"event_id","zone_id","quantity",
// "idempotency_key","queue_pass","reservation_id","payment_ref"}; wait_for_pass
// also {"deadline_ms" (<= 0: none),"jitter","join"}; each operation reads its
// own. Returns an operation id, 0 on an unknown name or client.
EMSCRIPTEN_KEEPALIVE int sg_op_new(int client, const char* name, const char* args_json) {
  auto c = g_clients.find(client);
  const auto kind = operation_from_name(name ? name : "");
  if (c == g_clients.end() || !kind) return 0;
  const int id = g_next_id++;
  g_ops.emplace(id, std::make_unique<wasm_op>(wasm_op{
                        client, c->second->core->create(*kind, operation_params_from_json(
                                                                   args_json ? args_json : ""))}));
  return id;
}

EMSCRIPTEN_KEEPALIVE void sg_op_free(int op) { g_ops.erase(op); }

EMSCRIPTEN_KEEPALIVE const char* sg_op_key(int op) {
  wasm_op* w = find_op(op);
  return out(w ? w->op.idempotency_key() : std::string());
}

EMSCRIPTEN_KEEPALIVE int sg_op_attempts(int op) {
  wasm_op* w = find_op(op);
  return w ? w->op.attempts() : 0;
}

// The request hook (onRequest) adds a header to the pending send step's
// request: 1 when the core's rule (add_app_header) accepts it, else 0.
// JavaScript sends the accepted ones with the step's headers.
EMSCRIPTEN_KEEPALIVE int sg_op_add_header(int op, const char* name, const char* value) {
  wasm_op* w = find_op(op);
  return w && name && value && add_app_header(w->pending, name, value) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE const char* sg_op_start(int op) {
  return drive(op, [](operation& o) { return o.start(); });
}

// headers: "name\nvalue\n" for each header (fetch's Headers hold no line
// breaks, so this needs no JSON on either side); body: body_len bytes (may
// hold NULs).
EMSCRIPTEN_KEEPALIVE const char* sg_op_on_response(int op, int status, const char* headers,
                                                   const char* body, int body_len) {
  http_response r;
  r.status = status;
  std::string_view h = headers ? headers : "";
  while (!h.empty()) {
    const auto name_end = h.find('\n');
    if (name_end == std::string_view::npos) break;
    const auto value_end = h.find('\n', name_end + 1);
    const auto value = h.substr(name_end + 1, value_end == std::string_view::npos
                                                  ? std::string_view::npos
                                                  : value_end - name_end - 1);
    r.headers.emplace_back(std::string(h.substr(0, name_end)), std::string(value));
    if (value_end == std::string_view::npos) break;
    h.remove_prefix(value_end + 1);
  }
  r.body.assign(body ? body : "", body ? static_cast<std::size_t>(body_len) : 0);
  return drive(op, [&](operation& o) { return o.on_response(r); });
}

// failure: 0 network, 1 timeout.
EMSCRIPTEN_KEEPALIVE const char* sg_op_on_transport_error(int op, int failure, const char* detail) {
  const auto f = failure == 1 ? transport_failure::timeout : transport_failure::network;
  return drive(op, [&](operation& o) { return o.on_transport_error(f, detail ? detail : ""); });
}

EMSCRIPTEN_KEEPALIVE const char* sg_op_on_timer(int op) {
  return drive(op, [](operation& o) { return o.on_timer(); });
}

EMSCRIPTEN_KEEPALIVE const char* sg_op_cancel(int op) {
  return drive(op, [](operation& o) { return o.cancel(); });
}

// The signal was aborted before the pending send step's fetch() began.
EMSCRIPTEN_KEEPALIVE const char* sg_op_cancel_unsent(int op) {
  return drive(op, [](operation& o) { return o.cancel_unsent(); });
}

EMSCRIPTEN_KEEPALIVE const char* sg_version() { return SEATGATE_WASM_VERSION; }

// Length in bytes of the last string returned, so JavaScript need not scan
// for its NUL.
EMSCRIPTEN_KEEPALIVE int sg_out_len() { return static_cast<int>(g_out.size()); }

}  // extern "C"
