// Real public CloudTrail samples (../shared/datasets): every valid record decodes.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <filesystem>
#include <map>

#include "support.hpp"

using namespace identrail;

namespace {

std::string aws_dir() { return test::datasets() + "/aws-cloudtrail-processing-library"; }

std::size_t count_reason(const engine &e, const std::string &part) {
  std::size_t n = 0;
  for (const auto &err : e.errors()) n += err.reason.find(part) != std::string::npos;
  return n;
}

}  // namespace

TEST(Datasets, AwsProcessingLibraryEdgeCases) {
  // Records per file that carry a usable eventTime and eventName (checked with
  // Python's json module); the rest are rejected with a reason.
  const std::map<std::string, std::pair<std::size_t, std::size_t>> expected{
      {"SerializerAllFieldsNull.json", {1, 1}},           // all-null record: no eventTime
      {"SerializerTestFile.json", {6, 0}},
      {"SerializerTestFileBadFieldName.json", {1, 1}},    // "eventTime" misspelt
      {"SerializerTestFileBadJsonFormat.json", {0, 1}},   // missing '}' in record 0
      {"SerializerTestFileCompact.json", {6, 0}},
      {"SerializerTestFileCompact.json.gz", {6, 0}},
      {"SerializerTestFileLocation.json", {6, 0}},
      {"SerializerTestFileMissField.json", {3, 1}},       // eventTime "ThisIsAWrongEventTime"
      {"SerializerTestFileNewFieldAtRandomPlaces.json", {2, 0}},
      {"SerializerTestFileNewFieldName.json", {1, 1}},
      {"SerializerTestFileNewFieldsInRoot.json", {2, 0}},
      {"SerializerTestFileNewFieldsInUserIdentity.json", {2, 0}},
      {"SerializerVariousUserIdentityTestFile.json", {1, 0}},
  };
  std::size_t total_accepted = 0;
  for (const auto &[file, counts] : expected) {
    auto e = test::make_engine();
    ASSERT_TRUE(e.feed_path(aws_dir() + "/" + file)) << file;
    EXPECT_EQ(e.stats().accepted, counts.first) << file;
    EXPECT_EQ(e.stats().rejected, counts.second) << file;
    for (const auto &err : e.errors()) EXPECT_EQ(err.source, aws_dir() + "/" + file);
    total_accepted += e.stats().accepted;
  }
  EXPECT_EQ(total_accepted, 37u);

  // The whole folder through a directory walk (SOURCES.md is not a log file).
  auto all = test::make_engine();
  ASSERT_TRUE(all.feed_path(aws_dir()));
  EXPECT_EQ(all.stats().accepted, 37u);
  EXPECT_EQ(all.stats().rejected, 5u);
  EXPECT_EQ(count_reason(all, "missing eventTime"), 3u);
  EXPECT_EQ(count_reason(all, "malformed JSON"), 1u);
}

TEST(Datasets, AwsCompactGzipMatchesPlain) {
  auto plain = test::make_engine();
  auto gz = test::make_engine();
  ASSERT_TRUE(plain.feed_path(aws_dir() + "/SerializerTestFileCompact.json"));
  ASSERT_TRUE(gz.feed_path(aws_dir() + "/SerializerTestFileCompact.json.gz"));
  ASSERT_EQ(plain.events().size(), gz.events().size());
  for (std::size_t i = 0; i < plain.events().size(); ++i) {
    std::string a, b;
    append_event_json(a, plain.events()[i], plain.symbols());
    append_event_json(b, gz.events()[i], gz.symbols());
    EXPECT_EQ(a, b);
  }
}

TEST(Datasets, AwsVariousUserIdentityTypes) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(aws_dir() + "/SerializerTestFileLocation.json"));
  ASSERT_TRUE(e.feed_path(aws_dir() + "/SerializerVariousUserIdentityTestFile.json"));
  ASSERT_FALSE(e.events().empty());
  // AWS's fixtures use placeholder strings, kept verbatim (unknown type, name-form source).
  const auto &first = e.events().front();
  EXPECT_EQ(first.who.type, identity_type::unknown);
  EXPECT_FALSE(first.who.type_name.empty());
  EXPECT_EQ(first.source.type, source_address::kind::name);
}

TEST(Datasets, PantherRuleTestLogs) {
  engine_options options;
  // Panther's hand-written logs reuse ids such as "1" for different events.
  options.normalize.deduplicate = false;
  auto e = test::make_engine(options);
  simdjson::dom::parser parser;
  std::size_t lines = 0;
  for (const auto &line : test::read_lines(test::datasets() + "/panther-analysis/cloudtrail_rule_tests.jsonl")) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS);
    const std::string log = simdjson::minify(doc["log"]);
    ASSERT_TRUE(e.feed(log, "panther:" + std::to_string(++lines)));
  }
  EXPECT_EQ(lines, 464u);
  // 17 logs omit eventTime and 2 hold placeholders ("redacted", "..."); the
  // other 445 decode (Python's json module agrees, see tests/python).
  EXPECT_EQ(e.stats().accepted, 445u);
  EXPECT_EQ(e.stats().rejected, 19u);
  EXPECT_EQ(count_reason(e, "missing eventTime"), 17u);
  EXPECT_EQ(count_reason(e, "invalid RFC 3339 time"), 2u);

  std::size_t lambda = 0;
  for (const auto &ev : e.events()) {
    const auto name = e.symbols().str(ev.event_name);
    if (name.starts_with("ListFunctions2015")) {
      EXPECT_EQ(e.symbols().str(ev.action), "lambda:ListFunctions");
      ++lambda;
    }
  }
  EXPECT_GT(lambda, 0u);
}

TEST(Datasets, PantherScenariosAsJsonLines) {
  const auto dir = test::datasets() + "/panther-analysis/test_scenarios/compromised-root-creds";
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(dir + "/attacker_cloudtrail.jsonl"));
  ASSERT_TRUE(e.feed_path(dir + "/victim_cloudtrail.jsonl"));
  EXPECT_EQ(e.stats().accepted + e.stats().duplicates, 16u);
  EXPECT_EQ(e.stats().rejected, 0u);
  bool saw_stop_logging = false, saw_root = false;
  for (const auto &ev : e.events()) {
    saw_stop_logging |= e.symbols().str(ev.action) == "cloudtrail:StopLogging";
    saw_root |= ev.who.type == identity_type::root;
  }
  EXPECT_TRUE(saw_stop_logging);
  EXPECT_TRUE(saw_root);
}

TEST(Datasets, DatadogExportWithTruncatedFile) {
  const std::string dir = IDENTRAIL_DATADOG_DIR;
  ASSERT_TRUE(std::filesystem::exists(dir)) << "unpacked by the unpack_datadog_zip test fixture";
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(dir));
  // 3 intact files hold 12 records; the broken file's first record precedes
  // the damage and is kept, the rest of that file is reported.
  EXPECT_EQ(e.stats().accepted, 13u);
  EXPECT_EQ(e.stats().rejected, 1u);
  ASSERT_EQ(e.errors().size(), 1u);
  EXPECT_NE(e.errors()[0].source.find("ec2-user-data"), std::string::npos);
  EXPECT_NE(e.errors()[0].location.find("record 1"), std::string::npos);
  std::size_t secrets = 0;
  for (const auto &ev : e.events()) secrets += e.symbols().str(ev.action) == "secretsmanager:GetSecretValue";
  EXPECT_EQ(secrets, 10u);
}
