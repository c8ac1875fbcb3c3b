// Helpers shared by the C++ tests.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "identrail/identrail.hpp"
#include "gzip_bytes.hpp"

namespace identrail::test {

inline std::string datasets() { return IDENTRAIL_DATASETS; }
inline std::string sample_dir() { return IDENTRAIL_SAMPLE_DIR; }

inline std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::string> read_lines(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Text as a JSON (and YAML flow) string literal.
inline std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

// A complete, realistic CloudTrail record with the given id, time and name.
inline std::string record(const std::string &id, const std::string &time = "2026-03-01T10:00:00Z",
                          const std::string &name = "GetSendQuota", const std::string &extra = "") {
  return R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/ops-admin","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","userName":"ops-admin"},"eventTime":")" +
         time + R"(","eventSource":"ses.amazonaws.com","eventName":")" + name +
         R"(","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"requestID":"r-)" +
         id + R"(","eventID":")" + id + R"(","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management")" +
         extra + "}";
}

// A fresh engine; a test's options are always valid, so an error is a failure of the test.
inline engine make_engine(engine_options options = {}) {
  auto made = engine::create(std::move(options));
  if (!made) throw std::runtime_error("engine::create: " + made.error().message);
  return std::move(*made);
}

// The bundled sample trace, read once and finished, shared by the tests that only read it.
inline const engine &sample_engine() {
  static const engine e = [] {
    auto built = make_engine();
    if (!built.feed_path(sample_dir())) throw std::runtime_error("sample unreadable");
    built.finish();
    return built;
  }();
  return e;
}

// Feeds bytes into a fresh engine and returns it.
inline engine feed_one(const std::string &bytes, engine_options options = {}) {
  auto e = make_engine(std::move(options));
  auto read = e.feed(bytes, "test-input");
  if (!read) throw std::runtime_error(read.error().message);
  return e;
}

}  // namespace identrail::test
