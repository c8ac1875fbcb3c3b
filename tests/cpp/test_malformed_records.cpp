// Malformed records (issue 9): refused with a reason, never a crash, never at
// the cost of the good records around them, in every delivery format.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <stdexcept>

#include "support.hpp"

using namespace identrail;

namespace {

// Every request parameter the resource inference reads: each once crashed the
// JSON lines reader when its value was followed by malformed JSON.
const std::vector<std::string> kInferenceKeys{
    "bucketName", "key",         "secretId", "name",         "trailName",    "roleArn",  "userName",
    "roleName",   "groupName",   "policyArn", "functionName", "tableName",   "keyId",    "instanceId",
    "logGroupName", "topicArn", "repositoryName"};

const std::string kGood =
    R"({"eventTime":"2026-01-01T00:00:00Z","eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventID":"e1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x"}})";
const std::string kGoodAfter =
    R"({"eventTime":"2026-01-01T00:00:01Z","eventName":"ListBuckets","eventSource":"s3.amazonaws.com","eventID":"e3","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x"}})";

// The issue's record, and one that is complete up to the damage (so that, read
// past it, it would pass for a record).
std::string issue_record(const std::string &key) { return R"({"a":1,"requestParameters":{")" + key + R"(":"x":[""{})"; }
std::string plausible_record(const std::string &key) {
  return R"({"eventTime":"2026-01-01T00:00:00Z","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"e2","requestParameters":{")" +
         key + R"(":"x":[""{})";
}

std::vector<std::string> ids_of(const engine &e) {
  std::vector<std::string> ids;
  for (const auto &ev : e.events()) ids.push_back(ev.id);
  return ids;
}

std::string dump_errors(const engine &e) {
  std::string s;
  for (const auto &err : e.errors()) s += err.location + " | " + err.reason + "\n";
  return s;
}

bool has_error(const engine &e, const std::string &location_part, const std::string &reason_part) {
  for (const auto &err : e.errors())
    if (err.location.find(location_part) != std::string::npos && err.reason.find(reason_part) != std::string::npos)
      return true;
  return false;
}

struct format_case {
  std::string name;
  std::string (*wrap)(const std::string &good, const std::string &bad);
  std::vector<std::string> kept;  // the good records a reader can still locate
  std::string location;           // where the damage is reported
};

const std::vector<format_case> &formats() {
  static const std::vector<format_case> cases{
      {"JSON lines", [](const std::string &g, const std::string &b) { return g + "\n" + b + "\n" + kGoodAfter + "\n"; },
       {"e1", "e3"}, "line 2"},
      // In a document, nothing after the damage can be located reliably: the records before it are kept.
      {"JSON array", [](const std::string &g, const std::string &b) { return "[\n" + g + ",\n" + b + "\n]"; }, {"e1"},
       "record 1"},
      {"Records file", [](const std::string &g, const std::string &b) { return R"({"Records":[)" + g + "," + b + "]}"; },
       {"e1"}, "record 1"},
  };
  return cases;
}

}  // namespace

TEST(MalformedRecords, TheIssueInputInEveryFormatKeepsTheGoodRecords) {
  for (const auto &key : kInferenceKeys) {
    for (const auto &bad : {issue_record(key), plausible_record(key)}) {
      for (const auto &format : formats()) {
        for (const bool gzipped : {false, true}) {
          const std::string plain = format.wrap(kGood, bad);
          const auto e = test::feed_one(gzipped ? test::gzip(plain) : plain);
          const std::string what = format.name + (gzipped ? " (gzip)" : "") + ": " + bad + "\n" + dump_errors(e);
          EXPECT_EQ(ids_of(e), format.kept) << what;
          EXPECT_EQ(e.stats().rejected, 1u) << what;
          EXPECT_TRUE(has_error(e, format.location, "malformed JSON")) << what;
          if (gzipped) {
            EXPECT_TRUE(has_error(e, "of decompressed data", "malformed JSON")) << what;
          }
        }
      }
    }
  }
}

TEST(MalformedRecords, TheReasonNamesTheFieldThatHoldsTheDamage) {
  const auto e = test::feed_one(kGood + "\n" + plausible_record("bucketName") + "\n");
  ASSERT_EQ(e.errors().size(), 1u);
  EXPECT_EQ(e.errors()[0].location, "line 2 (byte " + std::to_string(kGood.size() + 1) + ")");
  EXPECT_NE(e.errors()[0].reason.find("malformed JSON in requestParameters"), std::string::npos) << e.errors()[0].reason;
}

// simdjson's on-demand parser checks only what it reads; the fields identrail
// does not model are read through all the same, so damage hidden in them
// rejects the record instead of reaching a later reader of its raw text.
TEST(MalformedRecords, DamageInsideAValueNobodyReadsRejectsOnlyThatRecord) {
  const std::vector<std::pair<std::string, std::string>> damaged{
      {R"("additionalEventData":{"a" 1})", "additionalEventData"},
      {R"("additionalEventData":{"a":1 "b":2})", "additionalEventData"},
      {R"("additionalEventData":[1 2])", "additionalEventData"},
      {R"("additionalEventData":{"ok":tru})", "additionalEventData"},
      {R"("additionalEventData":{"ok":nul})", "additionalEventData"},
      {R"("additionalEventData":{"n":1.5x})", "additionalEventData"},
      {R"("additionalEventData":{"n":01})", "additionalEventData"},
      {R"("additionalEventData":{"s":"\q"})", "additionalEventData"},
      {R"("additionalEventData":{"\q":1})", "additionalEventData"},
      {R"("tlsDetails":{"tlsVersion":"TLSv1.3",})", "tlsDetails"},
      {R"("requestParameters":{"policy":{"Statement":[{"Effect" "Allow"}]}})", "requestParameters"},
      {R"("resources":[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket" "x"}])", "resources"},
      {R"("resources":[[1 2]])", "resources"},
  };
  for (const auto &[field, named] : damaged) {
    auto record = test::record("b");
    const std::string nulls = R"("requestParameters":null,"responseElements":null)";
    record.replace(record.find(nulls), nulls.size(), R"("responseElements":null)");
    record.insert(record.size() - 1, "," + field);
    for (const bool gzipped : {false, true}) {
      const std::string plain = test::record("a") + "\n" + record + "\n" + test::record("c") + "\n";
      const auto e = test::feed_one(gzipped ? test::gzip(plain) : plain);
      EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"})) << field << "\n" << dump_errors(e);
      EXPECT_TRUE(has_error(e, "line 2", "in " + named)) << field << "\n" << dump_errors(e);
    }
  }
}

TEST(MalformedRecords, NumbersSimdjsonCannotRepresentAreStillJson) {
  const auto e = test::feed_one(test::record(
      "n", "2026-03-01T10:00:00Z", "GetSendQuota",
      R"(,"additionalEventData":{"huge":1e999,"long":123456789012345678901234567890,"neg":-0.0e+5,"tiny":-1e-999})"));
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"n"})) << dump_errors(e);
  for (const auto *bad : {"01", "1.", "-", "1e", "+1", ".5", "0x10"}) {
    const auto r = test::feed_one(test::record("b", "2026-03-01T10:00:00Z", "GetSendQuota",
                                               std::string(R"(,"additionalEventData":{"n":)") + bad + "}"));
    EXPECT_TRUE(ids_of(r).empty()) << bad;
  }
}

TEST(MalformedRecords, ABadEscapeInAnyKeyRejectsTheRecord) {
  for (const auto &[key, damaged] : std::vector<std::pair<std::string, std::string>>{
           {R"("sourceIPAddress")", R"("sourc\qIPAddress")"},
           {R"("principalId")", R"("principal\qId")"},
           {R"("eventCategory")", R"("\u12")"}}) {
    auto record = test::record("b");
    record.replace(record.find(key), key.size(), damaged);
    const auto e = test::feed_one(test::record("a") + "\n" + record + "\n" + test::record("c") + "\n");
    EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"})) << damaged << "\n" << dump_errors(e);
    EXPECT_TRUE(has_error(e, "line 2", "malformed JSON")) << damaged << "\n" << dump_errors(e);
  }
  // A well-formed escape in a key is JSON: the record is read (the key simply matches no modelled field).
  auto escaped = test::record("d");
  escaped.replace(escaped.find(R"("requestID")"), 11, R"("request\u0049D")");
  EXPECT_EQ(ids_of(test::feed_one(escaped)), (std::vector<std::string>{"d"}));
}

TEST(MalformedRecords, DeepNestingIsRefusedNotRecursedWithoutBound) {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  auto record = test::record("b", "2026-03-01T10:00:00Z", "GetSendQuota", R"(,"additionalEventData":)" + deep);
  const auto e = test::feed_one(test::record("a") + "\n" + record + "\n" + test::record("c") + "\n");
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"})) << dump_errors(e);
  EXPECT_TRUE(has_error(e, "line 2", "additionalEventData")) << dump_errors(e);

  const std::string shallow = std::string(40, '[') + std::string(40, ']');
  const auto ok = test::feed_one(test::record("d", "2026-03-01T10:00:00Z", "GetSendQuota", R"(,"additionalEventData":)" + shallow));
  EXPECT_EQ(ids_of(ok), (std::vector<std::string>{"d"})) << dump_errors(ok);
}

TEST(MalformedRecords, AnAcceptedRecordKeepsOnlyItsOwnText) {
  // Data after a record on its line is reported; the record's raw text stops at its end.
  const auto e = test::feed_one("{\"eventName\": }\n" + test::record("a") + " }}\n" + test::record("b") + "\n");
  ASSERT_EQ(ids_of(e), (std::vector<std::string>{"a", "b"})) << dump_errors(e);
  EXPECT_TRUE(has_error(e, "line 2", "unexpected data after a record on this line")) << dump_errors(e);
  EXPECT_EQ(e.events()[0].raw, test::record("a"));
  // A stray value after a record inside a one-line Records file (found by the fuzzer): no accepted
  // record's text runs on past its own closing brace.
  const std::string records = R"({"Records":[)" + test::record("a") + "," + test::record("b") + R"("errorMessage":"x"},)" +
                              test::record("c") + "]}";
  for (const bool gzipped : {false, true}) {
    const auto stray = test::feed_one(gzipped ? test::gzip(records) : records);
    EXPECT_GE(stray.stats().accepted, 1u) << dump_errors(stray);
    for (const auto &ev : stray.events()) EXPECT_EQ(ev.raw, test::record(ev.id)) << dump_errors(stray);
  }
  const auto single = test::feed_one(test::record("s") + "\n  x");
  ASSERT_EQ(ids_of(single), (std::vector<std::string>{"s"})) << dump_errors(single);
  EXPECT_EQ(single.events()[0].raw, test::record("s"));
}

// Real records: each panther test log is damaged in turn with the issue's
// bytes; exactly the damaged ones are refused, every other one is read, and
// every accepted record's raw text is JSON.
namespace {

struct read_back {
  std::vector<std::string> ids, raws;
  decode_stats stats;
  std::vector<decode_error> errors;
};

read_back normalize(const std::string &bytes) {
  symbol_table symbols;
  normalizer_options options;
  options.deduplicate = false;  // the tests reuse event ids
  normalizer reader(symbols, options);
  read_back out;
  const auto read = reader.feed(bytes, "test-input", [&](const event &e) {
    out.ids.push_back(e.id);
    out.raws.emplace_back(e.raw);
    return true;
  });
  if (!read) throw std::runtime_error(read.error().message);
  out.stats = reader.stats();
  out.errors = reader.errors();
  return out;
}

}  // namespace

TEST(MalformedRecords, DamagedRealRecordsCostOnlyThemselves) {
  simdjson::dom::parser dom;
  std::vector<std::string> logs;  // the records that are read on their own
  for (const auto &line : test::read_lines(test::datasets() + "/panther-analysis/cloudtrail_rule_tests.jsonl")) {
    simdjson::dom::element log;
    if (dom.parse(line)["log"].get(log) != simdjson::SUCCESS) continue;
    auto text = simdjson::minify(log);
    if (normalize(text).stats.accepted == 1) logs.push_back(std::move(text));
  }
  ASSERT_GT(logs.size(), 400u);

  std::string damaged;
  std::vector<std::string> expected_ids;
  std::vector<std::size_t> broken_lines;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    if (i % 5 == 2) {
      damaged += issue_record(kInferenceKeys[i % kInferenceKeys.size()]) + logs[i].substr(1) + "\n";
      broken_lines.push_back(i + 1);
    } else {
      damaged += logs[i] + "\n";
      expected_ids.push_back(normalize(logs[i]).ids.at(0));
    }
  }
  for (const bool gzipped : {false, true}) {
    const auto read = normalize(gzipped ? test::gzip(damaged) : damaged);
    EXPECT_EQ(read.ids, expected_ids);
    ASSERT_EQ(read.errors.size(), broken_lines.size());
    for (std::size_t k = 0; k < broken_lines.size(); ++k) {
      EXPECT_TRUE(read.errors[k].location.starts_with("line " + std::to_string(broken_lines[k]) + " ("))
          << read.errors[k].location;
      EXPECT_NE(read.errors[k].reason.find("malformed JSON"), std::string::npos) << read.errors[k].reason;
    }
    for (const auto &raw : read.raws) {
      simdjson::dom::element parsed;
      EXPECT_EQ(dom.parse(raw).get(parsed), simdjson::SUCCESS) << raw;
    }
  }
}
