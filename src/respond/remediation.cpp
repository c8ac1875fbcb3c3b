#include "identrail/respond/remediation.hpp"
#include "identrail/version.hpp"

#include <algorithm>
#include <chrono>

#include "../normalize/cidr.hpp"
#include "../core/json_writer.hpp"
#include "aws_call.hpp"
#include "user_inventory.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::aws_call;

constexpr std::string_view deny_policy_name = "IdentrailDenyOutsideAllowedNetworks";
// The name the IAM console uses for "Revoke active sessions".
constexpr std::string_view revoke_policy_name = "AWSRevokeOlderSessions";

std::string last_segment(std::string_view arn) {
  const auto slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

std::string deny_outside_policy(const std::vector<std::string> &cidrs) {
  std::string out;
  {
    detail::json_object root(out);
    root.str("Version", "2012-10-17");
    detail::json_array statements(root.key("Statement"));
    detail::json_object s(statements.next());
    s.str("Sid", "DenyOutsideAllowedNetworks");
    s.str("Effect", "Deny");
    s.str("Action", "*");
    s.str("Resource", "*");
    detail::json_object condition(s.key("Condition"));
    {
      detail::json_object not_ip(condition.key("NotIpAddress"));
      detail::json_array ranges(not_ip.key("aws:SourceIp"));
      for (const auto &c : cidrs) ranges.str(c);
    }
    {
      // Calls that AWS services make for the identity (CloudFormation, Athena...) carry the service's address.
      detail::json_object via(condition.key("Bool"));
      via.str("aws:ViaAWSService", "false");
    }
  }
  return out;
}

std::string revoke_policy(timestamp now) {
  std::string out;
  {
    detail::json_object root(out);
    root.str("Version", "2012-10-17");
    detail::json_array statements(root.key("Statement"));
    detail::json_object s(statements.next());
    s.str("Effect", "Deny");
    {
      detail::json_array a(s.key("Action"));
      a.str("*");
    }
    {
      detail::json_array r(s.key("Resource"));
      r.str("*");
    }
    detail::json_object condition(s.key("Condition"));
    detail::json_object before(condition.key("DateLessThan"));
    before.str("aws:TokenIssueTime", format_rfc3339(std::chrono::floor<std::chrono::seconds>(now)));
  }
  return out;
}

// An inline policy put on a user or a role: the one way every strategy attaches a document.
remediation_step put_inline_policy(bool user, const std::string &name, std::string_view policy_name,
                                   const std::string &document) {
  return aws_call("iam", user ? "PutUserPolicy" : "PutRolePolicy")
      .text(user ? "UserName" : "RoleName", name)
      .text("PolicyName", std::string(policy_name))
      .text("PolicyDocument", document)
      .step();
}

const std::string vpc_endpoint_warning =
    "Calls through VPC endpoints carry a private address or none in aws:SourceIp, so this policy denies them; add "
    "the private ranges, or an aws:SourceVpce condition, if the identity works through endpoints.";

struct planner {
  const evidence_view &e;
  const remediation_options &options;
  remediation_plan plan;
  std::vector<std::string> cidrs;
  std::string cidr_origin;  // empty: given by the caller

  result<void> check_networks() {
    for (const auto &c : options.allow_cidrs) {
      if (auto parsed = detail::parse_cidr(c); !parsed) return tl::unexpected(parsed.error());
      cidrs.push_back(c);
    }
    return {};
  }

  // Without given networks, the addresses `users` called from before the
  // compromise began. Without a known beginning the logs may hold the
  // attacker's addresses too, so nothing is proposed.
  void propose_networks(const std::vector<node_id> &users, std::optional<timestamp> cutoff) {
    if (!cidrs.empty()) return;
    if (!cutoff) {
      cidr_origin = "none: no time the compromise began is known";
      return;
    }
    const auto &graph = e.graph;
    for (const node_id user : users) {
      for (const auto *edge : graph.where_used(user).addresses) {
        if (edge->first >= *cutoff) continue;
        const auto ip = graph.label(edge->to);
        std::string cidr = std::string(ip) + (ip.find(':') == std::string_view::npos ? "/32" : "/128");
        if (std::find(cidrs.begin(), cidrs.end(), cidr) == cidrs.end()) cidrs.push_back(std::move(cidr));
      }
    }
    cidr_origin = "the addresses used before " + format_rfc3339(*cutoff);
  }

  void deny_outside_networks(const std::string &entity, const std::string &name) {
    if (cidrs.empty()) {
      plan.notes.push_back("No allowed networks were given (--allow-cidr) and none could be taken from the logs (" +
                           cidr_origin + "): the deny-outside-networks strategy is left out.");
      return;
    }
    remediation_strategy s{"deny_outside_networks", "Deny every action from outside the allowed networks", {}, {}, {}};
    s.policy = deny_outside_policy(cidrs);
    s.steps.push_back(put_inline_policy(entity == "user", name, deny_policy_name, s.policy));
    if (!cidr_origin.empty())
      s.warnings.push_back("The allowed networks are " + cidr_origin + ", taken from the logs: check them before applying.");
    s.warnings.push_back(vpc_endpoint_warning);
    s.warnings.push_back("The aws:ViaAWSService exception lets AWS services keep calling on the identity's behalf.");
    plan.strategies.push_back(std::move(s));
  }

  void user_strategies(const std::string &arn, const std::string &name) {
    const auto held = detail::inventory_of_user(e, arn, name);
    {
      remediation_strategy s{"deactivate_user", "Deactivate the user (keep its configuration and history)", {}, {}, {}};
      s.steps.push_back(aws_call("iam", "ListAccessKeys").text("UserName", name).step());
      for (const auto &key : held.access_keys)
        s.steps.push_back(
            aws_call("iam", "UpdateAccessKey").text("UserName", name).text("AccessKeyId", key).text("Status", "Inactive").step());
      s.steps.push_back(aws_call("iam", "DeleteLoginProfile").text("UserName", name).step());
      s.policy = revoke_policy(now());
      // Session tokens from GetSessionToken or GetFederationToken outlive their key.
      s.steps.push_back(put_inline_policy(true, name, revoke_policy_name, s.policy));
      s.warnings.push_back("Set every key that ListAccessKeys returns to Inactive, not only the ones the logs show.");
      s.warnings.push_back("Temporary credentials the user obtained (GetSessionToken, GetFederationToken) survive a "
                           "deactivated key: the AWSRevokeOlderSessions policy denies those issued before now.");
      s.warnings.push_back("DeleteLoginProfile removes the console password; it fails with NoSuchEntity when the user "
                           "has none. Keys can be reactivated and a password created again later.");
      plan.strategies.push_back(std::move(s));
    }
    {
      remediation_strategy s{"delete_user", "Delete the user", {}, {}, {}};
      const auto each = [&](const char *list_op, const char *delete_op, const char *id_name,
                            const std::vector<std::string> &known) {
        s.steps.push_back(aws_call("iam", list_op).text("UserName", name).step());
        for (const auto &id : known)
          s.steps.push_back(aws_call("iam", delete_op).text("UserName", name).text(id_name, id).step());
      };
      s.steps.push_back(aws_call("iam", "DeleteLoginProfile").text("UserName", name).step());
      each("ListAccessKeys", "DeleteAccessKey", "AccessKeyId", held.access_keys);
      each("ListSigningCertificates", "DeleteSigningCertificate", "CertificateId", held.signing_certificates);
      each("ListSSHPublicKeys", "DeleteSSHPublicKey", "SSHPublicKeyId", held.ssh_keys);
      each("ListServiceSpecificCredentials", "DeleteServiceSpecificCredential", "ServiceSpecificCredentialId",
           held.service_credentials);
      s.steps.push_back(aws_call("iam", "ListMFADevices").text("UserName", name).step());
      for (const auto &serial : held.mfa_devices) {
        s.steps.push_back(aws_call("iam", "DeactivateMFADevice").text("UserName", name).text("SerialNumber", serial).step());
        if (serial.find(":mfa/") != std::string::npos)  // virtual devices; security keys are ":u2f/"
          s.steps.push_back(aws_call("iam", "DeleteVirtualMFADevice").text("SerialNumber", serial).step());
      }
      each("ListUserPolicies", "DeleteUserPolicy", "PolicyName", held.inline_policies);
      each("ListAttachedUserPolicies", "DetachUserPolicy", "PolicyArn", held.attached_policies);
      each("ListGroupsForUser", "RemoveUserFromGroup", "GroupName", held.groups);
      s.steps.push_back(aws_call("iam", "DeleteUser").text("UserName", name).step());
      s.warnings.push_back("Irreversible: the user's keys, password and policies are gone. CloudTrail history stays. "
                           "Deactivating first keeps the evidence and the way back.");
      s.warnings.push_back("Each List step may return items the logs do not show: repeat the step after it for every "
                           "one, or DeleteUser fails with DeleteConflict.");
      plan.strategies.push_back(std::move(s));
    }
    {
      remediation_strategy s{"force_password_reset", "Force a password reset at the next sign-in", {}, {}, {}};
      s.steps.push_back(aws_call("iam", "UpdateLoginProfile")
                            .text("UserName", name)
                            .variable("Password", "IDENTRAIL_NEW_PASSWORD")
                            .flag("PasswordResetRequired", true)
                            .step());
      s.warnings.push_back("Set a new temporary password too (the IDENTRAIL_NEW_PASSWORD variable here): a reset alone "
                           "lets whoever knows the old password choose the next.");
      if (!held.console_password)
        s.warnings.push_back("The logs show no console password for this user; the call fails with NoSuchEntity if "
                             "it has none.");
      plan.strategies.push_back(std::move(s));
    }
    {
      remediation_strategy s{"rotate_access_keys", "Replace the access keys in use", {}, {}, {}};
      s.steps.push_back(aws_call("iam", "ListAccessKeys").text("UserName", name).step());
      for (const auto &key : held.access_keys) {
        s.steps.push_back(
            aws_call("iam", "UpdateAccessKey").text("UserName", name).text("AccessKeyId", key).text("Status", "Inactive").step());
        s.steps.push_back(aws_call("iam", "DeleteAccessKey").text("UserName", name).text("AccessKeyId", key).step());
      }
      s.steps.push_back(aws_call("iam", "CreateAccessKey").text("UserName", name).step());
      if (held.access_keys.empty()) s.warnings.push_back("The logs show no long-term key of this user in use.");
      s.warnings.push_back("A user holds at most two keys: the old ones go first. Give the new key only to the "
                           "owner's workloads, and deliver it outside the compromised channel.");
      plan.strategies.push_back(std::move(s));
    }
  }

  [[nodiscard]] timestamp now() const {
    return options.now.value_or(std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
  }

  void revoke_sessions(const std::string &role_arn) {
    const timestamp cutoff = now();
    remediation_strategy s{"revoke_sessions", "Revoke the role's active sessions", {}, {}, {}};
    s.policy = revoke_policy(cutoff);
    s.steps.push_back(put_inline_policy(false, last_segment(role_arn), revoke_policy_name, s.policy));
    s.warnings.push_back("Every session issued before " + format_rfc3339(std::chrono::floor<std::chrono::seconds>(cutoff)) +
                         " is denied, legitimate ones too; they recover by assuming the role again.");
    s.warnings.push_back("Whoever can still assume the role (or reach an instance's metadata service) gets a fresh "
                         "session: remove that access as well.");
    plan.strategies.push_back(std::move(s));
  }

  void isolate_instance(std::string_view instance_arn) {
    const std::string instance = last_segment(instance_arn);
    remediation_strategy s{"isolate_instance", "Isolate the instance whose credentials were taken", {}, {}, {}};
    s.steps.push_back(aws_call("ec2", "ModifyInstanceMetadataOptions")
                          .text("InstanceId", instance)
                          .text("HttpTokens", "required")
                          .json("HttpPutResponseHopLimit", "1")
                          .step());
    s.steps.push_back(aws_call("ec2", "DescribeIamInstanceProfileAssociations")
                          .json("Filters", R"([{"Name":"instance-id","Values":[")" + instance + R"("]}])")
                          .step());
    s.steps.push_back(aws_call("ec2", "DisassociateIamInstanceProfile").text("AssociationId", "<association id>").step());
    s.steps.push_back(aws_call("ec2", "ModifyInstanceAttribute")
                          .text("InstanceId", instance)
                          .list("Groups", {"<isolation security group id>"})
                          .step());
    s.warnings.push_back("IMDSv2 (HttpTokens required) stops credential theft through SSRF; the application must "
                         "support it.");
    s.warnings.push_back("Use a security group with no rules for isolation, and snapshot the volumes before changes "
                         "if the instance is evidence.");
    plan.strategies.push_back(std::move(s));
  }

  std::vector<std::string> instances_running_as(node_id role) {
    std::vector<std::string> out;
    const auto &graph = e.graph;
    for (const auto index : graph.in_edges(role))
      if (graph.edge(index).kind == edge_kind::runs_as) out.emplace_back(graph.label(graph.edge(index).from));
    return out;
  }

  void role_strategies(node_id role, std::optional<timestamp> cutoff) {
    const auto &graph = e.graph;
    const std::string arn(graph.label(role));
    // The policy binds every session of the role: their addresses before the cut-off are its networks.
    const auto sessions = graph.sessions_of(role);
    if (!cutoff)
      if (const auto *status = e.assessment_of(arn)) cutoff = status->since;
    propose_networks(sessions, cutoff);
    deny_outside_networks("role", last_segment(arn));
    revoke_sessions(arn);
    for (const auto &instance : instances_running_as(role)) isolate_instance(instance);
  }
};

}  // namespace

result<remediation_plan> plan_remediation(const evidence_view &e, std::string_view identity, const remediation_options &options) {
  const auto &graph = e.graph;
  const auto node = graph.find_identity_or_instance(identity);
  if (!node) return make_error(errc::not_found, "remediation: no identity or instance \"" + std::string(identity) + "\" in the logs");
  planner p{e, options, {}, {}, {}};
  const auto kind = graph.node(*node).kind;
  p.plan.identity = std::string(identity);
  p.plan.identity_kind = std::string(to_string(kind));
  const auto key = graph.node(*node).key;
  const auto resolved = e.graph.resolve(key);
  p.plan.root_principal = std::string(e.symbols.str(resolved.root));
  if (auto checked = p.check_networks(); !checked) return tl::unexpected(checked.error());
  const auto *status = e.assessment_of(identity);
  const auto cutoff = status ? status->since : std::nullopt;

  switch (kind) {
    case node_kind::user:
      p.propose_networks({*node}, cutoff);
      p.deny_outside_networks("user", last_segment(identity));
      p.user_strategies(std::string(identity), last_segment(identity));
      break;
    case node_kind::role: p.role_strategies(*node, cutoff); break;
    case node_kind::session: {
      if (const auto role = graph.role_of(*node)) p.role_strategies(*role, cutoff);
      if (!p.plan.root_principal.empty() && p.plan.root_principal != identity)
        p.plan.notes.push_back("The session resolves to " + p.plan.root_principal + (resolved.complete ? "" : " (as far as the logs go)") +
                               ": remediate it too (identrail remediate --identity " + p.plan.root_principal + ").");
      break;
    }
    case node_kind::instance: {
      p.isolate_instance(identity);
      for (const auto index : graph.out_edges(*node))
        if (graph.edge(index).kind == edge_kind::runs_as) p.revoke_sessions(std::string(graph.label(graph.edge(index).to)));
      break;
    }
    case node_kind::root:
      p.plan.notes.push_back("IAM policies do not restrict the root user: sign in as root to change its password and "
                             "MFA, delete its access keys, and restrict the account with a service control policy.");
      break;
    default:
      p.plan.notes.push_back("No strategy fits a " + p.plan.identity_kind +
                             " identity directly: remediate the role or principal behind it (" + p.plan.root_principal + ").");
      break;
  }
  // Sessions the identity created after it was compromised are the attacker's too.
  if (status && status->since && kind != node_kind::instance) {
    for (const auto index : graph.out_edges(*node)) {
      const auto &edge = graph.edge(index);
      if (edge.kind != edge_kind::created_session || edge.last < *status->since) continue;
      if (const auto role = graph.role_of(edge.to))
        p.plan.notes.push_back("It created " + std::string(graph.label(edge.to)) + " after " +
                               format_rfc3339(*status->since) + ": revoke the sessions of " +
                               std::string(graph.label(*role)) + " too (identrail remediate --identity " +
                               std::string(graph.label(*role)) + ").");
    }
  }
  return std::move(p.plan);
}

std::string to_json(const remediation_plan &plan) {
  std::string out;
  {
    detail::json_object root(out);
    root.num("schema_version", json_schema_version);
    root.str("identity", plan.identity);
    root.str("identity_kind", plan.identity_kind);
    root.str("root_principal", plan.root_principal);
    {
      detail::json_array strategies(root.key("strategies"));
      for (const auto &s : plan.strategies) {
        detail::json_object o(strategies.next());
        o.str("id", s.id);
        o.str("title", s.title);
        {
          detail::json_array steps(o.key("steps"));
          for (const auto &step : s.steps) {
            detail::json_object st(steps.next());
            st.str("service", step.service);
            st.str("operation", step.operation);
            st.raw("parameters", step.parameters);
            st.str("cli", step.cli);
          }
        }
        if (!s.policy.empty()) o.raw("policy", s.policy);
        detail::json_array warnings(o.key("warnings"));
        for (const auto &w : s.warnings) warnings.str(w);
      }
    }
    detail::json_array notes(root.key("notes"));
    for (const auto &n : plan.notes) notes.str(n);
  }
  return out;
}

std::string to_text(const remediation_plan &plan) {
  std::string out = "Remediation for " + plan.identity + " (" + plan.identity_kind + ")\n";
  if (!plan.root_principal.empty() && plan.root_principal != plan.identity)
    out += "Root principal: " + plan.root_principal + "\n";
  int number = 0;
  for (const auto &s : plan.strategies) {
    out += "\n" + std::to_string(++number) + ". " + s.title + " [" + s.id + "]\n";
    int step = 0;
    for (const auto &st : s.steps) out += "   " + std::to_string(++step) + ") " + st.cli + "\n";
    for (const auto &w : s.warnings) out += "   ! " + w + "\n";
  }
  if (!plan.notes.empty()) out += "\nNotes\n";
  for (const auto &n : plan.notes) out += "  - " + n + "\n";
  return out;
}

}  // namespace v0
}  // namespace identrail
