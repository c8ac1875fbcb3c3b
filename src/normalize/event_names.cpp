#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

std::string_view to_string(identity_type type) noexcept {
  switch (type) {
    case identity_type::unknown: return "Unknown";
    case identity_type::root: return "Root";
    case identity_type::iam_user: return "IAMUser";
    case identity_type::assumed_role: return "AssumedRole";
    case identity_type::role: return "Role";
    case identity_type::federated_user: return "FederatedUser";
    case identity_type::saml_user: return "SAMLUser";
    case identity_type::web_identity_user: return "WebIdentityUser";
    case identity_type::aws_service: return "AWSService";
    case identity_type::aws_account: return "AWSAccount";
    case identity_type::identity_center_user: return "IdentityCenterUser";
    case identity_type::directory: return "Directory";
  }
  return "Unknown";
}

std::string_view to_string(event_category category) noexcept {
  switch (category) {
    case event_category::unknown: return "";
    case event_category::management: return "Management";
    case event_category::data: return "Data";
    case event_category::insight: return "Insight";
    case event_category::network_activity: return "NetworkActivity";
  }
  return "";
}

std::string_view to_string(source_address::kind kind) noexcept {
  switch (kind) {
    case source_address::kind::none: return "";
    case source_address::kind::ipv4: return "ipv4";
    case source_address::kind::ipv6: return "ipv6";
    case source_address::kind::name: return "name";
  }
  return "";
}

std::string_view to_string(action_origin origin) noexcept {
  switch (origin) {
    case action_origin::table: return "table";
    case action_origin::by_name: return "by_name";
    case action_origin::fallback: return "fallback";
  }
  return "fallback";
}

}  // namespace v0
}  // namespace identrail
