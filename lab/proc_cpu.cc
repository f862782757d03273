#include "proc_cpu.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace seatgate::lab {
namespace {

struct stat_fields {
  pid_t ppid = 0;
  unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0;
  bool ok = false;
};

stat_fields read_stat(pid_t pid) {
  stat_fields f;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return f;
  // The command name is in parentheses and may hold spaces: parse after it.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return f;
  std::istringstream rest(text.substr(close + 2));
  std::vector<std::string> v;
  for (std::string tok; rest >> tok && v.size() < 15;) v.push_back(tok);
  if (v.size() < 15) return f;
  // Fields 3.. of proc(5): state ppid ... utime(14) stime(15) cutime(16) cstime(17).
  f.ppid = static_cast<pid_t>(std::atol(v[1].c_str()));
  f.utime = std::strtoull(v[11].c_str(), nullptr, 10);
  f.stime = std::strtoull(v[12].c_str(), nullptr, 10);
  f.cutime = std::strtoull(v[13].c_str(), nullptr, 10);
  f.cstime = std::strtoull(v[14].c_str(), nullptr, 10);
  f.ok = true;
  return f;
}

double ticks_to_seconds(unsigned long long t) {
  static const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return static_cast<double>(t) / hz;
}

}  // namespace

double process_cpu_seconds(pid_t pid, bool reaped_children) {
  if (pid <= 0) return 0;
  const auto f = read_stat(pid);
  if (!f.ok) return 0;
  return ticks_to_seconds(f.utime + f.stime + (reaped_children ? f.cutime + f.cstime : 0));
}

double process_tree_cpu_seconds(pid_t root) {
  if (root <= 0) return 0;
  double total = process_cpu_seconds(root, true);
  DIR* d = ::opendir("/proc");
  if (!d) return total;
  while (const dirent* e = ::readdir(d)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    const auto f = read_stat(static_cast<pid_t>(pid));
    if (f.ok && f.ppid == root) total += ticks_to_seconds(f.utime + f.stime);
  }
  ::closedir(d);
  return total;
}

}  // namespace seatgate::lab
