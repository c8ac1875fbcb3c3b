// `aws cloudtrail lookup-events` output, as the AWS CLI documents it: each
// record a JSON string in "CloudTrailEvent", newest first, with the call's own
// summary fields around it (EventId, EventName, EventTime as epoch seconds...).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

std::string entry(const event &e) {
  return R"({"EventId":")" + e.id + R"(","EventName":"x","ReadOnly":"true","EventTime":1772359200.0,)"
         R"("EventSource":"s","Username":"u","Resources":[],"CloudTrailEvent":)" + test::json_string(e.raw) + "}";
}

std::set<std::string> detections_of(const engine &e) {
  std::set<std::string> out;
  for (const auto &d : e.detections()) out.insert(d.id + " " + std::to_string(d.count));
  return out;
}

}  // namespace

TEST(LookupEvents, AResultIsReadInEventTimeOrderLikeTheTrail) {
  const auto &whole = test::sample_engine();
  std::vector<const event *> newest_first;
  for (const auto &e : whole.events()) newest_first.push_back(&e);
  std::stable_sort(newest_first.begin(), newest_first.end(), [](const event *a, const event *b) { return a->time > b->time; });
  std::string result = R"({"Events":[)";
  for (std::size_t i = 0; i < newest_first.size(); ++i) result += (i ? "," : "") + entry(*newest_first[i]);
  result += R"(],"NextToken":"abc"})";
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(result, "lookup.json"));
  e.finish();
  EXPECT_EQ(e.stats().accepted, whole.stats().accepted);
  EXPECT_EQ(e.stats().rejected, 0u);
  EXPECT_EQ(e.detection_stats().too_late, 0u);
  EXPECT_EQ(detections_of(e), detections_of(whole));
  // The raw record is the embedded one: rules on raw paths read it.
  EXPECT_EQ(e.events().front().raw.front(), '{');
  EXPECT_TRUE(raw_field(e.events().front(), "eventVersion"));
}

TEST(LookupEvents, EntriesOneALineAndBadEntriesNamed) {
  const auto &whole = test::sample_engine();
  const auto &events = whole.events();
  std::string lines = entry(events[0]) + "\n" + R"({"EventId":"e2","CloudTrailEvent":42})" + "\n" +
                      R"({"EventId":"e3","CloudTrailEvent":"{\"eventTime\": broken"})" + "\n" + entry(events[1]) + "\n";
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(lines, "lookup.jsonl"));
  EXPECT_EQ(e.stats().accepted, 2u);
  EXPECT_EQ(e.stats().rejected, 2u);
  ASSERT_EQ(e.errors().size(), 2u);
  EXPECT_NE(e.errors()[0].reason.find("CloudTrailEvent: expected the record as a JSON string"), std::string::npos);
  EXPECT_NE(e.errors()[1].reason.find("CloudTrailEvent: malformed JSON"), std::string::npos);
  EXPECT_NE(e.errors()[1].location.find("line 3"), std::string::npos) << e.errors()[1].location;
}
