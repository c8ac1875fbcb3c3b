// CloudTrail (eventSource, eventName) to the IAM action it exercised.
#pragma once

#include <string>
#include <string_view>

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

// "monitoring.amazonaws.com" -> "cloudwatch"; "" for an empty source.
[[nodiscard]] std::string service_prefix(std::string_view event_source);

}  // namespace v0
}  // namespace identrail
