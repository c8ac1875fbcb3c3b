// What a rule found: the unit responders read and later stages correlate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"

namespace identrail {
inline namespace v0 {

enum class severity : std::uint8_t { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

[[nodiscard]] std::string_view to_string(severity level) noexcept;

// Detections are revisable: later or late events can extend one (more events
// in the same burst), supersede it or withdraw it. Every revision keeps the
// id; a consumer keeps the highest revision per id (docs/state-model.md).
struct detection {
  std::string id;              // stable: the same evidence gives the same id in any delivery order
  std::uint32_t revision = 0;  // 0 when first found, then one more per change
  bool withdrawn = false;      // a late event undid it; the last revision of that id
  std::string rule_id;
  std::string rule_name;
  severity level = severity::info;
  std::vector<std::string> tactics;     // ATT&CK tactic ids, "TA0007"
  std::vector<std::string> techniques;  // ATT&CK technique ids, "T1580"
  symbol identity;                      // the identity of the detection's earliest event
  symbol source;                        // the source address of that event, as logged
  std::string group_key;                // the values of the rule's group_by fields, joined by '|'
  timestamp first_seen{};
  timestamp last_seen{};
  std::uint64_t count = 1;             // events (count), values (distinct) or steps (sequence, all_of)
  std::vector<std::string> event_ids;  // contributing events, the earliest, capped by detector_options::max_event_ids
  std::string summary;                 // one line a responder can read
  // For a rule judged in context: the detections that put its identity under
  // suspicion, earliest first. With them it reads as one attack sequence.
  std::vector<std::string> follows;
};

}  // namespace v0
}  // namespace identrail
