#include "redis/connection.h"

#include "redis/cluster/router.h"
#include "redis/resp.h"
#include "redis/url.h"

#include <stdexcept>

namespace seatgate::redis {

connection::connection(net::any_io_executor ex, options opts, stats& st) {
  std::string why;
  if (opts.url.starts_with(k_cluster_scheme)) {
    auto seeds = parse_cluster_url(opts.url, &why);
    if (!seeds) throw std::invalid_argument("--redis-url " + opts.url + ": " + why);
    router_ =
        std::make_unique<cluster::router>(std::move(ex), std::move(*seeds), std::move(opts), st);
    return;
  }
  auto ep = parse_url(opts.url, &why);
  if (!ep) throw std::invalid_argument("--redis-url " + opts.url + ": " + why);
  node_ = std::make_unique<node>(std::move(ex), std::move(*ep), std::move(opts), st);
}

connection::~connection() = default;

void connection::start() { router_ ? router_->start() : node_->start(); }

void connection::stop() { router_ ? router_->stop() : node_->stop(); }

bool connection::ready() const noexcept { return router_ ? router_->ready() : node_->ready(); }

const std::string& connection::last_error() const noexcept {
  return router_ ? router_->last_error() : node_->last_error();
}

net::awaitable<result> connection::command(redis::command argv) {
  return router_ ? router_->command(std::move(argv)) : node_->command(std::move(argv));
}

net::awaitable<result> connection::eval(lua::script s, std::vector<std::string> keys,
                                        std::vector<std::string> args, bool read_only,
                                        bool durable) {
  if (router_) return router_->eval(s, std::move(keys), std::move(args), read_only, durable);
  return node_->eval(s, std::move(keys), std::move(args), read_only);
}

const std::string& connection::sha(lua::script s) const {
  return script_shas().at(static_cast<std::size_t>(s));
}

}  // namespace seatgate::redis
