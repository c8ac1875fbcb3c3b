// Private: a scalar's text as simdjson's raw_json_token gives it, without the
// whitespace and delimiters that follow it.
#pragma once

#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

[[nodiscard]] inline std::string_view trim_json_token(std::string_view token) noexcept {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t' || token.back() == ',' || token.back() == '}' || token.back() == ']'))
    token.remove_suffix(1);
  return token;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
