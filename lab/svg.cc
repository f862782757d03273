// The chart, written by hand: one row per strategy, a throughput bar on the
// left and a p99 bar on the right, each scaled to its panel's largest value.
// Strategies that double-booked are drawn red and say how many seats.
#include "report.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace seatgate::lab {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

}  // namespace

std::string to_svg(const std::vector<run_result>& results, const std::string& subtitle) {
  constexpr int width = 960, top = 86, row_h = 46, bar_h = 24;
  constexpr int name_w = 170, panel_w = 330, gap = 60;
  constexpr int left0 = name_w, left1 = name_w + panel_w + gap;
  const int height = top + row_h * static_cast<int>(results.size()) + 58;
  double max_tp = 1, max_p99 = 0.001;
  for (const auto& r : results) {
    max_tp = std::max(max_tp, r.throughput);
    max_p99 = std::max(max_p99, r.p99_ms);
  }
  std::ostringstream o;
  o << R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" << width << R"(" height=")" << height
    << R"(" viewBox="0 0 )" << width << ' ' << height
    << R"(" font-family="Helvetica, Arial, sans-serif" font-size="13">)" << '\n'
    << R"(<rect width="100%" height="100%" fill="#ffffff"/>)" << '\n'
    << R"(<text x="16" y="26" font-size="17" font-weight="bold">seatgate-lab: one seat sale, five ways to stop double bookings</text>)"
    << '\n'
    << R"(<text x="16" y="46" fill="#555">)" << escape(subtitle) << "</text>\n"
    << R"(<text x=")" << left0
    << R"(" y="74" font-weight="bold">throughput (buyers served / s, higher is better)</text>)"
    << '\n'
    << R"(<text x=")" << left1
    << R"(" y="74" font-weight="bold">p99 latency per buyer (ms, lower is better)</text>)" << '\n';
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const bool bad = r.counted.double_booked > 0;
    const int y = top + row_h * static_cast<int>(i);
    const char* fill = bad ? "#d62728" : "#1f77b4";
    const char* fill2 = bad ? "#f08080" : "#6baed6";
    o << R"(<text x="16" y=")" << y + 16 << R"(" font-weight="bold">)" << escape(r.strategy)
      << "</text>\n";
    if (bad)
      o << R"(<text x="16" y=")" << y + 32 << R"(" fill="#d62728">&#x2717; )"
        << r.counted.double_booked << " seats double-booked</text>\n";
    else
      o << R"(<text x="16" y=")" << y + 32
        << R"(" fill="#2ca02c">&#x2713; no double booking</text>)" << '\n';
    const int w0 = std::max(1, static_cast<int>(panel_w * r.throughput / max_tp));
    const int w1 = std::max(1, static_cast<int>(panel_w * r.p99_ms / max_p99));
    o << R"(<rect x=")" << left0 << R"(" y=")" << y + 4 << R"(" width=")" << w0 << R"(" height=")"
      << bar_h << R"(" fill=")" << fill << R"("/>)" << '\n'
      << R"(<text x=")" << left0 + w0 + 6 << R"(" y=")" << y + 21 << R"(">)" << num(r.throughput, 0)
      << "</text>\n"
      << R"(<rect x=")" << left1 << R"(" y=")" << y + 4 << R"(" width=")" << w1 << R"(" height=")"
      << bar_h << R"(" fill=")" << fill2 << R"("/>)" << '\n'
      << R"(<text x=")" << left1 + w1 + 6 << R"(" y=")" << y + 21 << R"(">)" << num(r.p99_ms, 2)
      << "</text>\n";
  }
  const int foot = top + row_h * static_cast<int>(results.size()) + 20;
  o << R"(<line x1="16" y1=")" << foot - 10 << R"(" x2=")" << width - 16 << R"(" y2=")" << foot - 10
    << R"(" stroke="#ccc"/>)" << '\n'
    << R"(<text x="16" y=")" << foot + 8
    << R"(" fill="#555">red: the strategy sold at least one seat twice (counted afterwards from the store's own record); )"
    << R"(seatgate models each seat as a one-seat zone</text>)" << '\n'
    << "</svg>\n";
  return o.str();
}

}  // namespace seatgate::lab
