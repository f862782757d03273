// https webhook delivery (docs/webhooks.md "https and --webhook-ca-file"): a
// real TLS receiver with a certificate made by `openssl` for this test. A
// server that does not trust it counts failed attempts and keeps serving; one
// started with --webhook-ca-file naming the certificate delivers, signed.
#include "eventually.h"
#include "hooks_fixture.h"

#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

namespace seatgate::test {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for 127.0.0.1 (its own CA), in a directory
// removed with it.
struct test_cert {
  test_cert() {
    char tmpl[] = "/tmp/sg-tls-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    dir = tmpl;
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
                            " -addext subjectAltName=IP:127.0.0.1 -keyout " +
                            key() + " -out " + cert() + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed");
  }
  ~test_cert() { fs::remove_all(dir); }
  std::string cert() const { return dir + "/cert.pem"; }
  std::string key() const { return dir + "/key.pem"; }
  std::string dir;
};

// The receiver of receiver.h over TLS: records every POST, answers 200.
class tls_receiver {
 public:
  explicit tls_receiver(const test_cert& c) : server_(c.cert().c_str(), c.key().c_str()) {
    if (!server_.is_valid()) throw std::runtime_error("tls receiver: bad certificate");
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      got_.push_back({req.get_header_value("Seatgate-Delivery"),
                      req.get_header_value("Seatgate-Signature"), req.body});
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~tls_receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<received> got() const {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<received> got_;
};

TEST_F(HooksTest, HttpsDeliveryNeedsATrustedCertificate) {
  test_cert cert;
  tls_receiver receiver(cert);
  const auto secret = subscribe("tls", receiver.url());
  const auto want = feed_sales(2, "t");
  // Not trusted (the system's CAs only): attempts fail and are counted; the
  // server keeps serving.
  ASSERT_TRUE(eventually([&] {
    return metric(client_->send("GET", "/metrics").body,
                  "seatgate_webhook_deliveries_total{outcome=\"retried\"}") >= 2;
  })) << server_->log_text();
  EXPECT_TRUE(receiver.got().empty());
  EXPECT_EQ(client_->send("GET", "/healthz").status, 200);
  EXPECT_NE(server_->log_text().find("tls"), std::string::npos);

  // Trusted through --webhook-ca-file: the pending entries arrive, signed.
  server_.reset();
  auto args = fast_args();
  args.insert(args.end(), {"--webhook-ca-file", cert.cert()});
  server_ = start_server(args);
  ASSERT_TRUE(eventually([&] { return changes(receiver.got()) == want; }))
      << receiver.got().size() << "\n"
      << server_->log_text();
  EXPECT_EQ(check_deliveries(receiver.got()), "");
  for (const auto& r : receiver.got()) EXPECT_TRUE(signed_by(r.signature, r.body, secret));
}

TEST_F(HooksTest, AnUnreadableCaFileIsRefusedAtStart) {
  server_process::options o;
  o.redis_url = redis_.url();
  o.args = {"--webhook-ca-file", "/nonexistent/ca.pem"};
  o.wait_ready = false;
  EXPECT_THROW(server_process{o}, std::exception);
}

}  // namespace
}  // namespace seatgate::test
