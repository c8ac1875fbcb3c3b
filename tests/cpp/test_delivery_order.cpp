// Files named one by one (a shell glob, region by region) are read in
// CloudTrail delivery order, like the directory that holds them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <tuple>

#include "support.hpp"

using namespace identrail;

namespace {

std::vector<std::string> region_dirs() {
  std::vector<std::string> dirs;
  for (const auto &entry :
       std::filesystem::directory_iterator(test::sample_dir() + "/AWSLogs/111122223333/CloudTrail"))
    dirs.push_back(entry.path().string());
  std::sort(dirs.begin(), dirs.end());  // as a shell glob lists them
  return dirs;
}

using finding = std::tuple<std::string, std::string, std::vector<std::string>>;

std::vector<finding> findings_of(const engine &e) {
  std::vector<finding> out;
  for (const auto &d : e.detections()) out.emplace_back(d.rule_id, e.symbols().str(d.identity), d.event_ids);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<std::string, compromise_status>> statuses_of(const engine &e) {
  std::vector<std::pair<std::string, compromise_status>> out;
  for (const auto &a : e.assessments()) out.emplace_back(std::string(e.symbols().str(a.identity)), a.status);
  std::sort(out.begin(), out.end());
  return out;
}

std::string delivery_stamp(const std::string &path) {
  const auto at = path.find("_CloudTrail_");
  return at == std::string::npos ? "" : path.substr(path.find('_', at + 12) + 1, 14);
}

}  // namespace

TEST(DeliveryOrder, SeveralPathsAreListedInDeliveryOrder) {
  auto dirs = region_dirs();
  ASSERT_GE(dirs.size(), 5u);
  const auto listed = list_input_files(dirs);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), list_input_files(test::sample_dir())->size());
  EXPECT_TRUE(std::is_sorted(listed->begin(), listed->end(), [](const std::string &a, const std::string &b) {
    return delivery_stamp(a) < delivery_stamp(b);
  }));
  // Files without a delivery time keep the order they were named in.
  const auto mixed = list_input_files({dirs[1], test::datasets() + "/aws-cloudtrail-processing-library/SerializerTestFile.json",
                                       dirs[0]});
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->front(), test::datasets() + "/aws-cloudtrail-processing-library/SerializerTestFile.json");
  EXPECT_FALSE(list_input_files({dirs[0], test::sample_dir() + "/no-such-dir"}));
  // A file named twice (its folder and the file itself, by another spelling) is read once.
  const auto one = list_input_files(dirs[0])->front();
  const auto twice = list_input_files({dirs[0], dirs[0] + "/./" + one.substr(dirs[0].size() + 1)});
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->size(), list_input_files(dirs[0])->size());
}

TEST(DeliveryOrder, AGlobOfFilesGivesTheDirectorysDetectionsAndStatuses) {
  const auto &whole = test::sample_engine();
  // Region by region, as `AWSLogs/*/CloudTrail/*` expands; and every file named, in a random order.
  std::vector<std::string> files = *list_input_files(test::sample_dir());
  std::shuffle(files.begin(), files.end(), std::mt19937(9));
  for (const auto &paths : {region_dirs(), files}) {
    auto e = test::make_engine();
    ASSERT_TRUE(e.feed_paths(paths));
    e.finish();
    EXPECT_EQ(e.stats().accepted, whole.stats().accepted);
    EXPECT_EQ(e.detection_stats().late, whole.detection_stats().late);
    EXPECT_EQ(findings_of(e), findings_of(whole));
    EXPECT_EQ(statuses_of(e), statuses_of(whole));
  }
}
