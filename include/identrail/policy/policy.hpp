// IAM policy documents: the model, parsing with errors that name the JSON
// path, and writing back. The grammar is AWS's: Version, Statement (an object
// or a list), Sid, Effect, Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal and Condition (operator -> key -> value or values).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {

enum class policy_effect : std::uint8_t { allow = 0, deny = 1 };

struct condition_clause {
  std::string op;                   // as written: "StringLike", "ForAnyValue:StringEquals", "IpAddressIfExists"
  std::string key;                  // "aws:SourceIp"; keys compare case-insensitively
  std::vector<std::string> values;  // numbers and booleans kept as their text
};

// "*" (anyone) or typed lists: {"AWS": [...], "Service": [...], "Federated": [...], "CanonicalUser": [...]}.
struct principal_spec {
  bool anyone = false;
  std::vector<std::pair<std::string, std::string>> entries;  // (type, value)
};

struct policy_statement {
  std::string sid;
  policy_effect effect = policy_effect::allow;
  std::vector<std::string> actions;  // the patterns of Action, or of NotAction when not_action
  bool not_action = false;
  std::vector<std::string> resources;  // of Resource, or of NotResource when not_resource
  bool not_resource = false;
  std::optional<principal_spec> principal;  // resource policies; of NotPrincipal when not_principal
  bool not_principal = false;
  std::vector<condition_clause> conditions;
};

struct policy_document {
  std::string version;  // "2012-10-17"
  std::string id;
  std::vector<policy_statement> statements;
};

// An error names the source, the JSON path ("Statement[1].Condition.StringLike")
// and the reason.
[[nodiscard]] result<policy_document> parse_policy(std::string_view json, std::string_view source = "policy");
[[nodiscard]] std::string to_json(const policy_document &policy);

}  // namespace v0
}  // namespace identrail
