// The agent_family field: uap-core's regexes after identrail's supplement for
// AWS tools (data/user_agents.yaml), checked on the table of examples kept
// next to it: each agent must read as the family the table gives.
#include <gtest/gtest.h>

#include <set>

#include "support.hpp"

using namespace identrail;

TEST(UserAgents, EveryExampleReadsAsItsFamily) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto &line : test::read_lines(IDENTRAIL_USER_AGENT_EXAMPLES)) {
    if (line.front() == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  ASSERT_GE(rows.size(), 40u);
  // One rule per row: it fires when the row's agent reads as the row's family.
  std::string yaml, input;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto id = "AF-" + std::to_string(i);
    yaml += "- {id: " + id + ", name: n, severity: info, coalesce: 0, match: {user_agent: " + test::json_string(rows[i].first) +
            ", agent_family: " + test::json_string(rows[i].second) + "}}\n";
    auto record = test::record(id, "2026-03-01T10:00:00Z");
    const std::string cli = R"("userAgent":"aws-cli/2.15.0")";
    std::string escaped = test::json_string(rows[i].first);
    record.replace(record.find(cli), cli.size(), "\"userAgent\":" + escaped);
    input += record + "\n";
  }
  auto rules = rule_set::from_yaml(yaml, "families.yaml");
  ASSERT_TRUE(rules) << rules.error().message;
  engine_options options;
  options.rules = *rules;
  auto e = test::feed_one(input, options);
  ASSERT_EQ(e.stats().rejected, 0u) << e.errors().front().reason;
  std::set<std::string> fired;
  for (const auto &d : e.detections()) fired.insert(d.rule_id);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_TRUE(fired.contains("AF-" + std::to_string(i))) << rows[i].first << " is not " << rows[i].second;
}
