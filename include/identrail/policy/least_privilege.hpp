// Least privilege: an IAM policy built from what an identity used
// successfully before it was flagged, never from what was done after. Actions
// are checked against the action catalog; resources are the ARNs seen where
// the action supports resource-level permissions, else "*".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/time.hpp"
#include "identrail/graph/evidence.hpp"
#include "identrail/policy/policy.hpp"

namespace identrail {
inline namespace v0 {

// What an identity did with one action on one resource ("" when the call named none).
struct usage_record {
  std::string action;  // "s3:GetObject"
  std::string resource;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::optional<timestamp> first_success;  // set when succeeded > 0
  std::optional<timestamp> last_success;
};

struct least_privilege_options {
  std::optional<timestamp> flag_time;       // default: when the identity's status began
  std::vector<policy_document> current;     // the identity's current policies, when known
  bool compact = false;                     // fold actions into wildcards that admit nothing unused
};

struct used_action {
  std::string action;
  std::vector<std::string> resources;  // "*" when the action cannot be scoped or named none
  std::uint64_t count = 0;
  timestamp first{}, last{};
};

struct least_privilege_result {
  std::string identity;
  std::optional<timestamp> flag_time;
  policy_document policy;
  std::vector<used_action> used_actions;      // used successfully before the flag time
  std::vector<used_action> excluded_actions;  // used only at or after it: the attacker's
  std::vector<std::string> unused_permissions;  // what the current policy grants that was not used
  std::vector<std::string> not_granted;         // used actions the current policy does not seem to grant
  std::vector<std::string> notes;
};

// From usage records alone (any source): the core of the generator.
[[nodiscard]] result<least_privilege_result> generate_least_privilege(std::string identity,
                                                                      std::span<const usage_record> usage,
                                                                      const least_privilege_options &options);

// The usage the graph recorded for an identity: a user's own calls; a role's,
// those of all its sessions; a session stands for its role.
[[nodiscard]] result<std::vector<usage_record>> usage_of(const evidence_view &e, std::string_view identity);

// usage_of + generate_least_privilege, with the flag time defaulting to the identity's status.
[[nodiscard]] result<least_privilege_result> least_privilege_policy(const evidence_view &e, std::string_view identity,
                                                                    const least_privilege_options &options = {});

// {"identity","flag_time","policy":{...},"used_actions":[...],"excluded_actions":[...],
//  "unused_permissions":[...],"not_granted":[...],"notes":[...]}
[[nodiscard]] std::string to_json(const least_privilege_result &result);

}  // namespace v0
}  // namespace identrail
