// Bad input is reported with its place and reason, and costs only itself.
#include <gtest/gtest.h>

#include "support.hpp"

using namespace identrail;

namespace {

std::vector<std::string> ids_of(const engine &e) {
  std::vector<std::string> ids;
  for (const auto &ev : e.events()) ids.push_back(ev.id);
  return ids;
}

bool has_error(const engine &e, const std::string &location_part, const std::string &reason_part) {
  for (const auto &err : e.errors())
    if (err.location.find(location_part) != std::string::npos && err.reason.find(reason_part) != std::string::npos &&
        err.source == "test-input")
      return true;
  return false;
}

std::string dump_errors(const engine &e) {
  std::string s;
  for (const auto &err : e.errors()) s += err.source + " | " + err.location + " | " + err.reason + "\n";
  return s;
}

}  // namespace

TEST(BadInput, EmptyAndWhitespaceInputs) {
  for (const std::string &bytes : {std::string(), std::string(" \n\t\n"), test::gzip("")}) {
    auto e = test::feed_one(bytes);
    EXPECT_EQ(e.stats().accepted, 0u);
    EXPECT_EQ(e.stats().rejected, 1u);
    EXPECT_TRUE(has_error(e, "file", "empty input")) << dump_errors(e);
  }
}

TEST(BadInput, CorruptGzipIsReportedAndSalvaged) {
  std::string lines;
  for (int i = 0; i < 300; ++i) lines += test::record("id-" + std::to_string(i)) + "\n";
  const auto gz = test::gzip(lines);

  // Garbage after the magic bytes: nothing to salvage.
  auto garbage = test::feed_one(std::string("\x1f\x8b\x08\x00garbage-garbage-garbage", 27));
  EXPECT_EQ(garbage.stats().accepted, 0u);
  EXPECT_GE(garbage.stats().rejected, 1u);
  EXPECT_EQ(garbage.errors().at(0).code, errc::decompress_error);

  // Cut in half: the records decoded before the cut still come through.
  for (auto backend : {gzip_backend::libdeflate, gzip_backend::zlib}) {
    engine_options options;
    options.normalize.gzip = backend;
    auto truncated = test::feed_one(gz.substr(0, gz.size() / 2), options);
    EXPECT_GT(truncated.stats().accepted, 50u);
    EXPECT_LT(truncated.stats().accepted, 300u);
    EXPECT_TRUE(has_error(truncated, "file", "truncated")) << dump_errors(truncated);
    const auto ids = ids_of(truncated);
    for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], "id-" + std::to_string(i));
  }
}

TEST(BadInput, TruncatedFiles) {
  const auto a = test::record("a"), b = test::record("b"), c = test::record("c");
  // JSON lines cut inside the last record.
  auto lines = test::feed_one(a + "\n" + b + "\n" + c.substr(0, c.size() / 2));
  EXPECT_EQ(ids_of(lines), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(lines.stats().rejected, 1u);
  EXPECT_TRUE(has_error(lines, "line 3", "")) << dump_errors(lines);

  // A delivery file cut inside its third record keeps the first two.
  const std::string file = R"({"Records":[)" + a + "," + b + "," + c + "]}";
  auto records = test::feed_one(file.substr(0, file.size() - c.size() / 2));
  EXPECT_EQ(ids_of(records), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(records.stats().rejected, 1u);
  EXPECT_TRUE(has_error(records, "record 2", "malformed JSON")) << dump_errors(records);
}

TEST(BadInput, MalformedLineCostsOnlyThatLine) {
  const auto a = test::record("a"), c = test::record("c");
  for (const std::string &bad : {std::string(R"({"eventTime": "2026-03-01T10:00:00Z", "eventName": })"),
                                std::string(R"({"eventTime": "2026-03-01T10:00:00Z", "eventName": "X)"),
                                std::string("not json at all")}) {
    auto e = test::feed_one(a + "\n" + bad + "\n" + c + "\n");
    EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"})) << bad;
    EXPECT_EQ(e.stats().rejected, 1u) << bad;
    EXPECT_TRUE(has_error(e, "line 2", "malformed JSON")) << dump_errors(e);
  }
}

TEST(BadInput, MissingEventTimeAndWrongTypes) {
  const auto a = test::record("a");
  auto no_time = test::record("n");
  no_time.replace(no_time.find("\"eventTime\""), 11, "\"eventTimeX\"");
  auto numeric_time = test::record("t");
  numeric_time.replace(numeric_time.find("\"2026-03-01T10:00:00Z\""), 22, "1772359200");
  auto identity_string = test::record("u");
  identity_string.replace(identity_string.find("\"userIdentity\":{"), 16, "\"userIdentity\":\"alice\",\"x\":{");
  auto resources_object = test::record("r", "2026-03-01T10:00:00Z", "GetSendQuota", R"(,"resources":{"ARN":"x"})");
  auto name_array = test::record("m");
  name_array.replace(name_array.find("\"GetSendQuota\""), 14, "[\"GetSendQuota\"]");

  const std::string file = R"({"Records":[)" + a + "," + no_time + "," + numeric_time + "," + identity_string + "," +
                           resources_object + "," + name_array + "," + test::record("z") + "]}";
  auto e = test::feed_one(file);
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "z"})) << dump_errors(e);
  EXPECT_EQ(e.stats().rejected, 5u);
  EXPECT_TRUE(has_error(e, "record 1", "missing eventTime"));
  EXPECT_TRUE(has_error(e, "record 2", "eventTime: expected a string, found number"));
  EXPECT_TRUE(has_error(e, "record 3", "userIdentity: expected an object, found string"));
  EXPECT_TRUE(has_error(e, "record 4", "resources: expected an array, found object"));
  EXPECT_TRUE(has_error(e, "record 5", "eventName: expected a string, found array"));
  // Each location names the byte where the record starts.
  for (const auto &err : e.errors()) EXPECT_NE(err.location.find("(byte "), std::string::npos);
}

TEST(BadInput, InvalidUtf8CostsOnlyItsRecord) {
  auto bad = test::record("bad");
  bad.replace(bad.find("aws-cli/2.15.0"), 3, "a\xC3\x28");  // an invalid two-byte sequence
  auto overlong = test::record("overlong");
  overlong.replace(overlong.find("aws-cli"), 3, "\xC0\xAF!");
  for (const auto &bytes : {R"({"Records":[)" + test::record("a") + "," + bad + "," + overlong + "," + test::record("c") + "]}",
                            test::record("a") + "\n" + bad + "\n" + overlong + "\n" + test::record("c")}) {
    auto e = test::feed_one(bytes);
    EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"})) << dump_errors(e);
    EXPECT_EQ(e.stats().rejected, 2u);
    EXPECT_TRUE(has_error(e, "", "invalid UTF-8 at byte")) << dump_errors(e);
  }
}

TEST(BadInput, LargeEventIsDecodedWhole) {
  // CloudTrail caps events at 256 KB; build one just over that size.
  std::string params = R"(,"requestParameters":{"policy":")" + std::string(262144, 'p') + R"("})";
  auto big = test::record("big", "2026-03-01T10:00:00Z", "PutBucketPolicy", "");
  big.replace(big.find(R"("requestParameters":null)"), 24, params.substr(1));
  ASSERT_GT(big.size(), 256u * 1024);
  for (const auto &bytes : {test::record("a") + "\n" + big + "\n" + test::record("c"),
                            R"({"Records":[)" + test::record("a") + "," + big + "," + test::record("c") + "]}"}) {
    auto e = test::feed_one(bytes);
    EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "big", "c"}));
    EXPECT_EQ(raw_field(e.events()[1], "requestParameters.policy")->text.size(), 262144u);
  }
}

TEST(BadInput, NonCloudTrailJson) {
  auto e = test::feed_one(R"({"detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}})"
                          "\n[1,2]\n\"text\"\n" +
                          test::record("ok"));
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"ok"}));
  EXPECT_EQ(e.stats().rejected, 3u);
  EXPECT_TRUE(has_error(e, "line 1", "is not a CloudTrail event")) << dump_errors(e);
  EXPECT_TRUE(has_error(e, "line 2", "expected a JSON object"));
}

TEST(BadInput, MissingPathIsAnErrorNotACrash) {
  auto e = test::make_engine();
  auto read = e.feed_path("/nonexistent/identrail/path");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, errc::not_found);
  EXPECT_NE(read.error().message.find("/nonexistent/identrail/path"), std::string::npos);
}

namespace {
void expect_consistent(const engine &e) {
  const auto &s = e.stats();
  EXPECT_EQ(s.total, s.accepted + s.rejected + s.duplicates);
  EXPECT_EQ(s.rejected, e.errors().size() + s.errors_dropped);
}
}  // namespace

TEST(BadInput, StreamFallbackCountsEachRecordOnce) {
  auto wrong_type = test::record("w");
  wrong_type.replace(wrong_type.find("\"2026-03-01T10:00:00Z\""), 22, "17");
  // One line: a container whose first record has a wrong type and whose second is malformed.
  const std::string container = R"({"Records":[)" + wrong_type + R"(,{"eventTime":"2026-03-01T10:00:00Z","eventName":}]})";
  auto e = test::feed_one(test::record("a") + "\n" + container + "\n" + test::record("c") + "\n");
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(e.stats().rejected, 2u) << dump_errors(e);
  EXPECT_TRUE(has_error(e, "record 0", "eventTime: expected a string"));
  EXPECT_TRUE(has_error(e, "record 1", "malformed JSON"));
  expect_consistent(e);
}

TEST(BadInput, LineModeReadsEveryDocumentOnALineAndReportsTheRest) {
  const auto a = test::record("a"), b = test::record("b"), c = test::record("c");
  // The malformed second line sends the rest through line mode, which reads
  // two records on one line as the stream does, and reports what is not JSON.
  const std::string input = a + "\n{\"eventName\": }\n" + b + c + "\n" + test::record("d") + " trailing\n";
  auto e = test::feed_one(input);
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a", "b", "c", "d"})) << dump_errors(e);
  EXPECT_TRUE(has_error(e, "line 4 (byte " + std::to_string(input.find("trailing")) + ")",
                        "unexpected data after a record on this line"))
      << dump_errors(e);
  EXPECT_EQ(e.stats().rejected, 2u);
  expect_consistent(e);
}

TEST(BadInput, StreamReadsTwoRecordsOnOneLineWithTheirOwnText) {
  auto e = test::feed_one(test::record("a") + test::record("b") + "\n" + test::record("c") + "\n");
  ASSERT_EQ(ids_of(e), (std::vector<std::string>{"a", "b", "c"}));
  for (const auto &ev : e.events()) EXPECT_EQ(raw_field(ev, "eventID")->text, ev.id);
  expect_consistent(e);
}

TEST(BadInput, RepeatedKeyIsRejectedNotResolvedSilently) {
  auto twice = test::record("t", "2026-03-01T10:00:00Z", "GetSendQuota", R"(,"eventName":"DeleteTrail")");
  auto e = test::feed_one(test::record("a") + "\n" + twice + "\n");
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(has_error(e, "line 2", "duplicate key eventName")) << dump_errors(e);
  expect_consistent(e);
}

TEST(BadInput, OutOfRangeYearsAreRejected) {
  auto e = test::feed_one(test::record("far", "9999-01-01T00:00:00Z") + "\n" + test::record("ok"));
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"ok"}));
  EXPECT_TRUE(has_error(e, "line 1", "year out of range")) << dump_errors(e);
}
