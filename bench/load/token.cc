#include "token.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

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
  // OpenSSL 3's one-shot HMAC() fetches the algorithms on every call; a
  // keyed context per thread, duplicated per token, skips that.
  struct keyed {
    EVP_MAC* mac = nullptr;
    EVP_MAC_CTX* ctx = nullptr;
    std::string key;
    ~keyed() {
      EVP_MAC_CTX_free(ctx);
      EVP_MAC_free(mac);
    }
  };
  thread_local keyed k;
  if (!k.mac) k.mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!k.ctx || k.key != secret) {
    EVP_MAC_CTX_free(k.ctx);
    k.ctx = EVP_MAC_CTX_new(k.mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!k.ctx || EVP_MAC_init(k.ctx, reinterpret_cast<const unsigned char*>(secret.data()),
                               secret.size(), params) != 1) {
      throw std::runtime_error("HMAC-SHA256 setup failed");
    }
    k.key = std::string(secret);
  }
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> c(EVP_MAC_CTX_dup(k.ctx),
                                                              &EVP_MAC_CTX_free);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t mac_len = 0;
  if (!c ||
      EVP_MAC_update(c.get(), reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1 ||
      EVP_MAC_final(c.get(), mac, &mac_len, sizeof mac) != 1) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  signing_input += '.';
  signing_input += base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
  return signing_input;
}

}  // namespace seatgate::bench
