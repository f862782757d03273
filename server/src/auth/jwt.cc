#include "auth/jwt.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace seatgate::auth {
namespace {

constexpr std::size_t k_max_token = 4096;
constexpr std::size_t k_max_sub = 128;

using mac = std::array<unsigned char, 32>;

// OpenSSL 3's one-shot HMAC() fetches the HMAC and SHA-256 implementations
// and sets the key on every call. Each thread keeps one context keyed with the
// secret instead; EVP_MAC_init with a NULL key restarts it with the same key
// (life_cycle-mac(7)).
struct mac_ctx_free {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
struct keyed_hmac {
  std::string key;
  std::unique_ptr<EVP_MAC_CTX, mac_ctx_free> ctx;
};

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const alg = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return alg;
}

EVP_MAC_CTX* hmac_context(std::string_view key) {
  thread_local keyed_hmac k;
  if (k.ctx && k.key == key) {
    if (EVP_MAC_init(k.ctx.get(), nullptr, 0, nullptr) == 1) return k.ctx.get();
  }
  k.ctx.reset();
  if (!hmac_algorithm()) return nullptr;
  std::unique_ptr<EVP_MAC_CTX, mac_ctx_free> c(EVP_MAC_CTX_new(hmac_algorithm()));
  if (!c) return nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  // A zero-length key is legal for HMAC; give OpenSSL a non-null pointer.
  static const unsigned char k_empty = 0;
  const auto* kp = key.empty() ? &k_empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(c.get(), kp, key.size(), params) != 1) return nullptr;
  k.key.assign(key);
  k.ctx = std::move(c);
  return k.ctx.get();
}

// nullopt when OpenSSL fails: never a MAC a forged token could match.
std::optional<mac> hmac_sha256(std::string_view key, std::string_view data) {
  EVP_MAC_CTX* c = hmac_context(key);
  if (!c) return std::nullopt;
  mac out{};
  std::size_t len = 0;
  if (EVP_MAC_update(c, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(c, out.data(), &len, out.size()) != 1 || len != out.size())
    return std::nullopt;
  return out;
}

std::string_view as_view(const mac& m) {
  return {reinterpret_cast<const char*>(m.data()), m.size()};
}

verify_result fail(jwt_error e) { return {std::nullopt, e}; }

// base64url of {"alg":"HS256","typ":"JWT"}, the header nearly every issuer
// writes: the same bytes need no decoding or parsing to be accepted.
constexpr std::string_view k_common_header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

// Tokens this thread verified, with their claims: a buyer sends the same
// token with every request of a checkout (reserve, confirm, polls). Only
// tokens whose signature checked out under `secret` are kept, `exp` is still
// compared with the clock on every hit, and the map is bounded (emptied when
// full), so a hit answers exactly what verifying again would.
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
struct verified_cache {
  static constexpr std::size_t k_max_entries = 4096;
  std::string secret;
  std::unordered_map<std::string, claims, text_hash, std::equal_to<>> tokens;
};

verified_cache& cache_for(std::string_view secret) {
  thread_local verified_cache c;
  if (c.secret != secret) {
    c.tokens.clear();
    c.secret.assign(secret);
  }
  return c;
}

bool has_control_chars(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

verify_result verify_uncached(std::string_view token, std::string_view secret);

// The checks that depend on the clock and the options: run on every
// verification, cached or not.
jwt_error check_times(const claims& c, std::int64_t now_s, const verify_options& o) {
  if (c.exp <= now_s) return jwt_error::expired;
  if (c.nbf && *c.nbf > now_s + o.leeway_s) return jwt_error::not_yet_valid;
  if (c.iat && *c.iat > now_s + o.leeway_s) return jwt_error::issued_in_future;
  // Every operand is within ±10^15 (or a clock), so this cannot overflow.
  if (c.exp - c.iat.value_or(now_s) > o.max_lifetime_s) return jwt_error::lifetime_too_long;
  return jwt_error::none;
}

}  // namespace

verify_result verify_hs256(std::string_view token, std::string_view secret, std::int64_t now_s,
                           const verify_options& opts) {
  if (token.empty() || token.size() > k_max_token) return fail(jwt_error::malformed);
  auto& cache = cache_for(secret);
  if (const auto it = cache.tokens.find(token); it != cache.tokens.end()) {
    if (auto e = check_times(it->second, now_s, opts); e != jwt_error::none) return fail(e);
    return {it->second, jwt_error::none};
  }
  auto r = verify_uncached(token, secret);
  if (r.ok) {
    if (auto e = check_times(*r.ok, now_s, opts); e != jwt_error::none) return fail(e);
    if (cache.tokens.size() >= verified_cache::k_max_entries) cache.tokens.clear();
    cache.tokens.emplace(std::string(token), *r.ok);
  }
  return r;
}

namespace {

// A NumericDate (RFC 7519 §2): nullopt when `v` is not a number or is a
// float outside ±k_max_date (where a cast to an integer could be undefined).
// A fraction is floored; integers beyond ±k_max_date are clamped to it.
enum class date_error { none, not_a_number, out_of_range };
date_error numeric_date(const nlohmann::json& v, std::int64_t& out) {
  if (!v.is_number()) return date_error::not_a_number;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!(d > -static_cast<double>(k_max_date) && d < static_cast<double>(k_max_date)))
      return date_error::out_of_range;
    out = static_cast<std::int64_t>(std::floor(d));
  } else if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    out = u > static_cast<std::uint64_t>(k_max_date) ? k_max_date : static_cast<std::int64_t>(u);
  } else {
    out = std::clamp(v.get<std::int64_t>(), -k_max_date, k_max_date);
  }
  return date_error::none;
}

verify_result verify_uncached(std::string_view token, std::string_view secret) {
  const auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return fail(jwt_error::malformed);
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return fail(jwt_error::malformed);
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view sig_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty()) return fail(jwt_error::malformed);

  if (header_b64 != k_common_header) {
    const auto header_text = base64url_decode(header_b64);
    if (!header_text) return fail(jwt_error::malformed);
    const auto header = nlohmann::json::parse(*header_text, nullptr, false);
    if (header.is_discarded() || !header.is_object()) return fail(jwt_error::malformed);
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256")
      return fail(jwt_error::bad_alg);
    // RFC 7515 §4.1.11: extensions we do not understand must be refused.
    if (header.contains("crit")) return fail(jwt_error::bad_alg);
  }

  const auto sig = base64url_decode(sig_b64);
  if (!sig) return fail(jwt_error::malformed);
  const auto expected = hmac_sha256(secret, token.substr(0, dot2));
  if (!expected || !constant_time_equal(*sig, as_view(*expected)))
    return fail(jwt_error::bad_signature);

  const auto payload_text = base64url_decode(payload_b64);
  if (!payload_text) return fail(jwt_error::malformed);
  const auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return fail(jwt_error::malformed);

  claims c;
  const auto exp = payload.find("exp");
  if (exp == payload.end()) return fail(jwt_error::missing_claim);
  switch (numeric_date(*exp, c.exp)) {
    case date_error::not_a_number:
      return fail(jwt_error::missing_claim);
    case date_error::out_of_range:
      return fail(jwt_error::malformed);
    case date_error::none:
      break;
  }
  const auto sub = payload.find("sub");
  if (sub == payload.end() || !sub->is_string()) return fail(jwt_error::missing_claim);
  c.sub = sub->get<std::string>();
  if (c.sub.empty() || c.sub.size() > k_max_sub || has_control_chars(c.sub))
    return fail(jwt_error::missing_claim);
  for (auto [name, dst] : {std::pair{"nbf", &c.nbf}, std::pair{"iat", &c.iat}}) {
    const auto it = payload.find(name);
    if (it == payload.end()) continue;
    std::int64_t v = 0;
    if (numeric_date(*it, v) != date_error::none) return fail(jwt_error::bad_claim);
    *dst = v;
  }
  return {std::move(c), jwt_error::none};
}

}  // namespace

std::string hs256_signature(std::string_view signing_input, std::string_view secret) {
  const auto m = hmac_sha256(secret, signing_input);
  if (!m) throw std::runtime_error("HMAC-SHA256 failed");
  return base64url_encode(as_view(*m));
}

std::string sign_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret) {
  const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  nlohmann::ordered_json payload;
  payload["sub"] = std::string(sub);
  payload["exp"] = exp_s;
  std::string signing_input =
      header + "." +
      base64url_encode(payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return signing_input + "." + hs256_signature(signing_input, secret);
}

std::string_view error_name(jwt_error e) {
  switch (e) {
    case jwt_error::none:
      return "none";
    case jwt_error::malformed:
      return "malformed";
    case jwt_error::bad_alg:
      return "bad_alg";
    case jwt_error::bad_signature:
      return "bad_signature";
    case jwt_error::expired:
      return "expired";
    case jwt_error::missing_claim:
      return "missing_claim";
    case jwt_error::bad_claim:
      return "bad_claim";
    case jwt_error::not_yet_valid:
      return "not_yet_valid";
    case jwt_error::issued_in_future:
      return "issued_in_future";
    case jwt_error::lifetime_too_long:
      return "lifetime_too_long";
  }
  return "malformed";
}

}  // namespace seatgate::auth
