#include "user_inventory.hpp"

#include <algorithm>
#include <numeric>

#include "identrail/normalize/raw_field.hpp"
#include "../core/arn_fields.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

void add(std::vector<std::string> &list, std::string value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

void remove(std::vector<std::string> &list, const std::string &value) {
  list.erase(std::remove(list.begin(), list.end(), value), list.end());
}

std::string field(const event &e, std::string_view path) {
  auto value = raw_field(e, path);
  return value ? std::string(value->text) : std::string();
}

// (event name, list, response path holding the created id, request path naming the removed one)
struct holding_rule {
  std::string_view created_by;
  std::string_view created_path;
  std::string_view removed_by;
  std::string_view removed_path;
  std::vector<std::string> user_inventory::*list;
};

const holding_rule holding_rules[] = {
    {"CreateAccessKey", "responseElements.accessKey.accessKeyId", "DeleteAccessKey", "requestParameters.accessKeyId",
     &user_inventory::access_keys},
    {"EnableMFADevice", "requestParameters.serialNumber", "DeactivateMFADevice", "requestParameters.serialNumber",
     &user_inventory::mfa_devices},
    {"UploadSigningCertificate", "responseElements.certificate.certificateId", "DeleteSigningCertificate",
     "requestParameters.certificateId", &user_inventory::signing_certificates},
    {"UploadSSHPublicKey", "responseElements.sSHPublicKey.sSHPublicKeyId", "DeleteSSHPublicKey",
     "requestParameters.sSHPublicKeyId", &user_inventory::ssh_keys},
    {"CreateServiceSpecificCredential", "responseElements.serviceSpecificCredential.serviceSpecificCredentialId",
     "DeleteServiceSpecificCredential", "requestParameters.serviceSpecificCredentialId",
     &user_inventory::service_credentials},
    {"AddUserToGroup", "requestParameters.groupName", "RemoveUserFromGroup", "requestParameters.groupName",
     &user_inventory::groups},
    {"AttachUserPolicy", "requestParameters.policyArn", "DetachUserPolicy", "requestParameters.policyArn",
     &user_inventory::attached_policies},
    {"PutUserPolicy", "requestParameters.policyName", "DeleteUserPolicy", "requestParameters.policyName",
     &user_inventory::inline_policies},
};

}  // namespace


user_inventory inventory_of_user(const evidence_view &e, std::string_view user_arn, std::string_view user_name) {
  user_inventory held;
  const auto &symbols = e.symbols;
  // Organization trails hold every account: a user is a name within one.
  const auto account = detail::arn_account(user_arn);
  const auto &graph = e.graph;
  if (const auto node = graph.find_identity(user_arn)) {
    for (const auto *edge : graph.where_used(*node).keys) {
      const auto key = graph.label(edge->to);
      if (key.starts_with("AKIA")) add(held.access_keys, std::string(key));
    }
  }
  const auto &events = e.events;
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return events[a].time < events[b].time; });
  for (const std::size_t i : order) {
    const auto &ev = events[i];
    if (!ev.result.success) continue;
    const auto name = symbols.str(ev.event_name);
    const bool by_user = symbols.str(ev.who.arn) == user_arn;
    if (name == "ConsoleLogin" && by_user) {
      held.console_password = true;
      continue;
    }
    if (symbols.str(ev.event_source) != "iam.amazonaws.com") continue;
    if (!account.empty() && symbols.str(ev.account) != account) continue;
    // Self-service calls name no user: they act on the caller.
    const std::string target = field(ev, "requestParameters.userName");
    if (target.empty() ? !by_user : target != user_name) continue;
    if (name == "CreateLoginProfile" || name == "UpdateLoginProfile") held.console_password = true;
    if (name == "DeleteLoginProfile") held.console_password = false;
    for (const auto &rule : holding_rules) {
      if (name == rule.created_by) add(held.*rule.list, field(ev, rule.created_path));
      else if (name == rule.removed_by) remove(held.*rule.list, field(ev, rule.removed_path));
    }
  }
  return held;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
