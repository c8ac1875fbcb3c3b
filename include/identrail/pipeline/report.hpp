// The analysis report: the readable text and the machine JSON of `identrail analyze`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "identrail/pipeline/engine.hpp"

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
// The same JSON handed to `drain` in pieces as it is written (about 1 MiB each, and the rest at the
// end); drain writes a piece out and clears it, so memory stays that of a piece whatever the graph's size.
void report_json(const engine &e, const report_options &options, const std::function<void(std::string &)> &drain);
[[nodiscard]] std::string report_text(const engine &e, const report_options &options = {});

// One detection (or revision of one) as a line of a live output: flat,
// {"type":"detection","id","revision",...} as in the report; or an OCSF
// Detection Finding (class 2004: created, updated, closed when withdrawn).
enum class detection_json_form : std::uint8_t { flat = 0, ocsf = 1 };
[[nodiscard]] std::string detection_json(const evidence_view &e, const detection &d,
                                         detection_json_form form = detection_json_form::flat);

}  // namespace v0
}  // namespace identrail
