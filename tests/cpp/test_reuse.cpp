// State reused from event to event so that the steady-state path does not
// allocate (issue 13, section 2): what is reused must read exactly as what it
// replaced. Allocation counts themselves are measured in benchmarks/alloc_bench.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "support.hpp"
#include "core/inline_text.hpp"
#include "detect/detection_copy.hpp"
#include "normalize/raw_reader.hpp"

using namespace identrail;

namespace {

const std::vector<std::string> kPaths{
    "eventName", "userIdentity.arn", "userIdentity.sessionContext.sessionIssuer.arn", "requestParameters.bucketName",
    "requestParameters", "responseElements.credentials.accessKeyId", "resources.0.ARN", "resources.1.type",
    "resources.7.ARN", "tlsDetails.tlsVersion", "no.such.path", "readOnly", "additionalEventData"};

std::string pointer_of(const std::string &path) {
  std::string out = "/" + path;
  std::replace(out.begin(), out.end(), '.', '/');
  return out;
}

// What simdjson's DOM, a different reader, finds at the path: its kind, and the text of a string.
std::optional<std::pair<json_kind, std::string>> dom_value(const std::string &raw, const std::string &path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(raw).get(root)) return std::nullopt;
  simdjson::dom::element found;
  if (root.at_pointer(pointer_of(path)).get(found)) return std::nullopt;
  switch (found.type()) {
    case simdjson::dom::element_type::STRING: return std::pair{json_kind::string, std::string(found.get_string().value())};
    case simdjson::dom::element_type::OBJECT: return std::pair{json_kind::object, std::string()};
    case simdjson::dom::element_type::ARRAY: return std::pair{json_kind::array, std::string()};
    case simdjson::dom::element_type::BOOL: return std::pair{json_kind::boolean, std::string()};
    case simdjson::dom::element_type::NULL_VALUE: return std::pair{json_kind::null, std::string()};
    default: return std::pair{json_kind::number, std::string()};
  }
}

TEST(Reuse, OneRawReaderReadsEveryEventOfTheSampleAsAnotherParserDoes) {
  const auto &e = test::sample_engine();
  ASSERT_GT(e.events().size(), 100u);
  detail::raw_reader reader;
  json_field value;  // one value, reused for every read
  std::mt19937 rng(7);
  std::size_t found = 0;
  for (const auto &ev : e.events()) {
    reader.open(ev);
    auto paths = kPaths;
    std::shuffle(paths.begin(), paths.end(), rng);
    paths.push_back(paths.front());  // a path read twice from one parse
    for (const auto &path : paths) {
      const auto expected = dom_value(ev.raw, path);
      const auto status = reader.read(path, value);
      ASSERT_EQ(status == detail::raw_reader::status::found, expected.has_value()) << ev.id << " " << path;
      if (!expected) {
        EXPECT_STRNE(reader.why(), "") << path;
        continue;
      }
      ++found;
      EXPECT_EQ(value.kind, expected->first) << ev.id << " " << path;
      if (expected->first == json_kind::string) {
        EXPECT_EQ(value.text, expected->second) << ev.id << " " << path;
      }
    }
  }
  EXPECT_GT(found, e.events().size() * 3);  // the paths are there, not only missed
}

TEST(Reuse, ARawReaderOnAnEventWithoutItsRecordSaysSo) {
  event bare;
  detail::raw_reader reader;
  reader.open(bare);
  json_field value;
  EXPECT_EQ(reader.read("eventName", value), detail::raw_reader::status::no_record);
  const auto public_answer = raw_field(bare, "eventName");
  ASSERT_FALSE(public_answer);
  EXPECT_EQ(public_answer.error().code, errc::invalid_argument);
}

TEST(Reuse, EveryValueOfAPathComesBackThroughReusedFields) {
  const auto &e = test::sample_engine();
  detail::raw_reader reader;
  std::vector<json_field> values;
  std::size_t seen = 0;
  for (const auto &ev : e.events()) {
    reader.open(ev);
    std::size_t count = 0;
    ASSERT_EQ(reader.read_each("resources.ARN", values, count), detail::raw_reader::status::found);
    const auto fresh = raw_fields(ev, "resources.ARN");
    ASSERT_TRUE(fresh);
    ASSERT_EQ(count, fresh->size()) << ev.id;
    for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(values[i].text, (*fresh)[i].text);
    seen += count;
  }
  EXPECT_GT(seen, 0u);
}

TEST(Reuse, InlineTextOrdersAndComparesAsTheStringItHolds) {
  std::vector<std::string> texts{"", "a", "b6f3c1de-0d1a-4a9e-9a43-1d2b3c4d5e6f", "B6F3C1DE-0D1A-4A9E-9A43-1D2B3C4D5E6F",
                                 std::string(40, 'x'), std::string(41, 'x'), std::string(300, 'y') + "z",
                                 std::string(300, 'y'), "b6f3c1de"};
  std::vector<detail::inline_text> held(texts.begin(), texts.end());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(held[i].view(), texts[i]);
    const detail::inline_text copy = held[i];  // a long text is copied, not shared
    EXPECT_EQ(copy.view(), texts[i]);
    for (std::size_t j = 0; j < texts.size(); ++j) {
      EXPECT_EQ(held[i] < held[j], texts[i] < texts[j]) << i << " " << j;
      EXPECT_EQ(held[i] == held[j], texts[i] == texts[j]) << i << " " << j;
    }
  }
  detail::inline_text reused(std::string(100, 'q'));
  reused = std::string_view("short");
  EXPECT_EQ(reused.view(), "short");
}

auto fields_of(const detection &d) {
  return std::tie(d.id, d.revision, d.withdrawn, d.rule_id, d.rule_name, d.level, d.tactics, d.techniques, d.identity,
                  d.source, d.group_key, d.first_seen, d.last_seen, d.count, d.event_ids, d.summary, d.follows);
}

// The graph keeps its copy of each detection and revises it in place.
TEST(Reuse, ADetectionCopiedOverAnotherReadsAsTheOriginal) {
  const auto &live = test::sample_engine().detections();
  ASSERT_GT(live.size(), 3u);
  for (const auto &older : live)
    for (const auto &newer : live) {
      detection over = older;
      detail::copy_detection(over, newer);
      EXPECT_TRUE(fields_of(over) == fields_of(newer)) << older.id << " <- " << newer.id;
    }
  detection grown = live.front();
  grown.event_ids.assign(30, "an-event-id-longer-than-the-short-string-buffer");
  detection over = live.back();
  detail::copy_detection(over, grown);
  EXPECT_TRUE(fields_of(over) == fields_of(grown));
}

}  // namespace
