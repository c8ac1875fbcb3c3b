// SigmaHQ's CloudTrail rules as SigmaHQ writes them (../shared/datasets/sigmahq-aws,
// unchanged): which load, which are refused and why, and rules firing on the
// records they describe and not on a near miss. Sigma's field semantics:
// arrays searched element by element, raw names read raw, null apart from "".
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "support.hpp"

using namespace identrail;

namespace {

std::string corpus() { return test::datasets() + "/sigmahq-aws"; }

// A CloudTrail record: the given members spliced into a plain IAM-user call.
std::string ct(const std::string &name, const std::string &source, const std::string &members = "",
               const std::string &identity = R"({"type":"IAMUser","principalId":"AIDAX","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"})") {
  return R"({"eventVersion":"1.09","userIdentity":)" + identity +
         R"(,"eventTime":"2026-03-01T10:00:00Z","eventSource":")" + source + R"(","eventName":")" + name +
         R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2.15.0","eventID":")" + name +
         "-" + std::to_string(std::hash<std::string>{}(members) % 100000) + R"(","eventType":"AwsApiCall")" +
         (members.empty() ? "" : "," + members) + "}";
}

// The rule ids of the rule set that fire on one record.
std::vector<std::string> fired(const rule_set &rules, const std::string &record) {
  engine_options options;
  options.rules = rules;
  auto e = test::make_engine(options);
  EXPECT_TRUE(e.feed(record, "sigma"));
  e.finish();
  EXPECT_EQ(e.stats().accepted, 1u) << record;
  std::vector<std::string> ids;
  for (const auto &d : e.detections()) ids.push_back(d.rule_id);
  return ids;
}

rule_set sigma_file(const std::string &name) {
  auto rules = rule_set::from_paths({corpus() + "/" + name});
  EXPECT_TRUE(rules) << name << ": " << (rules ? "" : rules.error().message);
  return rules ? *rules : rule_set{};
}

rule_set sigma_text(const std::string &detection, const std::string &tags = "") {
  const std::string yaml = "title: t\nid: t-1\nlogsource: {product: aws, service: cloudtrail}\n" + tags + "detection:\n" + detection;
  auto rules = rule_set::from_yaml(yaml, "t.yml");
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  return rules ? *rules : rule_set{};
}

}  // namespace

TEST(SigmaCorpus, EveryRuleLoadsButTheOneWrongUpstream) {
  std::map<std::string, std::string> refused;
  std::size_t loaded = 0, tagged = 0;
  for (const auto &entry : std::filesystem::directory_iterator(corpus())) {
    if (entry.path().extension() != ".yml") continue;
    auto rules = rule_set::from_paths({entry.path().string()});
    if (!rules) {
      refused[entry.path().filename().string()] = rules.error().message;
      continue;
    }
    ++loaded;
    for (std::size_t i = 0; i < rules->size(); ++i) tagged += !rules->info(i).tactics.empty();
  }
  EXPECT_EQ(loaded, 56u);
  ASSERT_EQ(refused.size(), 1u);
  // It selects on "status", which CloudTrail records do not have: reported, not guessed at.
  const auto &why = refused["aws_delete_saml_provider.yml"];
  EXPECT_NE(why.find("\"status\" is not a field of a CloudTrail record"), std::string::npos) << why;
  EXPECT_NE(why.find("aws_delete_saml_provider.yml:"), std::string::npos);
  EXPECT_EQ(tagged, loaded);  // ATT&CK v19 tags (stealth, defense-impairment) map too
}

TEST(SigmaCorpus, CurrentTacticTagsMapToTheirIds) {
  const auto stealth = sigma_file("aws_cloudtrail_disable_logging.yml");
  ASSERT_EQ(stealth.size(), 1u);
  const auto &tactics = stealth.info(0).tactics;
  EXPECT_TRUE(std::find(tactics.begin(), tactics.end(), "TA0112") != tactics.end() ||
              std::find(tactics.begin(), tactics.end(), "TA0005") != tactics.end());
  const auto mine = sigma_text("  s: {eventName: x}\n  condition: s\n",
                               "tags: [attack.stealth, attack.defense-impairment, attack.g0016, attack.t1562.008]\n");
  EXPECT_EQ(mine.info(0).tactics, (std::vector<std::string>{"TA0005", "TA0112"}));
  EXPECT_EQ(mine.info(0).techniques, (std::vector<std::string>{"T1562.008"}));
  auto unknown = rule_set::from_yaml("title: t\nid: u\nlogsource: {product: aws, service: cloudtrail}\n"
                                     "tags: [attack.sneaking]\ndetection: {s: {eventName: x}, condition: s}\n", "u.yml");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown ATT&CK tactic tag \"attack.sneaking\""), std::string::npos);
}

TEST(SigmaCorpus, ArraysAreSearchedElementByElement) {
  const auto ecs = sigma_file("aws_ecs_task_definition_cred_endpoint_query.yml");
  const auto task = [](const std::string &command) {
    return ct("RegisterTaskDefinition", "ecs.amazonaws.com",
              R"("requestParameters":{"family":"web","containerDefinitions":[{"name":"app","command":["nginx"]},)"
              R"({"name":"side","command":["sh","-c",")" + command + R"("]}]})");
  };
  EXPECT_EQ(fired(ecs, task("curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")).size(), 1u);
  EXPECT_TRUE(fired(ecs, task("curl http://example.com/health")).empty());  // near miss

  const auto arn = sigma_text("  s: {resources.ARN|endswith: ':trail/main'}\n  condition: s\n");
  const auto with = [](const std::string &second) {
    return ct("StopLogging", "cloudtrail.amazonaws.com",
              R"("resources":[{"ARN":"arn:aws:s3:::logs","type":"AWS::S3::Bucket"},{"ARN":")" + second + R"("}])");
  };
  EXPECT_EQ(fired(arn, with("arn:aws:cloudtrail:us-east-1:111122223333:trail/main")).size(), 1u);
  EXPECT_TRUE(fired(arn, with("arn:aws:cloudtrail:us-east-1:111122223333:trail/other")).empty());
}

TEST(SigmaCorpus, RawNamesReadTheRecordNotTheNormalizedFallbacks) {
  // recipientAccountId: null matches a record without it, though the account falls back to the actor's.
  const auto no_recipient = sigma_text("  s: {recipientAccountId: null}\n  condition: s\n");
  EXPECT_EQ(fired(no_recipient, ct("ListUsers", "iam.amazonaws.com")).size(), 1u);
  EXPECT_TRUE(fired(no_recipient, ct("ListUsers", "iam.amazonaws.com", R"("recipientAccountId":"111122223333")")).empty());
  // A userIdentity.type this version does not know is read as written.
  const auto new_type = sigma_text("  s: {userIdentity.type: QuantumPrincipal}\n  condition: s\n");
  EXPECT_EQ(fired(new_type, ct("ListUsers", "iam.amazonaws.com", "", R"({"type":"QuantumPrincipal","principalId":"Q1"})")).size(), 1u);
  EXPECT_TRUE(fired(new_type, ct("ListUsers", "iam.amazonaws.com")).empty());
  // An empty string is a value; null and absent are not.
  const auto empty = sigma_text("  s: {errorCode: ''}\n  condition: s\n");
  EXPECT_EQ(fired(empty, ct("ListUsers", "iam.amazonaws.com", R"("errorCode":"")")).size(), 1u);
  EXPECT_TRUE(fired(empty, ct("ListUsers", "iam.amazonaws.com")).empty());
  // Top-level fields by their own names.
  const auto top = sigma_text("  s:\n    managementEvent: 'false'\n    vpcEndpointId|startswith: vpce-\n"
                              "    sessionCredentialFromConsole: 'true'\n  condition: s\n");
  const std::string members = R"("managementEvent":false,"vpcEndpointId":"vpce-0abc","sessionCredentialFromConsole":"true")";
  EXPECT_EQ(fired(top, ct("GetObject", "s3.amazonaws.com", members)).size(), 1u);
  EXPECT_TRUE(fired(top, ct("GetObject", "s3.amazonaws.com", R"("managementEvent":true,"vpcEndpointId":"vpce-0abc")")).empty());
  // The root rule as SigmaHQ ships it: Root, and not a service event.
  const auto root = sigma_file("aws_root_account_usage.yml");
  const std::string root_identity = R"({"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"})";
  EXPECT_EQ(fired(root, ct("ListUsers", "iam.amazonaws.com", "", root_identity)).size(), 1u);
  auto service_event = ct("ListUsers", "iam.amazonaws.com", "", root_identity);
  service_event.replace(service_event.find("AwsApiCall"), 10, "AwsServiceEvent");
  EXPECT_TRUE(fired(root, service_event).empty());
}

TEST(SigmaCorpus, FieldrefCasedNumbersAndRegexFlags) {
  const auto login = sigma_file("aws_update_login_profile.yml");
  EXPECT_EQ(fired(login, ct("UpdateLoginProfile", "iam.amazonaws.com", R"("requestParameters":{"userName":"bob"})")).size(), 1u);
  // The filter: the user changed its own profile (the field equals the other field).
  EXPECT_TRUE(fired(login, ct("UpdateLoginProfile", "iam.amazonaws.com",
                              R"("requestParameters":{"userName":"arn:aws:iam::111122223333:user/alice"})"))
                  .empty());
  const auto cased = sigma_text("  s: {userAgent|cased: aws-cli/2.15.0}\n  condition: s\n");
  EXPECT_EQ(fired(cased, ct("ListUsers", "iam.amazonaws.com")).size(), 1u);
  auto shouting = ct("ListUsers", "iam.amazonaws.com");
  shouting.replace(shouting.find("aws-cli"), 7, "AWS-CLI");
  EXPECT_TRUE(fired(cased, shouting).empty());
  const auto flags = sigma_text("  s: {userAgent|re|i: '^AWS-CLI/2'}\n  condition: s\n");
  EXPECT_EQ(fired(flags, ct("ListUsers", "iam.amazonaws.com")).size(), 1u);
  const auto longer = sigma_text("  s: {requestParameters.durationSeconds|gt: 3600}\n  condition: s\n");
  EXPECT_EQ(fired(longer, ct("AssumeRole", "sts.amazonaws.com", R"("requestParameters":{"durationSeconds":43200})")).size(), 1u);
  EXPECT_TRUE(fired(longer, ct("AssumeRole", "sts.amazonaws.com", R"("requestParameters":{"durationSeconds":3600})")).empty());
  auto bad = rule_set::from_yaml("title: t\nid: b\nlogsource: {product: aws, service: cloudtrail}\n"
                                 "detection: {s: {requestParameters.durationSeconds|gt: long}, condition: s}\n", "b.yml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("Sigma gt needs a number"), std::string::npos);
}

TEST(SigmaCorpus, ADirectoryWithABadRuleListsEveryErrorOrSkipsThem) {
  auto strict = rule_set::from_paths({corpus()});
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message.find("aws_delete_saml_provider.yml"), std::string::npos);
  rule_load_options skip;
  skip.skip_invalid = true;
  auto loaded = rule_set::from_paths({corpus()}, skip);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->size(), 56u);
  ASSERT_EQ(loaded->rejected().size(), 1u);
  EXPECT_NE(loaded->rejected()[0].find("aws_delete_saml_provider.yml:"), std::string::npos);

  // Two bad rules in one file among good ones: both named, the good ones kept when skipping.
  const std::string yaml = R"(
- {id: G-1, name: good, severity: low, match: {event_name: ListUsers}}
- {id: B-1, name: bad, severity: low, match: {source_ip: {cidr: 10.0.0.0/33}}}
- {id: G-2, name: good too, severity: low, match: {event_name: ListRoles}}
- {id: B-2, name: worse, severity: nope, match: {event_name: x}}
)";
  auto all = rule_set::from_yaml(yaml, "pack.yaml");
  ASSERT_FALSE(all);
  EXPECT_NE(all.error().message.find("2 rules refused:"), std::string::npos);
  EXPECT_NE(all.error().message.find("rule B-1"), std::string::npos);
  EXPECT_NE(all.error().message.find("rule B-2"), std::string::npos);
  auto some = rule_set::from_yaml(yaml, "pack.yaml", skip);
  ASSERT_TRUE(some);
  EXPECT_EQ(some->size(), 2u);
  EXPECT_EQ(some->rejected().size(), 2u);
  EXPECT_NE(some->rejected()[0].find("pack.yaml:3"), std::string::npos) << some->rejected()[0];
}
