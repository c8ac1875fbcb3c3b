// Private: ARNs the logs imply but do not spell out.
#pragma once

#include <string>
#include <string_view>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// The instance behind an instance-profile session, in the event's region and account.
inline symbol instance_arn(symbol_table &symbols, const event &e) {
  std::string arn = "arn:aws:ec2:";
  arn.append(symbols.str(e.region)).append(":").append(symbols.str(e.account)).append(":instance/");
  arn.append(symbols.str(e.who.instance_id));
  return symbols.intern(arn);
}

// Which ARN an instance goes by. Stolen instance credentials call every
// region; the earliest call is the instance's own, and on equal times the
// smaller ARN, so arrival order never decides. The resolver and the graph
// both choose through this.
struct instance_home {
  symbol arn;
  timestamp time{};
  // Takes the event's ARN if it is the better home; true when the home changed.
  bool offer(symbol_table &symbols, const event &e) {
    if (!arn.empty() && e.time > time) return false;
    const symbol candidate = instance_arn(symbols, e);
    const bool better = arn.empty() || e.time < time || symbols.str(candidate) < symbols.str(arn);
    if (arn.empty() || e.time < time) time = e.time;
    if (!better || candidate == arn) return false;
    arn = candidate;
    return true;
  }
};

// IAM user and role ARNs name identities, not plain resources.
inline bool names_identity(std::string_view arn) {
  const auto iam = arn.find(":iam::");
  if (!arn.starts_with("arn:") || iam == std::string_view::npos) return false;
  const auto colon = arn.find(':', iam + 6);
  if (colon == std::string_view::npos) return false;
  const auto rest = arn.substr(colon + 1);
  return rest.starts_with("user/") || rest.starts_with("role/") || rest == "root";
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
