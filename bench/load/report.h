// The results of a run: merged from every worker, printed as a table and
// written as JSON (--json).
#pragma once

#include "histogram.h"
#include "options.h"
#include "worker.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace seatgate::bench {

struct run_result {
  const options* opts = nullptr;
  std::string event_id;
  double window_s = 0;   // the measured window as it really ran
  double elapsed_s = 0;  // start to the end of the drain
  worker_stats merged;
  nlohmann::json extra = nlohmann::json::object();  // scenario-specific (flash sale)
};

worker_stats merge(const std::vector<const worker_stats*>& all);
nlohmann::json to_json(const run_result& r);
void print_table(std::ostream& out, const run_result& r);

}  // namespace seatgate::bench
