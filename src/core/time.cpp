#include "identrail/core/time.hpp"

#include <algorithm>
#include <cstdio>

namespace identrail {
inline namespace v0 {
namespace {

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int &out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

error bad_time(std::string_view text, const char *why) {
  // Quote at most 64 bytes, cut on a UTF-8 character boundary.
  std::size_t cut = std::min<std::size_t>(text.size(), 64);
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return error{errc::parse_error, "invalid RFC 3339 time \"" + std::string(text.substr(0, cut)) + "\": " + why};
}

}  // namespace

result<timestamp> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !read_digits(text, 5, 2, month) ||
      text[7] != '-' || !read_digits(text, 8, 2, day))
    return tl::unexpected(bad_time(text, "expected YYYY-MM-DD"));
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return tl::unexpected(bad_time(text, "expected 'T' after the date"));
  if (!read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second))
    return tl::unexpected(bad_time(text, "expected HH:MM:SS"));
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  // Second 60 is a leap second, which CloudTrail never writes; reject rather than guess.
  if (!date.ok() || hour > 23 || minute > 59 || second > 59)
    return tl::unexpected(bad_time(text, "date or time out of range"));
  // Nanoseconds in 64 bits span 1677..2262; stay well inside.
  if (year < 1700 || year > 2200) return tl::unexpected(bad_time(text, "year out of range (1700-2200)"));

  std::size_t pos = 19;
  std::int64_t fraction_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t scale = 100'000'000;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == digits_start) return tl::unexpected(bad_time(text, "empty fraction"));
  }
  std::int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int off_h = 0, off_m = 0;
    if (!read_digits(text, pos + 1, 2, off_h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, off_m) || off_h > 23 || off_m > 59)
      return tl::unexpected(bad_time(text, "bad UTC offset"));
    offset_seconds = (off_h * 3600 + off_m * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  }
  // No zone: CloudTrail always writes Z, but exports (Panther, Athena) drop it
  // and their times are UTC, so a missing zone reads as UTC.
  if (pos != text.size()) return tl::unexpected(bad_time(text, "trailing characters"));

  const auto seconds_since_epoch =
      sys_days{date}.time_since_epoch() + hours{hour} + minutes{minute} + seconds{second} - seconds{offset_seconds};
  return timestamp{duration_cast<nanoseconds>(seconds_since_epoch) + nanoseconds{fraction_ns}};
}

std::string format_rfc3339(timestamp t) {
  using namespace std::chrono;
  const auto day_point = floor<days>(t);
  const year_month_day date{day_point};
  auto in_day = t - day_point;
  const auto h = duration_cast<hours>(in_day);
  in_day -= h;
  const auto m = duration_cast<minutes>(in_day);
  in_day -= m;
  const auto s = duration_cast<seconds>(in_day);
  in_day -= s;
  const auto ns = in_day.count();
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld", static_cast<int>(date.year()),
                        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                        static_cast<int>(h.count()), static_cast<int>(m.count()), static_cast<long long>(s.count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (ns != 0) {
    // Milliseconds are what CloudTrail and OCSF carry; print more only when present.
    if (ns % 1'000'000 == 0) n = std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ns / 1'000'000));
    else n = std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(ns));
    out.append(buf, static_cast<std::size_t>(n));
  }
  out.push_back('Z');
  return out;
}

}  // namespace v0
}  // namespace identrail
