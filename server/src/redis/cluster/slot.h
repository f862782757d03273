// The Redis Cluster key slot (docs/operations.md, Redis Cluster): CRC16
// (XMODEM) of the key, or of its hash tag, modulo 16384. Pure.
#pragma once

#include <cstdint>
#include <string_view>

namespace seatgate::redis::cluster {

inline constexpr int k_slots = 16384;

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), as Redis uses.
std::uint16_t crc16(std::string_view data) noexcept;

// The part of a key that is hashed: the text between the first '{' and the
// first '}' after it when that text is not empty, else the whole key.
std::string_view hash_tag(std::string_view key) noexcept;

// The slot (0..16383) that owns `key`.
int key_slot(std::string_view key) noexcept;

}  // namespace seatgate::redis::cluster
