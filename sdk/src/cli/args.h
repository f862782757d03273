// Command-line parsing for seatgate-cli: global flags, a command, its flags
// and positionals. Pure, so it is unit-tested.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seatgate::cli {

struct args {
  std::string server;   // --server or SEATGATE_SERVER
  std::string token;    // --token or SEATGATE_TOKEN
  std::string command;  // event | reserve | confirm | release | reservations | queue
  std::map<std::string, std::string> flags;  // --name value (or "" for switches)
  std::vector<std::string> positional;
  bool help = false;
  bool version = false;

  std::optional<std::string> flag(const std::string& name) const;
};

struct parse_result {
  args value;
  std::string error;  // non-empty: usage error
};

// env: lookup of SEATGATE_SERVER / SEATGATE_TOKEN (getenv in main).
parse_result parse(int argc, const char* const* argv,
                   const std::map<std::string, std::string>& env);

const char* usage();

}  // namespace seatgate::cli
