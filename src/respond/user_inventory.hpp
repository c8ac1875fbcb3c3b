// Private: what the logs say an IAM user holds (keys, password, MFA devices,
// certificates, SSH keys, service credentials, groups, policies), from the
// retained events and the graph. Logs are rarely complete: plans
// list each kind through the API as well.
#pragma once

#include <string>
#include <vector>

#include "identrail/graph/evidence.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

struct user_inventory {
  std::vector<std::string> access_keys;  // long-term keys (AKIA...) seen in use or created
  bool console_password = false;          // a login profile was created or the user signed in
  std::vector<std::string> mfa_devices;   // serial numbers
  std::vector<std::string> signing_certificates;
  std::vector<std::string> ssh_keys;
  std::vector<std::string> service_credentials;
  std::vector<std::string> groups;
  std::vector<std::string> inline_policies;
  std::vector<std::string> attached_policies;  // ARNs
};

[[nodiscard]] user_inventory inventory_of_user(const evidence_view &e, std::string_view user_arn, std::string_view user_name);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
