// Event time: UTC nanoseconds since the Unix epoch, parsed from and printed as RFC 3339.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {

using timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

[[nodiscard]] constexpr std::int64_t to_unix_nanos(timestamp t) noexcept { return t.time_since_epoch().count(); }
[[nodiscard]] constexpr timestamp from_unix_nanos(std::int64_t ns) noexcept {
  return timestamp{std::chrono::nanoseconds{ns}};
}

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]": also a space or
// lower-case 't' as separator, and no zone (read as UTC), as exporters write.
[[nodiscard]] result<timestamp> parse_rfc3339(std::string_view text);

// "2026-11-28T03:36:10Z", with a fraction only when the time has one.
[[nodiscard]] std::string format_rfc3339(timestamp t);

}  // namespace v0
}  // namespace identrail
