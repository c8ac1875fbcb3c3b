// Each stage used on its own, without the engine: what a product that embeds
// one stage, or runs them on its own schedule, relies on. The composed stages
// must give the engine's answers.
#include <gtest/gtest.h>

#include <cctype>
#include <unordered_map>

#include "identrail/identrail.hpp"
#include "support.hpp"

using namespace identrail;

namespace {

template <class Events>  // a std::vector here, the engine's event_store there
std::string events_json(const Events &events, const symbol_table &symbols) {
  std::string out;
  for (const auto &e : events) {
    append_event_json(out, e, symbols);
    out += '\n';
  }
  return out;
}

// normalize -> detect -> correlate, wired by hand as an embedder would.
struct hand_pipeline {
  symbol_table symbols;
  normalizer decode{symbols};
  detector detect{rule_set::builtin().value(), symbols};
  identity_graph graph{symbols};
  event_store events;  // as the engine keeps them
  std::vector<symbol> identities;  // first appearance
  std::unordered_map<symbol, bool, symbol_hash> seen;
  assessment_table assessed;

  hand_pipeline() {
    detect.on_detection([this](const detection &d) { graph.observe(d); });
  }

  void read(const std::string &path) {
    const symbol unknown = symbols.intern("unknown");
    ASSERT_TRUE(decode.feed_path(path, [&](const event &e) {
      const symbol found = identity_key_of(e);
      const symbol key = found.empty() ? unknown : found;
      if (seen.emplace(key, true).second) identities.push_back(key);
      graph.observe(e, key);
      events.push_back(e);
      detect.process(e);
      return true;
    }));
    detect.finish();
    assessed = assessment_table(assess_identities(graph, identities, detect.detections(), {}));
  }

  [[nodiscard]] evidence_view evidence() const {
    return evidence_view{.symbols = symbols, .graph = graph, .assessments = assessed, .events = events,
                         .detections = detect.detections()};
  }
};

event constructed(symbol_table &symbols, std::string_view name, bool success, std::string_view id) {
  event e;
  e.id = std::string(id);
  e.time = parse_rfc3339("2026-03-01T10:00:00Z").value();
  e.event_source = symbols.intern("cloudtrail.amazonaws.com");
  e.event_name = symbols.intern(name);
  e.action = symbols.intern("cloudtrail:" + std::string(name));
  e.who.type = identity_type::iam_user;
  e.who.arn = symbols.intern("arn:aws:iam::111122223333:user/ops-admin");
  e.who.account_id = symbols.intern("111122223333");
  e.account = e.who.account_id;
  e.result.success = success;
  if (!success) e.result.error_code = symbols.intern("AccessDenied");
  return e;
}

}  // namespace

TEST(StagesAlone, TheNormalizerGivesTheEnginesEvents) {
  symbol_table symbols;
  normalizer decode(symbols);
  std::vector<event> events;
  ASSERT_TRUE(decode.feed_path(test::sample_dir(), [&](const event &e) {
    events.push_back(e);
    return true;
  }));
  const auto &e = test::sample_engine();
  EXPECT_EQ(decode.stats().accepted, e.stats().accepted);
  EXPECT_EQ(decode.stats().rejected, e.stats().rejected);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events_json(events, symbols), events_json(e.events(), e.symbols()));
}

TEST(StagesAlone, TheDetectorJudgesEventsBuiltInCode) {
  symbol_table symbols;
  detector detect(rule_set::builtin().value(), symbols);
  const auto fired = [&](std::string_view rule) {
    std::vector<std::string> ids;
    for (const auto &d : detect.detections())
      if (d.rule_id == rule) ids.insert(ids.end(), d.event_ids.begin(), d.event_ids.end());
    return ids;
  };
  detect.process(constructed(symbols, "StopLogging", false, "denied"));
  detect.process(constructed(symbols, "StartLogging", true, "start"));
  EXPECT_TRUE(fired("IDT-DE-001").empty());                        // refused: the trail still logs
  EXPECT_EQ(fired("IDT-ATT-001"), std::vector<std::string>{"denied"});  // but the attempt is seen
  detect.process(constructed(symbols, "StopLogging", true, "stop"));
  detect.finish();
  EXPECT_EQ(fired("IDT-DE-001"), std::vector<std::string>{"stop"});
  for (const auto &d : detect.detections())
    EXPECT_EQ(symbols.str(d.identity), "arn:aws:iam::111122223333:user/ops-admin");
}

TEST(StagesAlone, AGraphBuiltByHandAnswersAsTheEngineDoes) {
  hand_pipeline hand;
  hand.read(test::sample_dir());
  const auto &e = test::sample_engine();
  ASSERT_EQ(hand.detect.detections().size(), e.detections().size());
  ASSERT_EQ(hand.assessed.rows().size(), e.assessments().size());
  std::size_t flagged = 0;
  for (std::size_t i = 0; i < e.assessments().size(); ++i) {
    const auto &mine = hand.assessed.rows()[i];
    const auto &theirs = e.assessments()[i];
    EXPECT_EQ(hand.symbols.str(mine.identity), e.symbols().str(theirs.identity));
    EXPECT_EQ(mine.status, theirs.status);
    EXPECT_EQ(mine.risk, theirs.risk);
    flagged += mine.status != compromise_status::normal;
  }
  EXPECT_GT(flagged, 0u);

  const std::string admin = "arn:aws:iam::111122223333:user/ops-admin";
  const std::string session = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890";
  for (const auto &who : {admin, session}) {
    EXPECT_EQ(blast_radius_json(hand.evidence(), who).value(), blast_radius_json(e.evidence(), who).value());
    EXPECT_EQ(assessment_json(hand.evidence(), who).value(), assessment_json(e.evidence(), who).value());
    EXPECT_EQ(timeline_json(hand.evidence(), who).value(), timeline_json(e.evidence(), who).value());
  }
  EXPECT_EQ(paths_json(hand.evidence(), "45.137.21.9", admin).value(),
            paths_json(e.evidence(), "45.137.21.9", admin).value());
}

TEST(StagesAlone, ResponseStagesTakeTheEvidenceOfAHandBuiltPipeline) {
  hand_pipeline hand;
  hand.read(test::sample_dir());
  const auto &e = test::sample_engine();
  const std::string admin = "arn:aws:iam::111122223333:user/ops-admin";
  remediation_options at_noon;
  at_noon.now = parse_rfc3339("2026-03-02T12:00:00Z").value();
  const auto mine = plan_remediation(hand.evidence(), admin, at_noon);
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_FALSE(mine->strategies.empty());
  EXPECT_EQ(to_json(*mine), to_json(plan_remediation(e.evidence(), admin, at_noon).value()));

  const auto policy = least_privilege_policy(hand.evidence(), admin);
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_TRUE(policy->flag_time.has_value());  // the evidence flags the admin: the policy stops at it
  EXPECT_EQ(to_json(*policy), to_json(least_privilege_policy(e.evidence(), admin).value()));

  const auto unknown = plan_remediation(hand.evidence(), "arn:aws:iam::111122223333:user/nobody");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, errc::not_found);
}

TEST(StagesAlone, TheEngineRefusesOptionsItCannotRunWith) {
  engine_options late;
  late.detection.allowed_lateness = std::chrono::hours{24 * 8};
  auto refused = engine::create(late);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::invalid_argument);
  EXPECT_NE(refused.error().message.find("allowed_lateness"), std::string::npos) << refused.error().message;

  engine_options both;
  both.rules = rule_set::builtin().value();
  both.rule_files.paths = {"rules"};
  refused = engine::create(both);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::invalid_argument);

  engine_options missing;
  missing.rule_files.paths = {test::sample_dir() + "/no-such-rules.yaml"};
  refused = engine::create(missing);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("no-such-rules.yaml"), std::string::npos) << refused.error().message;

  engine_options geo;
  geo.geo_databases = {test::sample_dir() + "/no-such.mmdb"};
  refused = engine::create(geo);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("no-such.mmdb"), std::string::npos) << refused.error().message;
}

TEST(StagesAlone, RuleFilesAsAnEngineOptionReplaceOrJoinTheBuiltInPack) {
  const std::string file = test::sample_dir() + "/../../rules/geo.yaml";  // examples/rules
  engine_options replace;
  replace.rule_files.paths = {file};
  const auto only = engine::create(replace);
  ASSERT_TRUE(only) << only.error().message;
  const auto builtin = rule_set::builtin().value();
  EXPECT_LT(only->rules().size(), builtin.size());

  engine_options join = replace;
  join.rule_files.keep_builtin = true;
  const auto both = engine::create(join);
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->rules().size(), builtin.size() + only->rules().size());
}

// A graph told to read its detector's detections keeps none of its own: each
// detection node answers with the detector's detection, at its latest
// revision. Its answers are those of a graph that copies them all.
TEST(StagesAlone, AGraphReadingItsDetectorHoldsNoCopyOfADetection) {
  hand_pipeline copying;
  copying.read(test::sample_dir());
  hand_pipeline sharing;
  sharing.graph.read_detections_from(&sharing.detect);
  sharing.read(test::sample_dir());
  ASSERT_FALSE(sharing.detect.detections().empty());
  for (const auto &d : sharing.detect.detections()) {
    const auto node = sharing.graph.find(node_kind::detection, d.id);
    ASSERT_TRUE(node) << d.id;
    EXPECT_EQ(sharing.graph.detection_of(*node), &d) << d.id;
    const auto kept = copying.graph.find(node_kind::detection, d.id);
    ASSERT_TRUE(kept) << d.id;
    const auto *copy = copying.graph.detection_of(*kept);
    ASSERT_NE(copy, nullptr) << d.id;
    EXPECT_NE(copy, copying.detect.find(d.id)) << d.id;
    EXPECT_EQ(copy->revision, d.revision) << d.id;
    EXPECT_EQ(copy->event_ids, d.event_ids) << d.id;
    EXPECT_EQ(copy->summary, d.summary) << d.id;
  }
  EXPECT_EQ(export_graph(sharing.graph, graph_format::json), export_graph(copying.graph, graph_format::json));

  // Text that is not one of the detector's ids finds nothing.
  const std::string id = sharing.detect.detections().front().id;
  std::string shouted = id;
  for (auto &c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (shouted != id) {
    EXPECT_EQ(sharing.detect.find(shouted), nullptr);
  }
  EXPECT_EQ(sharing.detect.find(id.substr(1)), nullptr);
  EXPECT_EQ(sharing.detect.find(""), nullptr);

  // One the detector did not make is still kept by the graph.
  detection by_hand;
  by_hand.id = "by-hand-1";
  by_hand.rule_id = "HAND-001";
  by_hand.identity = sharing.symbols.intern("arn:aws:iam::111122223333:user/ops-admin");
  by_hand.first_seen = by_hand.last_seen = parse_rfc3339("2026-03-01T10:00:00Z").value();
  sharing.graph.observe(by_hand);
  const auto node = sharing.graph.find(node_kind::detection, "by-hand-1");
  ASSERT_TRUE(node);
  ASSERT_NE(sharing.graph.detection_of(*node), nullptr);
  EXPECT_EQ(sharing.graph.detection_of(*node)->rule_id, "HAND-001");
}
