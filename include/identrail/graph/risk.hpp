// Risk and compromise status of identities, from their detections and the
// identity graph. The rules are in docs/risk.md; in short:
//
// Risk: the highest severity among an identity's detections (info counts as
// low), one level up when they span three or more ATT&CK tactics, and one more
// when discovery is followed by credential access, privilege escalation,
// persistence, defense evasion, exfiltration or impact. Capped at critical.
//
// Status: potentially compromised when the evidence is strong (instance
// credentials used outside the instance, discovery followed by defense
// evasion, or critical risk); compromised or remediated only when a person
// says so. A (potentially) compromised session marks the principal behind it
// and the role it used; sessions created by a (potentially) compromised
// identity after its status began are marked too. Every mark has a reason.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"
#include "identrail/detect/detection.hpp"
#include "identrail/graph/identity_graph.hpp"

namespace identrail {
inline namespace v0 {

// Values are stable: they cross the C ABI.
enum class risk_level : std::uint8_t { none = 0, low = 1, medium = 2, high = 3, critical = 4 };
enum class compromise_status : std::uint8_t { normal = 0, potentially_compromised = 1, compromised = 2, remediated = 3 };

[[nodiscard]] std::string_view to_string(risk_level level) noexcept;
[[nodiscard]] std::string_view to_string(compromise_status status) noexcept;
[[nodiscard]] result<risk_level> parse_risk_level(std::string_view text);
[[nodiscard]] result<compromise_status> parse_compromise_status(std::string_view text);

// A person's statement about an identity: compromised (from `since`),
// remediated (at `since`: only evidence after it counts again) or normal
// (clears earlier flags).
struct status_flag {
  symbol identity;
  compromise_status status = compromise_status::compromised;
  std::optional<timestamp> since;
};

struct assessment {
  symbol identity;
  risk_level risk = risk_level::none;
  compromise_status status = compromise_status::normal;
  std::optional<timestamp> since;    // when the status began, where known
  std::vector<std::string> reasons;  // most important first
  std::size_t detections = 0;        // the identity's own
};

// One assessment per identity in `identities`, in that order, followed by
// any other identity that has detections or flags. Later flags for the same
// identity replace earlier ones.
[[nodiscard]] std::vector<assessment> assess_identities(const identity_graph &graph, std::span<const symbol> identities,
                                                        std::span<const detection> detections,
                                                        std::span<const status_flag> flags);

// Assessments with a lookup by identity.
class assessment_table {
 public:
  assessment_table() = default;
  explicit assessment_table(std::vector<assessment> rows);

  [[nodiscard]] const std::vector<assessment> &rows() const noexcept { return rows_; }
  [[nodiscard]] const assessment *find(symbol identity) const noexcept;

 private:
  std::vector<assessment> rows_;
  std::unordered_map<symbol, std::size_t, symbol_hash> index_;
};

}  // namespace v0
}  // namespace identrail
