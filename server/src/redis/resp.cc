#include "redis/resp.h"

#include "util/hex.h"

#include <seatgate/lua_scripts.h>

#include <openssl/evp.h>

#include <charconv>
#include <stdexcept>

namespace seatgate::redis {
namespace {

std::string sha1_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("SHA1 of an embedded script failed");
  std::string out;
  util::append_hex(out, digest, len);
  return out;
}

}  // namespace

const std::vector<std::string>& script_shas() {
  static const std::vector<std::string> shas = [] {
    std::vector<std::string> out;
    for (const auto& s : lua::all_scripts()) out.push_back(sha1_hex(s.text));
    return out;
  }();
  return shas;
}

// RESP for one command ("*<argc>\r\n" then "$<len>\r\n<arg>\r\n" each), the
// bytes redisFormatSdsCommandArgv makes, written into a reused buffer:
// hiredis' sds formatting cost ~10,000 instructions per EVALSHA.
void format_command(std::string& out, int argc, const char** argv, const std::size_t* lens) {
  std::size_t total = 16;
  for (int i = 0; i < argc; ++i) total += lens[i] + 24;
  out.clear();
  out.reserve(total);
  const auto number = [&out](char mark, std::size_t n) {
    char buf[24];
    buf[0] = mark;
    char* end = std::to_chars(buf + 1, buf + sizeof buf - 2, n).ptr;
    *end++ = '\r';
    *end++ = '\n';
    out.append(buf, static_cast<std::size_t>(end - buf));
  };
  number('*', static_cast<std::size_t>(argc));
  for (int i = 0; i < argc; ++i) {
    number('$', lens[i]);
    out.append(argv[i], lens[i]);
    out.append("\r\n", 2);
  }
}

}  // namespace seatgate::redis
