#include "outbox/signature.h"

#include "util/hex.h"
#include "util/random.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace seatgate::outbox {

std::string signature_v1(std::string_view secret, std::int64_t t, std::string_view body) {
  std::string message = std::to_string(t);
  message.push_back('.');
  message.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  std::string out;
  util::append_hex(out, mac, len);
  return out;
}

std::string signature_header(std::string_view secret, std::int64_t t, std::string_view body) {
  return "t=" + std::to_string(t) + ",v1=" + signature_v1(secret, t, body);
}

std::string new_secret() { return "whsec_" + util::random_token(32); }

}  // namespace seatgate::outbox
