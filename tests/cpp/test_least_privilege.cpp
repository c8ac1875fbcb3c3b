// Least-privilege policies: on the sample trace with the admin flagged at the
// start of the attack, and property tests on generated usage and policies.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

constexpr std::string_view admin = "arn:aws:iam::111122223333:user/ops-admin";

timestamp at(std::string_view text) { return *parse_rfc3339(text); }

std::set<std::string> names(const std::vector<used_action> &actions) {
  std::set<std::string> out;
  for (const auto &a : actions) out.insert(a.action);
  return out;
}

policy_request request(std::string action, std::string resource) {
  return {"arn:aws:iam::111122223333:user/u", std::move(action), std::move(resource), {}};
}

decision decide(const policy_document &p, const policy_request &r) {
  policy_set set;
  set.identity.push_back(p);
  return evaluate(set, r).result;
}

}  // namespace

TEST(LeastPrivilege, TheAdminKeepsOnlyWhatItUsedBeforeTheAttack) {
  least_privilege_options options;
  options.flag_time = at("2026-03-01T13:20:00Z");
  const auto r = least_privilege_policy(test::sample_engine().evidence(), admin, options);
  ASSERT_TRUE(r) << r.error().message;
  // The nightly snapshot job run from Lambda with the admin's key: all it did before 13:20.
  EXPECT_EQ(names(r->used_actions), (std::set<std::string>{"ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:DescribeSnapshots"}));
  const auto excluded = names(r->excluded_actions);
  for (const char *attacker : {"ses:GetSendQuota", "cloudtrail:StopLogging", "s3:PutBucketPolicy", "iam:CreateAccessKey",
                               "iam:CreateUser", "iam:AttachUserPolicy", "secretsmanager:GetSecretValue", "sts:AssumeRole"})
    EXPECT_TRUE(excluded.contains(attacker)) << attacker;
  const auto policy = to_json(r->policy);
  for (const char *attacker : {"ses:", "StopLogging", "PutBucketPolicy", "CreateAccessKey", "secretsmanager"})
    EXPECT_EQ(policy.find(attacker), std::string::npos) << attacker << " in " << policy;
  // The policy allows the job and denies the attack.
  EXPECT_EQ(decide(r->policy, request("ec2:CreateSnapshot", "*")), decision::allow);
  EXPECT_EQ(decide(r->policy, request("cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events")),
            decision::implicit_deny);
  // GetCallerIdentity needs no permission: it never appears.
  EXPECT_FALSE(excluded.contains("sts:GetCallerIdentity"));
  EXPECT_TRUE(std::any_of(r->notes.begin(), r->notes.end(),
                          [](const std::string &n) { return n.find("sts:GetCallerIdentity needs no permission") != std::string::npos; }));
}

TEST(LeastPrivilege, TheFlagTimeDefaultsToTheIdentitysStatus) {
  const auto r = least_privilege_policy(test::sample_engine().evidence(), admin);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->flag_time);
  EXPECT_EQ(*r->flag_time, *test::sample_engine().assessment_of(admin)->since);
  EXPECT_EQ(names(r->used_actions).size(), 3u);
}

TEST(LeastPrivilege, ResourcesAreScopedToWhatWasSeen) {
  // The CI role's sessions read and wrote the artifacts bucket.
  const auto r = least_privilege_policy(test::sample_engine().evidence(), "arn:aws:iam::111122223333:role/ci-deploy-role");
  ASSERT_TRUE(r) << r.error().message;
  const auto put = std::find_if(r->used_actions.begin(), r->used_actions.end(),
                                [](const used_action &a) { return a.action == "s3:PutObject"; });
  ASSERT_NE(put, r->used_actions.end());
  for (const auto &arn : put->resources) EXPECT_TRUE(arn.starts_with("arn:aws:s3:::acme-deploy-artifacts/")) << arn;
  EXPECT_EQ(decide(r->policy, request("s3:PutObject", put->resources.front())), decision::allow);
  EXPECT_EQ(decide(r->policy, request("s3:PutObject", "arn:aws:s3:::acme-finance-reports/x")), decision::implicit_deny);
}

TEST(LeastPrivilege, CurrentPoliciesBoundTheResultAndShowWhatWentUnused) {
  least_privilege_options options;
  options.flag_time = at("2026-03-01T13:20:00Z");
  options.current.push_back(*parse_policy(R"({"Statement":[{"Effect":"Allow","Action":["ec2:*Snapshot*","s3:*"],"Resource":"*"},
    {"Effect":"Deny","Action":"ec2:DeleteSnapshot","Resource":"*"}]})"));
  const auto r = least_privilege_policy(test::sample_engine().evidence(), admin, options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->not_granted, std::vector<std::string>{"ec2:DeleteSnapshot on *"});
  EXPECT_EQ(decide(r->policy, request("ec2:DeleteSnapshot", "*")), decision::implicit_deny);
  ASSERT_EQ(r->unused_permissions.size(), 2u);
  EXPECT_TRUE(r->unused_permissions[1].starts_with("s3:*: ")) << r->unused_permissions[1];
}

TEST(LeastPrivilege, OnlyUnconditionalGrantsBoundTheResult) {
  const std::vector<usage_record> usage{
      {"s3:GetObject", "arn:aws:s3:::b/report*.csv", 1, 0, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")},
      {"ec2:DescribeInstances", "", 1, 0, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")},
      {"ec2:DescribeVpcs", "", 1, 0, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")}};
  least_privilege_options options;
  // An allow that holds only under a condition proves nothing; neither does one with NotResource for "*".
  options.current.push_back(*parse_policy(R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
    {"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}},
    {"Effect":"Allow","Action":"ec2:DescribeVpcs","NotResource":"arn:aws:ec2:*:*:vpc/secret"}]})"));
  const auto r = generate_least_privilege("u", usage, options);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->not_granted, (std::vector<std::string>{"ec2:DescribeInstances on *", "ec2:DescribeVpcs on *"}));
  // The object key's '*' is a literal in the policy, not a wildcard.
  ASSERT_EQ(r->policy.statements.size(), 1u);
  EXPECT_EQ(r->policy.statements[0].resources, std::vector<std::string>{"arn:aws:s3:::b/report${*}.csv"});
  EXPECT_EQ(decide(r->policy, request("s3:GetObject", "arn:aws:s3:::b/report-2026.csv")), decision::implicit_deny);
  EXPECT_EQ(decide(r->policy, request("s3:GetObject", "arn:aws:s3:::b/report*.csv")), decision::allow);
}

TEST(LeastPrivilege, PassRoleIsRecordedOnlyWithTheRole) {
  const auto feed = [](std::string_view params) {
    return test::feed_one(
        std::string(R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"CreateFunction20150331","awsRegion":"us-east-1","recipientAccountId":"111122223333",)"
                    R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x","accountId":"111122223333"},"requestParameters":)") +
        std::string(params) + "}");
  };
  const auto with_role = feed(R"({"functionName":"f","role":"arn:aws:iam::111122223333:role/fn"})");
  const auto r = generate_least_privilege("x", *usage_of(with_role.evidence(), "arn:aws:iam::111122223333:user/x"), {});
  const auto pass = std::find_if(r->used_actions.begin(), r->used_actions.end(),
                                 [](const used_action &u) { return u.action == "iam:PassRole"; });
  ASSERT_NE(pass, r->used_actions.end());
  EXPECT_EQ(pass->resources, std::vector<std::string>{"arn:aws:iam::111122223333:role/fn"});
  const auto without = feed(R"({"functionName":"f"})");
  const auto none = generate_least_privilege("x", *usage_of(without.evidence(), "arn:aws:iam::111122223333:user/x"), {});
  EXPECT_FALSE(names(none->used_actions).contains("iam:PassRole"));
}

TEST(LeastPrivilege, CompactionNeverAdmitsAnUnusedAction) {
  const auto &catalog = action_catalog::builtin();
  // Every iam:Get* action used, plus one List action: Get* folds, the List action stays alone.
  std::vector<usage_record> usage;
  for (const auto *a : catalog.matching("iam:Get*"))
    usage.push_back({"iam:" + std::string(a->name), "", 1, 0, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")});
  usage.push_back({"iam:ListUsers", "", 1, 0, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")});
  least_privilege_options options;
  options.compact = true;
  const auto r = generate_least_privilege("x", usage, options);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->policy.statements.size(), 1u);
  const auto &patterns = r->policy.statements[0].actions;
  ASSERT_EQ(patterns.size(), 2u) << "the Get actions fold into one pattern";
  EXPECT_TRUE(patterns[0].ends_with("*")) << patterns[0];
  EXPECT_EQ(patterns[1], "iam:ListUsers");  // ListUsers alone: other iam:List* actions were not used
  for (const auto &p : patterns)
    for (const auto *a : catalog.matching(p)) {
      const std::string name = std::string(a->service) + ":" + std::string(a->name);
      EXPECT_TRUE(std::any_of(usage.begin(), usage.end(), [&](const usage_record &u) { return u.action == name; }))
          << p << " admits " << name;
    }
}

// Property: on generated usage and policies, the generated policy allows every
// action and resource used before the flag time, allows nothing the original
// policy does not, and allows no action used only after the flag time.
TEST(LeastPrivilege, PropertiesHoldOnGeneratedUsageAndPolicies) {
  const auto &catalog = action_catalog::builtin();
  const auto pool = catalog.matching("s3:*");
  const std::vector<std::string> buckets{"arn:aws:s3:::alpha", "arn:aws:s3:::beta", "arn:aws:s3:::gamma"};
  std::mt19937 rng(42);
  const timestamp flag = at("2026-03-01T12:00:00Z");
  std::size_t checked_before = 0, checked_after = 0;
  for (int round = 0; round < 40; ++round) {
    // An original policy allowing a random third of the pool on random buckets (objects too), with a deny.
    std::string original = R"({"Statement":[{"Effect":"Allow","Action":[)";
    std::vector<std::string> allowed;
    for (const auto *a : pool)
      if (rng() % 3 == 0) allowed.push_back("s3:" + std::string(a->name));
    if (allowed.empty()) allowed.push_back("s3:GetObject");
    for (std::size_t i = 0; i < allowed.size(); ++i) original += (i ? ",\"" : "\"") + allowed[i] + "\"";
    original += R"(],"Resource":["arn:aws:s3:::alpha","arn:aws:s3:::alpha/*","arn:aws:s3:::beta/*"]},)";
    // Actions that cannot be scoped are evaluated against "*": a few of them are allowed there.
    original += R"({"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:ListAccessGrantsInstances","s3:CreateJob"],"Resource":"*"},)";
    original += R"({"Effect":"Deny","Action":")" + allowed[rng() % allowed.size()] + R"(","Resource":"*"}]})";
    const auto current = *parse_policy(original, "original");
    // Usage: calls the original allows succeed, before or after the flag.
    std::vector<usage_record> usage;
    std::vector<std::pair<std::string, std::string>> before, after_only;
    for (int n = 0; n < 60; ++n) {
      const auto *a = pool[rng() % pool.size()];
      const std::string action = "s3:" + std::string(a->name);
      // A call on an action that cannot be scoped names no resource; AWS evaluates it against "*".
      std::string resource = "*";
      if (a->resource_level()) {
        resource = buckets[rng() % buckets.size()];
        if (rng() % 2) resource += "/key" + std::to_string(rng() % 5);
      }
      if (decide(current, request(action, resource)) != decision::allow) continue;
      const bool early = rng() % 2;
      const timestamp when = early ? at("2026-03-01T10:00:00Z") : at("2026-03-01T13:00:00Z");
      usage.push_back({action, resource == "*" ? std::string() : resource, 1, 0, when, when});
      (early ? before : after_only).emplace_back(action, resource);
    }
    least_privilege_options options;
    options.flag_time = flag;
    options.current = {current};
    options.compact = round % 2 == 1;
    const auto r = generate_least_privilege("u", usage, options);
    ASSERT_TRUE(r) << r.error().message;
    checked_before += before.size();
    checked_after += after_only.size();
    for (const auto &[action, resource] : before) {
      const auto *entry = catalog.find(action);
      // Scoped where the action supports it; a resource of another type stays out (the policy says "*" or the type's ARNs).
      const bool typed = !entry->resource_level() ||
                         std::any_of(r->used_actions.begin(), r->used_actions.end(), [&](const used_action &u) {
                           return u.action == action && std::find(u.resources.begin(), u.resources.end(), resource) != u.resources.end();
                         });
      if (typed) {
        EXPECT_EQ(decide(r->policy, request(action, resource)), decision::allow)
            << "round " << round << ": used before the flag but not allowed: " << action << " on " << resource;
      }
      const bool in_policy = std::any_of(r->used_actions.begin(), r->used_actions.end(),
                                         [&](const used_action &u) { return u.action == action; });
      EXPECT_TRUE(in_policy) << action;
    }
    for (const auto &[action, resource] : after_only) {
      const bool also_before = std::any_of(before.begin(), before.end(), [&](const auto &b) { return b.first == action; });
      if (!also_before) {
        EXPECT_NE(decide(r->policy, request(action, resource)), decision::allow)
            << "round " << round << ": used only after the flag but allowed: " << action;
      }
    }
    // Nothing the original policy does not allow: every (action, resource) the generated policy grants.
    for (const auto &st : r->policy.statements)
      for (const auto &pattern : st.actions)
        for (const auto *a : catalog.matching(pattern))
          for (const auto &resource : st.resources) {
            const std::string action = std::string(a->service) + ":" + std::string(a->name);
            EXPECT_EQ(decide(current, request(action, resource)), decision::allow)
                << "round " << round << ": the generated policy grants " << action << " on " << resource;
          }
  }
  // The generated cases exercise both sides of the flag.
  EXPECT_GT(checked_before, 100u);
  EXPECT_GT(checked_after, 100u);
}
