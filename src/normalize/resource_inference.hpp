// Private: ARNs of the resources a call names in its requestParameters.
// CloudTrail lists `resources[]` for data events and a few management events
// only; GetSecretValue, PutBucketPolicy from some SDKs, CreateAccessKey and
// most others name their target only as a request parameter.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/kept_list.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// The request parameters that name a resource. Values are views into the
// parser's buffer, valid while the record is decoded.
enum class request_key : std::uint8_t {
  bucket_name,
  object_key,
  secret_id,
  name,
  trail_name,
  role_arn,
  user_name,
  role_name,
  group_name,
  policy_arn,
  function_name,
  table_name,
  key_id,
  instance_id,
  log_group_name,
  topic_arn,
  repository_name,
  count_
};

struct request_values {
  std::array<std::string_view, static_cast<std::size_t>(request_key::count_)> values{};
  bool any = false;
  void set(request_key key, std::string_view value) noexcept {
    values[static_cast<std::size_t>(key)] = value;
    any = any || !value.empty();
  }
  [[nodiscard]] std::string_view get(request_key key) const noexcept { return values[static_cast<std::size_t>(key)]; }
  void clear() noexcept {
    if (any) values.fill({});
    any = false;
  }
};

struct call_context {
  std::string_view partition;     // "aws", "aws-cn", "aws-us-gov": the caller's
  std::string_view event_source;  // "s3.amazonaws.com"
  std::string_view event_name;
  std::string_view region;
  std::string_view account;
};

// ARNs written into strings kept from use to use (kept_list.hpp).
using text_list = kept_list<std::string>;

// The ARNs of the resources the parameters name, appended to `out`.
void infer_resources(const call_context &call, const request_values &request, text_list &out);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
