// The native environment: a monotonic clock and the OS CSPRNG, chosen at
// compile time:
//   Apple, Android, the BSDs   arc4random_buf (never fails)
//   Linux (glibc, musl)         getrandom(2); /dev/urandom when the kernel lacks it
//   other POSIX with getentropy getentropy, 256 bytes at a time
//   anything else               /dev/urandom
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#if defined(__APPLE__) || defined(__ANDROID__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
    defined(__NetBSD__)
#define SEATGATE_RANDOM_ARC4RANDOM 1
#include <stdlib.h>
#elif defined(__linux__) && __has_include(<sys/random.h>)
#define SEATGATE_RANDOM_GETRANDOM 1
#include <sys/random.h>
#elif __has_include(<sys/random.h>)
#define SEATGATE_RANDOM_GETENTROPY 1
#include <sys/random.h>
#endif

#include "seatgate/client.h"

namespace seatgate {
namespace {

[[noreturn]] void no_randomness(const char* what) {
  std::fprintf(stderr, "seatgate: no source of randomness (%s)\n", what);
  std::abort();
}

// Reads n bytes from /dev/urandom; false if it cannot.
[[maybe_unused]] bool urandom(std::uint8_t* buf, std::size_t n) {
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  std::size_t got = 0;
  while (fd >= 0 && got < n) {
    ssize_t k = ::read(fd, buf + got, n - got);
    if (k > 0)
      got += static_cast<std::size_t>(k);
    else if (!(k < 0 && errno == EINTR))
      break;
  }
  if (fd >= 0) ::close(fd);
  return got == n;
}

// Fills buf from the OS CSPRNG. Weak keys are worse than no keys: if the OS
// cannot provide randomness at all, the process stops.
void os_random(std::uint8_t* buf, std::size_t n) {
#if defined(SEATGATE_RANDOM_ARC4RANDOM)
  ::arc4random_buf(buf, n);
#elif defined(SEATGATE_RANDOM_GETRANDOM)
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::getrandom(buf + got, n - got, 0);
    if (r > 0) {
      got += static_cast<std::size_t>(r);
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else if (r < 0 && errno == ENOSYS) {
      if (!urandom(buf + got, n - got)) no_randomness("getrandom, /dev/urandom");
      return;
    } else {
      no_randomness("getrandom failed");
    }
  }
#elif defined(SEATGATE_RANDOM_GETENTROPY)
  for (std::size_t off = 0; off < n; off += 256) {
    const std::size_t k = n - off < 256 ? n - off : 256;
    if (::getentropy(buf + off, k) != 0) no_randomness("getentropy");
  }
#else
  if (!urandom(buf, n)) no_randomness("/dev/urandom");
#endif
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
