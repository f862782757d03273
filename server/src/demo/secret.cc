#include "demo/secret.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seatgate::demo {

namespace {

constexpr std::size_t k_min_secret = 32;

std::runtime_error failure(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string kept_secret(const std::string& data_dir, const std::string& fresh) {
  const std::string path = data_dir + "/demo-jwt-secret";
  if (std::ifstream in{path}; in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string kept = text.str();
    while (!kept.empty() && (kept.back() == '\n' || kept.back() == '\r')) kept.pop_back();
    if (kept.size() >= k_min_secret) return kept;
  } else if (errno != ENOENT) {
    throw failure("cannot read", path);
  }
  // Owner-only from the first byte: the secret signs every demo token.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw failure("cannot write", path);
  const std::string line = fresh + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw failure("cannot write", path);
  return fresh;
}

}  // namespace seatgate::demo
