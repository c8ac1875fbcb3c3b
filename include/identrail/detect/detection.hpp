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

struct detection {
  std::string rule_id;
  std::string rule_name;
  severity level = severity::info;
  std::vector<std::string> tactics;     // ATT&CK tactic ids, "TA0007"
  std::vector<std::string> techniques;  // ATT&CK technique ids, "T1580"
  symbol identity;                      // the identity of the event that completed the detection
  std::string group_key;                // the values of the rule's group_by fields, joined by '|'
  timestamp first_seen{};
  timestamp last_seen{};
  std::vector<std::string> event_ids;  // contributing events, capped by detector_options::max_event_ids
  std::string summary;                 // one line a responder can read
};

}  // namespace v0
}  // namespace identrail
