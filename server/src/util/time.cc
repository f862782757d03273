#include "util/time.h"

#include <chrono>
#include <cstdio>

namespace seatgate::util {

std::string rfc3339_ms(std::int64_t ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{ms}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    return buf;
  }
  // The common case by hand (snprintf costs more than the date arithmetic).
  std::string out = "0000-00-00T00:00:00.000Z";
  const auto put = [&](std::size_t at, unsigned v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v /= 10)
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  put(0, static_cast<unsigned>(y), 4);
  put(5, static_cast<unsigned>(ymd.month()), 2);
  put(8, static_cast<unsigned>(ymd.day()), 2);
  put(11, static_cast<unsigned>(hms.hours().count()), 2);
  put(14, static_cast<unsigned>(hms.minutes().count()), 2);
  put(17, static_cast<unsigned>(hms.seconds().count()), 2);
  put(20, static_cast<unsigned>(hms.subseconds().count()), 3);
  return out;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace seatgate::util
