// Private: which identities are under suspicion, from when, and why. Derived
// from the live detections (so a checkpoint needs nothing more), it decides
// which events a rule judged in context may count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "identrail/detect/detection.hpp"
#include "rule_model.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

class suspicion_book {
 public:
  // Only detections of rules not themselves in context make suspicion: a
  // context rule's detection cannot feed another, so no chain loops.
  void note(const detection &d, std::int64_t first_ns) {
    auto &list = by_identity_[d.identity.id];
    std::erase_if(list, [&](const cause &c) { return c.id == d.id; });
    if (!d.withdrawn) {
      list.push_back(cause{first_ns, d.id, d.rule_id, d.level, d.tactics, d.source.id, d.event_ids});
      std::sort(list.begin(), list.end(), [](const cause &a, const cause &b) { return std::tie(a.first, a.id) < std::tie(b.first, b.id); });
    }
    if (list.empty()) by_identity_.erase(d.identity.id);
    changed_.insert(d.identity.id);
  }

  // The detections that put `identity` under suspicion at event time t for this rule, earliest first.
  [[nodiscard]] std::vector<std::string> causes(const context_rule &rule, symbol identity, std::int64_t t,
                                                symbol source, std::string_view event_id) const {
    std::vector<std::string> ids;
    const auto it = by_identity_.find(identity.id);
    if (it == by_identity_.end()) return ids;
    for (const auto &c : it->second) {
      if (c.first > t) break;
      if (t - c.first <= rule.within_ns && !is_evidence(c, event_id) && qualifies(rule, c, source)) ids.push_back(c.id);
    }
    return ids;
  }

  // An event that is a cause's own evidence is not judged by it: a rule in
  // context adds only what came after the suspicion, not the suspicion again.
  [[nodiscard]] bool suspect(const context_rule &rule, symbol identity, std::int64_t t, symbol source,
                             std::string_view event_id) const {
    const auto it = by_identity_.find(identity.id);
    if (it == by_identity_.end()) return false;
    for (const auto &c : it->second) {
      if (c.first > t) break;
      if (t - c.first <= rule.within_ns && !is_evidence(c, event_id) && qualifies(rule, c, source)) return true;
    }
    return false;
  }

  // Identities whose suspicion changed since the last call.
  std::vector<std::uint32_t> take_changed() {
    std::vector<std::uint32_t> out(changed_.begin(), changed_.end());
    std::sort(out.begin(), out.end());
    changed_.clear();
    return out;
  }

  void clear() {
    by_identity_.clear();
    changed_.clear();
  }

 private:
  struct cause {
    std::int64_t first;
    std::string id;
    std::string rule_id;
    severity level;
    std::vector<std::string> tactics;
    std::uint32_t source;  // the address of the detection's first event
    std::vector<std::string> evidence;
  };

  static bool is_evidence(const cause &c, std::string_view event_id) {
    return !event_id.empty() && std::find(c.evidence.begin(), c.evidence.end(), event_id) != c.evidence.end();
  }

  static bool qualifies(const context_rule &rule, const cause &c, symbol source) {
    return std::any_of(rule.after.begin(), rule.after.end(), [&](const suspicion_cause &k) { return names(k, c, source); });
  }
  static bool names(const suspicion_cause &k, const cause &c, symbol source) {
    if (c.level < k.min_level) return false;
    if (k.same_source && (c.source != source.id || source.empty())) return false;
    if (!k.rules.empty() && std::find(k.rules.begin(), k.rules.end(), c.rule_id) == k.rules.end()) return false;
    if (k.tactics.empty()) return true;
    return std::any_of(c.tactics.begin(), c.tactics.end(), [&](const std::string &t) {
      return std::find(k.tactics.begin(), k.tactics.end(), t) != k.tactics.end();
    });
  }

  std::unordered_map<std::uint32_t, std::vector<cause>> by_identity_;
  std::unordered_set<std::uint32_t> changed_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
