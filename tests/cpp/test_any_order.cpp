// The same events in any delivery order within the allowed lateness give the
// same detections (ids, evidence, times) once all are in; fed record by record
// in time order, each detection is announced by the record that completes it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "support.hpp"

using namespace identrail;

namespace {

// Everything a detection says, but the revision it is at.
using standing = std::tuple<std::string, std::string, std::string, std::vector<std::string>, timestamp, timestamp,
                            std::uint64_t, std::string>;

std::set<standing> standing_of(const engine &e) {
  std::set<standing> out;
  for (const auto &d : e.detections())
    out.emplace(d.id, d.rule_id, d.group_key, d.event_ids, d.first_seen, d.last_seen, d.count,
                std::string(e.symbols().str(d.identity)));
  return out;
}

// What differs, readably: gtest would print both sets whole.
std::string difference(const std::set<standing> &got, const std::set<standing> &want) {
  auto line = [](const standing &d) {
    return std::get<0>(d) + " " + std::get<1>(d) + " " + std::get<2>(d) + " " + format_rfc3339(std::get<4>(d)) + ".." +
           format_rfc3339(std::get<5>(d)) + " n=" + std::to_string(std::get<6>(d)) + " first=" +
           (std::get<3>(d).empty() ? "" : std::get<3>(d).front());
  };
  std::string out;
  for (const auto &d : got)
    if (!want.contains(d)) out += "\n  + " + line(d);
  for (const auto &d : want)
    if (!got.contains(d)) out += "\n  - " + line(d);
  return out;
}

#define EXPECT_SAME(got, want) EXPECT_EQ(difference(got, want), "")

std::string generated_day() { return IDENTRAIL_GENERATED_DAY; }

struct trace {
  std::vector<std::pair<timestamp, std::string>> records;  // (event time, record), in time order
  std::set<standing> reference;                           // from the files, in delivery order
  std::map<std::string, std::string> kind_of;             // rule id -> kind
};

trace load(const std::string &dir) {
  auto whole = test::make_engine();
  EXPECT_TRUE(whole.feed_path(dir));
  whole.finish();
  trace t;
  for (const auto &ev : whole.events()) t.records.emplace_back(ev.time, ev.raw);
  std::stable_sort(t.records.begin(), t.records.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  t.reference = standing_of(whole);
  for (std::size_t i = 0; i < whole.rules().size(); ++i) t.kind_of[whole.rules().info(i).id] = whole.rules().info(i).kind;
  EXPECT_EQ(whole.detection_stats().too_late, 0u);
  return t;
}

const trace &sample() {
  static const trace t = load(test::sample_dir());
  return t;
}
const trace &day() {
  static const trace t = load(generated_day());
  return t;
}

// Each record goes out at its time plus a random delay under `spread`: no
// record arrives after one more than `spread` newer, so all stay within a
// lateness above it.
std::vector<std::string> delayed(const trace &t, std::chrono::seconds spread, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> delay(0, std::chrono::nanoseconds(spread).count() - 1);
  std::vector<std::pair<std::int64_t, const std::string *>> order;
  for (const auto &[time, record] : t.records) order.emplace_back(to_unix_nanos(time) + delay(rng), &record);
  std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto &o : order) out.push_back(*o.second);
  return out;
}

std::set<standing> fed_one_by_one(const std::vector<std::string> &records, detector_stats *stats = nullptr) {
  auto e = test::make_engine();
  for (const auto &r : records) EXPECT_TRUE(e.feed(r, "live"));
  e.finish();
  if (stats) *stats = e.detection_stats();
  return standing_of(e);
}

std::vector<std::string> in_time_order(const trace &t) {
  std::vector<std::string> out;
  for (const auto &r : t.records) out.push_back(r.second);
  return out;
}

void expect_same_in_any_order(const trace &t) {
  ASSERT_GE(t.reference.size(), 5u);
  EXPECT_SAME(fed_one_by_one(in_time_order(t)), t.reference);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    detector_stats stats;
    EXPECT_SAME(fed_one_by_one(delayed(t, std::chrono::minutes{10}, seed), &stats), t.reference) << "seed " << seed;
    EXPECT_EQ(stats.too_late, 0u);
  }
}

}  // namespace

TEST(AnyOrder, SampleShuffledWithinTheLatenessGivesTheSameDetections) { expect_same_in_any_order(sample()); }

TEST(AnyOrder, GeneratedDayShuffledWithinTheLatenessGivesTheSameDetections) { expect_same_in_any_order(day()); }

void expect_same_in_any_file_order(const std::string &dir, const trace &t) {
  std::vector<std::string> files;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir + "/AWSLogs"))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  ASSERT_GE(files.size(), 20u);
  std::sort(files.begin(), files.end());  // region by region, as a shell glob lists them
  auto reversed = files;
  std::reverse(reversed.begin(), reversed.end());
  auto shuffled = files;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(5));
  for (const auto *list : {&files, &reversed, &shuffled}) {
    auto e = test::make_engine();
    ASSERT_TRUE(e.feed_paths(*list));
    e.finish();
    EXPECT_SAME(standing_of(e), t.reference);
  }
}

TEST(AnyOrder, FilesInAnyOrderGiveTheSameDetections) {
  expect_same_in_any_file_order(test::sample_dir(), sample());
  expect_same_in_any_file_order(generated_day(), day());
}

// Announced by the record that completes it: its evidence ends there (the
// record is named, or the evidence is capped and the burst's last event is it).
void expect_announced_on_completion(const trace &t) {
  auto live = test::make_engine();
  const std::pair<timestamp, std::string> *current = nullptr;
  std::string current_id;
  std::size_t announced = 0;
  live.on_detection([&](const detection &d) {
    if (d.revision != 0 || t.kind_of.at(d.rule_id) == "absence") return;
    ++announced;
    const bool named = std::find(d.event_ids.begin(), d.event_ids.end(), current_id) != d.event_ids.end();
    EXPECT_TRUE(named || d.count > d.event_ids.size()) << d.rule_id << " announced on " << current_id;
    EXPECT_EQ(d.last_seen, current->first) << d.rule_id;
  });
  for (const auto &r : t.records) {
    current = &r;
    const auto at = r.second.find(R"("eventID":")");
    current_id = at == std::string::npos ? "" : r.second.substr(at + 11, 36);
    ASSERT_TRUE(live.feed(r.second, "live"));
  }
  std::size_t stateful = 0;
  for (const auto &d : t.reference) stateful += t.kind_of.at(std::get<1>(d)) != "event";
  EXPECT_GE(stateful, 3u);
  EXPECT_GE(announced, t.reference.size());
  live.finish();
  EXPECT_SAME(standing_of(live), t.reference);
}

TEST(AnyOrder, FedRecordByRecordEachDetectionComesWithItsCompletingRecord) {
  expect_announced_on_completion(sample());
  expect_announced_on_completion(day());
}

TEST(AnyOrder, LaterEventsReviseADetectionUnderItsId) {
  const std::string yaml = "- id: C\n  name: burst\n  severity: low\n  kind: count\n  window: 10m\n  threshold: 3\n"
                           "  match: {event_name: ListUsers}\n";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "c.yaml");
  auto e = test::make_engine(options);
  std::vector<detection> seen;
  e.on_detection([&](const detection &d) { seen.push_back(d); });
  const auto at = [](int minute) { return "2026-03-01T10:0" + std::to_string(minute) + ":00Z"; };
  for (int i : {2, 3, 4}) ASSERT_TRUE(e.feed(test::record("e" + std::to_string(i), at(i), "ListUsers"), "t"));
  ASSERT_EQ(seen.size(), 1u);  // complete with the third
  ASSERT_TRUE(e.feed(test::record("e5", at(5), "ListUsers"), "t"));
  ASSERT_EQ(seen.size(), 2u);  // a fourth in the window extends it
  EXPECT_EQ(seen[1].id, seen[0].id);
  EXPECT_EQ(seen[1].revision, 1u);
  EXPECT_EQ(seen[1].count, 4u);
  // An earlier event moves the burst's start: the old one is withdrawn, the burst is named after its new first event.
  ASSERT_TRUE(e.feed(test::record("e1", at(1), "ListUsers"), "t"));
  ASSERT_EQ(e.detections().size(), 1u);
  EXPECT_NE(e.detections()[0].id, seen[0].id);
  EXPECT_EQ(e.detections()[0].event_ids.front(), "e1");
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [&](const detection &d) { return d.id == seen[0].id && d.withdrawn; }));
  EXPECT_EQ(e.detection_stats().withdrawn, 1u);
}

TEST(AnyOrder, ALateCancelWithdrawsASequence) {
  const std::string yaml = R"(- id: S
  name: stop after recon
  severity: high
  kind: sequence
  steps: [{match: {event_name: GetCallerIdentity}}, {match: {event_name: StopLogging}}]
  maxspan: 30m
  until: {event_name: StartLogging}
)";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "s.yaml");
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed(test::record("b", "2026-03-01T10:10:00Z", "StopLogging"), "t"));
  ASSERT_TRUE(e.feed(test::record("a", "2026-03-01T10:00:00Z", "GetCallerIdentity"), "t"));
  ASSERT_EQ(e.detections().size(), 1u);  // a late first step completes it on arrival
  EXPECT_EQ(e.detections()[0].event_ids, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(e.feed(test::record("c", "2026-03-01T10:05:00Z", "StartLogging"), "t"));
  EXPECT_TRUE(e.detections().empty());
  EXPECT_EQ(e.detection_stats().withdrawn, 1u);
}

TEST(AnyOrder, AnEarlierFirstSightingSupersedesOrWithdraws) {
  const std::string yaml = "- id: N\n  name: new region\n  severity: low\n  kind: first_seen\n  field: region\n"
                           "  learning: 1h\n";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "n.yaml");
  auto e = test::make_engine(options);
  const auto in = [](std::string record, const std::string &region) {
    record.replace(record.find("us-east-1"), 9, region);
    return record;
  };
  ASSERT_TRUE(e.feed(test::record("h0", "2026-03-01T08:00:00Z", "ListUsers"), "t"));
  ASSERT_TRUE(e.feed(in(test::record("late", "2026-03-01T10:00:00Z", "ListUsers"), "eu-west-3"), "t"));
  ASSERT_EQ(e.detections().size(), 1u);
  const auto id = e.detections()[0].id;
  ASSERT_TRUE(e.feed(in(test::record("early", "2026-03-01T09:30:00Z", "ListUsers"), "eu-west-3"), "t"));
  ASSERT_EQ(e.detections().size(), 1u);  // the first sighting is earlier: same detection, new evidence
  EXPECT_EQ(e.detections()[0].id, id);
  EXPECT_EQ(e.detections()[0].revision, 1u);
  EXPECT_EQ(e.detections()[0].event_ids, (std::vector<std::string>{"early"}));
  // Seen within the learning period after all: not new.
  ASSERT_TRUE(e.feed(in(test::record("earliest", "2026-03-01T08:30:00Z", "ListUsers"), "eu-west-3"), "t"));
  EXPECT_TRUE(e.detections().empty());
}

TEST(AnyOrder, EventsBeyondTheLatenessAreCountedNotUsed) {
  const std::string yaml = "- id: C\n  name: burst\n  severity: low\n  kind: count\n  window: 5m\n  threshold: 2\n"
                           "  match: {event_name: ListUsers}\n";
  engine_options options;
  options.rules = *rule_set::from_yaml(yaml, "c.yaml");
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed(test::record("new", "2026-03-01T12:00:00Z", "ListUsers"), "t"));
  ASSERT_TRUE(e.feed(test::record("old1", "2026-03-01T10:00:00Z", "ListUsers"), "t"));
  ASSERT_TRUE(e.feed(test::record("old2", "2026-03-01T10:01:00Z", "ListUsers"), "t"));
  e.finish();
  EXPECT_EQ(e.detection_stats().late, 2u);
  EXPECT_EQ(e.detection_stats().too_late, 2u);
  EXPECT_TRUE(e.detections().empty());
}
