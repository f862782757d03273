// The webhook admin routes (docs/webhooks.md): the secret shown once, GET,
// list, DELETE; and every bad input refused with a clear problem, nothing
// stored, including the SSRF guard of a server without --webhooks-allow-private.
#include "hooks_fixture.h"

namespace seatgate::test {
namespace {

const json k_all_types = {"reservation.held", "reservation.confirmed", "reservation.released",
                          "reservation.expired"};

TEST_F(HooksTest, SecretIsShownOnlyInThePutThatMadeIt) {
  auto created = put_hook("sales", {{"url", "http://127.0.0.1:9/hook"},
                                    {"events", {"reservation.confirmed"}},
                                    {"event_ids", {"concert"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto secret = created.js().value("secret", "");
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u) << created.body;
  EXPECT_GE(secret.size(), 40u);

  auto got = client_->send("GET", "/v1/admin/webhooks/sales", "", client_->admin());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_FALSE(got.js().contains("secret"));
  EXPECT_EQ(got.js()["url"], "http://127.0.0.1:9/hook");
  EXPECT_EQ(got.js()["events"], json({"reservation.confirmed"}));
  EXPECT_EQ(got.js()["event_ids"], json({"concert"}));

  // Replacing it without a secret keeps the secret and does not show it.
  auto replaced = put_hook("sales", {{"url", "http://127.0.0.1:9/other"}, {"events", k_all_types}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_FALSE(replaced.js().contains("secret"));
  // A secret given by the admin is never echoed.
  auto own = put_hook("own", {{"url", "http://127.0.0.1:9/own"},
                              {"events", k_all_types},
                              {"secret", "a-secret-of-my-own-choosing"}});
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_FALSE(own.js().contains("secret"));

  auto list = hooks();
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.js()["webhooks"].size(), 2u) << list.body;
  EXPECT_EQ(list.js()["webhooks"][0]["id"], "own");
  EXPECT_EQ(list.js()["webhooks"][1]["url"], "http://127.0.0.1:9/other");
  for (const auto& w : list.js()["webhooks"]) EXPECT_FALSE(w.contains("secret"));

  auto del = client_->send("DELETE", "/v1/admin/webhooks/sales", "", client_->admin());
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(client_->send("GET", "/v1/admin/webhooks/sales", "", client_->admin()).status, 404);
  EXPECT_EQ(client_->send("DELETE", "/v1/admin/webhooks/sales", "", client_->admin()).status, 404);
  EXPECT_EQ(hooks().js()["webhooks"].size(), 1u);
}

TEST_F(HooksTest, AdminTokenIsRequired) {
  auto r = client_->send("PUT", "/v1/admin/webhooks/x",
                         json{{"url", "http://127.0.0.1:9/"}, {"events", k_all_types}}.dump());
  EXPECT_EQ(r.status, 401);
  auto u =
      client_->send("GET", "/v1/admin/webhooks", "", client_->user(server_->user_token("bob")));
  EXPECT_EQ(u.status, 403);
  EXPECT_EQ(hooks().js()["webhooks"].size(), 0u);
}

void expect_refused(const http_reply& r, const std::string& says) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  EXPECT_NE(r.js().value("detail", "").find(says), std::string::npos)
      << "detail should say '" << says << "': " << r.body;
}

TEST_F(HooksTest, BadInputsAreRefusedAndNothingIsStored) {
  const auto put = [&](const std::string& id, const json& body) { return put_hook(id, body); };
  expect_refused(put("x", {{"url", "ftp://127.0.0.1/hook"}, {"events", k_all_types}}), "https://");
  expect_refused(put("x", {{"url", "https://" + std::string(2100, 'a') + ".example/"},
                           {"events", k_all_types}}),
                 "longer than");
  expect_refused(put("x", {{"url", "https://user:pw@127.0.0.1/"}, {"events", k_all_types}}),
                 "user name");
  expect_refused(put("x", {{"url", "https://127.0.0.1:99999/"}, {"events", k_all_types}}), "port");
  expect_refused(put("x", {{"url", "https://nonexistent.invalid/"}, {"events", k_all_types}}),
                 "cannot resolve");
  expect_refused(put("x", {{"url", "http://127.0.0.1:9/"}, {"events", {"reservation.sold"}}}),
                 "unknown type");
  expect_refused(put("x", {{"url", "http://127.0.0.1:9/"}, {"events", json::array()}}),
                 "at least one");
  expect_refused(put("x", {{"url", "http://127.0.0.1:9/"}}), "events");
  expect_refused(
      put("x",
          {{"url", "http://127.0.0.1:9/"}, {"events", k_all_types}, {"event_ids", {"Not A Slug"}}}),
      "event_ids");
  expect_refused(
      put("x", {{"url", "http://127.0.0.1:9/"}, {"events", k_all_types}, {"secret", "short"}}),
      "secret");
  expect_refused(put("x", {{"url", "http://127.0.0.1:9/"}, {"events", k_all_types}, {"y", 1}}),
                 "unknown field");
  expect_refused(put("Bad_Id", {{"url", "http://127.0.0.1:9/"}, {"events", k_all_types}}),
                 "webhook id");
  // http:// may reach only local receivers, even with the flag.
  expect_refused(put("x", {{"url", "http://93.184.215.14/"}, {"events", k_all_types}}),
                 "http:// may reach only");
  auto notjson = client_->send("PUT", "/v1/admin/webhooks/x", "{", client_->admin());
  EXPECT_EQ(notjson.status, 400);
  EXPECT_EQ(failed("nobody").status, 404);
  EXPECT_EQ(
      client_->send("POST", "/v1/admin/webhooks/nobody/deliveries/d/retry", "", client_->admin())
          .status,
      404);
  EXPECT_EQ(hooks().js()["webhooks"].size(), 0u) << hooks().body;
}

TEST_F(HooksTest, WithoutTheFlagPrivateAddressesAreRefused) {
  auto guarded = start_server({});
  api_client c(*guarded);
  const auto put = [&](const std::string& url) {
    return c.send("PUT", "/v1/admin/webhooks/x", json{{"url", url}, {"events", k_all_types}}.dump(),
                  c.admin());
  };
  expect_refused(put("http://127.0.0.1:9/hook"), "https://");
  for (const char* url :
       {"https://127.0.0.1/hook", "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/", "https://192.168.0.1/",
        "https://172.16.0.1/", "https://[::1]/", "https://[fd00:ec2::254]/",
        "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/", "https://100.64.0.1/"})
    expect_refused(put(url), "private");
  EXPECT_EQ(c.send("GET", "/v1/admin/webhooks", "", c.admin()).js()["webhooks"].size(), 0u);
  // A public address is fine.
  EXPECT_EQ(put("https://93.184.215.14/hook").status, 201);
}

}  // namespace
}  // namespace seatgate::test
