// Results out: a terminal table, JSON and a hand-written SVG bar chart.
#pragma once

#include "options.h"
#include "runner.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace seatgate::lab {

// Where and how the run happened, printed with every result.
struct run_context {
  unsigned cores = 0;
  std::string load_before, load_after;  // /proc/loadavg, first three fields
  std::string postgres_version, redis_version;
  std::string command;  // argv, joined
};

// Text of the first three fields of /proc/loadavg ("1.02 0.80 0.55").
std::string load_average();

void print_table(std::ostream& out, const std::vector<run_result>& results);
nlohmann::json to_json(const options& o, const run_context& ctx,
                       const std::vector<run_result>& results);
std::string to_svg(const std::vector<run_result>& results, const std::string& subtitle);

}  // namespace seatgate::lab
