#include "test_redis.h"

#include "redis/cluster/slot.h"

#include <chrono>
#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace seatgate::test {

// Which master serves which slot, shared by an endpoint and its links; read
// again after a MOVED.
struct slot_table {
  std::mutex mu;
  std::vector<unsigned short> owners;

  void refresh(const redis_cluster& c) {
    auto fresh = c.slot_owners();
    std::lock_guard lock(mu);
    owners = std::move(fresh);
  }
  unsigned short owner(int slot) {
    std::lock_guard lock(mu);
    return owners.at(static_cast<std::size_t>(slot));
  }
  std::vector<unsigned short> masters() {
    std::lock_guard lock(mu);
    std::set<unsigned short> out(owners.begin(), owners.end());
    out.erase(0);
    return {out.begin(), out.end()};
  }
};

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

bool starts_with(const redisReply* r, std::string_view prefix) {
  return r && r->type == REDIS_REPLY_ERROR && std::string_view(r->str, r->len).starts_with(prefix);
}

// "MOVED 3999 127.0.0.1:6381" / "ASK ...": the port.
unsigned short redirect_port(const redisReply* r) {
  std::string_view text(r->str, r->len);
  auto colon = text.rfind(':');
  return static_cast<unsigned short>(std::stoi(std::string(text.substr(colon + 1))));
}

class cluster_link : public redis_link {
 public:
  cluster_link(const redis_cluster& cluster, std::shared_ptr<slot_table> table)
      : cluster_(cluster), table_(std::move(table)) {}

  reply_ptr command(const std::vector<std::string>& argv) override {
    if (argv.empty()) throw std::invalid_argument("empty command");
    const std::string cmd = upper(argv[0]);
    if (cmd == "FLUSHALL" || cmd == "FLUSHDB" || cmd == "SCRIPT" || cmd == "ACL" || cmd == "AUTH") {
      if (cmd == "AUTH") session_.push_back(argv);
      reply_ptr last;
      for (auto port : table_->masters()) {
        auto r = on(port, argv);
        if (!r || r->type == REDIS_REPLY_ERROR) return r;
        last = std::move(r);
      }
      return last;
    }
    unsigned short port = 0;
    if (auto key = key_of(cmd, argv))
      port = table_->owner(redis::cluster::key_slot(*key));
    else
      port = last_ ? last_ : table_->masters().at(0);
    bool asking = false;
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (asking) (void)on(port, {"ASKING"});
      auto r = on(port, argv);
      asking = false;
      if (starts_with(r.get(), "MOVED ")) {
        port = redirect_port(r.get());
        table_->refresh(cluster_);
        continue;
      }
      if (starts_with(r.get(), "ASK ")) {
        port = redirect_port(r.get());
        asking = true;
        continue;
      }
      if (starts_with(r.get(), "TRYAGAIN") || starts_with(r.get(), "CLUSTERDOWN")) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      last_ = port;
      return r;
    }
    throw std::runtime_error("redirected too often: " + argv[0]);
  }

 private:
  // The key a command is routed by; none for a command without keys.
  static std::optional<std::string> key_of(const std::string& cmd,
                                           const std::vector<std::string>& argv) {
    if (cmd == "EVAL" || cmd == "EVALSHA" || cmd == "EVAL_RO" || cmd == "EVALSHA_RO" ||
        cmd == "FCALL" || cmd == "FCALL_RO") {
      if (argv.size() > 3 && argv[2] != "0") return argv[3];
      return std::nullopt;
    }
    static const std::set<std::string> keyless = {"TIME",   "PING", "INFO", "CONFIG", "CLUSTER",
                                                  "DBSIZE", "ECHO", "WAIT", "ASKING", "SLOWLOG"};
    if (argv.size() < 2 || keyless.count(cmd)) return std::nullopt;
    return argv[1];
  }

  reply_ptr on(unsigned short port, const std::vector<std::string>& argv) {
    auto it = conns_.find(port);
    if (it == conns_.end()) {
      it = conns_.emplace(port, cluster_.connect(port)).first;
      for (const auto& s : session_) (void)send_command(it->second.get(), s);
    }
    auto r = send_command(it->second.get(), argv);
    if (!r) conns_.erase(it);  // a broken connection is opened again next time
    return r;
  }

  const redis_cluster& cluster_;
  std::shared_ptr<slot_table> table_;
  std::map<unsigned short, context_ptr> conns_;
  std::vector<std::vector<std::string>> session_;
  unsigned short last_ = 0;
};

// The process's one cluster (a cluster run), started on first use.
redis_cluster& shared_cluster() {
  static std::unique_ptr<redis_cluster> cluster = std::make_unique<redis_cluster>(3, 1);
  return *cluster;
}

}  // namespace

bool cluster_run() {
  const char* v = std::getenv("SEATGATE_TEST_REDIS");
  return v && std::string_view(v) == "cluster";
}

cluster_endpoint::cluster_endpoint(redis_cluster& cluster)
    : cluster_(cluster), table_(std::make_shared<slot_table>()) {
  table_->refresh(cluster_);
}

cluster_endpoint::~cluster_endpoint() = default;

std::unique_ptr<redis_link> cluster_endpoint::link() const {
  return std::make_unique<cluster_link>(cluster_, table_);
}

unsigned short cluster_endpoint::master_of_key(const std::string& key) const {
  return table_->owner(redis::cluster::key_slot(key));
}

std::string cluster_endpoint::node_of(const std::string& key) const {
  return "127.0.0.1:" + std::to_string(master_of_key(key));
}

void cluster_endpoint::flush() const {
  for (auto port : table_->masters()) {
    auto r = cluster_.command(port, {"FLUSHALL"});
    if (!r || r->type == REDIS_REPLY_ERROR)
      throw std::runtime_error("FLUSHALL failed on " + std::to_string(port));
  }
}

test_redis::test_redis() {
  if (!cluster_run()) {
    impl_ = std::make_unique<redis_server>();
    return;
  }
  auto c = std::make_unique<cluster_endpoint>(shared_cluster());
  c->flush();
  cluster_ = c.get();
  impl_ = std::move(c);
}

}  // namespace seatgate::test
