#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <simdjson.h>

#include "support.hpp"

using namespace identrail;

namespace {

simdjson::dom::element parse(simdjson::dom::parser &parser, const std::string &json) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  return doc;
}

std::string to_json(const engine &e, std::size_t i, event_json_form form) {
  std::string out;
  if (i >= e.events().size()) throw std::out_of_range("no event " + std::to_string(i));
  append_event_json(out, e.events()[i], e.symbols(), form);
  return out;
}

}  // namespace

TEST(EventJson, FlatFormCarriesTheModel) {
  auto rec = test::record("e\\\"1", "2026-03-01T10:00:00.5Z", "GetSendQuota",
                          R"(,"errorCode":"AccessDenied","errorMessage":"line1\nline2 \"q\"")");
  auto e = test::feed_one(rec);
  simdjson::dom::parser parser;
  const auto doc = parse(parser, to_json(e, 0, event_json_form::flat));
  EXPECT_EQ(std::string_view(doc["id"]), "e\"1");
  EXPECT_EQ(std::string_view(doc["time"]), "2026-03-01T10:00:00.500Z");
  EXPECT_EQ(std::string_view(doc["action"]), "ses:GetSendQuota");
  EXPECT_EQ(std::string_view(doc["actor_arn"]), "arn:aws:iam::111122223333:user/ops-admin");
  EXPECT_EQ(std::string_view(doc["actor_type"]), "IAMUser");
  EXPECT_EQ(std::string_view(doc["source"]), "198.51.100.7");
  EXPECT_EQ(std::string_view(doc["source_kind"]), "ipv4");
  EXPECT_EQ(bool(doc["success"]), false);
  EXPECT_EQ(std::string_view(doc["error_message"]), "line1\nline2 \"q\"");
  EXPECT_EQ(std::string_view(doc["category"]), "Management");
}

TEST(EventJson, OcsfApiActivity) {
  auto e = test::feed_one(test::record("o1", "2026-03-01T10:00:00Z", "DeleteTrail") + "\n" +
                          test::record("o2", "2026-03-01T10:00:01Z", "ListSecrets") + "\n" +
                          test::record("o3", "2026-03-01T10:00:02Z", "CreateAccessKey") + "\n" +
                          test::record("o4", "2026-03-01T10:00:03Z", "StopLogging"));
  simdjson::dom::parser parser;
  const int expected_activity[] = {4, 2, 1, 3};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto doc = parse(parser, to_json(e, i, event_json_form::ocsf));
    EXPECT_EQ(int64_t(doc["class_uid"]), 6003);
    EXPECT_EQ(int64_t(doc["category_uid"]), 6);
    EXPECT_EQ(int64_t(doc["activity_id"]), expected_activity[i]);
    EXPECT_EQ(int64_t(doc["type_uid"]), 600300 + expected_activity[i]);
    EXPECT_EQ(int64_t(doc["time"]), 1772359200000LL + static_cast<int64_t>(i) * 1000);
    EXPECT_EQ(int64_t(doc["status_id"]), 1);
    EXPECT_EQ(std::string_view(doc["metadata"]["product"]["vendor_name"]), "AWS");
    EXPECT_EQ(std::string_view(doc["actor"]["user"]["uid"]), "arn:aws:iam::111122223333:user/ops-admin");
    EXPECT_EQ(std::string_view(doc["actor"]["user"]["credential_uid"]), "AKIAEXAMPLE");
    EXPECT_EQ(std::string_view(doc["src_endpoint"]["ip"]), "198.51.100.7");
    EXPECT_EQ(std::string_view(doc["cloud"]["region"]), "us-east-1");
    EXPECT_EQ(std::string_view(doc["api"]["service"]["name"]), "ses.amazonaws.com");
  }
}

TEST(EventJson, EveryDatasetRecordSerializesToValidJson) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::datasets() + "/aws-cloudtrail-processing-library"));
  ASSERT_TRUE(e.feed_path(test::datasets() + "/panther-analysis/test_scenarios"));
  simdjson::dom::parser parser;
  ASSERT_GT(e.events().size(), 40u);
  for (std::size_t i = 0; i < e.events().size(); ++i)
    for (auto form : {event_json_form::flat, event_json_form::ocsf}) {
      simdjson::dom::element doc;
      EXPECT_EQ(parser.parse(to_json(e, i, form)).get(doc), simdjson::SUCCESS);
    }
}
