// The contract's table: valid and invalid inputs for each request rule
// (docs/request-rules.md). contract_test.cc runs them through the server's
// and the SDK's validation; http_test.cc sends the ones an HTTP request can
// carry to a real server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seatgate::contract {

struct text_case {
  std::string input;
  bool valid;
};

inline std::string bytes(std::string_view s) { return std::string(s); }

inline const std::vector<text_case> k_slug_cases = {
    {"a", true},
    {"0", true},
    {"summer-arena-2026", true},
    {"a-", true},
    {std::string(64, 'a'), true},
    {std::string(65, 'a'), false},
    {"", false},
    {"-a", false},
    {"Arena", false},
    {"a_b", false},
    {"a.b", false},
    {"a b", false},
    {"a/../admin", false},
    {"caf\xc3\xa9", false},
    {bytes(std::string_view("a\0b", 3)), false},
};

inline const std::vector<text_case> k_reservation_id_cases = {
    {"arena.AAAAAAAAAAAAAAAAAAAA-_", true},
    {"summer-2026.AbC_-09xyzABCDEFGHIJKL", true},
    {std::string(64, 'e') + ".AAAAAAAAAAAAAAAAAAAAAA", true},
    {std::string(65, 'e') + ".AAAAAAAAAAAAAAAAAAAAAA", false},
    {"", false},
    {"arena.AAAAAAAAAAAAAAAAAAAAA", false},    // 21 chars
    {"arena.AAAAAAAAAAAAAAAAAAAAAAA", false},  // 23 chars
    {"arena.AAAAAAAAAAAAAAAAAAAA+/", false},
    {"arena.AAAAAAAAAAAAAAAAAAAAA=", false},
    {"Arena.AAAAAAAAAAAAAAAAAAAAAA", false},
    {".AAAAAAAAAAAAAAAAAAAAAA", false},
    {"arenaAAAAAAAAAAAAAAAAAAAAAA", false},
    {"a.b.AAAAAAAAAAAAAAAAAAAAAA", false},
    {"summer.short", false},
};

// Idempotency-Key and payment_ref share a shape (rules::is_printable_token).
inline const std::vector<text_case> k_token_cases = {
    {"9b2f3c1e-6a0e-4b55-8f7e-0c4b1d7a2e11", true},
    {"k", true},
    {std::string(255, 'k'), true},
    {"a b", true},  // spaces inside are fine
    {"~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true},
    {std::string(256, 'k'), false},
    {" ab", false},
    {"ab ", false},
    {" ", false},
    {"a\tb", false},
    {"a\nb", false},
    {"a\x7f", false},
    {"caf\xc3\xa9", false},
    {"pay_\xff\xfe", false},
    {bytes(std::string_view("a\0b", 3)), false},
};

inline const std::vector<text_case> k_queue_pass_cases = {
    {"", true},  // no pass
    {"3q2-7wAAAAAAAAAAAAAAAA", true},
    {std::string(256, 'p'), true},
    {"~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true},
    {std::string(257, 'p'), false},
    {std::string(4096, 'p'), false},
    {"a b", false},
    {" p", false},
    {"bad\npass", false},
    {"a\tb", false},
    {"caf\xc3\xa9", false},
    {bytes(std::string_view("a\0b", 3)), false},
};

}  // namespace seatgate::contract
