// Every AWS technique of the pinned Stratus Red Team catalogue, detonated and
// refused (tests/data/stratus, written by make_samples.py): each sample alone
// makes the rules docs/stratus-coverage.md lists for it fire (expected.tsv).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "support.hpp"

using namespace identrail;

TEST(StratusCatalogue, EverySampleFiresTheRulesTheCoverageTableLists) {
  const std::string dir = std::string(IDENTRAIL_TEST_DATA) + "/stratus/";
  std::size_t samples = 0, techniques_caught = 0;
  for (const auto &line : test::read_lines(dir + "expected.tsv")) {
    if (line.front() == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const auto file = line.substr(0, tab);
    std::set<std::string> want;
    std::stringstream rules(line.substr(tab + 1));
    for (std::string id; std::getline(rules, id, ',');)
      if (id != "-") want.insert(id);
    auto e = test::make_engine();
    ASSERT_TRUE(e.feed_path(dir + file)) << file;
    EXPECT_EQ(e.stats().rejected, 0u) << file;
    e.finish();
    std::set<std::string> fired;
    for (const auto &d : e.detections()) fired.insert(d.rule_id);
    for (const auto &id : want) EXPECT_TRUE(fired.contains(id)) << file << ": " << id << " did not fire";
    if (!want.empty() && !file.ends_with(".denied.json")) ++techniques_caught;
    ++samples;
  }
  EXPECT_GE(samples, 88u);
  EXPECT_GE(techniques_caught, 43u);  // of 44: the one left is documented in docs/stratus-coverage.md
}
