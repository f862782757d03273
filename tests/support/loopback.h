// Plain sockets on the loopback net for the tests: a free port for a child
// process to listen on, and raw HTTP/1.1 exchanges below any client library
// (for limits, floods and request framing that a client would not send).
#pragma once

#include <chrono>
#include <string>

namespace seatgate::test {

// A port the kernel just handed out on 127.0.0.1 (free a moment ago; a
// caller whose child loses the race for it retries with another one).
// Throws when none can be had.
unsigned short free_port();

// A raw TCP connection to 127.0.0.1:port, from `source` (an address of the
// loopback net) when given. -1 when it fails.
int connect_raw(unsigned short port, const char* source = nullptr);

// Writes all of `bytes`; false when the connection fails first.
bool send_all(int fd, const std::string& bytes);

// Reads until EOF, an error or `timeout` without data; returns what arrived.
// `closed` tells whether the peer closed (EOF or reset) rather than went quiet.
std::string read_all(int fd, std::chrono::milliseconds timeout, bool* closed = nullptr);

// Sends `bytes` on a fresh connection and reads everything the server sends
// until it closes the connection (or goes quiet for `timeout`).
std::string exchange(unsigned short port, const std::string& bytes, bool* closed = nullptr,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

// How many HTTP responses a byte stream holds (status lines: a body need
// not end in a newline, so the next one may follow it directly).
int responses_in(const std::string& text);

// A complete GET /healthz.
inline std::string healthz_request() { return "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"; }

}  // namespace seatgate::test
