// Private: the one line a responder reads for a detection.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/detect/detection.hpp"
#include "rule_model.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// The rule's template ({identity} {group} {count} {values} {first_seen}
// {last_seen} {rule}) filled in, or "<rule name>: <identity> (N events): values".
// Written into `out`, whose capacity is kept: revising a detection's summary allocates nothing.
void summarize(std::string &out, const compiled_rule &rule, const detection &d, std::string_view identity,
               std::span<const std::string_view> values, std::string_view why = {});

}  // namespace detail
}  // namespace v0
}  // namespace identrail
