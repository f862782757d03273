#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <stdexcept>

namespace seatgate::test {

unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

int connect_raw(unsigned short port, const char* source) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (source) {
    sockaddr_in s{};
    s.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &s.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&s), sizeof s) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_all(int fd, std::chrono::milliseconds timeout, bool* closed) {
  timeval tv{static_cast<long>(timeout.count() / 1000),
             static_cast<long>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  bool eof = false;
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) eof = true;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (closed) *closed = eof;
  return out;
}

std::string exchange(unsigned short port, const std::string& bytes, bool* closed,
                     std::chrono::milliseconds timeout) {
  int fd = connect_raw(port);
  if (fd < 0) return "(connect failed)";
  if (!send_all(fd, bytes)) {
    ::close(fd);
    return "(send failed)";
  }
  auto out = read_all(fd, timeout, closed);
  ::close(fd);
  return out;
}

int responses_in(const std::string& text) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find("HTTP/1.1 ", p)) != std::string::npos; ++p)
    if (p + 12 <= text.size() && std::isdigit(static_cast<unsigned char>(text[p + 9])) &&
        std::isdigit(static_cast<unsigned char>(text[p + 10])) &&
        std::isdigit(static_cast<unsigned char>(text[p + 11])))
      ++n;
  return n;
}

}  // namespace seatgate::test
