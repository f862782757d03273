#include "util/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "auth/jwt.h"

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

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  random_bytes(buf.data(), buf.size());
  return auth::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

std::string request_id() {
  unsigned char buf[8];
  random_bytes(buf, sizeof buf);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(16);
  for (unsigned char b : buf) {
    out.push_back(k_hex[b >> 4]);
    out.push_back(k_hex[b & 0xf]);
  }
  return out;
}

}  // namespace seatgate::util
