// Private: IAM condition operators over a request context.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identrail/policy/policy.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

using context_keys = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The values of a context key (names compare case-insensitively); nullptr when absent.
[[nodiscard]] const std::vector<std::string> *find_context_key(const context_keys &context, std::string_view key);

// One clause (operator, key, values) against the context, with AWS's rules for
// missing keys, IfExists, negated operators and the ForAllValues/ForAnyValue forms.
[[nodiscard]] bool condition_holds(const condition_clause &clause, const context_keys &context);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
