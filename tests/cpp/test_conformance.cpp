// The shared conformance corpus (tests/conformance/README.md) replayed through
// the C++ API: each case's answers document, compared with the expected one as
// JSON values.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "identrail/identrail.hpp"
#include "support.hpp"

using namespace identrail;
namespace dom = simdjson::dom;

namespace {

const std::string kRoot = std::filesystem::path(test::sample_dir()).parent_path().parent_path().parent_path().string();
const std::string kCorpus = kRoot + "/tests/conformance";

// A JSON value written with sorted keys, so two documents compare as values.
void canonical(std::string &out, dom::element e) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      std::map<std::string, dom::element> sorted;
      for (auto field : dom::object(e)) sorted.emplace(std::string(field.key), field.value);
      out += '{';
      bool first = true;
      for (const auto &[key, value] : sorted) {
        if (!first) out += ',';
        first = false;
        out += test::json_string(key) + ':';
        canonical(out, value);
      }
      out += '}';
      return;
    }
    case dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      for (auto item : dom::array(e)) {
        if (!first) out += ',';
        first = false;
        canonical(out, item);
      }
      out += ']';
      return;
    }
    default: out += simdjson::minify(e);
  }
}

// Each top-level part of an answers document, canonical: a failure names the part.
std::map<std::string, std::string> parts(std::string_view json) {
  dom::parser parser;
  dom::object doc;
  std::map<std::string, std::string> out;
  if (parser.parse(simdjson::padded_string(json)).get(doc) != simdjson::SUCCESS) return {{"unparsable", std::string(json)}};
  for (auto field : doc) canonical(out[std::string(field.key)], field.value);
  return out;
}

std::string str(dom::element e, const char *key) { return std::string(std::string_view(e[key])); }
std::optional<timestamp> time_of(dom::element e, const char *key) {
  std::int64_t ns = 0;
  if (e[key].get(ns) != simdjson::SUCCESS) return std::nullopt;
  return from_unix_nanos(ns);
}
std::string ns_or_null(const std::optional<timestamp> &t) {
  return t ? std::to_string(to_unix_nanos(*t)) : std::string("null");
}

template <class Range, class Write>
std::string array_of(const Range &items, Write &&write) {
  std::string out = "[";
  for (const auto &item : items) {
    if (out.size() > 1) out += ',';
    out += write(item);
  }
  return out + "]";
}

std::string strings(const std::vector<std::string> &list) {
  return array_of(list, [](const std::string &s) { return test::json_string(s); });
}

std::string query_answer(const engine &e, dom::element q) {
  const auto kind = str(q, "query");
  const auto subject = str(q, "subject");
  const auto evidence = e.evidence();
  result<std::string> answer = make_error(errc::invalid_argument, "unknown query " + kind);
  if (kind == "assessment") answer = assessment_json(evidence, subject);
  else if (kind == "resolution") answer = resolution_json(evidence, subject);
  else if (kind == "blast_radius") answer = blast_radius_json(evidence, subject, time_of(q, "since_ns").value_or(timestamp{}));
  else if (kind == "where_used") answer = where_used_json(evidence, subject);
  else if (kind == "timeline") answer = timeline_json(evidence, subject, time_of(q, "since_ns").value_or(timestamp{}));
  else if (kind == "paths") {
    path_options paths;
    std::uint64_t n = 0;
    if (q["max_depth"].get(n) == simdjson::SUCCESS) paths.max_depth = n;
    if (q["max_paths"].get(n) == simdjson::SUCCESS) paths.max_paths = n;
    answer = paths_json(evidence, subject, str(q, "to"), paths);
  } else if (kind == "remediation") {
    remediation_options options;
    options.now = time_of(q, "now_ns");
    dom::array cidrs;
    if (q["allow_cidrs"].get(cidrs) == simdjson::SUCCESS)
      for (auto c : cidrs) options.allow_cidrs.emplace_back(std::string_view(c));
    answer = plan_remediation(evidence, subject, options).map([](const auto &plan) { return to_json(plan); });
  } else if (kind == "least_privilege") {
    least_privilege_options options;
    options.flag_time = time_of(q, "flag_time_ns");
    bool compact = false;
    if (q["compact"].get(compact) == simdjson::SUCCESS) options.compact = compact;
    dom::array current;
    if (q["current_policies"].get(current) == simdjson::SUCCESS)
      for (auto path : current) {
        const auto file = kRoot + "/" + std::string(std::string_view(path));
        options.current.push_back(parse_policy(test::read_file(file), file).value());
      }
    answer = least_privilege_policy(evidence, subject, options).map([](const auto &r) { return to_json(r); });
  }
  if (!answer) return "{\"error\":" + test::json_string(answer.error().message) + "}";
  return *answer;
}

std::string answers(dom::element c) {
  engine_options options;
  dom::array rules;
  if (c["rules"].get(rules) == simdjson::SUCCESS)
    for (auto r : rules) options.rule_files.paths.push_back(kRoot + "/" + std::string(std::string_view(r)));
  auto e = test::make_engine(options);
  for (auto input : dom::array(c["inputs"])) {
    const auto read = e.feed_path(kRoot + "/" + std::string(std::string_view(input)));
    EXPECT_TRUE(read) << read.error().message;
  }
  e.finish();
  dom::array flags;
  if (c["flags"].get(flags) == simdjson::SUCCESS) {
    for (auto f : flags) {
      const auto said = e.flag(str(f, "identity"), parse_compromise_status(str(f, "status")).value(), time_of(f, "since_ns"));
      EXPECT_TRUE(said) << said.error().message;
    }
  }

  const auto &s = e.stats();
  std::string out = "{\"stats\":{\"total\":" + std::to_string(s.total) + ",\"accepted\":" + std::to_string(s.accepted) +
                    ",\"rejected\":" + std::to_string(s.rejected) + ",\"duplicates\":" + std::to_string(s.duplicates) +
                    ",\"identities\":" + std::to_string(e.identities().size()) + "}";
  out += ",\"errors\":" + array_of(e.errors(), [](const decode_error &err) {
    return "{\"source\":" + test::json_string(std::filesystem::path(err.source).filename().string()) +
           ",\"location\":" + test::json_string(err.location) + ",\"reason\":" + test::json_string(err.reason) + "}";
  });
  auto found = e.detections();
  std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
  const auto &sym = e.symbols();
  out += ",\"detections\":" + array_of(found, [&](const detection &d) {
    return "{\"id\":" + test::json_string(d.id) + ",\"revision\":" + std::to_string(d.revision) +
           ",\"rule_id\":" + test::json_string(d.rule_id) + ",\"severity\":" + test::json_string(to_string(d.level)) +
           ",\"identity\":" + test::json_string(sym.str(d.identity)) + ",\"source_ip\":" + test::json_string(sym.str(d.source)) +
           ",\"first_seen_ns\":" + ns_or_null(d.first_seen) + ",\"last_seen_ns\":" + ns_or_null(d.last_seen) +
           ",\"count\":" + std::to_string(d.count) + ",\"event_ids\":" + strings(d.event_ids) +
           ",\"follows\":" + strings(d.follows) + "}";
  });
  auto assessed = e.assessments();
  std::sort(assessed.begin(), assessed.end(),
            [&](const auto &a, const auto &b) { return sym.str(a.identity) < sym.str(b.identity); });
  out += ",\"assessments\":" + array_of(assessed, [&](const assessment &a) {
    return "{\"identity\":" + test::json_string(sym.str(a.identity)) + ",\"status\":" + test::json_string(to_string(a.status)) +
           ",\"risk\":" + test::json_string(to_string(a.risk)) + ",\"since_ns\":" + ns_or_null(a.since) +
           ",\"reasons\":" + strings(a.reasons) + ",\"detections\":" + std::to_string(a.detections) + "}";
  });
  dom::array queries;
  std::vector<dom::element> listed;
  if (c["queries"].get(queries) == simdjson::SUCCESS)
    for (auto q : queries) listed.push_back(q);
  out += ",\"queries\":" + array_of(listed, [&](dom::element q) { return query_answer(e, q); });
  return out + "}";
}

}  // namespace

TEST(Conformance, CppAnswersAsTheCorpusSays) {
  dom::parser parser;
  const auto cases_text = test::read_file(kCorpus + "/cases.json");
  dom::element cases;
  ASSERT_EQ(parser.parse(cases_text).get(cases), simdjson::SUCCESS);
  std::size_t replayed = 0;
  for (auto c : dom::array(cases["cases"])) {
    const auto name = str(c, "name");
    const auto expected = parts(test::read_file(kCorpus + "/expected/" + name + ".json"));
    const auto got = parts(answers(c));
    ASSERT_EQ(got.size(), expected.size()) << "case " << name;
    for (const auto &[part, value] : expected) {
      const auto mine = got.find(part);
      ASSERT_NE(mine, got.end()) << "case " << name << ": no " << part;
      EXPECT_EQ(mine->second, value) << "case " << name << ": " << part << " differs";
    }
    ++replayed;
  }
  EXPECT_GE(replayed, 4u);
}
