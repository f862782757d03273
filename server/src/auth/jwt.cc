#include "auth/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <nlohmann/json.hpp>

namespace seatgate::auth {
namespace {

constexpr std::size_t k_max_token = 4096;
constexpr std::size_t k_max_sub = 128;
constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

using mac = std::array<unsigned char, 32>;

mac hmac_sha256(std::string_view key, std::string_view data) {
  mac out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

std::string_view as_view(const mac& m) {
  return {reinterpret_cast<const char*>(m.data()), m.size()};
}

verify_result fail(jwt_error e) { return {std::nullopt, e}; }

bool has_control_chars(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(k_alphabet[(v >> 18) & 63]);
    out.push_back(k_alphabet[(v >> 12) & 63]);
    out.push_back(k_alphabet[(v >> 6) & 63]);
    out.push_back(k_alphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = byte(i) << 16;
    out.push_back(k_alphabet[(v >> 18) & 63]);
    out.push_back(k_alphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
    out.push_back(k_alphabet[(v >> 18) & 63]);
    out.push_back(k_alphabet[(v >> 12) & 63]);
    out.push_back(k_alphabet[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // Unpadded only; a lone trailing char cannot encode a byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int d = decode_char(c);
    if (d < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one
  // encoding (no malleable tokens).
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

verify_result verify_hs256(std::string_view token, std::string_view secret, std::int64_t now_s) {
  if (token.empty() || token.size() > k_max_token) return fail(jwt_error::malformed);
  const auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return fail(jwt_error::malformed);
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return fail(jwt_error::malformed);
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view sig_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty()) return fail(jwt_error::malformed);

  const auto header_text = base64url_decode(header_b64);
  if (!header_text) return fail(jwt_error::malformed);
  const auto header = nlohmann::json::parse(*header_text, nullptr, false);
  if (header.is_discarded() || !header.is_object()) return fail(jwt_error::malformed);
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256")
    return fail(jwt_error::bad_alg);
  // RFC 7515 §4.1.11: extensions we do not understand must be refused.
  if (header.contains("crit")) return fail(jwt_error::bad_alg);

  const auto sig = base64url_decode(sig_b64);
  if (!sig) return fail(jwt_error::malformed);
  const mac expected = hmac_sha256(secret, token.substr(0, dot2));
  if (!constant_time_equal(*sig, as_view(expected))) return fail(jwt_error::bad_signature);

  const auto payload_text = base64url_decode(payload_b64);
  if (!payload_text) return fail(jwt_error::malformed);
  const auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return fail(jwt_error::malformed);

  claims c;
  const auto exp = payload.find("exp");
  if (exp == payload.end() || !exp->is_number()) return fail(jwt_error::missing_claim);
  if (exp->is_number_float()) {
    const double d = exp->get<double>();
    // NumericDate may carry a fraction; out-of-range values are nonsense.
    if (!(d > -1e15 && d < 1e15)) return fail(jwt_error::malformed);
    c.exp = static_cast<std::int64_t>(d);
  } else if (exp->is_number_unsigned()) {
    const auto u = exp->get<std::uint64_t>();
    c.exp = u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
  } else {
    c.exp = exp->get<std::int64_t>();
  }
  const auto sub = payload.find("sub");
  if (sub == payload.end() || !sub->is_string()) return fail(jwt_error::missing_claim);
  c.sub = sub->get<std::string>();
  if (c.sub.empty() || c.sub.size() > k_max_sub || has_control_chars(c.sub))
    return fail(jwt_error::missing_claim);
  if (c.exp <= now_s) return fail(jwt_error::expired);
  return {std::move(c), jwt_error::none};
}

std::string hs256_signature(std::string_view signing_input, std::string_view secret) {
  return base64url_encode(as_view(hmac_sha256(secret, signing_input)));
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
    case jwt_error::none: return "none";
    case jwt_error::malformed: return "malformed";
    case jwt_error::bad_alg: return "bad_alg";
    case jwt_error::bad_signature: return "bad_signature";
    case jwt_error::expired: return "expired";
    case jwt_error::missing_claim: return "missing_claim";
  }
  return "malformed";
}

}  // namespace seatgate::auth
