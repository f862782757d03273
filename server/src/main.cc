// seatgate-server: flags, wiring, the embedded Redis default — nothing else.
#include "app.h"
#include "config.h"
#include "demo/secret.h"
#include "embedded/redis_server.h"
#include "util/log.h"
#include "util/random.h"

#include <cstdio>
#include <memory>

int main(int argc, char** argv) {
  auto parsed = seatgate::parse_config(argc, argv);
  if (parsed.help) {
    std::fputs(seatgate::help_text().c_str(), stdout);
    return 0;
  }
  if (!parsed.cfg) {
    std::fprintf(stderr, "seatgate-server: %s\n(see --help)\n", parsed.error.c_str());
    return 2;
  }
  seatgate::config cfg = std::move(*parsed.cfg);
  if (auto level = seatgate::log::parse_level(cfg.log_level)) seatgate::log::set_min_level(*level);
  if (cfg.jwt_secret_generated)
    seatgate::log::warn("demo mode: no SEATGATE_JWT_SECRET given, signing with a generated one");
  if (cfg.admin_token.empty()) {
    // Only reachable with --demo (config refuses it otherwise): print a
    // one-run admin token so the operator can reach the admin routes.
    cfg.admin_token = seatgate::util::random_token(24);
    seatgate::log::warn("demo mode: generated an admin token for this run",
                        {{"admin_token", cfg.admin_token}});
  }
  std::unique_ptr<seatgate::embedded::redis_server> embedded;
  try {
    if (cfg.redis_url.empty()) {
      // Durable by default: the append-only file outlives the process.
      const std::string data =
          cfg.ephemeral ? "" : (cfg.data_dir.empty() ? "seatgate-data" : cfg.data_dir);
      embedded = std::make_unique<seatgate::embedded::redis_server>(
          seatgate::embedded::redis_server::options{"redis-server", data, cfg.fsync});
      cfg.redis_url = embedded->url();
      seatgate::log::info("embedded redis started",
                          {{"url", cfg.redis_url},
                           {"pid", embedded->pid()},
                           {"data_dir", data.empty() ? "(ephemeral)" : data},
                           {"fsync", cfg.fsync}});
    }
    if (cfg.jwt_secret_generated && embedded && !embedded->data_dir().empty()) {
      cfg.jwt_secret = seatgate::demo::kept_secret(embedded->data_dir(), cfg.jwt_secret);
      seatgate::log::info("demo mode: tokens are signed with the secret kept in the data dir",
                          {{"file", embedded->data_dir() + "/demo-jwt-secret"}});
    }
    seatgate::app server(std::move(cfg));
    if (embedded) {
      // Supervised: a dead child is reaped and started again on the same
      // data; readiness follows the connections, which reconnect by themselves.
      auto& m = server.metrics();
      embedded->on_event([&m](const seatgate::embedded::redis_server::event& e) {
        using ev = seatgate::embedded::redis_server::event;
        if (e.what == ev::exited) {
          seatgate::log::error("embedded redis exited; restarting",
                               {{"pid", e.pid},
                                {"wait_status", e.wait_status},
                                {"backoff_ms", e.backoff.count()}});
        } else {
          m.embedded_redis_restarts.fetch_add(1, std::memory_order_relaxed);
          seatgate::log::warn("embedded redis restarted", {{"pid", e.pid}});
        }
      });
    }
    int rc = server.run();
    if (embedded) embedded->on_event(nullptr);  // the metrics go with `server`
    return rc;
  } catch (const std::exception& e) {
    seatgate::log::error("fatal", {{"error", e.what()}});
    return 1;
  }
}
