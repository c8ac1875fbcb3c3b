// Detections as soon as their evidence is complete (issue 10): a single-event
// rule fires on the feed call that delivers its event, whatever the lateness.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support.hpp"

using namespace identrail;

TEST(EagerDetection, SingleEventRulesFireOnTheFeedThatDeliversTheirEvent) {
  const auto &whole = test::sample_engine();
  std::map<std::string, std::string> kind_of;
  for (std::size_t i = 0; i < whole.rules().size(); ++i) kind_of[whole.rules().info(i).id] = whole.rules().info(i).kind;
  // event id -> the single-event rules it triggers in the whole run
  std::map<std::string, std::set<std::string>> expected;
  for (const auto &d : whole.detections())
    if (kind_of[d.rule_id] == "event") expected[d.event_ids.at(0)].insert(d.rule_id);
  ASSERT_GE(expected.size(), 2u);  // StopLogging, the bucket policy (and the context rule on it)

  std::vector<const event *> in_time_order;
  for (const auto &ev : whole.events()) in_time_order.push_back(&ev);
  std::stable_sort(in_time_order.begin(), in_time_order.end(),
                   [](const event *a, const event *b) { return a->time < b->time; });
  auto live = test::make_engine();
  std::size_t checked = 0;
  for (const event *ev : in_time_order) {
    ASSERT_TRUE(live.feed(ev->raw, "live"));
    const auto it = expected.find(ev->id);
    if (it == expected.end()) continue;
    std::set<std::string> seen;
    for (const auto &d : live.detections())
      if (std::find(d.event_ids.begin(), d.event_ids.end(), ev->id) != d.event_ids.end()) seen.insert(d.rule_id);
    for (const auto &rule : it->second) EXPECT_TRUE(seen.contains(rule)) << rule << " on " << ev->id;
    ++checked;
  }
  EXPECT_EQ(checked, expected.size());
  live.finish();
  // Firing early changes no answer: the same detections once everything is in.
  auto key = [](const engine &e) {
    std::multiset<std::pair<std::string, std::vector<std::string>>> out;
    for (const auto &d : e.detections()) out.emplace(d.rule_id, d.event_ids);
    return out;
  };
  EXPECT_EQ(key(live), key(whole));
}

TEST(EagerDetection, ARepeatedEventFiresOnce) {
  engine_options options;
  options.normalize.deduplicate = false;  // the detector's own filter decides
  auto e = test::make_engine(options);
  const auto stop = test::record("s1", "2026-03-01T10:00:00Z", "StopLogging");
  auto with_source = stop;
  with_source.replace(with_source.find("ses.amazonaws.com"), 17, "cloudtrail.amazonaws.com");
  ASSERT_TRUE(e.feed(with_source + "\n" + with_source + "\n", "twice"));
  std::size_t fired = 0;
  for (const auto &d : e.detections()) fired += d.rule_id == "IDT-DE-001";
  EXPECT_EQ(fired, 1u);
  EXPECT_EQ(e.detection_stats().repeated, 1u);
}

TEST(EagerDetection, AQuietStreamStillFiresAbsencesWhenTimeMovesOn) {
  const std::string yaml = R"(- id: A
  name: key made and never used
  severity: low
  kind: absence
  steps: [{match: {event_name: CreateAccessKey}}, {match: {event_name: DeleteAccessKey}}]
  window: 30m
)";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "a.yaml");
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed(test::record("k", "2026-03-01T10:00:00Z", "CreateAccessKey"), "live"));
  e.advance_to(*parse_rfc3339("2026-03-01T10:40:00Z"));  // deadline passed, but not the lateness after it
  EXPECT_TRUE(e.detections().empty());
  e.advance_to(*parse_rfc3339("2026-03-01T10:46:00Z"));
  ASSERT_EQ(e.detections().size(), 1u);
  EXPECT_EQ(e.detections()[0].event_ids, (std::vector<std::string>{"k"}));
  e.advance_to(*parse_rfc3339("2026-03-01T09:00:00Z"));  // going back does nothing
  EXPECT_EQ(e.detections().size(), 1u);
}
