// Evaluating a request against IAM policies, as AWS documents it: an
// explicit deny in any policy wins; then service control policies and a
// permissions boundary must allow; then an identity or resource policy must
// allow; otherwise the request is implicitly denied. The answer names the
// statement that decided.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identrail/policy/policy.hpp"

namespace identrail {
inline namespace v0 {

struct policy_request {
  std::string principal;  // the caller's ARN
  std::string action;     // "s3:GetObject"
  std::string resource;   // an ARN, or "*"
  // Context keys (aws:SourceIp, aws:CurrentTime, aws:MultiFactorAuthPresent,
  // aws:ViaAWSService, aws:TokenIssueTime, service keys): names compare
  // case-insensitively; a key may hold several values.
  std::vector<std::pair<std::string, std::vector<std::string>>> context;
};

struct policy_set {
  std::vector<policy_document> identity;   // attached to the principal
  std::vector<policy_document> boundary;   // its permissions boundary (at most one in AWS)
  // Service control policies of one level of the organization: one of them must
  // allow. (AWS asks every level, root to account, to allow: evaluate per level.)
  std::vector<policy_document> scps;
  std::vector<policy_document> resource;   // the resource's own policy
};

enum class decision : std::uint8_t { allow = 0, explicit_deny = 1, implicit_deny = 2 };
enum class policy_kind : std::uint8_t { identity = 0, boundary = 1, scp = 2, resource = 3, none = 4 };

[[nodiscard]] std::string_view to_string(decision d) noexcept;
[[nodiscard]] std::string_view to_string(policy_kind k) noexcept;

struct evaluation {
  decision result = decision::implicit_deny;
  policy_kind decided_by = policy_kind::none;  // none: nothing allowed it
  std::size_t policy_index = 0;                // within its kind
  std::size_t statement_index = 0;
  std::string sid;
  std::string reason;  // one line: "denied by scp[0] Statement[2] (DenyRegions)"
};

// Pure: shareable across threads with its inputs.
[[nodiscard]] evaluation evaluate(const policy_set &policies, const policy_request &request);

// Whether one statement applies to a request (action, resource, principal
// and conditions all match), regardless of its effect.
[[nodiscard]] bool statement_applies(const policy_statement &statement, const policy_request &request,
                                     bool check_principal);

}  // namespace v0
}  // namespace identrail
