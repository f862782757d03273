#include "sse.h"

#include <charconv>

namespace seatgate::detail {

void sse_parser::feed(std::string_view bytes,
                      const std::function<void(const sse_message&)>& on_message) {
  for (char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // CRLF: the CR ended the line
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      line(buf_, on_message);
      buf_.clear();
    } else {
      buf_.push_back(c);
    }
  }
}

void sse_parser::line(std::string_view l,
                      const std::function<void(const sse_message&)>& on_message) {
  if (l.empty()) {  // the message ends
    if (!m_.data.empty() || has_retry_) on_message(m_);
    m_ = sse_message{};
    has_retry_ = false;
    return;
  }
  if (l.front() == ':') return;  // a comment (the heartbeat)
  const auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    m_.event = value;
  } else if (field == "data") {
    if (!m_.data.empty()) m_.data.push_back('\n');
    m_.data.append(value);
  } else if (field == "id") {
    m_.id = value;
  } else if (field == "retry") {
    long long ms = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && p == value.data() + value.size() && ms >= 0) {
      m_.retry_ms = ms;
      has_retry_ = true;
    }
  }
}

}  // namespace seatgate::detail
