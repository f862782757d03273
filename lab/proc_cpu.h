// CPU time of store processes, from /proc/<pid>/stat (utime + stime).
#pragma once

#include <sys/types.h>

namespace seatgate::lab {

// utime + stime of one process in seconds (0 if it is gone); with
// `reaped_children`, plus the CPU of children it has already waited for.
double process_cpu_seconds(pid_t pid, bool reaped_children = false);

// A server that forks one process per connection (PostgreSQL): the root,
// its reaped children and every live direct child.
double process_tree_cpu_seconds(pid_t root);

}  // namespace seatgate::lab
