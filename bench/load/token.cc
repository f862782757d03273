#include "token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace seatgate::bench {

std::string base64url(std::string_view bytes) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += k_alphabet[v >> 18 & 63];
    out += k_alphabet[v >> 12 & 63];
    out += k_alphabet[v >> 6 & 63];
    out += k_alphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest == 1) {
    const unsigned v = byte(i) << 16;
    out += k_alphabet[v >> 18 & 63];
    out += k_alphabet[v >> 12 & 63];
  } else if (rest == 2) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8;
    out += k_alphabet[v >> 18 & 63];
    out += k_alphabet[v >> 12 & 63];
    out += k_alphabet[v >> 6 & 63];
  }
  return out;
}

std::string mint_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret) {
  // `sub` is an id the load generator builds (user-<n>): no JSON escaping needed.
  std::string payload = "{\"sub\":\"";
  payload.append(sub);
  payload += "\",\"exp\":" + std::to_string(exp_s) + "}";
  std::string signing_input = base64url(R"({"alg":"HS256","typ":"JWT"})");
  signing_input += '.';
  signing_input += base64url(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_len);
  signing_input += '.';
  signing_input += base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
  return signing_input;
}

}  // namespace seatgate::bench
