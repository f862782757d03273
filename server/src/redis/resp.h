// The bytes a node sends: RESP framing of one command and the SHA1 of every
// embedded script. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace seatgate::redis {

// RESP for one command ("*<argc>\r\n" then "$<len>\r\n<arg>\r\n" each),
// written into `out` (cleared first, its capacity reused).
void format_command(std::string& out, int argc, const char** argv, const std::size_t* lens);

// The SHA1 of every embedded script, indexed like lua::all_scripts().
const std::vector<std::string>& script_shas();

}  // namespace seatgate::redis
