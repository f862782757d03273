// Request framing that could smuggle a second request, against a real
// server over plain sockets (docs/operations.md, "Limits"): Transfer-Encoding
// and Content-Length, Host, and anything after the JSON value.
#include "api_client.h"
#include "loopback.h"

#include <cstdio>
#include <memory>
#include <vector>

namespace seatgate::test {
namespace {

class Framing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = new redis_server();
    // A short idle timeout bounds the reads of a connection the server keeps.
    server_ = new server_process({redis_->url(), {"--idle-timeout-ms", "1500"}, 2, false});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete redis_;
  }
  void SetUp() override {
    c_ = std::make_unique<api_client>(*server_);
    token_ = server_->user_token("smuggler");
  }
  // A fresh event with 10 seats in zone "floor".
  std::string fresh_event() {
    std::string id = "frame-" + std::to_string(++n_events_);
    EXPECT_EQ(c_->put_event(id, event_config(10)).status, 201);
    return id;
  }
  // A complete, authenticated reservation request for `event`: what a
  // smuggler hides in another request's body.
  std::string inner_reserve(const std::string& event, const std::string& key) {
    const std::string body =
        json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump();
    return "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
           "\r\nIdempotency-Key: " + key +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }
  static redis_server* redis_;
  static server_process* server_;
  static int n_events_;
  std::unique_ptr<api_client> c_;
  std::string token_;
};
redis_server* Framing::redis_ = nullptr;
server_process* Framing::server_ = nullptr;
int Framing::n_events_ = 0;

TEST_F(Framing, TransferEncodingNotEndingInChunkedIsRefusedAndNothingRunsFromItsBody) {
  const std::string event = fresh_event();
  int k = 0;
  for (std::string te : {"gzip", "identity", "chunked, identity", "xchunked", "gzip, chunked"}) {
    SCOPED_TRACE(te);
    const std::string inner = inner_reserve(event, "te-" + std::to_string(++k));
    const std::string outer =
        "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: " +
        te + "\r\n\r\n" + inner;
    bool closed = false;
    auto text = exchange(server_->port(), outer, &closed);
    EXPECT_EQ(text.find("HTTP/1.1 400"), 0u) << text;
    EXPECT_NE(text.find("\"code\":\"invalid_request\""), std::string::npos) << text;
    EXPECT_EQ(responses_in(text), 1) << "no second response: " << text;
    EXPECT_TRUE(closed) << "the connection is closed after the 400";
  }
  auto z = counts(*c_, event);
  EXPECT_EQ(z.held, 0) << z.audit;
  EXPECT_EQ(z.sold, 0) << z.audit;
  EXPECT_TRUE(z.consistent);
}

TEST_F(Framing, ContentLengthWithTransferEncodingIsRefused) {
  const std::string event = fresh_event();
  const std::string inner = inner_reserve(event, "cl-te");
  const std::string len = std::to_string(inner.size());
  for (std::string fields : {"Transfer-Encoding: gzip\r\nContent-Length: " + len,
                             "Content-Length: " + len + "\r\nTransfer-Encoding: gzip",
                             "Transfer-Encoding: chunked\r\nContent-Length: " + len,
                             "Content-Length: " + len + "\r\nTransfer-Encoding: chunked"}) {
    SCOPED_TRACE(fields);
    const std::string outer =
        "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + fields +
        "\r\n\r\n" + inner;
    bool closed = false;
    auto text = exchange(server_->port(), outer, &closed);
    EXPECT_EQ(text.find("HTTP/1.1 400"), 0u) << text;
    EXPECT_EQ(responses_in(text), 1) << text;
    EXPECT_TRUE(closed);
  }
  auto z = counts(*c_, event);
  EXPECT_EQ(z.held, 0) << z.audit;
  EXPECT_EQ(z.sold, 0) << z.audit;
}

TEST_F(Framing, TransferEncodingInHttp10IsRefused) {
  const std::string event = fresh_event();
  const std::string outer =
      "POST /v1/reservations HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
      inner_reserve(event, "http10");
  bool closed = false;
  auto text = exchange(server_->port(), outer, &closed);
  EXPECT_EQ(text.find("HTTP/1.1 400"), 0u) << text;
  EXPECT_EQ(responses_in(text), 1) << text;
  EXPECT_TRUE(closed);
  EXPECT_EQ(counts(*c_, event).held, 0);
}

TEST_F(Framing, HostMissingOrTwiceIsRefused) {
  for (std::string req : {std::string("GET /healthz HTTP/1.1\r\n\r\n"),
                          std::string("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                          std::string("GET /healthz HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n")}) {
    SCOPED_TRACE(req);
    bool closed = false;
    auto text = exchange(server_->port(), req, &closed);
    EXPECT_EQ(text.find("HTTP/1.1 400"), 0u) << text;
    EXPECT_NE(text.find("\"code\":\"invalid_request\""), std::string::npos) << text;
    EXPECT_TRUE(closed);
  }
  // HTTP/1.0 needs no Host.
  auto text = exchange(server_->port(), "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(text.find("HTTP/1.0 200"), 0u) << text;
}

TEST_F(Framing, ChunkedRequestStillWorksAndKeepsTheConnection) {
  const std::string event = fresh_event();
  const std::string body = json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 2}}.dump();
  const std::string a = body.substr(0, 10), b = body.substr(10);
  char size_a[16], size_b[16];
  std::snprintf(size_a, sizeof size_a, "%zx", a.size());
  std::snprintf(size_b, sizeof size_b, "%zx", b.size());
  const std::string req =
      "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
      "\r\nIdempotency-Key: chunked-1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      size_a + "\r\n" + a + "\r\n" + size_b + "\r\n" + b + "\r\n0\r\n\r\n" + healthz_request();
  auto text = exchange(server_->port(), req);  // ends when the idle timeout closes it
  EXPECT_EQ(text.find("HTTP/1.1 201"), 0u) << text;
  EXPECT_EQ(responses_in(text), 2) << text;
  EXPECT_NE(text.find("HTTP/1.1 200"), std::string::npos) << "the next request is served too";
  auto z = counts(*c_, event);
  EXPECT_EQ(z.held, 2) << z.audit;
}

TEST_F(Framing, AnythingAfterTheJsonValueIsInvalidJson) {
  const std::string event = fresh_event();
  const std::string good = json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump();
  const std::vector<std::string> tails = {std::string("\0garbage", 8), " " + good, " x",
                                          std::string("\0", 1)};
  int k = 0;
  for (const auto& tail : tails) {
    SCOPED_TRACE(json(std::string(tail)).dump(-1, ' ', false, json::error_handler_t::replace));
    auto res = c_->send("POST", "/v1/reservations", good + tail,
                        {{"Authorization", "Bearer " + token_},
                         {"Idempotency-Key", "tail-" + std::to_string(++k)}});
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.code(), "invalid_json") << res.body;
  }
  auto z = counts(*c_, event);
  EXPECT_EQ(z.held, 0) << z.audit;

  // Confirm: a hold exists; a confirm body with a tail sells nothing.
  auto held = c_->reserve(token_, event, "floor", 1, "hold-1");
  ASSERT_EQ(held.status, 201) << held.body;
  const std::string rid = held.js()["id"];
  for (const auto& tail : tails) {
    auto res =
        c_->send("POST", "/v1/reservations/" + rid + "/confirm", R"({"payment_ref":"p-1"})" + tail,
                 {{"Authorization", "Bearer " + token_},
                  {"Idempotency-Key", "confirm-" + std::to_string(++k)}});
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.code(), "invalid_json") << res.body;
  }
  z = counts(*c_, event);
  EXPECT_EQ(z.held, 1) << z.audit;
  EXPECT_EQ(z.sold, 0) << z.audit;

  // Event config and status: neither changes.
  for (const auto& tail : tails) {
    auto put =
        c_->send("PUT", "/v1/admin/events/" + event, event_config(20).dump() + tail, c_->admin());
    EXPECT_EQ(put.status, 400) << put.body;
    EXPECT_EQ(put.code(), "invalid_json") << put.body;
    auto st = c_->send("POST", "/v1/admin/events/" + event + "/status",
                       R"({"status":"paused"})" + tail, c_->admin());
    EXPECT_EQ(st.status, 400) << st.body;
    EXPECT_EQ(st.code(), "invalid_json") << st.body;
  }
  z = counts(*c_, event);
  EXPECT_EQ(z.capacity, 10) << z.audit;
  EXPECT_EQ(z.held, 1) << z.audit;
  EXPECT_EQ(z.sold, 0) << z.audit;
  auto ev = c_->send("GET", "/v1/events/" + event);
  EXPECT_EQ(ev.js().value("status", ""), "on_sale") << ev.body;
}

}  // namespace
}  // namespace seatgate::test
