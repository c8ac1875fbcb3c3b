// Writing a normalized event as JSON: identrail's flat form, or OCSF API
// Activity (class_uid 6003), the schema SIEMs ingest.
#pragma once

#include <cstdint>
#include <string>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

enum class event_json_form : std::uint8_t { flat = 0, ocsf = 1 };

// Appends one JSON object (no trailing newline) to out.
void append_event_json(std::string &out, const event &e, const symbol_table &symbols,
                       event_json_form form = event_json_form::flat);

}  // namespace v0
}  // namespace identrail
