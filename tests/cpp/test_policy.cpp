// IAM policies: parsing with located errors, and evaluation as AWS documents it.
#include <gtest/gtest.h>

#include "support.hpp"

using namespace identrail;

namespace {

policy_document parse(std::string_view json) {
  auto p = parse_policy(json, "test.json");
  if (!p) throw std::runtime_error(p.error().message);
  return *p;
}

policy_request req(std::string action, std::string resource = "*",
                   std::vector<std::pair<std::string, std::vector<std::string>>> context = {}) {
  return {"arn:aws:iam::111122223333:user/alice", std::move(action), std::move(resource), std::move(context)};
}

decision decide(std::string_view identity_policy, const policy_request &r) {
  policy_set set;
  set.identity.push_back(parse(identity_policy));
  return evaluate(set, r).result;
}

}  // namespace

TEST(PolicyParse, AcceptsEveryShapeIamAccepts) {
  const auto p = parse(R"({"Version":"2012-10-17","Id":"x","Statement":{"Sid":"One","Effect":"Allow","Action":"s3:GetObject",
    "Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"],"Condition":{"Bool":{"aws:SecureTransport":true},
    "NumericLessThan":{"s3:max-keys":10},"ForAnyValue:StringLike":{"aws:TagKeys":["team*","env"]}}}})");
  ASSERT_EQ(p.statements.size(), 1u);
  const auto &s = p.statements[0];
  EXPECT_EQ(s.sid, "One");
  EXPECT_EQ(s.actions, std::vector<std::string>{"s3:GetObject"});
  EXPECT_EQ(s.resources.size(), 2u);
  ASSERT_EQ(s.conditions.size(), 3u);
  EXPECT_EQ(s.conditions[0].values, std::vector<std::string>{"true"});
  EXPECT_EQ(s.conditions[1].values, std::vector<std::string>{"10"});
  EXPECT_EQ(s.conditions[2].op, "ForAnyValue:StringLike");
  // Written back and read again, the document is the same.
  const auto again = parse(to_json(p));
  EXPECT_EQ(to_json(again), to_json(p));
  const auto resource_policy = parse(R"({"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::1:root","2"]},
    "NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b/public/*"}]})");
  EXPECT_TRUE(resource_policy.statements[0].not_principal);
  EXPECT_TRUE(resource_policy.statements[0].not_action);
  EXPECT_TRUE(resource_policy.statements[0].not_resource);
  EXPECT_EQ(resource_policy.statements[0].principal->entries.size(), 2u);
}

TEST(PolicyParse, ErrorsNameTheSourcePathAndReason) {
  const auto error = [](std::string_view json) {
    auto p = parse_policy(json, "bad.json");
    return p ? std::string("(parsed)") : p.error().message;
  };
  EXPECT_EQ(error(R"({"Statement":[{"Effect":"Allow","Action":"s3:*"},{"Effect":"Maybe","Action":"s3:*"}]})"),
            R"(bad.json: Statement[1].Effect: expected "Allow" or "Deny")");
  EXPECT_EQ(error(R"({"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringSorta":{"k":"v"}}}})"),
            "bad.json: Statement.Condition.StringSorta: unknown condition operator");
  EXPECT_EQ(error(R"({"Statement":{"Effect":"Allow","Action":["s3:GetObject",7]}})"),
            "bad.json: Statement.Action[1]: expected a string, found a number");
  EXPECT_EQ(error(R"({"Statement":{"Effect":"Allow"}})"), "bad.json: Statement: missing Action or NotAction");
  EXPECT_EQ(error(R"({"Statement":{"Effect":"Allow","Action":"*","NotAction":"x"}})"),
            "bad.json: Statement.NotAction: a statement has either Action or NotAction, once");
  EXPECT_EQ(error(R"({"Version":"2020-01-01","Statement":[]})"), R"(bad.json: Version: expected "2012-10-17" or "2008-10-17")");
  EXPECT_EQ(error(R"({"Statement":{"Effect":"Allow","Action":"*","Principal":"arn:aws:iam::1:root"}})"),
            R"(bad.json: Statement.Principal: a string principal must be "*"; name principals as {"AWS": ...})");
  EXPECT_NE(error("{not json").find("bad.json: not valid JSON"), std::string::npos);
}

TEST(PolicyEvaluate, ExplicitDenyWinsThenAllowElseImplicitDeny) {
  policy_set set;
  set.identity.push_back(parse(R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
    {"Sid":"NoFinance","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::finance/*"}]})"));
  auto e = evaluate(set, req("s3:GetObject", "arn:aws:s3:::finance/q1.csv"));
  EXPECT_EQ(e.result, decision::explicit_deny);
  EXPECT_EQ(e.statement_index, 1u);
  EXPECT_EQ(e.reason, "denied by identity[0] Statement[1] (NoFinance)");
  e = evaluate(set, req("S3:getobject", "arn:aws:s3:::public/a"));  // actions ignore case
  EXPECT_EQ(e.result, decision::allow);
  EXPECT_EQ(e.statement_index, 0u);
  EXPECT_EQ(evaluate(set, req("ec2:DescribeInstances")).result, decision::implicit_deny);
  // Resources are case-sensitive.
  EXPECT_EQ(evaluate(set, req("s3:GetObject", "arn:aws:s3:::FINANCE/q1.csv")).result, decision::allow);
}

TEST(PolicyEvaluate, GuardrailsAndResourcePolicies) {
  policy_set set;
  set.identity.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":["s3:*","iam:*"],"Resource":"*"}})"));
  set.boundary.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})"));
  EXPECT_EQ(evaluate(set, req("s3:ListBucket")).result, decision::allow);
  const auto bounded = evaluate(set, req("iam:CreateUser"));
  EXPECT_EQ(bounded.result, decision::implicit_deny);
  EXPECT_EQ(bounded.decided_by, policy_kind::boundary);
  set.scps.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
    "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}})"));
  EXPECT_EQ(evaluate(set, req("s3:ListBucket", "*", {{"aws:RequestedRegion", {"us-east-1"}}})).decided_by, policy_kind::scp);
  EXPECT_EQ(evaluate(set, req("s3:ListBucket", "*", {{"aws:requestedregion", {"eu-west-1"}}})).result, decision::allow);
  // A resource policy alone allows a principal it names exactly; naming the account only delegates
  // to the account's own policies. A deny in it applies to whoever it covers.
  policy_set shared;
  shared.resource.push_back(parse(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},
    "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Principal":{"AWS":
    ["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:role/path/deployer"]},"Action":"s3:PutObject",
    "Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/deployer"},
    "Action":"s3:DeleteObject","Resource":"*"}]})"));
  EXPECT_EQ(evaluate(shared, req("s3:GetObject", "arn:aws:s3:::b/k")).result, decision::implicit_deny);
  const auto put = evaluate(shared, req("s3:PutObject", "arn:aws:s3:::b/k"));
  EXPECT_EQ(put.result, decision::allow);
  EXPECT_EQ(put.decided_by, policy_kind::resource);
  auto other = req("s3:PutObject", "arn:aws:s3:::b/k");
  other.principal = "arn:aws:iam::999988887777:user/mallory";
  EXPECT_EQ(evaluate(shared, other).result, decision::implicit_deny);
  // A role named in a resource policy covers its sessions, whatever the role's path.
  auto session = req("s3:DeleteObject", "arn:aws:s3:::b/k");
  session.principal = "arn:aws:sts::111122223333:assumed-role/deployer/run-42";
  EXPECT_EQ(evaluate(shared, session).result, decision::explicit_deny);
  session.action = "s3:PutObject";
  EXPECT_EQ(evaluate(shared, session).result, decision::allow);
  // With an identity allow, the account-wide grant is enough.
  shared.identity.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})"));
  EXPECT_EQ(evaluate(shared, req("s3:GetObject", "arn:aws:s3:::b/k")).result, decision::allow);
  // A boundary that does not allow stops the identity allow, but not a resource policy naming the caller.
  shared.boundary.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}})"));
  EXPECT_EQ(evaluate(shared, req("s3:GetObject", "arn:aws:s3:::b/k")).decided_by, policy_kind::boundary);
  EXPECT_EQ(evaluate(shared, req("s3:PutObject", "arn:aws:s3:::b/k")).result, decision::allow);
  // A resource policy statement without a principal applies to no one.
  policy_set nameless;
  nameless.resource.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}})"));
  EXPECT_EQ(evaluate(nameless, req("s3:GetObject", "arn:aws:s3:::b/k")).result, decision::implicit_deny);
}

TEST(PolicyEvaluate, HostileAndEscapedInputs) {
  // A repeated element would drop the first Condition: refused.
  auto repeated = parse_policy(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
    "Condition":{"Bool":{"aws:SecureTransport":"true"}},"Condition":{}}})", "dup.json");
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().message, "dup.json: Statement.Condition: repeated element");
  // Dates far outside the range are no dates: no match, no overflow.
  const auto far = std::string(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
    "Condition":{"DateLessThan":{"aws:CurrentTime":"1e20"}}}})");
  EXPECT_EQ(decide(far, req("s3:GetObject", "*", {{"aws:CurrentTime", {"2026-03-01T00:00:00Z"}}})), decision::implicit_deny);
  EXPECT_EQ(decide(far, req("s3:GetObject", "*", {{"aws:CurrentTime", {"-1e300"}}})), decision::implicit_deny);
  const auto day = std::string(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
    "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01"}}}})");
  EXPECT_EQ(decide(day, req("s3:GetObject", "*", {{"aws:CurrentTime", {"2026-03-01T00:00:00Z"}}})), decision::allow);
  // ${*} is a literal star in a resource.
  const auto literal = std::string(R"({"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}.csv"}})");
  EXPECT_EQ(decide(literal, req("s3:GetObject", "arn:aws:s3:::b/*.csv")), decision::allow);
  EXPECT_EQ(decide(literal, req("s3:GetObject", "arn:aws:s3:::b/q1.csv")), decision::implicit_deny);
}

TEST(PolicyConditions, OperatorsAndMissingKeysAsAwsDocuments) {
  const auto allow_if = [](std::string_view condition) {
    return std::string(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":)") +
           std::string(condition) + "}}";
  };
  const auto ip = allow_if(R"({"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}})");
  EXPECT_EQ(decide(ip, req("s3:GetObject", "*", {{"aws:SourceIp", {"203.0.113.9"}}})), decision::allow);
  EXPECT_EQ(decide(ip, req("s3:GetObject", "*", {{"aws:SourceIp", {"2001:db8::1"}}})), decision::allow);
  EXPECT_EQ(decide(ip, req("s3:GetObject", "*", {{"aws:SourceIp", {"198.51.100.1"}}})), decision::implicit_deny);
  EXPECT_EQ(decide(ip, req("s3:GetObject")), decision::implicit_deny);  // missing key: no match
  // Negated operators hold when the key is missing (calls through VPC endpoints carry no aws:SourceIp).
  const auto deny_outside = std::string(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
    {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]})");
  EXPECT_EQ(decide(deny_outside, req("s3:GetObject")), decision::explicit_deny);
  EXPECT_EQ(decide(deny_outside, req("s3:GetObject", "*", {{"aws:SourceIp", {"203.0.113.5"}}})), decision::allow);
  // IfExists: a missing key passes.
  EXPECT_EQ(decide(allow_if(R"({"StringEqualsIfExists":{"aws:PrincipalTag/team":"red"}})"), req("s3:GetObject")),
            decision::allow);
  // Null.
  EXPECT_EQ(decide(allow_if(R"({"Null":{"aws:TokenIssueTime":"true"}})"), req("s3:GetObject")), decision::allow);
  EXPECT_EQ(decide(allow_if(R"({"Null":{"aws:TokenIssueTime":"true"}})"),
                   req("s3:GetObject", "*", {{"aws:TokenIssueTime", {"2026-03-01T12:00:00Z"}}})),
            decision::implicit_deny);
  // Dates, as RFC 3339 or epoch seconds; revoking older sessions.
  const auto revoke = std::string(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
    {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-03-01T15:00:00Z"}}}]})");
  EXPECT_EQ(decide(revoke, req("s3:GetObject", "*", {{"aws:TokenIssueTime", {"2026-03-01T13:38:12Z"}}})),
            decision::explicit_deny);
  EXPECT_EQ(decide(revoke, req("s3:GetObject", "*", {{"aws:TokenIssueTime", {"1772380800"}}})), decision::allow);
  // Numbers, booleans, ARNs, case-insensitive strings, wildcards.
  EXPECT_EQ(decide(allow_if(R"({"NumericLessThanEquals":{"s3:max-keys":"10"}})"),
                   req("s3:ListBucket", "*", {{"s3:max-keys", {"10"}}})),
            decision::allow);
  EXPECT_EQ(decide(allow_if(R"({"Bool":{"aws:MultiFactorAuthPresent":"true"}})"),
                   req("iam:CreateUser", "*", {{"aws:MultiFactorAuthPresent", {"false"}}})),
            decision::implicit_deny);
  EXPECT_EQ(decide(allow_if(R"({"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}})"),
                   req("sqs:SendMessage", "*", {{"aws:SourceArn", {"arn:aws:sns:eu-west-1:111122223333:alerts"}}})),
            decision::allow);
  EXPECT_EQ(decide(allow_if(R"({"StringEqualsIgnoreCase":{"aws:username":"ALICE"}})"),
                   req("s3:GetObject", "*", {{"aws:username", {"alice"}}})),
            decision::allow);
  EXPECT_EQ(decide(allow_if(R"({"StringLike":{"s3:prefix":"home/alice/*"}})"),
                   req("s3:ListBucket", "*", {{"s3:prefix", {"home/bob/x"}}})),
            decision::implicit_deny);
  // Sets: ForAllValues holds vacuously; ForAnyValue needs one match.
  const auto all_tags = allow_if(R"({"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}})");
  EXPECT_EQ(decide(all_tags, req("ec2:CreateTags", "*", {{"aws:TagKeys", {"team", "env"}}})), decision::allow);
  EXPECT_EQ(decide(all_tags, req("ec2:CreateTags", "*", {{"aws:TagKeys", {"team", "owner"}}})), decision::implicit_deny);
  EXPECT_EQ(decide(all_tags, req("ec2:CreateTags")), decision::allow);
  const auto any_tag = allow_if(R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}})");
  EXPECT_EQ(decide(any_tag, req("ec2:CreateTags", "*", {{"aws:TagKeys", {"x", "team"}}})), decision::allow);
  EXPECT_EQ(decide(any_tag, req("ec2:CreateTags")), decision::implicit_deny);
  // The remediation plan's own policy: deny outside the networks, unless an AWS service calls.
  const auto deny = std::string(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny",
    "Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["3.91.171.4/32"]},
    "Bool":{"aws:ViaAWSService":"false"}}}]})");
  EXPECT_EQ(decide(deny, req("s3:GetObject", "*", {{"aws:SourceIp", {"185.220.101.45"}}, {"aws:ViaAWSService", {"false"}}})),
            decision::explicit_deny);
  EXPECT_EQ(decide(deny, req("s3:GetObject", "*", {{"aws:SourceIp", {"3.91.171.4"}}, {"aws:ViaAWSService", {"false"}}})),
            decision::allow);
  EXPECT_EQ(decide(deny, req("s3:GetObject", "*", {{"aws:SourceIp", {"10.0.0.1"}}, {"aws:ViaAWSService", {"true"}}})),
            decision::allow);
}

TEST(PolicyEvaluate, RemediationPoliciesParseAndDoWhatTheySay) {
  remediation_options options;
  options.now = *parse_rfc3339("2026-03-01T15:00:00Z");
  const auto plan = plan_remediation(test::sample_engine().evidence(), "arn:aws:iam::111122223333:user/ops-admin", options);
  ASSERT_TRUE(plan);
  for (const auto &s : plan->strategies) {
    if (s.policy.empty()) continue;
    auto parsed = parse_policy(s.policy, s.id);
    ASSERT_TRUE(parsed) << parsed.error().message;
    policy_set set;
    set.identity.push_back(parse(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})"));
    set.identity.push_back(*parsed);
    // The attacker's address, with a session issued at the attack, is denied by both policies.
    const auto attacker = req("secretsmanager:GetSecretValue", "*",
                              {{"aws:SourceIp", {"185.220.101.45"}}, {"aws:ViaAWSService", {"false"}},
                               {"aws:TokenIssueTime", {"2026-03-01T13:38:12Z"}}});
    EXPECT_EQ(evaluate(set, attacker).result, decision::explicit_deny) << s.id;
  }
}
