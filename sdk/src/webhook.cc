// SHA-256 (FIPS 180-4) and HMAC (RFC 2104), small and portable, for the
// webhook verifier; compared in constant time.
#include <seatgate/webhook.h>

#include <array>
#include <cstring>
#include <vector>

namespace seatgate {

namespace {

constexpr std::array<std::uint32_t, 64> k_round{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

using digest = std::array<unsigned char, 32>;

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

digest sha256(std::string_view a, std::string_view b = {}) {
  std::array<std::uint32_t, 8> h{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::vector<unsigned char> m(a.begin(), a.end());
  m.insert(m.end(), b.begin(), b.end());
  const std::uint64_t bits = static_cast<std::uint64_t>(m.size()) * 8;
  m.push_back(0x80);
  while (m.size() % 64 != 56) m.push_back(0);
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<unsigned char>(bits >> (8 * i)));
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i)
      w[i] = (std::uint32_t{m[off + 4 * i]} << 24) | (std::uint32_t{m[off + 4 * i + 1]} << 16) |
             (std::uint32_t{m[off + 4 * i + 2]} << 8) | std::uint32_t{m[off + 4 * i + 3]};
    for (int i = 16; i < 64; ++i) {
      const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto v = h;
    for (int i = 0; i < 64; ++i) {
      const auto s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const auto ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const auto t1 = v[7] + s1 + ch + k_round[i] + w[i];
      const auto s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const auto maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const auto t2 = s0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  digest out{};
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<unsigned char>(h[i] >> (24 - 8 * j));
  return out;
}

digest hmac_sha256(std::string_view key, std::string_view msg) {
  std::array<unsigned char, 64> k{};
  if (key.size() > 64) {
    const auto d = sha256(key);
    std::memcpy(k.data(), d.data(), d.size());
  } else {
    std::memcpy(k.data(), key.data(), key.size());
  }
  std::string ipad(64, '\0'), opad(64, '\0');
  for (int i = 0; i < 64; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  const auto inner = sha256(ipad, msg);
  return sha256(opad, std::string_view(reinterpret_cast<const char*>(inner.data()), inner.size()));
}

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::int64_t t, std::string_view body) {
  std::string msg = std::to_string(t);
  msg.push_back('.');
  msg.append(body);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : hmac_sha256(secret, msg)) {
    out.push_back(k_hex[c >> 4]);
    out.push_back(k_hex[c & 15]);
  }
  return out;
}

webhook_verdict verify_webhook(std::string_view secret, std::string_view header,
                               std::string_view body, std::int64_t now_s,
                               std::int64_t tolerance_s) {
  std::int64_t t = 0;
  bool have_t = false;
  std::vector<std::string_view> v1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto part = header.substr(0, comma);
    if (part.substr(0, 2) == "t=") have_t = parse_int(part.substr(2), t);
    if (part.substr(0, 3) == "v1=") v1.push_back(part.substr(3));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
  }
  if (!have_t || v1.empty()) return webhook_verdict::malformed_header;
  const auto expected = webhook_signature(secret, t, body);
  bool match = false;
  for (auto s : v1) match = same(s, expected) || match;
  if (!match) return webhook_verdict::bad_signature;
  const auto skew = now_s > t ? now_s - t : t - now_s;
  if (skew > tolerance_s) return webhook_verdict::too_old;
  return webhook_verdict::valid;
}

}  // namespace seatgate
