// The rule language and the stateful detectors, on small hand-made streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

// A record by `who` (a user name) calling `name` on `source` at minute `minute` past 10:00.
std::string call(const std::string &id, int minute, const std::string &name, const std::string &who = "mallory",
                 const std::string &source = "iam.amazonaws.com", const std::string &extra = "") {
  char time[32];
  std::snprintf(time, sizeof time, "2026-03-01T%02d:%02d:%02dZ", 10 + minute / 60, minute % 60, 0);
  return R"({"eventTime":")" + std::string(time) + R"(","eventSource":")" + source + R"(","eventName":")" + name +
         R"(","eventID":")" + id + R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/)" +
         who + R"(","userName":")" + who + R"(","accessKeyId":"AKIA)" + who + R"("})" + extra + "}";
}

// An engine with the rules of `yaml` that has read the records (not finished).
engine fed(const std::string &yaml, const std::vector<std::string> &records) {
  auto rules = rule_set::from_yaml(yaml, "test.yaml");
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  engine_options options;
  if (rules) options.rules = *rules;
  auto e = test::make_engine(options);
  std::string input;
  for (const auto &r : records) input += r + "\n";
  EXPECT_TRUE(e.feed(input, "test"));
  return e;
}

std::vector<detection> run(const std::string &yaml, const std::vector<std::string> &records) {
  auto e = fed(yaml, records);
  e.finish();
  EXPECT_EQ(e.stats().rejected, 0u);
  return e.detections();
}

std::string error_of(const std::string &yaml) {
  auto rules = rule_set::from_yaml(yaml, "rules/x.yaml");
  return rules ? std::string("(loaded)") : rules.error().message;
}

}  // namespace

TEST(RuleLanguage, MistakesAreNamedByFileLineAndRule) {
  const std::string head = "- id: R-1\n  name: n\n  severity: low\n";
  EXPECT_NE(error_of(head + "  match: {actoin: x}\n").find("rules/x.yaml:4: rule R-1: unknown field \"actoin\""),
            std::string::npos);
  EXPECT_NE(error_of(head + "  match: {user_agent: {regex: '(unclosed'}}\n").find("bad regex"), std::string::npos);
  EXPECT_NE(error_of(head + "  match: {source_ip: {cidr: 10.0.0.0/33}}\n").find("CIDR prefix out of range"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  kind: count\n  window: 5m\n  match: {action: x}\n").find("needs threshold"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  kind: count\n  window: 5q\n  threshold: 2\n").find("unknown unit"), std::string::npos);
  EXPECT_NE(error_of(head + "  match: {action: x}\n  colour: red\n").find("unknown key \"colour\""), std::string::npos);
  EXPECT_NE(error_of("- id: R-1\n  name: n\n  severity: urgent\n  match: {action: x}\n").find("severity must be"),
            std::string::npos);
  EXPECT_NE(error_of(head + "  match: {action: x}\n" + head + "  match: {action: y}\n").find("duplicate id"),
            std::string::npos);
  EXPECT_NE(error_of("- id: [unclosed\n").find("rules/x.yaml:"), std::string::npos);
  EXPECT_EQ(error_of(head + "  match: {action: x}\n"), "(loaded)");
}

TEST(RuleLanguage, ConditionsOnNormalizedAndRawFields) {
  const std::string yaml = R"(
- id: OPS
  name: operators
  severity: low
  match:
    any:
      - {action: {ignore_case: true, equals: IAM:CREATEUSER}}
      - {event_name: {starts_with: Delete, ends_with: Policy}}
      - {requestParameters.userName: {regex: '^svc-[a-z]+$'}}
      - {source_ip: {cidr: [198.51.100.0/24]}}
      - {requestParameters.maxItems: {gte: 500}}
    not: {actor.user_name: {contains: robot}}
)";
  const auto found = run(yaml, {
      call("1", 0, "CreateUser"),                                                   // equals, ignoring case
      call("2", 1, "DeletePolicy"),                                                 // starts_with and ends_with
      call("3", 2, "DeleteRole"),                                                   // starts_with only: no
      call("4", 3, "GetUser", "mallory", "iam.amazonaws.com", R"(,"requestParameters":{"userName":"svc-backup"})"),
      call("5", 4, "GetUser", "mallory", "iam.amazonaws.com", R"(,"requestParameters":{"userName":"svc-1"})"),
      call("6", 5, "ListUsers", "mallory", "iam.amazonaws.com", R"(,"requestParameters":{"maxItems":1000})"),
      call("7", 6, "ListUsers", "mallory", "iam.amazonaws.com", R"(,"requestParameters":{"maxItems":10})"),
      call("8", 7, "CreateUser", "robot-7"),                                        // excluded by not
  });
  // One identity's hits within the hour are one detection with its events (coalescing).
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].event_ids, (std::vector<std::string>{"1", "2", "4", "6"}));
  EXPECT_EQ(found[0].count, 4u);
}

TEST(RuleLanguage, ABurstOfSingleEventHitsIsOneDetectionWithACount) {
  const auto rule = [](const std::string &coalesce) {
    return "- id: ROOT\n  name: root activity\n  severity: high\n  match: {source_ip: {cidr: [203.0.113.0/24]}}\n" +
           coalesce;
  };
  std::vector<std::string> console;
  for (int i = 0; i < 90; ++i) console.push_back(call("r" + std::to_string(i), i / 3, i % 2 ? "ListUsers" : "GetAccountSummary"));
  const auto one = run(rule(""), console);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].count, 90u);
  EXPECT_EQ(one[0].event_ids.size(), 20u);  // the earliest, capped
  EXPECT_NE(one[0].summary.find("(90 events)"), std::string::npos);
  EXPECT_EQ(run(rule("  coalesce: 10m\n"), console).size(), 3u);  // 30 minutes of calls
  EXPECT_EQ(run(rule("  coalesce: 0\n"), console).size(), 90u);
  EXPECT_NE(error_of("- id: C\n  name: c\n  severity: low\n  kind: count\n  window: 5m\n  threshold: 2\n"
                     "  match: {event_name: X}\n  coalesce: 1h\n")
                .find("coalesce applies to event rules"),
            std::string::npos);
}

TEST(StatefulRules, CountAndDistinctFireOncePerBurst) {
  const std::string yaml = R"(
- id: COUNT
  name: many denials
  severity: medium
  kind: count
  match: {event_name: {starts_with: List}}
  window: 5m
  threshold: 3
- id: DISTINCT
  name: many APIs
  severity: medium
  kind: distinct
  distinct: event_name
  window: 10m
  threshold: 3
)";
  // mallory: 4 List calls in 3 minutes, 3 distinct names; bob: 3 List calls spread over 15 minutes.
  const auto found = run(yaml, {call("m1", 0, "ListUsers"), call("m2", 1, "ListRoles"), call("m3", 2, "ListUsers"),
                                call("m4", 3, "ListPolicies"), call("b1", 0, "ListUsers", "bob"),
                                call("b2", 7, "ListUsers", "bob"), call("b3", 14, "ListUsers", "bob")});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].rule_id, "COUNT");
  // The burst is every hit of the window from its first event: m4 extends it.
  EXPECT_EQ(found[0].event_ids, (std::vector<std::string>{"m1", "m2", "m3", "m4"}));
  EXPECT_EQ(found[0].count, 4u);
  EXPECT_EQ(found[1].rule_id, "DISTINCT");
  EXPECT_EQ(found[1].event_ids.size(), 3u);
  EXPECT_NE(found[1].summary.find("mallory"), std::string::npos);
}

// A key whose hits hold fewer values than a burst needs is not scanned (the
// census in group_state.hpp); the census must still see every new value, and
// be counted again once old hits are dropped.
TEST(StatefulRules, ABusyKeyOfFewValuesStillFindsTheBurstWhenItComes) {
  const std::string yaml = R"(
- id: DISTINCT
  name: many APIs
  severity: medium
  kind: distinct
  distinct: event_name
  window: 10m
  threshold: 15
)";
  std::vector<std::string> records;
  int n = 0;
  auto at = [&](int minute, const std::string &name) { records.push_back(call("e" + std::to_string(n++), minute, name)); };
  for (int i = 0; i < 14; ++i) at(i / 3, "ListThing" + std::to_string(i));  // one value short of a burst
  const char *busy[] = {"GetA", "GetB", "GetC", "GetD", "GetE"};
  for (int minute = 120; minute < 180; ++minute)
    for (int i = 0; i < 5; ++i) at(minute, busy[(minute + i) % 5]);  // an hour of the same five calls
  const int burst_from = n;
  for (int i = 0; i < 15; ++i) at(240 + i / 8, "DescribeThing" + std::to_string(i));
  for (int minute = 242; minute < 260; ++minute) at(minute, busy[minute % 5]);
  // Before finish(), which scans every key: the burst is found as its evidence completes.
  const auto found = fed(yaml, records).detections();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].event_ids.front(), "e" + std::to_string(burst_from));
  EXPECT_GE(found[0].count, 15u);  // the busy calls inside its window count too
}

TEST(StatefulRules, SequenceWithMaxspanAndUntil) {
  const std::string yaml = R"(
- id: SEQ
  name: recon then evasion
  severity: high
  kind: sequence
  steps:
    - {name: recon, match: {event_name: GetCallerIdentity}}
    - {name: evasion, match: {event_name: StopLogging}}
  maxspan: 30m
  until: {event_name: StartLogging}
)";
  const auto found = run(yaml, {
      call("a1", 0, "GetCallerIdentity", "alice"), call("a2", 20, "StopLogging", "alice"),  // yes
      call("b1", 0, "GetCallerIdentity", "bob"), call("b2", 45, "StopLogging", "bob"),      // too late
      call("c1", 0, "GetCallerIdentity", "carol"), call("c2", 5, "StartLogging", "carol"),
      call("c3", 10, "StopLogging", "carol"),                                                // cancelled
      call("d1", 0, "StopLogging", "dave"), call("d2", 5, "GetCallerIdentity", "dave"),     // wrong order
  });
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].event_ids, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(format_rfc3339(found[0].first_seen), "2026-03-01T10:00:00Z");
  EXPECT_EQ(format_rfc3339(found[0].last_seen), "2026-03-01T10:20:00Z");
}

TEST(StatefulRules, AllOfAbsenceAndFirstSeen) {
  const std::string yaml = R"(
- id: ALL
  name: both in any order
  severity: medium
  kind: all_of
  steps:
    - {match: {event_name: ListSecrets}}
    - {match: {event_name: GetSendQuota}}
  window: 10m
- id: ABSENT
  name: key created and never used
  severity: low
  kind: absence
  steps:
    - {match: {event_name: CreateAccessKey}}
    - {match: {event_name: DeleteAccessKey}}
  window: 30m
- id: NEW
  name: new region
  severity: low
  kind: first_seen
  field: region
  learning: 20m
)";
  const auto found = run(yaml, {
      call("q", 0, "GetSendQuota", "alice"), call("s", 4, "ListSecrets", "alice"),     // ALL fires (any order)
      call("q2", 0, "GetSendQuota", "bob"), call("s2", 40, "ListSecrets", "bob"),      // too far apart
      call("k1", 0, "CreateAccessKey", "carol"), call("k2", 10, "DeleteAccessKey", "carol"),  // followed: no
      call("k3", 0, "CreateAccessKey", "dave"), call("x", 90, "ListUsers", "dave"),   // not followed: ABSENT
      call("r1", 0, "ListUsers", "erin"),
      call("r2", 30, "ListUsers", "erin", "iam.amazonaws.com").replace(call("r2", 30, "ListUsers", "erin").find("us-east-1"), 9, "eu-west-3"),
  });
  std::vector<std::string> rules;
  for (const auto &d : found) rules.push_back(d.rule_id + ":" + d.event_ids.at(0));
  std::sort(rules.begin(), rules.end());
  EXPECT_EQ(rules, (std::vector<std::string>{"ABSENT:k3", "ALL:q", "NEW:r2"}));
}

TEST(StatefulRules, OrderWithinLatenessDoesNotChangeDetections) {
  const std::string yaml = R"(
- id: SEQ
  name: seq
  severity: high
  kind: sequence
  steps: [{match: {event_name: GetCallerIdentity}}, {match: {event_name: ListUsers}}, {match: {event_name: StopLogging}}]
  maxspan: 30m
- id: DIST
  name: distinct
  severity: low
  kind: distinct
  distinct: event_name
  window: 10m
  threshold: 4
)";
  std::vector<std::string> records;
  const char *names[] = {"GetCallerIdentity", "ListUsers", "ListRoles", "StopLogging", "GetUser", "ListPolicies"};
  for (int i = 0; i < 60; ++i)
    records.push_back(call("e" + std::to_string(i), i / 2, names[i % 6], i % 3 ? "mallory" : "trent"));
  auto key = [](const std::vector<detection> &ds) {
    std::vector<std::string> out;
    for (const auto &d : ds) {
      std::string k = d.rule_id + "@" + format_rfc3339(d.first_seen);
      for (const auto &id : d.event_ids) k += "," + id;
      out.push_back(k);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto reference = key(run(yaml, records));
  ASSERT_FALSE(reference.empty());
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    auto shuffled = records;
    // Events span 30 minutes; shuffle inside 10-minute blocks (lateness is 15).
    for (std::size_t block = 0; block < shuffled.size(); block += 20)
      std::shuffle(shuffled.begin() + static_cast<std::ptrdiff_t>(block),
                   shuffled.begin() + static_cast<std::ptrdiff_t>(std::min(block + 20, shuffled.size())), rng);
    EXPECT_EQ(key(run(yaml, shuffled)), reference);
  }
}

TEST(StatefulRules, LateEventsAreCountedNotDropped) {
  auto rules = rule_set::from_yaml("- id: E\n  name: e\n  severity: low\n  match: {event_name: ListUsers}\n", "t");
  ASSERT_TRUE(rules);
  engine_options options;
  options.rules = *rules;
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed(call("new", 120, "ListUsers") + "\n" + call("old", 0, "ListUsers"), "t"));
  e.finish();
  EXPECT_EQ(e.detection_stats().late, 1u);
  EXPECT_EQ(e.detections().size(), 2u);  // the late one is still evaluated
}

TEST(BuiltinPack, LoadsAndCoversEveryTactic) {
  auto pack = rule_set::builtin();
  ASSERT_TRUE(pack) << pack.error().message;
  EXPECT_GE(pack->size(), 20u);
  std::set<std::string> tactics;
  for (std::size_t i = 0; i < pack->size(); ++i)
    for (const auto &t : pack->info(i).tactics) tactics.insert(t);
  for (const char *t : {"TA0001", "TA0003", "TA0005", "TA0006", "TA0007", "TA0010"}) EXPECT_TRUE(tactics.contains(t)) << t;
}

TEST(BuiltinPack, EveryRuleHasPassingPositiveAndNegativeTests) {
  auto pack = rule_set::builtin();
  ASSERT_TRUE(pack) << pack.error().message;
  for (std::size_t i = 0; i < pack->size(); ++i) {
    const auto &info = pack->info(i);
    const bool positive = std::any_of(info.tests.begin(), info.tests.end(), [](const rule_test &t) { return t.fires; });
    const bool negative = std::any_of(info.tests.begin(), info.tests.end(), [](const rule_test &t) { return !t.fires; });
    EXPECT_TRUE(positive && negative) << info.id << " needs a test that fires and one that does not";
  }
  const auto outcomes = run_rule_tests(*pack);
  EXPECT_GE(outcomes.size(), 2 * pack->size());
  for (const auto &o : outcomes) EXPECT_TRUE(o.passed) << o.source << ": " << o.rule_id << ": " << o.test << ": " << o.message;
}

TEST(RuleLanguage, RuleTestsCatchARuleThatDoesNotFire) {
  auto rules = rule_set::from_yaml(R"(
- id: WRONG
  name: expects StopLogging but matches StartLogging
  severity: low
  match: {event_name: StartLogging}
  tests:
    - {name: stop, fires: true, events: [{eventSource: cloudtrail.amazonaws.com, eventName: StopLogging}]}
)",
                                   "wrong.yaml");
  ASSERT_TRUE(rules) << rules.error().message;
  const auto outcomes = run_rule_tests(*rules);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].source, "wrong.yaml:7");
  EXPECT_NE(outcomes[0].message.find("did not"), std::string::npos);
}

TEST(Sigma, SigmaHqCloudTrailRulesLoadAndFire) {
  auto rules = rule_set::from_paths({std::string(IDENTRAIL_TEST_DATA) + "/sigma/cloudtrail_rules.yml"});
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->size(), 4u);
  EXPECT_EQ(rules->info(0).id, "4db60cc0-36fb-42b7-9b58-a5b53019fb74");
  EXPECT_EQ(rules->info(0).level, severity::medium);
  EXPECT_EQ(rules->info(0).tactics, (std::vector<std::string>{"TA0005"}));
  EXPECT_EQ(rules->info(0).techniques, (std::vector<std::string>{"T1562.001"}));
  EXPECT_EQ(rules->info(3).kind, "count");

  const std::string policy =
      R"(,"requestParameters":{"userName":"bob","policyDocument":"{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::<YOUR-BUCKET-NAME>/*\"}"})";
  engine_options options;
  options.rules = *rules;
  auto e = test::make_engine(options);
  std::string input = call("t1", 0, "stoplogging", "mallory", "cloudtrail.amazonaws.com") + "\n" +  // Sigma ignores case
                      call("t2", 1, "StartLogging", "mallory", "cloudtrail.amazonaws.com") + "\n";
  auto browser = [&](const std::string &id, int minute) {
    auto r = call(id, minute, "PutUserPolicy", "mallory", "iam.amazonaws.com", policy);
    r.replace(r.find(R"("userIdentity")"), 0, R"("userAgent":"S3 Browser 9.5.5 https://s3browser.com",)");
    return r;
  };
  input += browser("p1", 2) + "\n" + browser("p2", 3) + "\n";
  ASSERT_TRUE(e.feed(input, "sigma-test"));
  e.finish();
  std::multiset<std::string> fired;
  for (const auto &d : e.detections()) fired.insert(d.rule_id + ":" + d.event_ids.back());
  // The policy rule feeds the correlation and, as Sigma specifies without generate: true, raises nothing itself.
  EXPECT_EQ(fired, (std::multiset<std::string>{"4db60cc0-36fb-42b7-9b58-a5b53019fb74:t1",
                                               "0b7a6bd8-2d3c-4d3b-9d4f-5cc4a1a2b3c4:p2"}));
}

TEST(Sigma, UnsupportedFeaturesAreRejectedWithAReason) {
  const std::string head = "title: t\nid: x-1\nlogsource: {product: aws, service: cloudtrail}\n";
  auto reason = [&](const std::string &body) {
    auto rules = rule_set::from_yaml(head + body, "s.yml");
    return rules ? std::string("(loaded)") : rules.error().message;
  };
  EXPECT_NE(reason("detection:\n  sel: {eventName|base64offset: x}\n  condition: sel\n").find("unsupported Sigma modifier"),
            std::string::npos);
  EXPECT_NE(reason("detection:\n  kw: [evil, bad]\n  condition: kw\n").find("keyword searches"), std::string::npos);
  EXPECT_NE(reason("detection:\n  sel: {eventName: x}\n  condition: sel | count() > 5\n").find("aggregation"),
            std::string::npos);
  EXPECT_NE(reason("detection:\n  sel: {eventName: x}\n  condition: sel and missing\n").find("unknown selection"),
            std::string::npos);
  EXPECT_NE(rule_set::from_yaml("title: t\nid: w\nlogsource: {product: windows}\ndetection: {s: {a: b}, condition: s}\n", "w.yml")
                .error()
                .message.find("only Sigma rules for product: aws"),
            std::string::npos);
  EXPECT_EQ(reason("detection:\n  sel: {eventName|startswith: Delete}\n  condition: sel\n"), "(loaded)");
}

namespace {
engine analyzed_sample(engine_options options = {}) {
  auto e = test::make_engine(std::move(options));
  EXPECT_TRUE(e.feed_path(test::sample_dir()));
  e.finish();
  return e;
}
}  // namespace

TEST(SampleTrace, TheCompromiseIsDetectedStageByStage) {
  const auto e = analyzed_sample();
  const std::string admin = "arn:aws:iam::111122223333:user/ops-admin";
  const std::string instance = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890";
  std::set<std::pair<std::string, std::string>> found;
  for (const auto &d : e.detections()) found.emplace(d.rule_id, std::string(e.symbols().str(d.identity)));
  for (const auto &[rule, who] : std::vector<std::pair<std::string, std::string>>{
           {"IDT-IA-001", instance}, {"IDT-DISC-003", instance}, {"IDT-IA-002", admin}, {"IDT-DISC-001", admin},
           {"IDT-CRED-001", admin}, {"IDT-DE-001", admin}, {"IDT-EXF-001", admin}, {"IDT-CTX-002", admin},
           {"IDT-PERS-003", admin}})
    EXPECT_TRUE(found.contains({rule, who})) << rule << " for " << who;
  // Benign identities (developers, CI, the Lambda function, services) raise nothing high or critical.
  for (const auto &d : e.detections()) {
    if (d.level < severity::high) continue;
    const auto who = std::string(e.symbols().str(d.identity));
    EXPECT_TRUE(who == admin || who == instance || who.starts_with("AIDA")) << d.rule_id << " " << who;
  }
  EXPECT_EQ(e.detection_stats().late, 0u);  // delivery-time order keeps events within the lateness
}

TEST(SampleTrace, RepeatedEventsNeverGiveASecondDetection) {
  const auto once = analyzed_sample();
  engine_options no_dedup;
  no_dedup.normalize.deduplicate = false;
  auto twice = test::make_engine(no_dedup);
  ASSERT_TRUE(twice.feed_path(test::sample_dir()));
  ASSERT_TRUE(twice.feed_path(test::sample_dir()));  // every event delivered again, hours "late"
  twice.finish();
  EXPECT_GT(twice.detection_stats().repeated, 0u);
  auto ids = [](const engine &e) {
    std::multiset<std::string> out;
    for (const auto &d : e.detections()) out.insert(d.rule_id + "@" + format_rfc3339(d.first_seen));
    return out;
  };
  EXPECT_EQ(ids(twice), ids(once));
}

TEST(Sigma, WildcardsAndEscapes) {
  const std::string yaml = R"(title: t
id: esc
logsource: {product: aws, service: cloudtrail}
detection:
  star: {userAgent: 'literal\*star*'}
  condition: star
)";
  auto rules = rule_set::from_yaml(yaml, "esc.yml");
  ASSERT_TRUE(rules) << rules.error().message;
  auto with_agent = [](const std::string &id, const std::string &agent) {
    auto r = call(id, 0, "ListUsers");
    r.replace(r.find(R"("userIdentity")"), 0, R"("userAgent":")" + agent + R"(",)");
    return r;
  };
  engine_options options;
  options.rules = *rules;
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed(with_agent("yes", "LITERAL*STAR and more") + "\n" + with_agent("no", "literalXstar"), "t"));
  e.finish();
  ASSERT_EQ(e.detections().size(), 1u);
  EXPECT_EQ(e.detections()[0].event_ids, (std::vector<std::string>{"yes"}));
}

TEST(StatefulRules, SameSecondStepsInEitherOrderStillFormASequence) {
  const std::string yaml = R"(
- id: SEQ
  name: user then admin
  severity: high
  kind: sequence
  steps: [{match: {event_name: CreateUser}}, {match: {event_name: AttachUserPolicy}}]
  maxspan: 10m
- id: GONE
  name: created and not deleted
  severity: low
  kind: absence
  steps: [{match: {event_name: CreateAccessKey}}, {match: {event_name: DeleteAccessKey}}]
  window: 5m
)";
  // Same second; the later step's id sorts first, so it is released first.
  const auto found = run(yaml, {call("b-create", 0, "CreateUser"), call("a-attach", 0, "AttachUserPolicy"),
                                call("b-key", 2, "CreateAccessKey"), call("a-del", 2, "DeleteAccessKey"),
                                call("tail", 30, "GetUser")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule_id, "SEQ");
  EXPECT_EQ(found[0].event_ids, (std::vector<std::string>{"b-create", "a-attach"}));
}

TEST(StatefulRules, LateCopiesDoNotInflateCounts) {
  const std::string yaml = "- id: C\n  name: c\n  severity: low\n  kind: count\n  window: 5m\n  threshold: 3\n"
                           "  match: {event_name: ListUsers}\n";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "c.yaml");
  options.normalize.deduplicate = false;
  auto e = test::make_engine(options);
  // Two distinct events, each delivered three times: never three different events.
  std::string input;
  for (int copy = 0; copy < 3; ++copy) input += call("x", 0, "ListUsers") + "\n" + call("y", 1, "ListUsers") + "\n";
  ASSERT_TRUE(e.feed(input, "t"));
  e.finish();
  EXPECT_TRUE(e.detections().empty());
}
