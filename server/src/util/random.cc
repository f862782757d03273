#include "util/random.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "util/base64url.h"
#include "util/hex.h"

namespace seatgate::util {

void random_bytes(void* out, std::size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const ssize_t got = ::getrandom(p, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      // No usable CSPRNG: an unguessable id cannot be made, so stop here.
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    p += got;
    n -= static_cast<std::size_t>(got);
  }
}

namespace {

// Ids are drawn from a per-thread block of getrandom(2) output, refilled when
// spent: the same CSPRNG, one syscall per 4 KiB instead of one per id. Each
// byte is handed out once and wiped as it goes.
class pool {
 public:
  void take(unsigned char* out, std::size_t n) {
    while (n > 0) {
      if (used_ == sizeof block_) {
        random_bytes(block_, sizeof block_);
        used_ = 0;
      }
      const std::size_t k = std::min(n, sizeof block_ - used_);
      std::memcpy(out, block_ + used_, k);
      std::memset(block_ + used_, 0, k);
      used_ += k;
      out += k;
      n -= k;
    }
  }

 private:
  unsigned char block_[4096];
  std::size_t used_ = sizeof block_;
};

void pooled_bytes(unsigned char* out, std::size_t n) {
  thread_local pool p;
  p.take(out, n);
}

}  // namespace

std::string random_token(std::size_t bytes) {
  unsigned char small[64];
  std::vector<unsigned char> large;
  unsigned char* buf = small;
  if (bytes > sizeof small) {
    large.resize(bytes);
    buf = large.data();
  }
  pooled_bytes(buf, bytes);
  std::string out =
      base64url_encode(std::string_view(reinterpret_cast<const char*>(buf), bytes));
  std::memset(buf, 0, bytes);
  return out;
}

std::string request_id() {
  unsigned char buf[8];
  pooled_bytes(buf, sizeof buf);
  std::string out;
  append_hex(out, buf, sizeof buf);
  return out;
}

}  // namespace seatgate::util
