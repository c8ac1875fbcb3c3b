// Private: the exports responders are handed instead of trail files, turned
// back into CloudTrail records: CloudTrail Lake query results, Elasticsearch
// and Logstash documents (the Elastic integration's ECS form included),
// Datadog log lists and OCSF API Activity (Security Lake's mapping and
// identrail's own). tests/data/formats/FORMATS.md describes each shape and
// its sources. Exports are read far less often than trails: clarity over speed.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "identrail/normalize/normalizer.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// One entry of an export: a CloudTrail record as JSON text, or why it is not one.
struct export_entry {
  std::string where;   // "QueryResultRows[1]", "hits.hits[0] (_id x)", "data[2] (id y)"; "" for the document itself
  std::string record;  // the record, when error is empty
  std::string error;
  bool skipped = false;  // not an event and not an error (a CloudTrail digest document)
};

// Whether a top-level key names an export container rather than a CloudTrail field.
[[nodiscard]] bool is_export_key(std::string_view key) noexcept;

// The entries of one export document (an object's JSON text). `format` forces
// the reading (input_format::automatic decides from the keys); a document of
// another shape is one entry with an error.
[[nodiscard]] std::vector<export_entry> read_export(std::string_view json, input_format format,
                                                    simdjson::dom::parser &parser);

[[nodiscard]] std::string_view to_string(input_format format) noexcept;

}  // namespace detail
}  // namespace v0
}  // namespace identrail
