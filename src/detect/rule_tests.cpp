// Running the examples that rules carry, so a rule pack is tested as it is written.
#include <simdjson.h>

#include <string>

#include "identrail/detect/rule_set.hpp"
#include "identrail/detect/detector.hpp"
#include "identrail/normalize/normalizer.hpp"

namespace identrail {
inline namespace v0 {
namespace {

// A realistic record that each test event overrides field by field (objects merge one level deep).
constexpr std::string_view kBase = R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAQEXAMPLETESTUSER","arn":"arn:aws:iam::111122223333:user/rule-test","accountId":"111122223333","accessKeyId":"AKIAQEXAMPLETESTKEY1","userName":"rule-test"},"eventSource":"iam.amazonaws.com","eventName":"GetUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.20","userAgent":"aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1","requestParameters":null,"responseElements":null,"readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"})";

std::string two_digits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Lays `overlay` (a JSON object) over the base record, adding an id and a time one minute after the last.
result<std::string> build_record(std::string_view overlay, int index) {
  namespace dom = simdjson::dom;
  thread_local dom::parser base_parser, overlay_parser;
  dom::object base, top;
  if (base_parser.parse(kBase.data(), kBase.size()).get(base) != simdjson::SUCCESS)
    return make_error(errc::internal, "base record does not parse");
  const simdjson::padded_string padded(overlay);
  if (overlay_parser.parse(padded).get(top) != simdjson::SUCCESS)
    return make_error(errc::invalid_argument, "test event is not a JSON object");
  std::string out = "{";
  auto append = [&](std::string_view key, std::string value) {
    if (out.size() > 1) out.push_back(',');
    out += "\"" + std::string(key) + "\":" + value;
  };
  for (auto [key, value] : base) {
    dom::element replacement;
    if (top[key].get(replacement) == simdjson::SUCCESS) {
      dom::object inner_base, inner_top;
      if (value.get(inner_base) == simdjson::SUCCESS && replacement.get(inner_top) == simdjson::SUCCESS) {
        std::string merged = "{";
        for (auto [k, v] : inner_base) {
          dom::element r;
          if (inner_top[k].get(r) == simdjson::SUCCESS) continue;
          if (merged.size() > 1) merged.push_back(',');
          merged += "\"" + std::string(k) + "\":" + simdjson::minify(v);
        }
        for (auto [k, v] : inner_top) {
          if (merged.size() > 1) merged.push_back(',');
          merged += "\"" + std::string(k) + "\":" + simdjson::minify(v);
        }
        append(key, merged + "}");
      } else {
        append(key, simdjson::minify(replacement));
      }
    } else {
      append(key, simdjson::minify(value));
    }
  }
  for (auto [key, value] : top) {
    dom::element present;
    if (base[key].get(present) != simdjson::SUCCESS) append(key, simdjson::minify(value));
  }
  dom::element given;
  if (top["eventTime"].get(given) != simdjson::SUCCESS) {
    const int seconds = index * 10;  // a burst: ten seconds apart unless the test says when
    append("eventTime", "\"2026-03-01T" + two_digits(10 + seconds / 3600) + ":" + two_digits(seconds / 60 % 60) + ":" +
                            two_digits(seconds % 60) + "Z\"");
  }
  if (top["eventID"].get(given) != simdjson::SUCCESS) append("eventID", "\"rule-test-" + std::to_string(index) + "\"");
  return out + "}";
}

// The stages a rule test needs, without the pipeline: decode, then detect.
rule_test_outcome judge(rule_test_outcome outcome, rule_set rules, const std::string &rule_id, const std::string &input,
                        const rule_test &test) {
  symbol_table symbols;
  normalizer decode(symbols);
  detector detect(std::move(rules), symbols);
  (void)decode.feed(input, test.source, [&](const event &e) {
    detect.process(e);
    return true;
  });
  detect.finish();
  bool fired = false;
  for (const auto &d : detect.detections()) fired |= d.rule_id == rule_id;
  if (decode.stats().rejected != 0) outcome.message = "an event was rejected: " + decode.errors().front().reason;
  else if (fired != test.fires) outcome.message = test.fires ? "expected the rule to fire; it did not" : "the rule fired; it should not";
  else outcome.passed = true;
  return outcome;
}

}  // namespace

std::vector<rule_test_outcome> run_rule_tests(const rule_set &rules) {
  std::vector<rule_test_outcome> outcomes;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto &info = rules.info(i);
    for (const auto &test : info.tests) {
      rule_test_outcome outcome{info.id, test.name, test.source, false, {}};
      std::string input;
      for (std::size_t k = 0; k < test.events.size(); ++k) {
        auto record = build_record(test.events[k], static_cast<int>(k));
        if (!record) {
          outcome.message = record.error().message;
          break;
        }
        input += *record + "\n";
      }
      if (outcome.message.empty()) outcome = judge(std::move(outcome), rules.needed_by(i), info.id, input, test);
      outcomes.push_back(std::move(outcome));
    }
  }
  return outcomes;
}

}  // namespace v0
}  // namespace identrail
