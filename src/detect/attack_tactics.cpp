#include "attack_tactics.hpp"

#include <algorithm>
#include <string>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

// MITRE ATT&CK Enterprise tactics, v19: "Defense Evasion" became "Stealth"
// (the id stays TA0005) and "Defense Impairment" (TA0112) was added; the old
// name is kept so older rules still map. Data: extend it when ATT&CK moves.
struct tactic {
  std::string_view name, id;
};
constexpr tactic kTactics[] = {
    {"reconnaissance", "TA0043"},     {"resource-development", "TA0042"}, {"initial-access", "TA0001"},
    {"execution", "TA0002"},          {"persistence", "TA0003"},          {"privilege-escalation", "TA0004"},
    {"stealth", "TA0005"},            {"defense-evasion", "TA0005"},      {"defense-impairment", "TA0112"},
    {"credential-access", "TA0006"},  {"discovery", "TA0007"},            {"lateral-movement", "TA0008"},
    {"collection", "TA0009"},         {"command-and-control", "TA0011"},  {"exfiltration", "TA0010"},
    {"impact", "TA0040"},
};

}  // namespace

std::string_view attack_tactic_id(std::string_view name) noexcept {
  std::string key(name);
  std::replace(key.begin(), key.end(), '_', '-');
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto &t : kTactics)
    if (t.name == key) return t.id;
  return {};
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
