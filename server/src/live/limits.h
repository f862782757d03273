// How many live availability streams a server holds, in all and per client
// address (--max-stream-subscribers, --max-streams-per-ip). Shared by every
// I/O thread: one lookup under a mutex when a stream opens and when it ends.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seatgate::live {

class limits {
 public:
  limits(std::size_t max_total, std::size_t per_ip) : max_total_(max_total), per_ip_(per_ip) {}
  limits(const limits&) = delete;
  limits& operator=(const limits&) = delete;

  // One stream's place; given back when destroyed.
  class lease {
   public:
    lease() = default;
    lease(lease&& o) noexcept : owner_(o.owner_), key_(std::move(o.key_)) { o.owner_ = nullptr; }
    lease& operator=(lease&&) = delete;
    ~lease();

   private:
    friend class limits;
    lease(limits* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    limits* owner_ = nullptr;
    std::string key_;
  };

  enum class refusal { server_full, address_full };
  struct outcome {
    std::optional<lease> granted;
    refusal why = refusal::server_full;  // when not granted
  };
  // A place for one more stream from `client` (the per-IP key of the peer).
  outcome acquire(std::string_view client);

 private:
  void release(const std::string& key);
  const std::size_t max_total_;
  const std::size_t per_ip_;  // 0 = off
  std::mutex mu_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace seatgate::live
