// identrail bench (pipeline/bench.hpp): the generator, the baseline and the
// measuring run must describe the same input the engine reads.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "identrail/identrail.hpp"
#include "support.hpp"

using namespace identrail;

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find('\n', at);
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST(Traffic, AsManyRecordsAsAskedFromAtMostTheIdentitiesAskedInTimeOrder) {
  const std::string traffic = generate_traffic({.events = 3000, .identities = 7, .seed = 3});
  const auto lines = lines_of(traffic);
  ASSERT_EQ(lines.size(), 3000u);
  simdjson::dom::parser parser;
  std::set<std::string> arns;
  std::string previous;
  for (const auto line : lines) {
    simdjson::dom::element record;
    ASSERT_EQ(parser.parse(line.data(), line.size()).get(record), simdjson::SUCCESS) << line;
    std::string_view arn, time;
    ASSERT_EQ(record["userIdentity"]["arn"].get(arn), simdjson::SUCCESS);
    ASSERT_EQ(record["eventTime"].get(time), simdjson::SUCCESS);
    arns.emplace(arn);
    EXPECT_LE(previous, std::string(time));
    previous = time;
  }
  EXPECT_LE(arns.size(), 7u);
  EXPECT_GT(arns.size(), 1u);
}

TEST(Traffic, TheSeedDecides) {
  EXPECT_EQ(generate_traffic({.events = 200, .seed = 5}), generate_traffic({.events = 200, .seed = 5}));
  EXPECT_NE(generate_traffic({.events = 200, .seed = 5}), generate_traffic({.events = 200, .seed = 6}));
}

TEST(Baseline, CountsTheRecordsTheNormalizerAccepts) {
  const std::string traffic = generate_traffic({.events = 1500});
  symbol_table symbols;
  normalizer decode(symbols);
  std::size_t accepted = 0;
  ASSERT_TRUE(decode.feed(traffic, "generated", [&](const event &) { return ++accepted, true; }));
  const auto scan = scan_baseline(traffic);
  EXPECT_TRUE(scan.applicable);
  EXPECT_EQ(scan.records, accepted);
  EXPECT_EQ(scan.records, 1500u);
}

TEST(Baseline, ReadsDeliveryFilesAndRefusesOtherShapes) {
  const std::string delivery = R"({"Records":[{"eventName":"A","eventTime":"2026-03-01T00:00:00Z"},)"
                               R"({"eventName":"B","eventTime":"2026-03-01T00:00:01Z"}]})";
  EXPECT_EQ(scan_baseline(delivery).records, 2u);
  EXPECT_FALSE(scan_baseline("eventName,eventTime\nA,2026\n").applicable);
  EXPECT_FALSE(scan_baseline(R"({"Records":[{"eventName":)").applicable);
}

TEST(Bench, MeasuresWhatTheEngineReads) {
  bench_options options;
  options.paths = {test::sample_dir()};
  options.rule_cost_sampling = 1;
  options.top_rules = 5;
  const auto measured = run_bench(options);
  ASSERT_TRUE(measured) << measured.error().message;
  const auto &engine = test::sample_engine();
  EXPECT_EQ(measured->events, engine.stats().accepted);
  EXPECT_EQ(measured->identities, engine.identities().size());
  EXPECT_EQ(measured->rules, engine.rules().size());
  EXPECT_GT(measured->state_bytes, 0u);
  EXPECT_GT(measured->peak_rss_bytes, 0u);
  std::vector<std::string> stages;
  for (const auto &s : measured->stages) stages.push_back(s.stage);
  // The sample is gzip delivery files.
  EXPECT_EQ(stages, (std::vector<std::string>{"gunzip", "baseline", "decode", "detect", "correlate", "total"}));
  ASSERT_EQ(measured->costliest_rules.size(), 5u);
  EXPECT_TRUE(std::is_sorted(measured->costliest_rules.begin(), measured->costliest_rules.end(),
                             [](const rule_cost &a, const rule_cost &b) { return a.nanos_per_event > b.nanos_per_event; }));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < engine.rules().size(); ++i) ids.insert(engine.rules().info(i).id);
  for (const auto &c : measured->costliest_rules) {
    EXPECT_TRUE(ids.count(c.rule_id)) << c.rule_id;
    EXPECT_GT(c.sampled, 0u);
  }
}

TEST(Bench, GeneratedTrafficByDefault) {
  bench_options options;
  options.traffic = {.events = 2000, .identities = 50};
  const auto measured = run_bench(options);
  ASSERT_TRUE(measured) << measured.error().message;
  EXPECT_EQ(measured->events, 2000u);
  EXPECT_LE(measured->identities, 50u);
  EXPECT_EQ(measured->json_bytes, generate_traffic(options.traffic).size());
  ASSERT_TRUE(measured->baseline_ratio);
  EXPECT_GT(*measured->baseline_ratio, 0.0);
  const auto json = bench_json(*measured);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  std::uint64_t events = 0;
  ASSERT_EQ(doc["events"].get(events), simdjson::SUCCESS);
  EXPECT_EQ(events, 2000u);
}

TEST(Bench, NamesTheInputItCannotUse) {
  bench_options missing;
  missing.paths = {"/no/such/dir"};
  const auto refused = run_bench(missing);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("/no/such/dir"), std::string::npos) << refused.error().message;

  const auto empty = std::filesystem::temp_directory_path() / "identrail-bench-empty.json";
  std::ofstream(empty) << "not json\n";
  bench_options nothing;
  nothing.paths = {empty.string()};
  const auto idle = run_bench(nothing);
  ASSERT_FALSE(idle);
  EXPECT_NE(idle.error().message.find("nothing to measure"), std::string::npos) << idle.error().message;

  bench_options small;
  small.paths = {test::sample_dir()};
  small.max_input_bytes = 100;
  const auto over = run_bench(small);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, errc::limit_exceeded);
}

TEST(RuleCosts, OnlyWhenSampledAndOnlyForRulesThatRan) {
  const auto traffic = generate_traffic({.events = 2000});
  for (const std::uint32_t every : {0u, 1u}) {
    symbol_table symbols;
    normalizer decode(symbols);
    detector_options options;
    options.rule_cost_sampling = every;
    detector detect(rule_set::builtin().value(), symbols, options);
    ASSERT_TRUE(decode.feed(traffic, "generated", [&](const event &e) { return detect.process(e), true; }));
    const auto costs = detect.rule_costs();
    if (every == 0) {
      EXPECT_TRUE(costs.empty());
      continue;
    }
    ASSERT_EQ(costs.size(), detect.rules().size());
    // The traffic never deletes a trail: the rule that watches for it is never a candidate.
    const auto stop_logging = std::find_if(costs.begin(), costs.end(), [](const rule_cost &c) {
      return c.rule_id == "IDT-DE-001";
    });
    ASSERT_NE(stop_logging, costs.end());
    EXPECT_EQ(stop_logging->sampled, 0u);
    EXPECT_TRUE(std::any_of(costs.begin(), costs.end(), [](const rule_cost &c) { return c.sampled > 0; }));
  }
}
