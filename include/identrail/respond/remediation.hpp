// Remediation plans: for an identity, the strategies that fit its type, each
// as ordered AWS API calls (with the equivalent AWS CLI command) and warnings.
// The keys, groups, policies and devices named in the steps come from the
// logs; every plan also lists them through the API first, because logs are
// rarely complete. The library makes no network calls: plans are data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/time.hpp"
#include "identrail/graph/evidence.hpp"

namespace identrail {
inline namespace v0 {

struct remediation_options {
  // Networks the identity may still be used from ("203.0.113.0/24"). When
  // empty, the addresses the identity used before its status began are
  // proposed (with a warning), if any are known.
  std::vector<std::string> allow_cidrs;
  // The cut-off for revoking sessions (aws:TokenIssueTime); the clock when unset.
  std::optional<timestamp> now;
};

struct remediation_step {
  std::string service;     // "iam"
  std::string operation;   // "UpdateAccessKey"
  std::string parameters;  // the request as JSON: {"UserName":"ops-admin",...}
  std::string cli;         // aws iam update-access-key --user-name ops-admin ...
};

struct remediation_strategy {
  std::string id;  // deny_outside_networks, deactivate_user, delete_user, force_password_reset,
                   // rotate_access_keys, revoke_sessions, isolate_instance
  std::string title;
  std::vector<remediation_step> steps;
  std::string policy;  // the policy document the steps attach, when there is one (JSON)
  std::vector<std::string> warnings;
};

struct remediation_plan {
  std::string identity;
  std::string identity_kind;  // user, role, session, instance, root, ...
  std::string root_principal;
  std::vector<remediation_strategy> strategies;
  std::vector<std::string> notes;  // what the plan could not cover, and what else to look at
};

// An error when the evidence does not name the identity or a CIDR is invalid.
[[nodiscard]] result<remediation_plan> plan_remediation(const evidence_view &e, std::string_view identity,
                                                        const remediation_options &options = {});

// {"identity","identity_kind","root_principal","strategies":[{"id","title","steps":[{"service","operation",
// "parameters","cli"}],"policy","warnings"}],"notes"}
[[nodiscard]] std::string to_json(const remediation_plan &plan);
[[nodiscard]] std::string to_text(const remediation_plan &plan);

}  // namespace v0
}  // namespace identrail
