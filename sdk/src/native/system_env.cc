#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include "seatgate/client.h"

namespace seatgate {
namespace {

// Fills buf from the kernel CSPRNG. Weak keys are worse than no keys: if the
// kernel cannot provide randomness at all, the process stops.
void os_random(std::uint8_t* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::getrandom(buf + got, n - got, 0);
    if (r > 0) {
      got += static_cast<std::size_t>(r);
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else if (r < 0 && errno == ENOSYS) {
      int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
      while (fd >= 0 && got < n) {
        ssize_t k = ::read(fd, buf + got, n - got);
        if (k > 0)
          got += static_cast<std::size_t>(k);
        else if (!(k < 0 && errno == EINTR))
          break;
      }
      if (fd >= 0) ::close(fd);
      if (got == n) return;
      std::fputs("seatgate: no source of randomness (getrandom, /dev/urandom)\n", stderr);
      std::abort();
    } else {
      std::fputs("seatgate: getrandom failed\n", stderr);
      std::abort();
    }
  }
}

}  // namespace

environment system_environment() {
  environment env;
  env.now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  env.random_bytes = os_random;
  return env;
}

}  // namespace seatgate
