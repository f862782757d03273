// Server-Sent Events framing (the WHATWG EventSource parsing rules that
// seatgate's stream uses): feed bytes as they come, take whole messages.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::detail {

struct sse_message {
  std::string event = "message";
  std::string data;
  std::string id;
  std::optional<long long> retry_ms;  // a `retry:` field in this message
};

class sse_parser {
 public:
  // Splits `bytes` (any chunking) into lines; calls `on_message` for each
  // message that ends (a blank line) with data or a retry hint. Comment
  // lines (":...") are skipped.
  void feed(std::string_view bytes, const std::function<void(const sse_message&)>& on_message);

 private:
  void line(std::string_view l, const std::function<void(const sse_message&)>& on_message);
  std::string buf_;
  bool after_cr_ = false;
  sse_message m_;
  bool has_retry_ = false;
};

}  // namespace seatgate::detail
