// The operation vectors (vectors/operations.json) through the native client:
// a loopback server answers each vector's canned responses in order, the
// client drives the core as every native call does (client::run, also the C
// API's path), and the decoded result, serialised by the core, must equal the
// vector's. tests/e2e/vectors.test.mjs runs the same file through the
// WebAssembly module, so the two faces agree on every operation.
#include <gtest/gtest.h>

#include <seatgate/client.h>

#include <fstream>
#include <mutex>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "local_server.h"

namespace seatgate::test {
namespace {

using json = nlohmann::json;

json load_vectors() {
  std::ifstream in(SEATGATE_VECTORS_FILE);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

// Serves the canned answers in order, whatever the request.
class canned_server {
 public:
  explicit canned_server(const json& answers) {
    for (const json& a : answers) answers_.push_back(a);
    // Routes, not a pre-routing handler: httplib reads a request's body
    // before a route runs, so a keep-alive connection stays in step.
    auto answer = [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (served_ >= answers_.size()) {
        res.status = 599;  // more requests than the vector foresaw
        return;
      }
      const json& a = answers_[served_++];
      res.status = a.at("status").get<int>();
      if (auto h = a.find("headers"); h != a.end())
        for (auto& [k, v] : h->items()) res.set_header(k, v.get<std::string>());
      const json& body = a.at("body");
      res.body = body.is_string() ? body.get<std::string>() : body.dump();
      if (!res.has_header("Content-Type")) res.set_header("Content-Type", "application/json");
    };
    s_.srv().Get(".*", answer).Post(".*", answer).Delete(".*", answer);
  }
  std::string url() const { return s_.url(); }
  std::size_t served() {
    std::lock_guard lock(mu_);
    return served_;
  }

 private:
  local_server s_;
  std::mutex mu_;
  std::vector<json> answers_;
  std::size_t served_ = 0;
};

TEST(OperationVectors, FileLoadsAndCoversEveryOperation) {
  const json doc = load_vectors();
  ASSERT_TRUE(doc.is_object()) << "cannot read " << SEATGATE_VECTORS_FILE;
  std::set<std::string> seen;
  for (const json& v : doc.at("vectors")) seen.insert(v.at("operation").get<std::string>());
  for (auto k :
       {operation_kind::get_event, operation_kind::reserve, operation_kind::get_reservation,
        operation_kind::confirm, operation_kind::release, operation_kind::list_reservations,
        operation_kind::join_queue, operation_kind::queue_status, operation_kind::leave_queue,
        operation_kind::wait_for_pass, operation_kind::get_seat_map}) {
    const std::string name(operation_name(k));
    EXPECT_TRUE(seen.count(name)) << "no vector for " << name;
    EXPECT_EQ(operation_from_name(name), k) << name;
  }
  EXPECT_FALSE(operation_from_name("getEvent"));
}

TEST(OperationVectors, NativeClientMatchesEveryVector) {
  const json doc = load_vectors();
  ASSERT_TRUE(doc.is_object()) << "cannot read " << SEATGATE_VECTORS_FILE;
  for (const json& v : doc.at("vectors")) {
    const std::string name = v.at("name").get<std::string>();
    SCOPED_TRACE(name);
    const auto kind = operation_from_name(v.at("operation").get<std::string>());
    ASSERT_TRUE(kind);
    canned_server srv(v.at("responses"));
    client_options o;
    o.base_url = srv.url();
    o.token_provider = [] { return std::string("user-token"); };
    o.retry.base_delay = milliseconds(1);
    o.retry.max_delay = milliseconds(5);
    client c(o);

    step s = c.run(c.core().create(*kind, operation_params_from_json(v.at("params").dump())));
    EXPECT_EQ(srv.served(), v.at("responses").size()) << "requests sent";
    if (v.contains("error")) {
      ASSERT_EQ(s.kind, step_kind::failed) << to_json(s.value);
      const json& want = v.at("error");
      EXPECT_EQ(s.err.code, want.at("code").get<std::string>());
      EXPECT_EQ(s.err.http_status, want.at("status").get<int>());
      EXPECT_EQ(s.err.attempts, want.at("attempts").get<int>());
      EXPECT_EQ(s.err.retryable, want.at("retryable").get<bool>());
      // The details every face reports, where the vector states them.
      EXPECT_EQ(s.err.request_id, want.value("request_id", s.err.request_id));
      EXPECT_EQ(s.err.retry_after_ms, want.value("retry_after_ms", s.err.retry_after_ms));
      EXPECT_EQ(s.err.pass_expires_at, want.value("pass_expires_at", s.err.pass_expires_at));
    } else {
      ASSERT_EQ(s.kind, step_kind::done) << s.err.code << ": " << s.err.message;
      EXPECT_EQ(json::parse(to_json(s.value)), v.at("result"));
    }
  }
}

}  // namespace
}  // namespace seatgate::test
