// CloudTrail (eventSource, eventName) to the IAM action it exercised.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

struct mapped_action {
  std::string action;  // "lambda:ListFunctions"
  action_origin origin = action_origin::fallback;
};

// The quirks (monitoring -> cloudwatch, Lambda's dated names, S3's
// ListBuckets -> ListAllMyBuckets, ...) live in a data table, not in branches.
[[nodiscard]] mapped_action map_action(std::string_view event_source, std::string_view event_name);

// False for calls that need no IAM permission (sts:GetCallerIdentity,
// sts:GetSessionToken, signin:ConsoleLogin): a policy never has to grant them.
[[nodiscard]] bool needs_permission(std::string_view action) noexcept;

// A permission an event needs besides its own action (CopyObject reads its
// source: s3:GetObject; CreateFunction hands over a role: iam:PassRole).
struct extra_permission {
  std::string_view action;
  std::string_view resource_path;      // raw path of the resource in the record ("requestParameters.role")
  std::string_view resource_template;  // "arn:aws:s3:::{v}", "{v}"; empty: the value is no ARN (use "*")
};
[[nodiscard]] std::vector<extra_permission> extra_permissions(std::string_view event_source, std::string_view event_name);

// "monitoring.amazonaws.com" -> "cloudwatch"; "" for an empty source.
[[nodiscard]] std::string service_prefix(std::string_view event_source);

}  // namespace v0
}  // namespace identrail
