#include "args.h"

#include <set>

namespace seatgate::cli {

std::optional<std::string> args::flag(const std::string& name) const {
  auto it = flags.find(name);
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

const char* usage() {
  return R"(usage: seatgate-cli [--server URL] [--token TOKEN] <command> [options]

commands:
  event <event-id>                       show an event with live availability
  reserve --event E --zone Z --quantity N [--idempotency-key K] [--queue-pass P]
                                         hold seats (key generated if not given)
  confirm <reservation-id> [--payment-ref R] [--idempotency-key K]
  release <reservation-id>               release a hold
  reservations <event-id>                list your reservations of an event
  queue <event-id> [--status | --leave | --wait [--wait-ms N]]
                                         join the waiting room (default), show your
                                         place, leave it, or join and wait for a pass
                                         (positions on stderr as "waiting position=N
                                         poll_after_ms=M next_poll_in_ms=D"; gives up
                                         after --wait-ms, default 1800000 = 30 min)

global options:
  --server URL        server base URL   (env SEATGATE_SERVER, default http://127.0.0.1:8080)
  --token TOKEN       user bearer token (env SEATGATE_TOKEN)
  --timeout-ms N      per-attempt timeout (default 10000)
  --deadline-ms N     overall deadline per operation (default 15000)
  --max-attempts N    attempts per operation (default 5)
  --help, --version

Results are printed as JSON on stdout; each retry is reported on stderr as
"retry attempt=N delay_ms=D reason=CODE". On failure the error is printed as
JSON on stdout, "error: CODE: message" on stderr, and the exit status is
2 usage, 3 validation, 4 server error, 5 network/timeout/deadline/retry budget,
6 cancelled, 7 unreadable answer.
)";
}

parse_result parse(int argc, const char* const* argv,
                   const std::map<std::string, std::string>& env) {
  static const std::set<std::string> switches = {"status", "leave", "wait", "help", "version"};
  parse_result out;
  args& a = out.value;
  if (auto it = env.find("SEATGATE_SERVER"); it != env.end()) a.server = it->second;
  if (auto it = env.find("SEATGATE_TOKEN"); it != env.end()) a.token = it->second;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0 && s.size() > 2) {
      std::string name = s.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (!switches.count(name)) {
        if (i + 1 >= argc) {
          out.error = "--" + name + " needs a value";
          return out;
        }
        value = argv[++i];
      }
      if (name == "server")
        a.server = value;
      else if (name == "token")
        a.token = value;
      else if (name == "help")
        a.help = true;
      else if (name == "version")
        a.version = true;
      else
        a.flags[name] = value;
    } else if (s == "-h") {
      a.help = true;
    } else if (a.command.empty()) {
      a.command = s;
    } else {
      a.positional.push_back(s);
    }
  }
  if (a.server.empty()) a.server = "http://127.0.0.1:8080";
  if (a.help || a.version) return out;
  static const std::set<std::string> commands = {"event",   "reserve",      "confirm",
                                                 "release", "reservations", "queue"};
  if (a.command.empty())
    out.error = "missing command";
  else if (!commands.count(a.command))
    out.error = "unknown command: " + a.command;
  return out;
}

}  // namespace seatgate::cli
