// The analysis report: the readable text and the machine JSON of `identrail analyze`.
#pragma once

#include <cstddef>
#include <string>

#include "identrail/engine.hpp"

namespace identrail {
inline namespace v0 {

inline constexpr int report_schema_version = 1;

struct report_options {
  std::size_t top = 10;         // rows in the top-identities and top-actions tables
  std::size_t max_errors = 20;  // decode errors listed in the text report
  bool include_graph = true;    // the whole identity graph in the JSON report (node-link form)
};

// {"version","events":{...},"errors":[...],"detections":[],"identities":[...],"graph":{...}}
[[nodiscard]] std::string report_json(const engine &e);
[[nodiscard]] std::string report_json(const engine &e, const report_options &options);
[[nodiscard]] std::string report_text(const engine &e, const report_options &options = {});

}  // namespace v0
}  // namespace identrail
