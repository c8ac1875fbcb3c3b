// Allow-lists are data: an entry names the events (a CI runner's network, a
// VPN range, a known scanner) that the rules it lists, or all, do not judge.
#include <gtest/gtest.h>

#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

std::set<std::string> fired(const rule_set &rules) {
  engine_options options;
  options.rules = rules;
  auto e = test::make_engine(options);
  EXPECT_TRUE(e.feed_path(test::sample_dir()));
  e.finish();
  std::set<std::string> out;
  for (const auto &d : e.detections()) out.insert(d.rule_id);
  return out;
}

rule_set pack_with(const std::string &yaml) {
  auto extra = rule_set::from_yaml(yaml, "allow.yaml");
  EXPECT_TRUE(extra) << extra.error().message;
  return rule_set::builtin().value().merged_with(*extra).value();
}

}  // namespace

TEST(AllowLists, AnEntryExemptsTheRulesItNamesForTheEventsItMatches) {
  const auto all = fired(rule_set::builtin().value());
  ASSERT_TRUE(all.contains("IDT-IA-002"));
  ASSERT_TRUE(all.contains("IDT-CTX-002"));
  // The thief's networks, as if they were the company's VPN: for the new-address rule and the context rules only.
  const auto some = fired(pack_with(R"(
- allow: corporate VPN
  description: our egress ranges
  match: {source_ip: {cidr: [185.220.101.0/24, 45.137.21.0/24]}}
  rules: [IDT-IA-002, IDT-CTX-*]
)"));
  EXPECT_FALSE(some.contains("IDT-IA-002"));
  EXPECT_FALSE(some.contains("IDT-CTX-002"));
  EXPECT_TRUE(some.contains("IDT-DE-001")) << "rules the entry does not name still judge those events";
  EXPECT_TRUE(some.contains("IDT-IA-001"));
  // Without rules: every rule lets them through.
  const auto none = fired(pack_with("- {allow: scanners, match: {source_ip: {cidr: [185.220.101.0/24, 45.137.21.0/24]}}}\n"));
  EXPECT_FALSE(none.contains("IDT-DE-001"));
  EXPECT_FALSE(none.contains("IDT-IA-001"));
  for (const auto &rule : none) EXPECT_TRUE(all.contains(rule)) << rule;
}

TEST(AllowLists, AMistakeIsAnErrorNamingTheEntry) {
  const auto typo = rule_set::from_yaml("- {allow: vpn, match: {source_ip: {cidr: [10.0.0.0/8]}}, rule: [IDT-IA-002]}\n",
                                        "allow.yaml");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("allow.yaml:1: rule allow vpn: unknown key \"rule\""), std::string::npos)
      << typo.error().message;
  const auto empty = rule_set::from_yaml("- {allow: vpn}\n", "allow.yaml");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("needs match"), std::string::npos) << empty.error().message;
}
