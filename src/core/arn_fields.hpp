// Private: fields of an ARN (arn:partition:service:region:account:resource).
#pragma once

#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

// arn:aws:iam::123456789012:user/x -> 123456789012; "" when it has no account field.
inline std::string_view arn_account(std::string_view arn) {
  std::size_t at = 0;
  for (int colon = 0; colon < 4; ++colon) {
    at = arn.find(':', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  return arn.substr(at, arn.find(':', at) - at);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
