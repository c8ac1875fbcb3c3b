// Exports responders are handed (CloudTrail Lake results, Elasticsearch and
// Logstash documents, Datadog log lists, Security Lake OCSF) read back as the
// same events as the trail file they came from; a bad entry is reported with
// where it is and why, and the good ones around it are kept.
// The fixtures and their sources: tests/data/formats/FORMATS.md.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <map>

#include "support.hpp"

using namespace identrail;

namespace {

const std::string kDir = std::string(IDENTRAIL_TEST_DATA) + "/formats/";

simdjson::dom::element expected() {
  static simdjson::dom::parser parser;
  static const auto doc = parser.load(kDir + "expected.json").value();
  return doc;
}

std::string text(simdjson::dom::element e) {
  std::string_view s;
  return e.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

// An event as the fixtures describe it.
std::map<std::string, std::string> described(const engine &e, const event &ev) {
  const auto &s = e.symbols();
  return {{"eventID", ev.id},
          {"eventTime", format_rfc3339(ev.time)},
          {"eventName", std::string(s.str(ev.event_name))},
          {"eventSource", std::string(s.str(ev.event_source))},
          {"awsRegion", std::string(s.str(ev.region))},
          {"sourceIPAddress", std::string(s.str(ev.source.text))},
          {"userAgent", std::string(s.str(ev.user_agent))},
          {"userIdentity.arn", std::string(s.str(ev.who.arn))},
          {"userIdentity.accessKeyId", std::string(s.str(ev.who.access_key_id))},
          {"errorCode", std::string(s.str(ev.result.error_code))},
          {"recipientAccountId", std::string(s.str(ev.account))}};
}

std::map<std::string, std::string> described(simdjson::dom::object o) {
  std::map<std::string, std::string> out;
  for (auto [key, value] : o) out[std::string(key)] = text(value);
  return out;
}

engine read(const std::string &file, input_format format = input_format::automatic) {
  engine_options options;
  options.normalize.format = format;
  auto e = test::make_engine(options);
  EXPECT_TRUE(e.feed_path(kDir + file)) << file;
  return e;
}

input_format format_named(const std::string &name) { return parse_input_format(name).value(); }

}  // namespace

TEST(ExportFormats, EveryGoodFileGivesTheTrailsEventsAutoDetectedAndForced) {
  std::vector<std::map<std::string, std::string>> want;
  for (auto ev : expected()["events"].get_array()) want.push_back(described(ev.get_object().value()));
  std::size_t files = 0;
  for (auto [name, format] : expected()["good"].get_object()) {
    for (const auto how : {input_format::automatic, format_named(text(format))}) {
      const auto e = read(std::string(name), how);
      EXPECT_EQ(e.stats().rejected, 0u) << name << (e.errors().empty() ? "" : ": " + e.errors().front().location + ": " + e.errors().front().reason);
      std::vector<std::map<std::string, std::string>> got;
      for (const auto &ev : e.events()) got.push_back(described(e, ev));
      EXPECT_EQ(got, want) << name << " read as " << static_cast<int>(how);
    }
    ++files;
  }
  EXPECT_GE(files, 9u);
}

TEST(ExportFormats, ABadEntryIsReportedWhereItIsAndTheGoodOnesAreKept) {
  for (auto [name, bad] : expected()["bad"].get_object()) {
    const auto e = read(std::string(name));
    std::vector<std::string> ids;
    for (const auto &ev : e.events()) ids.push_back(ev.id);
    std::vector<std::string> want;
    for (auto id : bad["events"].get_array()) want.push_back(text(id));
    EXPECT_EQ(ids, want) << name;
    EXPECT_EQ(e.stats().rejected, static_cast<std::uint64_t>(bad["rejected"].get_int64().value())) << name;
    ASSERT_FALSE(e.errors().empty()) << name;
    const auto &error = e.errors().front();
    EXPECT_NE(error.reason.find(text(bad["error"])), std::string::npos) << name << ": " << error.reason;
    EXPECT_FALSE(error.location.empty()) << name;
  }
}

TEST(ExportFormats, AForcedFormatRefusesOtherShapesWithAReason) {
  const auto e = read("datadog-logs.json", input_format::ocsf);
  EXPECT_EQ(e.stats().accepted, 0u);
  ASSERT_EQ(e.errors().size(), 1u);
  EXPECT_NE(e.errors().front().reason.find("not the shape of input format ocsf"), std::string::npos) << e.errors().front().reason;
  // Forced to trail files, an export is not mistaken for one record.
  const auto plain = read("cloudtrail-lake.json", input_format::cloudtrail);
  EXPECT_EQ(plain.stats().accepted, 0u);
  EXPECT_EQ(plain.stats().rejected, 1u);
  EXPECT_FALSE(parse_input_format("datadgo"));
  EXPECT_NE(parse_input_format("datadgo").error().message.find("unknown input format \"datadgo\""), std::string::npos);
}

TEST(ExportFormats, IdentrailsOwnOcsfOutputReadsBackAsTheSameEvents) {
  const auto &sample = test::sample_engine();
  std::string ocsf;
  for (const auto &ev : sample.events()) {
    append_event_json(ocsf, ev, sample.symbols(), event_json_form::ocsf);
    ocsf += "\n";
  }
  auto back = test::make_engine();
  ASSERT_TRUE(back.feed(ocsf, "ocsf"));
  ASSERT_EQ(back.stats().rejected, 0u) << back.errors().front().location << ": " << back.errors().front().reason;
  ASSERT_EQ(back.events().size(), sample.events().size());
  for (std::size_t i = 0; i < sample.events().size(); ++i) {
    auto a = described(sample, sample.events()[i]);
    auto b = described(back, back.events()[i]);
    EXPECT_EQ(a, b) << i;
  }
}
