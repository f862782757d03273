#include "declared_keys.h"

#include "loopback.h"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace seatgate::test {

namespace {

constexpr char k_user[] = "sg-declared-keys";

reply_ptr send(redis_link& c, const std::vector<std::string>& argv) {
  auto r = c.command(argv);
  if (!r) throw std::runtime_error("redis connection failed");
  return r;
}

// An ACL key pattern matching exactly `key` (glob characters escaped).
std::string exact_pattern(std::string_view key) {
  std::string out = "~";
  for (char c : key) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

bool strict_mode() {
  const char* v = std::getenv("SEATGATE_LUA_STRICT");
  return v && std::string_view(v) == "1";
}

std::unique_ptr<redis_server> single_node_cluster() {
  auto s = std::make_unique<redis_server>(
      false, std::vector<std::string>{"--cluster-enabled", "yes", "--cluster-config-file",
                                      "nodes.conf", "--bind", "127.0.0.1", "--cluster-port",
                                      std::to_string(free_port())});
  auto r = s->command({"CLUSTER", "ADDSLOTSRANGE", "0", "16383"});
  if (!r || r->type == REDIS_REPLY_ERROR) throw std::runtime_error("CLUSTER ADDSLOTSRANGE failed");
  for (int i = 0; i < 500; ++i) {  // the node marks the cluster ok within a second or so
    auto info = s->command({"CLUSTER", "INFO"});
    if (info && info->type == REDIS_REPLY_STRING) {
      if (std::string_view(info->str, info->len).find("cluster_state:ok") != std::string_view::npos)
        return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the single-node cluster did not become ready");
}

bool is_room_script(lua::script s) {
  using lua::script;
  switch (s) {
    case script::join_queue:
    case script::queue_position:
    case script::leave_queue:
    case script::admit_queue:
    case script::peek_queue:
    case script::delete_pass:
    case script::claim_queue_slot:
    case script::release_queue_slot:
      return true;
    default:
      return false;
  }
}

key_guard::key_guard(const redis_endpoint& server)
    : admin_(server.link()), guarded_(server.link()) {
  send(*admin_, {"ACL", "SETUSER", k_user, "on", "nopass", "+@all", "resetkeys"});
  auto r = send(*guarded_, {"AUTH", k_user, "any"});
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("AUTH as the guarded user failed");
}

reply_ptr key_guard::run(std::vector<std::string> cmd, const std::vector<std::string>& keys,
                         const std::vector<std::string>& args) {
  std::vector<std::string> acl = {"ACL", "SETUSER", k_user, "resetkeys"};
  for (const auto& k : keys) acl.push_back(exact_pattern(k));
  auto set = send(*admin_, acl);
  if (set->type == REDIS_REPLY_ERROR) throw std::runtime_error("ACL SETUSER failed");
  cmd.push_back(std::to_string(keys.size()));
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), args.begin(), args.end());
  return send(*guarded_, cmd);
}

reply_ptr key_guard::evalsha(const std::string& sha, const store::script_call& call) {
  return run({"EVALSHA", sha}, call.keys, call.args);
}

reply_ptr key_guard::eval(const std::string& script, const std::vector<std::string>& keys) {
  return run({"EVAL", script}, keys, {});
}

}  // namespace seatgate::test
