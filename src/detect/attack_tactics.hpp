// Private: ATT&CK tactic names (as Sigma tags write them) and their ids.
#pragma once

#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

// "defense-impairment" or "defense_impairment" -> "TA0112"; "" when unknown.
[[nodiscard]] std::string_view attack_tactic_id(std::string_view name) noexcept;

}  // namespace detail
}  // namespace v0
}  // namespace identrail
