// Private: ARNs the logs imply but do not spell out.
#pragma once

#include <string>
#include <string_view>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail::detail {

// The instance behind an instance-profile session, in the event's region and account.
inline symbol instance_arn(symbol_table &symbols, const event &e) {
  std::string arn = "arn:aws:ec2:";
  arn.append(symbols.str(e.region)).append(":").append(symbols.str(e.account)).append(":instance/");
  arn.append(symbols.str(e.who.instance_id));
  return symbols.intern(arn);
}

// IAM user and role ARNs name identities, not plain resources.
inline bool names_identity(std::string_view arn) {
  const auto iam = arn.find(":iam::");
  if (!arn.starts_with("arn:") || iam == std::string_view::npos) return false;
  const auto colon = arn.find(':', iam + 6);
  if (colon == std::string_view::npos) return false;
  const auto rest = arn.substr(colon + 1);
  return rest.starts_with("user/") || rest.starts_with("role/") || rest == "root";
}

}  // namespace identrail::detail
