#include "inventory/fingerprint.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "util/hex.h"

namespace seatgate::inventory {
namespace {

// SHA-256 fetched once (EVP_sha256() makes OpenSSL 3 look it up on every
// digest); a context per thread, reused.
struct md_ctx_free {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string sha256_hex(std::string_view a, std::string_view b) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!sha256 || !ctx || EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
    throw std::runtime_error("SHA-256 failed");
  std::string out;
  util::append_hex(out, digest, len);
  return out;
}

}  // namespace

std::string fingerprint(std::string_view method, std::string_view path,
                        const nlohmann::json& canonical_body) {
  return fingerprint(method, path,
                     canonical_body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string fingerprint(std::string_view method, std::string_view path,
                        const std::string& canonical_text) {
  std::string head;
  head.reserve(method.size() + path.size() + 2);
  head.append(method).append("\n").append(path).append("\n");
  return sha256_hex(head, canonical_text);
}

}  // namespace seatgate::inventory
