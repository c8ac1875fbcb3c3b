// Private: the family of a user agent (aws-cli, Boto3, Terraform, Chrome, ...)
// from uap-core's regexes (Debian package uap-core) after identrail's own
// supplement for AWS tools uap-core does not know (data/user_agents.yaml).
// Both are compiled in; parsing is per distinct agent, so callers cache.
#pragma once

#include <string>
#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

// "Other" when nothing matches, "" for an empty agent.
[[nodiscard]] std::string agent_family(std::string_view agent);

// How many parsers were compiled, and from what ("uap-core 0.16 (347) + supplement (37)").
[[nodiscard]] std::string_view agent_parsers_origin();

}  // namespace detail
}  // namespace v0
}  // namespace identrail
