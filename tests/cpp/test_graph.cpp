// The identity graph, risk and status on the bundled sample trace and on
// small hand-built cases.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <random>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

constexpr std::string_view admin = "arn:aws:iam::111122223333:user/ops-admin";
constexpr std::string_view instance_session = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890";
constexpr std::string_view instance_arn = "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f67890";
constexpr std::string_view webapp_role = "arn:aws:iam::111122223333:role/webapp-ec2-role";
constexpr std::string_view finance_bucket = "arn:aws:s3:::acme-finance-reports";
constexpr std::string_view db_secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/master-password";
constexpr std::string_view stripe_secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-key";

const engine &sample() { return test::sample_engine(); }

timestamp at(std::string_view text) { return *parse_rfc3339(text); }

std::set<std::string> labels(const identity_graph &g, const std::vector<node_id> &ids) {
  std::set<std::string> out;
  for (const auto id : ids) out.emplace(g.label(id));
  return out;
}

std::set<std::string> touched(const identity_graph &g, const blast_radius &radius) {
  std::set<std::string> out;
  for (const auto &r : radius.resources) out.emplace(g.label(r.resource));
  return out;
}

std::string break_glass_session(const engine &e) {
  for (const auto &id : e.identities())
    if (e.symbols().str(id.key).find("assumed-role/ops-break-glass/") != std::string_view::npos)
      return std::string(e.symbols().str(id.key));
  return {};
}

}  // namespace

TEST(SampleGraph, TheStolenAdminKeyIsPotentiallyCompromisedAtHighRisk) {
  const auto *a = sample().assessment_of(admin);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->status, compromise_status::potentially_compromised);
  EXPECT_GE(a->risk, risk_level::high);
  ASSERT_TRUE(a->since.has_value());
  // The status begins with the attacker's enumeration, not with the admin's nightly job.
  EXPECT_EQ(*a->since, at("2026-03-01T13:20:00Z"));
  ASSERT_FALSE(a->reasons.empty());
  EXPECT_NE(a->reasons.front().find("discovery followed by defense evasion"), std::string::npos) << a->reasons.front();
}

TEST(SampleGraph, TheInstanceSessionIsFlaggedForUseOutsideTheInstance) {
  const auto *a = sample().assessment_of(instance_session);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->status, compromise_status::potentially_compromised);
  ASSERT_FALSE(a->reasons.empty());
  EXPECT_NE(a->reasons.front().find("instance credentials used outside the instance"), std::string::npos);
  // Propagated to the instance behind it and to its role, with the reason.
  for (const auto other : {instance_arn, webapp_role}) {
    const auto *marked = sample().assessment_of(other);
    ASSERT_NE(marked, nullptr) << other;
    EXPECT_EQ(marked->status, compromise_status::potentially_compromised) << other;
    EXPECT_NE(marked->reasons.front().find(std::string(instance_session)), std::string::npos) << marked->reasons.front();
  }
}

TEST(SampleGraph, BenignIdentitiesStayNormal) {
  for (const auto benign : {"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"}) {
    const auto *a = sample().assessment_of(benign);
    ASSERT_NE(a, nullptr) << benign;
    EXPECT_EQ(a->status, compromise_status::normal) << benign;
    EXPECT_EQ(a->risk, risk_level::none) << benign;
  }
}

TEST(SampleGraph, TheAttackersRoleSessionResolvesToTheAdminAndIsMarked) {
  const auto session = break_glass_session(sample());
  ASSERT_FALSE(session.empty());
  const auto resolved = sample().resolve(*sample().symbols().find(session));
  EXPECT_EQ(sample().symbols().str(resolved.root), admin);
  const auto *a = sample().assessment_of(session);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->status, compromise_status::potentially_compromised);
  EXPECT_NE(a->reasons.front().find("created by " + std::string(admin)), std::string::npos) << a->reasons.front();
}

TEST(SampleGraph, BlastRadiusNamesTheBucketsAndSecretsThroughSessions) {
  const auto &g = sample().graph();
  const auto id = g.find_identity(admin);
  ASSERT_TRUE(id);
  const auto radius = g.blast_radius_of(*id, at("2026-03-01T13:20:00Z"));
  const auto identities = labels(g, radius.identities);
  EXPECT_TRUE(identities.contains(std::string(admin)));
  EXPECT_TRUE(identities.contains(break_glass_session(sample())));
  const auto resources = touched(g, radius);
  EXPECT_TRUE(resources.contains(std::string(finance_bucket)));
  EXPECT_TRUE(resources.contains(std::string(db_secret)));
  // Read only through the break-glass session the admin's key created.
  EXPECT_TRUE(resources.contains(std::string(stripe_secret)));
  EXPECT_TRUE(resources.contains("arn:aws:iam::111122223333:user/svc-backup"));
  const auto has_action = [&](std::string_view action) {
    return std::any_of(radius.actions.begin(), radius.actions.end(),
                       [&](const action_use &u) { return g.symbols().str(u.action) == action; });
  };
  EXPECT_TRUE(has_action("cloudtrail:StopLogging"));
  EXPECT_TRUE(has_action("s3:PutBucketPolicy"));
  // The admin's last call is its job's at 17:30: a radius from then on is empty, one over the day is the largest.
  const auto evening = g.blast_radius_of(*id, at("2026-03-01T17:31:00Z"));
  EXPECT_TRUE(evening.actions.empty());
  EXPECT_TRUE(evening.resources.empty());
  EXPECT_EQ(labels(g, evening.identities), identities);  // who is reachable does not depend on time
  const auto whole_day = g.blast_radius_of(*id);
  EXPECT_GE(whole_day.actions.size(), radius.actions.size());
}

TEST(SampleGraph, PathsLeadFromTheAttackersAddressToTheSecret) {
  const auto &g = sample().graph();
  const auto ip = g.find(node_kind::ip, "45.137.21.9");
  const auto secret = g.find_any(stripe_secret);
  ASSERT_TRUE(ip && secret);
  const auto paths = g.paths(*ip, *secret);
  ASSERT_FALSE(paths.empty());
  const std::vector<std::string> expected{"45.137.21.9", std::string(admin), break_glass_session(sample()),
                                          std::string(stripe_secret)};
  EXPECT_TRUE(std::any_of(paths.begin(), paths.end(), [&](const auto &p) {
    std::vector<std::string> names;
    for (const auto n : p) names.emplace_back(g.label(n));
    return names == expected;
  }));
  for (const auto &p : paths) {
    EXPECT_EQ(p.front(), *ip);
    EXPECT_EQ(p.back(), *secret);
    EXPECT_EQ(std::set<node_id>(p.begin(), p.end()).size(), p.size()) << "a path repeats a node";
  }
  // The office addresses never reach the secret.
  const auto office = g.find(node_kind::ip, "198.51.100.10");
  ASSERT_TRUE(office);
  EXPECT_TRUE(g.paths(*office, *secret).empty());
}

TEST(SampleGraph, WhereUsedListsAddressesAgentsAndKeys) {
  const auto &g = sample().graph();
  const auto id = g.find_identity(admin);
  ASSERT_TRUE(id);
  const auto places = g.where_used(*id);
  std::set<std::string> ips;
  for (const auto *e : places.addresses) ips.emplace(g.label(e->to));
  EXPECT_EQ(ips, (std::set<std::string>{"3.91.171.4", "185.220.101.45", "45.137.21.9"}));
  ASSERT_EQ(places.keys.size(), 1u);
  EXPECT_TRUE(g.label(places.keys[0]->to).starts_with("AKIA"));
  EXPECT_GE(places.user_agents.size(), 2u);
}

TEST(SampleGraph, TimelineMergesEventsAndDetectionsInTimeOrder) {
  const auto rows = sample().timeline(admin, at("2026-03-01T13:00:00Z"));
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.time < b.time; }));
  const auto detections = std::count_if(rows.begin(), rows.end(),
                                        [](const auto &r) { return r.what == timeline_entry::kind::detection; });
  EXPECT_GT(detections, 3);
  for (const auto &r : rows) {
    EXPECT_GE(r.time, at("2026-03-01T13:00:00Z"));
    if (r.what == timeline_entry::kind::event) {
      EXPECT_EQ(identity_key_of(sample().events()[r.index]), *sample().symbols().find(admin));
    }
  }
}

TEST(SampleGraph, ShuffledInputGivesTheSameStatusesAndBlastRadius) {
  // A day-long allowance: the whole trace may arrive in any order.
  engine_options options;
  options.detection.allowed_lateness = std::chrono::hours(24);
  auto ordered = test::make_engine(options);
  ASSERT_TRUE(ordered.feed_path(test::sample_dir()));
  ordered.finish();
  std::vector<std::string> lines;
  for (const auto &ev : ordered.events()) lines.push_back(ev.raw);
  std::mt19937 rng(7);
  std::shuffle(lines.begin(), lines.end(), rng);
  std::string ndjson;
  for (const auto &l : lines) ndjson += l + "\n";
  auto shuffled = test::make_engine(options);
  ASSERT_TRUE(shuffled.feed(ndjson, "shuffled"));
  shuffled.finish();
  ASSERT_EQ(shuffled.detections().size(), ordered.detections().size());
  for (const auto &a : ordered.assessments()) {
    const auto name = ordered.symbols().str(a.identity);
    const auto *other = shuffled.assessment_of(name);
    ASSERT_NE(other, nullptr) << name;
    EXPECT_EQ(other->status, a.status) << name;
    EXPECT_EQ(other->risk, a.risk) << name;
  }
  const auto radius = [](const engine &e) {
    const auto &g = e.graph();
    return touched(g, g.blast_radius_of(*g.find_identity(admin), at("2026-03-01T13:20:00Z")));
  };
  EXPECT_EQ(radius(shuffled), radius(ordered));
  // A detection a late event withdrew keeps its node, without evidence: the
  // graph records what was announced. What stands is the same in any order.
  const auto standing = [](const identity_graph &g) {
    std::multiset<std::string> out;
    const auto withdrawn = [&](node_id id) { return g.node(id).kind == node_kind::detection && !g.detection_of(id); };
    for (node_id id = 0; id < g.node_count(); ++id)
      if (!withdrawn(id)) out.insert(std::string(to_string(g.node(id).kind)) + " " + std::string(g.label(id)));
    for (std::size_t i = 0; i < g.edge_count(); ++i)
      if (!withdrawn(g.edge(i).to))
        out.insert(std::string(g.label(g.edge(i).from)) + " -" + std::string(to_string(g.edge(i).kind)) + "-> " +
                   std::string(g.label(g.edge(i).to)));
    return out;
  };
  EXPECT_EQ(standing(shuffled.graph()), standing(ordered.graph()));
}

TEST(SampleGraph, ExportsAreWellFormedAndComplete) {
  const auto &g = sample().graph();
  simdjson::dom::parser parser;
  const auto json = export_graph(g, graph_format::json);
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["nodes"].get_array().size(), g.node_count());
  EXPECT_EQ(doc["edges"].get_array().size(), g.edge_count());
  const auto cyto = export_graph(g, graph_format::cytoscape);
  ASSERT_EQ(parser.parse(cyto).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["elements"]["nodes"].get_array().size(), g.node_count());
  const auto dot = export_graph(g, graph_format::dot);
  EXPECT_TRUE(dot.starts_with("digraph"));
  EXPECT_EQ(static_cast<std::size_t>(std::count(dot.begin(), dot.end(), '\n')), g.node_count() + g.edge_count() + 2);
  const auto graphml = export_graph(g, graph_format::graphml);
  EXPECT_NE(graphml.find("<graphml"), std::string::npos);
  std::size_t nodes = 0;
  for (auto at_ = graphml.find("<node "); at_ != std::string::npos; at_ = graphml.find("<node ", at_ + 1)) ++nodes;
  EXPECT_EQ(nodes, g.node_count());
}

TEST(SampleGraph, DetectionsAreNodesTriggeredByTheirIdentity) {
  const auto &g = sample().graph();
  std::size_t detection_nodes = 0;
  for (node_id id = 0; id < g.node_count(); ++id) {
    if (g.node(id).kind != node_kind::detection || !g.detection_of(id)) continue;  // not withdrawn ones
    ++detection_nodes;
    const auto in = g.in_edges(id);
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(g.edge(in[0]).kind, edge_kind::triggered);
    ASSERT_NE(g.detection_of(id), nullptr);
    EXPECT_EQ(g.node(g.edge(in[0]).from).key, g.detection_of(id)->identity);
  }
  EXPECT_EQ(detection_nodes, sample().detections().size());
}

TEST(Flags, APersonsWordSetsAndClearsTheStatus) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  e.finish();
  const std::string backdoor = "arn:aws:iam::111122223333:user/svc-backup";
  EXPECT_EQ(e.assessment_of(backdoor)->status, compromise_status::normal);
  ASSERT_TRUE(e.flag(backdoor, compromise_status::compromised, at("2026-03-01T14:10:00Z")));
  const auto *a = e.assessment_of(backdoor);
  EXPECT_EQ(a->status, compromise_status::compromised);
  EXPECT_EQ(*a->since, at("2026-03-01T14:10:00Z"));
  EXPECT_NE(a->reasons.front().find("flagged by a person"), std::string::npos);
  // Remediated after the last detection: the admin's evidence no longer counts.
  ASSERT_TRUE(e.flag(admin, compromise_status::remediated, at("2026-03-01T23:00:00Z")));
  EXPECT_EQ(e.assessment_of(admin)->status, compromise_status::remediated);
  EXPECT_EQ(e.assessment_of(admin)->risk, risk_level::none);
  // Normal clears the person's flags: the evidence speaks again.
  ASSERT_TRUE(e.flag(admin, compromise_status::normal));
  EXPECT_EQ(e.assessment_of(admin)->status, compromise_status::potentially_compromised);
  const auto refused = e.flag(admin, compromise_status::potentially_compromised);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::invalid_argument);
  EXPECT_FALSE(e.flag("", compromise_status::compromised));
}

TEST(Flags, RemediatedWithoutATimeMeansAsOfEverythingRead) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  e.finish();
  ASSERT_TRUE(e.flag(admin, compromise_status::remediated));
  const auto *a = e.assessment_of(admin);
  EXPECT_EQ(a->status, compromise_status::remediated);
  EXPECT_EQ(a->risk, risk_level::none);
  EXPECT_EQ(*a->since, e.time_span()->second);
  // The break-glass session's mark came from the admin: it is gone with the admin's evidence.
  const auto *session = e.assessment_of(break_glass_session(e));
  EXPECT_EQ(session->status, compromise_status::normal);
}

TEST(Flags, ACompromisedSessionMarksThePrincipalBehindIt) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  e.finish();
  // The CI role session is benign; a person says otherwise.
  std::string ci;
  for (const auto &id : e.identities())
    if (e.symbols().str(id.key).find("assumed-role/ci-deploy-role/") != std::string_view::npos) ci = e.symbols().str(id.key);
  ASSERT_FALSE(ci.empty());
  ASSERT_TRUE(e.flag(ci, compromise_status::compromised, at("2026-03-01T09:00:00Z")));
  const auto *role = e.assessment_of("arn:aws:iam::111122223333:role/ci-deploy-role");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->status, compromise_status::potentially_compromised);
  EXPECT_NE(role->reasons.front().find(ci), std::string::npos);
}

namespace {

detection made(std::string rule, severity level, std::vector<std::string> tactics, std::string_view time,
               std::vector<std::string> techniques = {}) {
  detection d;
  d.rule_id = std::move(rule);
  d.rule_name = d.rule_id;
  d.level = level;
  d.tactics = std::move(tactics);
  d.techniques = std::move(techniques);
  d.first_seen = d.last_seen = at(time);
  return d;
}

}  // namespace

TEST(Risk, LevelsFollowSeverityTacticsAndOrder) {
  symbol_table symbols;
  identity_graph graph(symbols);
  const symbol who = symbols.intern("arn:aws:iam::1:user/x");
  const std::vector<symbol> ids{who};
  const auto level = [&](std::vector<detection> found) {
    for (auto &d : found) d.identity = who;
    return assess_identities(graph, ids, found, {}).front();
  };
  EXPECT_EQ(level({}).risk, risk_level::none);
  EXPECT_EQ(level({made("a", severity::info, {"TA0007"}, "2026-01-01T00:00:00Z")}).risk, risk_level::low);
  // Many repeats of one noisy rule stay at its severity.
  std::vector<detection> noisy(20, made("a", severity::medium, {"TA0007"}, "2026-01-01T00:00:00Z"));
  EXPECT_EQ(level(noisy).risk, risk_level::medium);
  EXPECT_EQ(level(noisy).status, compromise_status::normal);
  // Three tactics: one level up.
  EXPECT_EQ(level({made("a", severity::medium, {"TA0001"}, "2026-01-01T00:00:00Z"),
                   made("b", severity::low, {"TA0003"}, "2026-01-01T00:01:00Z"),
                   made("c", severity::low, {"TA0040"}, "2026-01-01T00:02:00Z")})
                .risk,
            risk_level::high);
  // Discovery then credential access: one level up; the reverse order is not.
  const auto ordered = level({made("d", severity::medium, {"TA0007"}, "2026-01-01T00:00:00Z"),
                              made("c", severity::medium, {"TA0006"}, "2026-01-01T00:05:00Z")});
  EXPECT_EQ(ordered.risk, risk_level::high);
  EXPECT_EQ(ordered.status, compromise_status::normal);
  EXPECT_EQ(level({made("c", severity::medium, {"TA0006"}, "2026-01-01T00:00:00Z"),
                   made("d", severity::medium, {"TA0007"}, "2026-01-01T00:05:00Z")})
                .risk,
            risk_level::medium);
  // Discovery then defense evasion: potentially compromised, from the discovery.
  const auto evasion = level({made("d", severity::low, {"TA0007"}, "2026-01-01T00:00:00Z"),
                              made("e", severity::medium, {"TA0005"}, "2026-01-01T00:05:00Z")});
  EXPECT_EQ(evasion.status, compromise_status::potentially_compromised);
  EXPECT_EQ(*evasion.since, at("2026-01-01T00:00:00Z"));
  // Instance credentials taken: potentially compromised on one detection.
  EXPECT_EQ(level({made("i", severity::high, {"TA0001"}, "2026-01-01T00:00:00Z", {"T1552.005"})}).status,
            compromise_status::potentially_compromised);
  // Critical risk alone is strong evidence.
  EXPECT_EQ(level({made("x", severity::critical, {"TA0040"}, "2026-01-01T00:00:00Z")}).status,
            compromise_status::potentially_compromised);
}

TEST(SampleGraph, ARolesBlastRadiusIsThatOfItsSessions) {
  const auto &g = sample().graph();
  const auto role = g.find_identity(webapp_role);
  ASSERT_TRUE(role);
  const auto radius = g.blast_radius_of(*role);
  EXPECT_TRUE(labels(g, radius.identities).contains(std::string(instance_session)));
  EXPECT_TRUE(touched(g, radius).contains("arn:aws:s3:::acme-webapp-assets"));
}

TEST(GraphExport, DotEscapesWhatTheLogsControl) {
  const auto e = test::feed_one(test::record("1", "2026-03-01T10:00:00Z", "GetSendQuota").replace(
      test::record("1").find("aws-cli/2.15.0"), std::string("aws-cli/2.15.0").size(), R"(evil\\\"];x)"));
  const auto dot = export_graph(e.graph(), graph_format::dot);
  // The agent is evil\"];x: its backslash doubled and its quote escaped, so the label stays one string.
  EXPECT_NE(dot.find(R"(label="evil\\\"];x")"), std::string::npos) << dot;
}

TEST(ResourceInference, ThePartitionIsTheCallers) {
  const auto e = test::feed_one(
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"cn-north-1","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws-cn:iam::111122223333:user/x"},"requestParameters":{"secretId":"db"}})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"cn-north-1","recipientAccountId":"111122223333","requestParameters":{"secretId":"\uZZZZ"}})"
      "\n");
  ASSERT_EQ(e.events().size(), 1u);
  ASSERT_EQ(e.events()[0].resources.size(), 1u);
  EXPECT_EQ(e.symbols().str(e.events()[0].resources[0]), "arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:db");
  // A bad escape is malformed JSON: the record is refused with the field named, not half read.
  ASSERT_EQ(e.errors().size(), 1u);
  EXPECT_EQ(e.errors()[0].location, "line 2 (byte 288)");
  EXPECT_NE(e.errors()[0].reason.find("requestParameters"), std::string::npos) << e.errors()[0].reason;
}

TEST(ResourceInference, RequestParametersNameTheResources) {
  const auto e = test::feed_one(
      test::record("1", "2026-03-01T10:00:00Z", "GetSecretValue",
                   R"(,"requestParameters2":1)") +
      "\n" +
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":"eu-west-1","recipientAccountId":"111122223333","requestParameters":{"secretId":"prod/db"}})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"ssm.amazonaws.com","eventName":"GetParameter","awsRegion":"eu-west-1","recipientAccountId":"111122223333","requestParameters":{"name":"/prod/key","withDecryption":true}})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"ssm.amazonaws.com","eventName":"GetDocument","awsRegion":"eu-west-1","recipientAccountId":"111122223333","requestParameters":{"name":"AWS-RunShellScript"}})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","recipientAccountId":"111122223333","requestParameters":{"bucketName":"b","key":"k/1"},"resources":[{"ARN":"arn:aws:s3:::b/k/1"}]})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"GetFunction20150331v2","awsRegion":"eu-west-1","recipientAccountId":"111122223333","requestParameters":{"functionName":"arn:aws:lambda:eu-west-1:111122223333:function:f"}})"
      "\n"
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"eu-west-1","requestParameters":{"keyId":"alias/x"}})"
      "\n");
  ASSERT_EQ(e.events().size(), 7u);
  const auto arns = [&](std::size_t i) {
    std::vector<std::string> out;
    for (const auto r : e.events()[i].resources) out.emplace_back(e.symbols().str(r));
    return out;
  };
  EXPECT_TRUE(arns(0).empty());  // SES quota calls name nothing
  EXPECT_EQ(arns(1), std::vector<std::string>{"arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db"});
  EXPECT_EQ(arns(2), std::vector<std::string>{"arn:aws:ssm:eu-west-1:111122223333:parameter/prod/key"});
  EXPECT_TRUE(arns(3).empty());  // a document, not a parameter
  // CloudTrail's own resources[] stands: nothing is inferred next to it.
  EXPECT_EQ(arns(4), (std::vector<std::string>{"arn:aws:s3:::b/k/1"}));
  EXPECT_EQ(arns(5), std::vector<std::string>{"arn:aws:lambda:eu-west-1:111122223333:function:f"});
  EXPECT_TRUE(arns(6).empty());  // no account to fill in
}

TEST(ResourceInference, ARepeatedValueInAnotherRegionIsAnotherResource) {
  std::string input;
  for (const char *region : {"eu-west-1", "eu-west-1", "us-east-1", "eu-west-1"})
    input += std::string(R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","awsRegion":")") +
             region + R"(","recipientAccountId":"111122223333","requestParameters":{"secretId":"db"}})" + "\n";
  const auto e = test::feed_one(input);
  ASSERT_EQ(e.events().size(), 4u);
  const auto arn = [&](std::size_t i) { return std::string(e.symbols().str(e.events()[i].resources.at(0))); };
  EXPECT_EQ(arn(0), "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db");
  EXPECT_EQ(arn(1), arn(0));
  EXPECT_EQ(arn(2), "arn:aws:secretsmanager:us-east-1:111122223333:secret:db");
  EXPECT_EQ(arn(3), arn(0));
}

TEST(QueryJson, EveryAnswerIsCompleteJson) {
  const auto &e = sample();
  const auto session = break_glass_session(e);
  const std::vector<result<std::string>> answers{
      resolution_json(e.evidence(), session),
      assessment_json(e.evidence(), admin),
      blast_radius_json(e.evidence(), admin, at("2026-03-01T13:20:00Z")),
      paths_json(e.evidence(), "45.137.21.9", stripe_secret),
      where_used_json(e.evidence(), admin),
      timeline_json(e.evidence(), admin),
      blast_radius_json(e.evidence(), instance_arn),
  };
  simdjson::dom::parser parser;
  for (const auto &answer : answers) {
    ASSERT_TRUE(answer) << answer.error().message;
    simdjson::dom::object object;
    EXPECT_EQ(parser.parse(*answer).get(object), simdjson::SUCCESS) << *answer;
  }
  simdjson::dom::object chain;
  ASSERT_EQ(parser.parse(*answers[0]).get(chain), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(chain["root_principal"].get_string().value()), admin);
  const auto missing = blast_radius_json(e.evidence(), "arn:aws:iam::111122223333:user/nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  EXPECT_NE(missing.error().message.find("user/nobody"), std::string::npos);
}
