// Private: one detection as the report and the live outputs write it.
#pragma once

#include "identrail/pipeline/report.hpp"
#include "../core/json_writer.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// The members of a detection object (flat form): report and NDJSON alike.
void write_detection_fields(json_object &o, const evidence_view &e, const detection &d);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
