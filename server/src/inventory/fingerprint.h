// What an Idempotency-Key is bound to: a digest of the request it first came
// with, so the same key with a different request is told apart.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace seatgate::inventory {

// SHA-256 hex of method + "\n" + path + "\n" + canonical_body.dump().
std::string fingerprint(std::string_view method, std::string_view path,
                        const nlohmann::json& canonical_body);
// The same, with the canonical body already as text (reserve_request::canonical).
std::string fingerprint(std::string_view method, std::string_view path,
                        const std::string& canonical_text);

}  // namespace seatgate::inventory
