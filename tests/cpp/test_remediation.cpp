// Remediation plans on the bundled sample trace.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>

#include "support.hpp"

using namespace identrail;

namespace {

const engine &sample() { return test::sample_engine(); }

remediation_options fixed_clock() {
  remediation_options o;
  o.now = *parse_rfc3339("2026-03-01T15:00:00Z");
  return o;
}

const remediation_strategy *strategy(const remediation_plan &plan, std::string_view id) {
  const auto it = std::find_if(plan.strategies.begin(), plan.strategies.end(), [&](const auto &s) { return s.id == id; });
  return it == plan.strategies.end() ? nullptr : &*it;
}

std::vector<std::string> operations(const remediation_strategy &s) {
  std::vector<std::string> out;
  for (const auto &step : s.steps) out.push_back(step.operation);
  return out;
}

// Every step's parameters are JSON objects and its CLI names the operation.
void expect_well_formed(const remediation_plan &plan) {
  simdjson::dom::parser parser;
  for (const auto &s : plan.strategies) {
    EXPECT_FALSE(s.steps.empty()) << s.id;
    EXPECT_FALSE(s.warnings.empty()) << s.id;
    for (const auto &step : s.steps) {
      simdjson::dom::object object;
      EXPECT_EQ(parser.parse(step.parameters).get(object), simdjson::SUCCESS) << step.parameters;
      EXPECT_TRUE(step.cli.starts_with("aws " + step.service + " ")) << step.cli;
    }
    if (!s.policy.empty()) {
      simdjson::dom::object policy;
      EXPECT_EQ(parser.parse(s.policy).get(policy), simdjson::SUCCESS) << s.policy;
    }
  }
  simdjson::dom::element doc;
  const auto json = to_json(plan);
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(doc["strategies"].get_array().size(), plan.strategies.size());
}

}  // namespace

TEST(Remediation, TheAdminGetsEveryUserStrategy) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/ops-admin", fixed_clock());
  ASSERT_TRUE(plan) << plan.error().message;
  expect_well_formed(*plan);
  for (const auto id : {"deny_outside_networks", "deactivate_user", "delete_user", "force_password_reset", "rotate_access_keys"})
    EXPECT_NE(strategy(*plan, id), nullptr) << id;
  // The allowed networks default to what the admin used before its status began: the Lambda, not the attacker.
  const auto *deny = strategy(*plan, "deny_outside_networks");
  EXPECT_NE(deny->policy.find("3.91.171.4/32"), std::string::npos);
  EXPECT_EQ(deny->policy.find("185.220.101.45"), std::string::npos);
  EXPECT_NE(deny->policy.find("aws:ViaAWSService"), std::string::npos);
  EXPECT_TRUE(std::any_of(deny->warnings.begin(), deny->warnings.end(),
                          [](const auto &w) { return w.find("VPC endpoints") != std::string::npos; }));
  // The key in use is the one the steps name.
  const auto *deactivate = strategy(*plan, "deactivate_user");
  EXPECT_EQ(operations(*deactivate),
            (std::vector<std::string>{"ListAccessKeys", "UpdateAccessKey", "DeleteLoginProfile", "PutUserPolicy"}));
  EXPECT_NE(deactivate->steps[1].parameters.find("\"Status\":\"Inactive\""), std::string::npos);
  // Session tokens the key obtained outlive it: they are revoked by issue time.
  EXPECT_NE(deactivate->steps[3].parameters.find("AWSRevokeOlderSessions"), std::string::npos);
  EXPECT_NE(deactivate->policy.find(R"("aws:TokenIssueTime":"2026-03-01T15:00:00Z")"), std::string::npos);
  // The break-glass role session the attacker made is pointed out.
  EXPECT_TRUE(std::any_of(plan->notes.begin(), plan->notes.end(),
                          [](const auto &n) { return n.find("role/ops-break-glass") != std::string::npos; }));
}

TEST(Remediation, DeletingAUserFollowsTheOrderAWSRequires) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/svc-backup", fixed_clock());
  ASSERT_TRUE(plan) << plan.error().message;
  const auto *remove = strategy(*plan, "delete_user");
  ASSERT_NE(remove, nullptr);
  const auto ops = operations(*remove);
  const std::vector<std::string> order{"DeleteLoginProfile",       "ListAccessKeys",
                                       "DeleteAccessKey",          "ListSigningCertificates",
                                       "ListSSHPublicKeys",        "ListServiceSpecificCredentials",
                                       "ListMFADevices",           "ListUserPolicies",
                                       "ListAttachedUserPolicies", "DetachUserPolicy",
                                       "ListGroupsForUser",        "DeleteUser"};
  EXPECT_EQ(ops, order);
  // The backdoor's key and AdministratorAccess come from the attacker's own calls in the logs.
  EXPECT_NE(remove->steps[2].parameters.find("AKIA"), std::string::npos);
  EXPECT_NE(remove->steps[9].parameters.find("arn:aws:iam::aws:policy/AdministratorAccess"), std::string::npos);
  EXPECT_EQ(remove->steps.back().cli, "aws iam delete-user --user-name svc-backup");
}

TEST(Remediation, GivenNetworksAreUsedAndCheckedAndBadOnesAreRefused) {
  auto options = fixed_clock();
  options.allow_cidrs = {"198.51.100.0/24", "2001:db8::/32"};
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/ops-admin", options);
  ASSERT_TRUE(plan);
  const auto *deny = strategy(*plan, "deny_outside_networks");
  EXPECT_NE(deny->policy.find(R"(["198.51.100.0/24","2001:db8::/32"])"), std::string::npos) << deny->policy;
  options.allow_cidrs = {"198.51.100.0/33"};
  const auto bad = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/ops-admin", options);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
  EXPECT_NE(bad.error().message.find("198.51.100.0/33"), std::string::npos);
}

TEST(Remediation, TheInstanceSessionRevokesAndIsolates) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890",
                                     fixed_clock());
  ASSERT_TRUE(plan) << plan.error().message;
  expect_well_formed(*plan);
  EXPECT_EQ(plan->root_principal, "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f67890");
  const auto *revoke = strategy(*plan, "revoke_sessions");
  ASSERT_NE(revoke, nullptr);
  EXPECT_NE(revoke->policy.find(R"("DateLessThan":{"aws:TokenIssueTime":"2026-03-01T15:00:00Z"})"), std::string::npos);
  EXPECT_NE(revoke->steps[0].cli.find("--role-name webapp-ec2-role --policy-name AWSRevokeOlderSessions"), std::string::npos);
  const auto isolate = std::count_if(plan->strategies.begin(), plan->strategies.end(),
                                     [](const auto &s) { return s.id == "isolate_instance"; });
  EXPECT_EQ(isolate, 1);
  EXPECT_NE(strategy(*plan, "isolate_instance")->steps[0].parameters.find("i-0a1b2c3d4e5f67890"), std::string::npos);
  // Allowed networks for the role: the instance's own address.
  const auto *deny = strategy(*plan, "deny_outside_networks");
  ASSERT_NE(deny, nullptr);
  EXPECT_NE(deny->policy.find("54.210.33.17/32"), std::string::npos);
}

TEST(Remediation, UnknownIdentitiesAreAnError) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/nobody");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, errc::not_found);
  EXPECT_NE(plan.error().message.find("user/nobody"), std::string::npos);
}

TEST(Remediation, CliArgumentsAreShellQuoted) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/ops-admin", fixed_clock());
  ASSERT_TRUE(plan);
  const auto &cli = strategy(*plan, "force_password_reset")->steps[0].cli;
  // The new password comes from the operator's shell, never from the plan.
  EXPECT_EQ(cli, "aws iam update-login-profile --user-name ops-admin --password \"$IDENTRAIL_NEW_PASSWORD\" "
                 "--password-reset-required");
  const auto &put = strategy(*plan, "deny_outside_networks")->steps[0].cli;
  EXPECT_TRUE(put.starts_with("aws iam put-user-policy --user-name ops-admin --policy-name "
                              "IdentrailDenyOutsideAllowedNetworks --policy-document '{\"Version\":\"2012-10-17\""))
      << put;
  EXPECT_TRUE(put.ends_with("}'")) << put;
}

TEST(Remediation, NoNetworksAreProposedWithoutAKnownBeginning) {
  // svc-backup is normal: no time its compromise began, so its addresses (the attacker's) are no allow-list.
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:user/svc-backup", fixed_clock());
  ASSERT_TRUE(plan);
  EXPECT_EQ(strategy(*plan, "deny_outside_networks"), nullptr);
  EXPECT_TRUE(std::any_of(plan->notes.begin(), plan->notes.end(),
                          [](const auto &n) { return n.find("no time the compromise began") != std::string::npos; }));
}

TEST(Remediation, ARolesNetworksComeFromAllItsSessions) {
  const auto plan = plan_remediation(sample().evidence(), "arn:aws:iam::111122223333:role/webapp-ec2-role", fixed_clock());
  ASSERT_TRUE(plan) << plan.error().message;
  const auto *deny = strategy(*plan, "deny_outside_networks");
  ASSERT_NE(deny, nullptr);
  EXPECT_NE(deny->policy.find(R"(["54.210.33.17/32"])"), std::string::npos) << deny->policy;
  EXPECT_NE(strategy(*plan, "revoke_sessions"), nullptr);
  EXPECT_NE(strategy(*plan, "isolate_instance"), nullptr);
}
