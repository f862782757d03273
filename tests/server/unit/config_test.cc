#include "config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

namespace {

using seatgate::parse_config;
using seatgate::parse_result;

const std::string k_secret(32, 's');

struct fixture {
  std::map<std::string, std::string> env{{"SEATGATE_JWT_SECRET", k_secret},
                                         {"SEATGATE_ADMIN_TOKEN", "admintok"}};

  parse_result run(std::vector<std::string> args) const {
    args.insert(args.begin(), "seatgate-server");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    return parse_config(static_cast<int>(argv.size()), argv.data(),
                        [this](std::string_view name) -> std::optional<std::string> {
                          const auto it = env.find(std::string(name));
                          if (it == env.end()) return std::nullopt;
                          return it->second;
                        });
  }
};

std::string temp_file(const std::string& content) {
  char path[] = "/tmp/seatgate-config-test-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(Config, Defaults) {
  const auto r = fixture{}.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  const auto& c = *r.cfg;
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.redis_url, "");
  EXPECT_EQ(c.threads, 0u);
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_FALSE(c.demo);
  EXPECT_TRUE(c.metrics_public);
  EXPECT_EQ(c.body_limit, 16u * 1024);
  EXPECT_EQ(c.header_limit, 8u * 1024);
  EXPECT_EQ(c.idle_timeout.count(), 30000);
  EXPECT_EQ(c.request_timeout.count(), 10000);
  EXPECT_EQ(c.max_connections, 20000u);
  EXPECT_EQ(c.log_level, "info");
  EXPECT_TRUE(c.access_log);
  EXPECT_EQ(c.jwt_secret, k_secret);
  EXPECT_EQ(c.admin_token, "admintok");
  EXPECT_FALSE(c.jwt_secret_generated);
}

TEST(Config, FlagsBothSpellings) {
  const auto r = fixture{}.run({"--listen",
                                "0.0.0.0:9000",
                                "--redis-url=redis://10.0.0.1:6380",
                                "--threads",
                                "4",
                                "--cors-origin",
                                "https://a.example",
                                "--cors-origin=https://b.example,https://c.example",
                                "--metrics-auth",
                                "--body-limit=2048",
                                "--header-limit",
                                "4096",
                                "--idle-timeout-ms=5000",
                                "--request-timeout-ms",
                                "2500",
                                "--max-connections=10",
                                "--sweep-interval-ms=100",
                                "--shutdown-timeout-ms=0",
                                "--redis-timeout-ms=50",
                                "--log-level=debug",
                                "--no-access-log",
                                "--web-root",
                                "/tmp"});
  ASSERT_TRUE(r.cfg) << r.error;
  const auto& c = *r.cfg;
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_EQ(c.redis_url, "redis://10.0.0.1:6380");
  EXPECT_EQ(c.threads, 4u);
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example",
                                                      "https://c.example"}));
  EXPECT_FALSE(c.metrics_public);
  EXPECT_EQ(c.body_limit, 2048u);
  EXPECT_EQ(c.header_limit, 4096u);
  EXPECT_EQ(c.idle_timeout.count(), 5000);
  EXPECT_EQ(c.request_timeout.count(), 2500);
  EXPECT_EQ(c.max_connections, 10u);
  EXPECT_EQ(c.sweep_interval.count(), 100);
  EXPECT_EQ(c.shutdown_timeout.count(), 0);
  EXPECT_EQ(c.redis_timeout.count(), 50);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.web_root, "/tmp");
}

TEST(Config, ListenForms) {
  fixture f;
  auto r = f.run({"--listen", "[::1]:0"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->listen_host, "::1");
  EXPECT_EQ(r.cfg->listen_port, 0);
  r = f.run({"--listen=localhost:65535"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->listen_host, "127.0.0.1");
  EXPECT_EQ(r.cfg->listen_port, 65535);
  r = f.run({"--listen", "[::]:8080"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->listen_host, "::");
  for (const char* bad : {"127.0.0.1", "127.0.0.1:65536", "example.com:80", "300.1.1.1:80",
                          "127.0.0.1:-1", "127.0.0.1:80x", ":8080", "::1:8080", "[::1]8080",
                          "[::1]:", "[127.0.0.1]:80", "127.0.0.1:", "host:+80"}) {
    const auto e = f.run({"--listen", bad});
    EXPECT_FALSE(e.cfg) << bad;
    EXPECT_NE(e.error.find("--listen"), std::string::npos) << e.error;
  }
}

TEST(Config, EnvironmentAndFlagOverride) {
  fixture f;
  f.env["SEATGATE_LISTEN"] = "10.1.2.3:7000";
  f.env["SEATGATE_THREADS"] = "3";
  f.env["SEATGATE_DEMO"] = "1";
  f.env["SEATGATE_CORS_ORIGINS"] = "https://env.example, https://env2.example";
  f.env["SEATGATE_REDIS_URL"] = "unix:///run/redis.sock";
  f.env["SEATGATE_ACCESS_LOG"] = "false";
  auto r = f.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->listen_host, "10.1.2.3");
  EXPECT_EQ(r.cfg->listen_port, 7000);
  EXPECT_EQ(r.cfg->threads, 3u);
  EXPECT_TRUE(r.cfg->demo);
  EXPECT_EQ(r.cfg->cors_origins,
            (std::vector<std::string>{"https://env.example", "https://env2.example"}));
  EXPECT_EQ(r.cfg->redis_url, "unix:///run/redis.sock");
  EXPECT_FALSE(r.cfg->access_log);

  r = f.run({"--listen", "127.0.0.1:1", "--threads=8", "--demo=false", "--cors-origin", "*"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->listen_port, 1);
  EXPECT_EQ(r.cfg->threads, 8u);
  EXPECT_FALSE(r.cfg->demo);
  EXPECT_EQ(r.cfg->cors_origins, (std::vector<std::string>{"*"}));
}

TEST(Config, BadEnvValueNamesTheVariable) {
  fixture f;
  f.env["SEATGATE_THREADS"] = "many";
  const auto r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("SEATGATE_THREADS"), std::string::npos) << r.error;
}

TEST(Config, SecretFilesTrimOneNewline) {
  fixture f;
  const auto jwt = temp_file(std::string(40, 'j') + "\n");
  const auto admin = temp_file("tok-from-file\r\n");
  f.env.erase("SEATGATE_JWT_SECRET");
  f.env.erase("SEATGATE_ADMIN_TOKEN");
  f.env["SEATGATE_JWT_SECRET_FILE"] = jwt;
  f.env["SEATGATE_ADMIN_TOKEN_FILE"] = admin;
  auto r = f.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->jwt_secret, std::string(40, 'j'));
  EXPECT_EQ(r.cfg->admin_token, "tok-from-file");

  const auto other = temp_file("flag-token\n\n");
  r = f.run({"--admin-token-file", other});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->admin_token, "flag-token\n");  // only one newline is trimmed

  f.env["SEATGATE_ADMIN_TOKEN_FILE"] = "/nonexistent/seatgate/token";
  r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("SEATGATE_ADMIN_TOKEN_FILE"), std::string::npos) << r.error;
  std::filesystem::remove(jwt);
  std::filesystem::remove(admin);
  std::filesystem::remove(other);
}

TEST(Config, SecretAndFileTogetherIsAnError) {
  fixture f;
  f.env["SEATGATE_JWT_SECRET_FILE"] = "/dev/null";
  const auto r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("not both"), std::string::npos);
}

TEST(Config, SecretsRequiredOutsideDemo) {
  fixture f;
  f.env["SEATGATE_JWT_SECRET"] = "short";
  auto r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("32 bytes"), std::string::npos);
  f.env.erase("SEATGATE_JWT_SECRET");
  r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("SEATGATE_JWT_SECRET"), std::string::npos);
  f.env["SEATGATE_JWT_SECRET"] = k_secret;
  f.env.erase("SEATGATE_ADMIN_TOKEN");
  r = f.run({});
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("SEATGATE_ADMIN_TOKEN"), std::string::npos);
}

TEST(Config, DemoGeneratesJwtSecretAndLeavesAdminEmpty) {
  fixture f;
  f.env.clear();
  const auto r = f.run({"--demo"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_TRUE(r.cfg->demo);
  EXPECT_TRUE(r.cfg->jwt_secret_generated);
  EXPECT_GE(r.cfg->jwt_secret.size(), 32u);
  EXPECT_TRUE(r.cfg->admin_token.empty());
  const auto r2 = f.run({"--demo"});
  EXPECT_NE(r2.cfg->jwt_secret, r.cfg->jwt_secret);
}

TEST(Config, DemoSeedNeedsDemo) {
  EXPECT_FALSE(fixture{}.run({"--demo-seed", "/tmp/x.json"}).cfg);
  const auto r = fixture{}.run({"--demo", "--demo-seed", "/tmp/x.json"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->demo_seed, "/tmp/x.json");
}

TEST(Config, BadValuesAndFlags) {
  fixture f;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--threads", "-1"},
           {"--threads", "2000"},
           {"--threads", ""},
           {"--body-limit", "0"},
           {"--max-connections", "1e3"},
           {"--log-level", "loud"},
           {"--redis-url", "http://x"},
           {"--redis-url", "redis://"},
           {"--web-root", "/nonexistent/seatgate"},
           {"--cors-origin", "example.com"},
           {"--demo=maybe"},
           {"--bogus"},
           {"stray"},
           {"--threads"},
           {"--listen", "--demo"},
           {"--no-listen"},
       }) {
    const auto r = f.run(args);
    EXPECT_FALSE(r.cfg) << args[0];
    EXPECT_FALSE(r.error.empty()) << args[0];
  }
  EXPECT_NE(f.run({"--bogus"}).error.find("unknown flag --bogus"), std::string::npos);
  EXPECT_NE(f.run({"--threads"}).error.find("--threads needs a value"), std::string::npos);
}

TEST(Config, HelpListsEveryFlagAndVariable) {
  const auto r = fixture{}.run({"--threads", "2", "--help"});
  EXPECT_TRUE(r.help);
  EXPECT_FALSE(r.cfg);
  EXPECT_TRUE(fixture{}.run({"-h"}).help);
  const auto text = seatgate::help_text();
  for (const char* s : {"--listen",
                        "SEATGATE_LISTEN",
                        "127.0.0.1:8080",
                        "--redis-url",
                        "SEATGATE_REDIS_URL",
                        "--threads",
                        "SEATGATE_THREADS",
                        "--web-root",
                        "--cors-origin",
                        "SEATGATE_CORS_ORIGINS",
                        "--demo",
                        "--demo-seed",
                        "--metrics-auth",
                        "--body-limit",
                        "16384",
                        "--header-limit",
                        "8192",
                        "--idle-timeout-ms",
                        "--request-timeout-ms",
                        "--max-connections",
                        "--sweep-interval-ms",
                        "--shutdown-timeout-ms",
                        "--redis-timeout-ms",
                        "--log-level",
                        "--access-log",
                        "SEATGATE_JWT_SECRET",
                        "SEATGATE_JWT_SECRET_FILE",
                        "SEATGATE_ADMIN_TOKEN",
                        "SEATGATE_ADMIN_TOKEN_FILE",
                        "--help"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s;
  }
}

TEST(Config, RealEnvironmentOverload) {
  ::setenv("SEATGATE_JWT_SECRET", k_secret.c_str(), 1);
  ::setenv("SEATGATE_ADMIN_TOKEN", "x", 1);
  ::setenv("SEATGATE_THREADS", "5", 1);
  const char* argv[] = {"seatgate-server"};
  const auto r = parse_config(1, argv);
  ::unsetenv("SEATGATE_JWT_SECRET");
  ::unsetenv("SEATGATE_ADMIN_TOKEN");
  ::unsetenv("SEATGATE_THREADS");
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->threads, 5u);
}

TEST(Config, RateLimitsAndTokenTimes) {
  fixture f;
  auto r = f.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->user_rate_limit, 10);
  EXPECT_EQ(r.cfg->user_rate_burst, 0) << "0 = 2 x rate";
  EXPECT_EQ(r.cfg->ip_rate_limit, 200);
  EXPECT_EQ(r.cfg->ip_rate_burst, 0);
  EXPECT_EQ(r.cfg->jwt_leeway_s, 5);
  EXPECT_EQ(r.cfg->jwt_max_lifetime_s, 86400);

  f.env["SEATGATE_IP_RATE_LIMIT"] = "50";
  f.env["SEATGATE_IP_RATE_BURST"] = "75";
  f.env["SEATGATE_JWT_LEEWAY_S"] = "0";
  f.env["SEATGATE_JWT_MAX_LIFETIME_S"] = "3600";
  r = f.run({"--user-rate-limit", "0", "--ip-rate-limit=0.5", "--jwt-max-lifetime-s", "600"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->user_rate_limit, 0) << "0 turns the limit off";
  EXPECT_EQ(r.cfg->ip_rate_limit, 0.5);
  EXPECT_EQ(r.cfg->ip_rate_burst, 75);
  EXPECT_EQ(r.cfg->jwt_leeway_s, 0);
  EXPECT_EQ(r.cfg->jwt_max_lifetime_s, 600);

  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--ip-rate-limit", "-1"},
           {"--ip-rate-burst", "lots"},
           {"--jwt-leeway-s", "301"},
           {"--jwt-leeway-s", "-1"},
           {"--jwt-max-lifetime-s", "59"},
           {"--jwt-max-lifetime-s", "18446744073709551615"},
       }) {
    const auto bad = fixture{}.run(args);
    EXPECT_FALSE(bad.cfg) << args[0] << " " << args[1];
    EXPECT_NE(bad.error.find(args[0]), std::string::npos) << bad.error;
  }
  const auto text = seatgate::help_text();
  for (const char* s :
       {"--user-rate-limit", "--user-rate-burst", "--ip-rate-limit", "SEATGATE_IP_RATE_LIMIT",
        "--ip-rate-burst", "SEATGATE_IP_RATE_BURST", "--jwt-leeway-s", "SEATGATE_JWT_LEEWAY_S",
        "--jwt-max-lifetime-s", "SEATGATE_JWT_MAX_LIFETIME_S"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
}

}  // namespace

namespace {

TEST(Config, ReservationsPerUserPerMinute) {
  auto r = fixture{}.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->reservations_per_user_per_minute, 30u);
  for (auto [v, want] : {std::pair{"0", 0u}, {"1", 1u}, {"10000", 10000u}}) {
    r = fixture{}.run({"--reservations-per-user-per-minute", v});
    ASSERT_TRUE(r.cfg) << r.error;
    EXPECT_EQ(r.cfg->reservations_per_user_per_minute, want);
  }
  fixture f;
  f.env["SEATGATE_RESERVATIONS_PER_USER_PER_MINUTE"] = "7";
  r = f.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->reservations_per_user_per_minute, 7u);
  for (const char* bad : {"-1", "10001", "abc", "", "1.5"}) {
    r = fixture{}.run({"--reservations-per-user-per-minute", bad});
    EXPECT_FALSE(r.cfg) << bad;
    EXPECT_NE(r.error.find("--reservations-per-user-per-minute"), std::string::npos) << r.error;
  }
  const auto text = seatgate::help_text();
  EXPECT_NE(text.find("--reservations-per-user-per-minute"), std::string::npos);
  EXPECT_NE(text.find("SEATGATE_RESERVATIONS_PER_USER_PER_MINUTE"), std::string::npos);
}

TEST(Config, EmbeddedRedisDataDirEphemeralAndFsync) {
  auto r = fixture{}.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->data_dir, "");  // main: ./seatgate-data
  EXPECT_FALSE(r.cfg->ephemeral);
  EXPECT_EQ(r.cfg->fsync, "always");
  r = fixture{}.run({"--data-dir", "/var/lib/seatgate", "--fsync", "everysec"});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->data_dir, "/var/lib/seatgate");
  EXPECT_EQ(r.cfg->fsync, "everysec");
  fixture f;
  f.env["SEATGATE_EPHEMERAL"] = "1";
  r = f.run({});
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_TRUE(r.cfg->ephemeral);
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--fsync", "no"},
           {"--data-dir", ""},
           {"--data-dir", "d", "--ephemeral"},
           {"--redis-url", "redis://127.0.0.1:6379", "--data-dir", "d"},
           {"--redis-url", "redis://127.0.0.1:6379", "--ephemeral"}}) {
    r = fixture{}.run(bad);
    EXPECT_FALSE(r.cfg) << bad[0] << " " << bad[1];
    EXPECT_FALSE(r.error.empty());
  }
  const auto text = seatgate::help_text();
  for (const char* s : {"--data-dir", "SEATGATE_DATA_DIR", "./seatgate-data", "--ephemeral",
                        "SEATGATE_EPHEMERAL", "--fsync", "SEATGATE_FSYNC"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
}

}  // namespace
