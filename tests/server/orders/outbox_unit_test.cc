// The outbox's pure parts: entries, the payload, the signature against the
// shared vector (tests/vectors/webhook_signature.json), the retry schedule,
// URLs and the SSRF guard's address rule.
#include "outbox/entry.h"
#include "outbox/schedule.h"
#include "outbox/signature.h"
#include "outbox/webhook_spec.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace seatgate::outbox {
namespace {

using json = nlohmann::json;

std::vector<std::pair<std::string, std::string>> sample_fields(
    std::string type = "reservation.confirmed") {
  return {{"type", type},
          {"occurred_at", "1767225600000"},
          {"id", "concert.AAAA"},
          {"event_id", "concert"},
          {"zone_id", "floor"},
          {"user_id", "alice"},
          {"quantity", "2"},
          {"amount", "5000"},
          {"currency", "EUR"},
          {"status", "confirmed"},
          {"created_at", "1767225480000"},
          {"expires_at", "1767226080000"},
          {"confirmed_at", "1767225600000"},
          {"payment_ref", "pay_1"},
          {"version", "2"},
          {"seats", "A-1,A-2"}};
}

TEST(OutboxEntry, ParsesTheDocumentedFieldsAndRoundTrips) {
  auto e = parse("1767225600000-0", sample_fields());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->version, 2);
  EXPECT_EQ(e->seats, (std::vector<std::string>{"A-1", "A-2"}));
  EXPECT_EQ(to_fields(*e), sample_fields());
  EXPECT_EQ(change_id(*e), "concert.1767225600000-0");
  EXPECT_EQ(delivery_id(*e, "sales"), "concert.1767225600000-0.sales");
  auto body = json::parse(payload(*e));
  EXPECT_EQ(body["id"], "concert.1767225600000-0");
  EXPECT_EQ(body["type"], "reservation.confirmed");
  EXPECT_EQ(body["created_at"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(body["data"]["reservation"]["payment_ref"], "pay_1");
  EXPECT_EQ(body["data"]["reservation"]["seats"], json({"A-1", "A-2"}));
}

TEST(OutboxEntry, RefusesIncompleteOrUnknownEntries) {
  auto f = sample_fields();
  f.pop_back();
  EXPECT_FALSE(parse("1-0", f));
  EXPECT_FALSE(parse("1-0", sample_fields("reservation.sold")));
  auto bad = sample_fields();
  bad[6].second = "two";
  EXPECT_FALSE(parse("1-0", bad));
  auto held = sample_fields("reservation.held");
  held[12].second = "";  // not confirmed
  held[15].second = "";  // general admission
  auto e = parse("1-0", held);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->confirmed_at);
  EXPECT_TRUE(e->seats.empty());
}

// The form the scripts write: the record (store/record.h) stands for the
// flat fields, and both forms are the same entry.
TEST(OutboxEntry, TheRecordFormIsTheSameEntry) {
  const std::vector<std::pair<std::string, std::string>> written = {
      {"id", "concert.AAAA"},
      {"event_id", "concert"},
      {"occurred_at", "1767225600000"},
      {"record",
       "confirmed|2|2|5000|1767225480000|1767226080000|1767225600000|floor|EUR|A-1,A-2|5|alice|"
       "pay_1"}};
  auto e = parse("1767225600000-0", written);
  ASSERT_TRUE(e);
  EXPECT_EQ(to_fields(*e), sample_fields());
  EXPECT_EQ(payload(*e), payload(*parse("1767225600000-0", sample_fields())));

  // A user id and payment reference with '|' in them, a held record.
  auto odd = written;
  odd[3].second = "held|1|1|2500|1767225480000|1767226080000||floor|EUR||3|a|b|ref|x";
  e = parse("1-0", odd);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "reservation.held");
  EXPECT_EQ(e->user_id, "a|b");
  EXPECT_EQ(e->payment_ref, "ref|x");
  EXPECT_FALSE(e->confirmed_at);

  // A record that is not one, or an entry without its id: refused.
  odd[3].second = "held|1|1";
  EXPECT_FALSE(parse("1-0", odd));
  odd[3].second = "held|1|1|2500|1767225480000|1767226080000||floor|EUR||9|alice|";
  EXPECT_FALSE(parse("1-0", odd));
  auto no_id = written;
  no_id.erase(no_id.begin());
  EXPECT_FALSE(parse("1-0", no_id));
}

TEST(OutboxSignature, MatchesTheSharedVector) {
  std::ifstream in(std::string(SEATGATE_VECTORS) + "/webhook_signature.json");
  ASSERT_TRUE(in);
  const auto v = json::parse(in);
  const std::string secret = v["secret"], body = v["body"];
  EXPECT_EQ(signature_v1(secret, v["timestamp"], body), v["v1"]);
  EXPECT_EQ(signature_header(secret, v["timestamp"], body), v["header"]);
  EXPECT_EQ(new_secret().rfind("whsec_", 0), 0u);
  EXPECT_NE(new_secret(), new_secret());
}

TEST(OutboxSchedule, BacksOffExponentiallyWithEqualJitterUpToTheCap) {
  retry_schedule s;
  ASSERT_TRUE(parse_schedule("100,1000,5000", s));
  EXPECT_EQ(retry_delay(s, 1, 0.0).count(), 50);
  EXPECT_EQ(retry_delay(s, 1, 0.999).count(), 99);
  EXPECT_EQ(retry_delay(s, 3, 0.0).count(), 200);
  EXPECT_EQ(retry_delay(s, 30, 0.0).count(), 500);
  EXPECT_LT(retry_delay(s, 30, 0.999).count(), 1000);
  for (const char* bad : {"", "1,2", "1,2,3,4", "0,1,1", "5,4,1", "a,b,c", "1,2,-1"})
    EXPECT_FALSE(parse_schedule(bad, s)) << bad;
  retry_schedule d;
  EXPECT_EQ(d.window, std::chrono::hours(24));
}

TEST(OutboxUrl, AcceptsHttpsAndLocalHttpOnlyWithTheFlag) {
  auto t = parse_url("https://hooks.example.com/a?b=1", false);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->tls);
  EXPECT_EQ(t->host, "hooks.example.com");
  EXPECT_EQ(t->port, 443);
  EXPECT_EQ(t->path, "/a?b=1");
  auto v6 = parse_url("https://[2001:db8::1]:8443", false);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, 8443);
  EXPECT_EQ(v6->path, "/");
  EXPECT_FALSE(parse_url("http://127.0.0.1/", false));
  EXPECT_TRUE(parse_url("http://127.0.0.1/", true));
  for (const char* bad : {"ftp://x/", "https://", "https://a b/", "https://u@x/", "https://x:0/",
                          "https://x/#f", "https://[::1/", "javascript:alert(1)"})
    EXPECT_FALSE(parse_url(bad, true)) << bad;
  EXPECT_FALSE(parse_url("https://x/" + std::string(k_max_url_length, 'a'), false));
}

TEST(OutboxUrl, TheGuardRefusesInternalAddressesWithoutTheFlag) {
  namespace ip = boost::asio::ip;
  for (const char* a : {"127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1",
                        "::", "fe80::1", "fd00:ec2::254", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(refuse_address(ip::make_address(a), true, false)) << a;
    EXPECT_FALSE(refuse_address(ip::make_address(a), true, true)) << a;
    EXPECT_FALSE(refuse_address(ip::make_address(a), false, true)) << a;
  }
  for (const char* a : {"93.184.215.14", "172.32.0.1", "2606:4700::1111"}) {
    EXPECT_FALSE(refuse_address(ip::make_address(a), true, false)) << a;
    EXPECT_TRUE(refuse_address(ip::make_address(a), false, true)) << a;  // http:// goes local only
  }
}

}  // namespace
}  // namespace seatgate::outbox
