// Every delivery format decodes to the same events.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support.hpp"

using namespace identrail;

namespace {

std::vector<std::string> three_records() {
  return {test::record("e1", "2026-03-01T10:00:00Z", "GetSendQuota"),
          test::record("e2", "2026-03-01T10:00:05Z", "ListIdentities"),
          test::record("e3", "2026-03-01T10:00:09Z", "GetSendStatistics")};
}

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::vector<std::string> ids_of(const engine &e) {
  std::vector<std::string> ids;
  for (const auto &ev : e.events()) ids.push_back(ev.id);
  return ids;
}

std::string eventbridge(const std::string &detail) {
  return R"({"version":"0","id":"6a7e8feb","detail-type":"AWS API Call via CloudTrail","source":"aws.ses","account":"111122223333","time":"2026-03-01T10:00:00Z","region":"us-east-1","resources":[],"detail":)" +
         detail + "}";
}

}  // namespace

TEST(Formats, AllDeliveryFormatsGiveTheSameEvents) {
  const auto recs = three_records();
  const std::vector<std::string> expected{"e1", "e2", "e3"};
  const std::string records_file = R"({"Records":[)" + join(recs, ",") + "]}";
  const std::string pretty = "{\n  \"Records\": [\n    " + join(recs, ",\n    ") + "\n  ]\n}\n";
  const std::vector<std::pair<std::string, std::string>> inputs{
      {"records", records_file},
      {"records-pretty", pretty},
      {"records-gzip", test::gzip(records_file)},
      {"array", "[" + join(recs, ",") + "]"},
      {"ndjson", join(recs, "\n") + "\n"},
      {"ndjson-crlf", join(recs, "\r\n")},
      {"ndjson-gzip", test::gzip(join(recs, "\n"))},
      {"eventbridge-lines", eventbridge(recs[0]) + "\n" + eventbridge(recs[1]) + "\n" + eventbridge(recs[2])},
      {"eventbridge-array", "[" + eventbridge(recs[0]) + "," + eventbridge(recs[1]) + "," + eventbridge(recs[2]) + "]"},
      {"bom", "\xEF\xBB\xBF" + records_file},
  };
  for (const auto &[name, bytes] : inputs) {
    auto e = test::feed_one(bytes);
    EXPECT_EQ(ids_of(e), expected) << name;
    EXPECT_EQ(e.stats().rejected, 0u) << name;
    EXPECT_TRUE(e.errors().empty()) << name << ": " << (e.errors().empty() ? "" : e.errors()[0].reason);
  }
}

TEST(Formats, ConcatenatedGzipMembersAreRead) {
  const auto recs = three_records();
  auto e = test::feed_one(test::gzip(recs[0] + "\n") + test::gzip(recs[1] + "\n" + recs[2] + "\n"));
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"e1", "e2", "e3"}));
}

TEST(Formats, ZlibAndLibdeflateAgree) {
  std::vector<std::string> recs;
  for (int i = 0; i < 500; ++i) recs.push_back(test::record("id-" + std::to_string(i)));
  const auto bytes = test::gzip(R"({"Records":[)" + join(recs, ",") + "]}");
  engine_options zlib_options;
  zlib_options.normalize.gzip = gzip_backend::zlib;
  auto a = test::feed_one(bytes);
  auto b = test::feed_one(bytes, zlib_options);
  EXPECT_EQ(a.stats().accepted, 500u);
  EXPECT_EQ(ids_of(a), ids_of(b));
}

TEST(Formats, FieldsAreNormalized) {
  const std::string rec = R"({"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0a1b2c3d4e5f67890","arn":"arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/webapp-ec2-role","accountId":"111122223333","userName":"webapp-ec2-role"},"attributes":{"creationDate":"2026-03-01T09:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0","sourceIdentity":"alice"}},"eventTime":"2026-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"eu-west-1","sourceIPAddress":"2001:db8::7","userAgent":"aws-sdk-go/1.44","errorCode":"AccessDenied","errorMessage":"denied","requestParameters":{"bucketName":"payroll","Host":"s3.amazonaws.com"},"responseElements":{"credentials":{"accessKeyId":"ASIANEW"}},"resources":[{"ARN":"arn:aws:s3:::payroll","type":"AWS::S3::Bucket"}],"eventID":"f00","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333"})";
  auto e = test::feed_one(rec);
  ASSERT_EQ(e.events().size(), 1u);
  const auto &ev = e.events()[0];
  const auto &s = e.symbols();
  EXPECT_EQ(ev.who.type, identity_type::assumed_role);
  EXPECT_EQ(s.str(ev.who.issuer_arn), "arn:aws:iam::111122223333:role/webapp-ec2-role");
  EXPECT_EQ(s.str(ev.who.issuer_type), "Role");
  EXPECT_EQ(s.str(ev.who.session_name), "i-0a1b2c3d4e5f67890");
  EXPECT_EQ(s.str(ev.who.instance_id), "i-0a1b2c3d4e5f67890");
  EXPECT_EQ(s.str(ev.who.source_identity), "alice");
  EXPECT_EQ(ev.who.mfa, tristate::no);
  ASSERT_TRUE(ev.who.session_created);
  EXPECT_EQ(format_rfc3339(*ev.who.session_created), "2026-03-01T09:00:00Z");
  EXPECT_EQ(ev.source.type, source_address::kind::ipv6);
  EXPECT_EQ(ev.source.bytes[0], 0x20);
  EXPECT_FALSE(ev.result.success);
  EXPECT_EQ(s.str(ev.result.error_code), "AccessDenied");
  EXPECT_EQ(ev.read_only, tristate::yes);
  EXPECT_EQ(ev.category, event_category::data);
  EXPECT_EQ(s.str(ev.action), "s3:ListAllMyBuckets");
  EXPECT_EQ(ev.action_from, action_origin::table);
  ASSERT_EQ(ev.resources.size(), 1u);
  EXPECT_EQ(s.str(ev.resources[0]), "arn:aws:s3:::payroll");

  auto bucket = raw_field(ev, "requestParameters.bucketName");
  ASSERT_TRUE(bucket) << bucket.error().message;
  EXPECT_EQ(bucket->kind, json_kind::string);
  EXPECT_EQ(bucket->text, "payroll");
  EXPECT_EQ(raw_field(ev, "responseElements.credentials.accessKeyId")->text, "ASIANEW");
  EXPECT_EQ(raw_field(ev, "resources.0.type")->text, "AWS::S3::Bucket");
  EXPECT_EQ(raw_field(ev, "readOnly")->kind, json_kind::boolean);
  EXPECT_EQ(raw_field(ev, "requestParameters")->kind, json_kind::object);
  EXPECT_EQ(raw_field(ev, "requestParameters.nope").error().code, errc::not_found);
  EXPECT_EQ(raw_field(ev, "resources.7").error().code, errc::not_found);
}

TEST(Formats, ServiceNamesAreKeptAsNames) {
  auto rec = test::record("x");
  rec.replace(rec.find("198.51.100.7"), 12, "ses.amazonaws.com");
  auto e = test::feed_one(rec);
  ASSERT_EQ(e.events().size(), 1u);
  EXPECT_EQ(e.events()[0].source.type, source_address::kind::name);
  EXPECT_EQ(e.symbols().str(e.events()[0].source.text), "ses.amazonaws.com");
}

TEST(Formats, DuplicateDeliveryIsCountedNotPassedOn) {
  const auto recs = three_records();
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(join(recs, "\n"), "first-delivery"));
  ASSERT_TRUE(e.feed(R"({"Records":[)" + recs[1] + "," + recs[2] + "]}", "redelivery"));
  EXPECT_EQ(e.stats().accepted, 3u);
  EXPECT_EQ(e.stats().duplicates, 2u);
  EXPECT_EQ(e.stats().total, 5u);
  EXPECT_EQ(ids_of(e), (std::vector<std::string>{"e1", "e2", "e3"}));

  engine_options keep_all;
  keep_all.normalize.deduplicate = false;
  auto raw = test::make_engine(keep_all);
  ASSERT_TRUE(raw.feed(join(recs, "\n") + "\n" + recs[0], "x"));
  EXPECT_EQ(raw.stats().accepted, 4u);
}

TEST(Formats, ShuffledDeliveryGivesTheSameEvents) {
  std::vector<std::string> recs;
  for (int i = 0; i < 200; ++i)
    recs.push_back(test::record("id-" + std::to_string(i), "2026-03-01T10:" + std::string(i % 60 < 10 ? "0" : "") +
                                                               std::to_string(i % 60) + ":00Z"));
  auto reference = ids_of(test::feed_one(join(recs, "\n")));
  std::sort(reference.begin(), reference.end());
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(recs.begin(), recs.end(), rng);
    // Redeliver a random tenth to mimic CloudTrail's at-least-once delivery.
    auto with_dups = recs;
    with_dups.insert(with_dups.end(), recs.begin(), recs.begin() + 20);
    auto e = test::feed_one(round % 2 ? join(with_dups, "\n") : R"({"Records":[)" + join(with_dups, ",") + "]}");
    auto ids = ids_of(e);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, reference);
    EXPECT_EQ(e.stats().duplicates, 20u);
  }
}

TEST(Formats, DuplicatesAreCaughtOverTheHorizonAndOlderRecordsAreCounted) {
  const auto at10 = test::record("e1", "2026-03-01T10:05:00Z");
  const std::string later = test::record("n1", "2026-03-01T12:00:00Z") + "\n" + at10 + "\n" + at10 + "\n" +
                            test::record("n2", "2026-03-02T09:00:00Z") + "\n" + at10 + "\n" +
                            test::record("n3", "2026-03-02T11:00:00Z") + "\n" + at10 + "\n";
  auto e = test::make_engine();  // default horizon: 24 hours back from the newest event time
  ASSERT_TRUE(e.feed(later, "a"));
  // The copy 23 hours behind the newest event is caught; the one 25 hours behind is read and counted.
  EXPECT_EQ(e.stats().duplicates, 2u);
  EXPECT_EQ(e.stats().possibly_repeated, 1u);
  EXPECT_EQ(e.stats().accepted, 5u);

  engine_options narrow;
  narrow.normalize.dedup_horizon = std::chrono::hours{1};
  auto n = test::make_engine(narrow);
  ASSERT_TRUE(n.feed(later, "b"));
  EXPECT_EQ(n.stats().duplicates, 0u);
  EXPECT_EQ(n.stats().possibly_repeated, 4u);
  EXPECT_EQ(n.stats().accepted, 7u);
}

// A redelivery hours later (CloudTrail delivers at least once) is caught and
// changes no detection.
TEST(Formats, ARedeliveryHoursLaterIsCaughtAndChangesNoDetection) {
  const auto &whole = test::sample_engine();
  auto redelivered = test::make_engine();
  ASSERT_TRUE(redelivered.feed_path(test::sample_dir()));
  std::string copies;
  for (std::size_t i = 0; i < 100; ++i) copies += whole.events()[i * 7].raw + "\n";
  ASSERT_TRUE(redelivered.feed(copies, "redelivery"));
  redelivered.finish();
  EXPECT_EQ(redelivered.stats().duplicates, whole.stats().duplicates + 100);
  EXPECT_EQ(redelivered.stats().accepted, whole.stats().accepted);
  ASSERT_EQ(redelivered.detections().size(), whole.detections().size());
  for (std::size_t i = 0; i < whole.detections().size(); ++i) {
    EXPECT_EQ(redelivered.detections()[i].rule_id, whole.detections()[i].rule_id);
    EXPECT_EQ(redelivered.detections()[i].event_ids, whole.detections()[i].event_ids);
  }
}
