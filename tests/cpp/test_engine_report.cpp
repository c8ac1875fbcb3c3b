#include <gtest/gtest.h>

#include <simdjson.h>

#include "support.hpp"

using namespace identrail;

TEST(Report, JsonShapeAndIdentities) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(test::record("a", "2026-03-01T10:00:00Z") + "\n" + test::record("b", "2026-03-01T10:05:00Z") +
                         "\n{\"bad\": }\n",
                     "mem"));
  const auto json = report_json(e);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(int64_t(doc["version"]), report_schema_version);
  EXPECT_EQ(uint64_t(doc["events"]["total"]), 3u);
  EXPECT_EQ(uint64_t(doc["events"]["accepted"]), 2u);
  EXPECT_EQ(uint64_t(doc["events"]["rejected"]), 1u);
  EXPECT_EQ(uint64_t(doc["events"]["duplicates"]), 0u);
  simdjson::dom::array errors = doc["errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(std::string_view(errors.at(0)["source"]), "mem");
  EXPECT_EQ(std::string_view(errors.at(0)["location"]).substr(0, 6), "line 3");
  EXPECT_EQ(simdjson::dom::array(doc["detections"]).size(), 0u);
  simdjson::dom::array identities = doc["identities"];
  ASSERT_EQ(identities.size(), 1u);
  const auto id = identities.at(0);
  EXPECT_EQ(std::string_view(id["arn"]), "arn:aws:iam::111122223333:user/ops-admin");
  EXPECT_EQ(std::string_view(id["type"]), "IAMUser");
  EXPECT_EQ(std::string_view(id["root_principal"]), "arn:aws:iam::111122223333:user/ops-admin");
  EXPECT_EQ(std::string_view(id["status"]), "normal");
  EXPECT_EQ(std::string_view(id["risk"]), "none");
  EXPECT_EQ(std::string_view(id["first_seen"]), "2026-03-01T10:00:00Z");
  EXPECT_EQ(std::string_view(id["last_seen"]), "2026-03-01T10:05:00Z");
  EXPECT_EQ(std::string_view(simdjson::dom::array(id["source_ips"]).at(0)), "198.51.100.7");
  EXPECT_EQ(int64_t(id["detections"]), 0);
  EXPECT_TRUE(doc["graph"]["nodes"].is_array());
  EXPECT_TRUE(doc["graph"]["edges"].is_array());
}

TEST(Report, SessionsReportTheirIssuerAsPrincipalAndTextListsTopIdentities) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::datasets() + "/panther-analysis/test_scenarios/compromised-root-creds"));
  const auto text = report_text(e);
  EXPECT_NE(text.find("Top identities"), std::string::npos);
  EXPECT_NE(text.find("Top actions"), std::string::npos);
  EXPECT_NE(text.find("Root"), std::string::npos);
  const auto top = e.top_actions(3);
  ASSERT_FALSE(top.empty());
  for (std::size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1].second, top[i].second);
  std::uint64_t total = 0;
  for (const auto &id : e.identities()) total += id.events;
  EXPECT_EQ(total, e.stats().accepted);
}

TEST(Engine, StreamingWithoutRetentionStillCounts) {
  engine_options options;
  options.retain_events = false;
  options.normalize.keep_raw = false;
  auto e = test::make_engine(options);
  std::size_t seen = 0;
  e.on_event([&](const event &ev) {
    EXPECT_TRUE(ev.raw.empty());
    ++seen;
  });
  ASSERT_TRUE(e.feed(test::record("a") + "\n" + test::record("b"), "mem"));
  EXPECT_EQ(seen, 2u);
  EXPECT_TRUE(e.events().empty());
  EXPECT_EQ(e.identities().at(0).events, 2u);
}

TEST(Report, DrainedInPiecesItIsTheSameJsonInBoundedMemory) {
  std::string input;
  for (int i = 0; i < 8000; ++i) {
    const auto id = "r" + std::to_string(i);
    input += test::record(id, "2026-03-01T10:00:00Z", "GetObject",
                          R"(,"resources":[{"ARN":"arn:aws:s3:::reports/object-)" + std::to_string(i) +
                              R"(.csv","type":"AWS::S3::Object"}])") +
             "\n";
  }
  auto e = test::feed_one(input);
  e.finish();
  const auto whole = report_json(e);
  std::string joined;
  std::size_t pieces = 0, largest = 0;
  report_json(e, report_options{}, [&](std::string &piece) {
    ++pieces;
    largest = std::max(largest, piece.size());
    joined += piece;
    piece.clear();
  });
  EXPECT_EQ(joined, whole);
  EXPECT_GT(whole.size(), std::size_t{2} << 20);  // a graph of more than two pieces
  EXPECT_GE(pieces, 3u);
  EXPECT_LT(largest, (std::size_t{1} << 20) + (64 << 10));  // a piece, and at most one node or edge more
}
