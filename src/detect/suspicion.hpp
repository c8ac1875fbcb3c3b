// Private: which identities are under suspicion, from when, and why. The
// causes are derived from the live detections (a checkpoint restores them
// from the book); the sessions each identity opened (AssumeRole) are kept
// here, because a session opened by a suspect identity is suspect too: the
// attacker's brute-forced key that assumes an admin role hands on its
// suspicion to what the admin session does.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "../core/function_ref.hpp"
#include "../core/state_io.hpp"
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
    const auto was = std::find_if(list.begin(), list.end(), [&](const cause &c) { return c.id == d.id; });
    // A growing burst is revised often; only what a suspicion depends on matters here.
    if (!d.withdrawn && was != list.end() && was->first == first_ns && was->level == d.level &&
        was->source == d.source.id && was->evidence == d.event_ids)
      return;
    if (was != list.end()) list.erase(was);
    if (!d.withdrawn) {
      list.push_back(cause{first_ns, d.id, d.rule_id, d.level, d.tactics, d.source.id, d.event_ids});
      std::sort(list.begin(), list.end(), [](const cause &a, const cause &b) { return std::tie(a.first, a.id) < std::tie(b.first, b.id); });
    }
    if (list.empty()) by_identity_.erase(d.identity.id);
    touch(d.identity.id, 0);
  }

  // `creator` opened `session` at event time t (a successful AssumeRole).
  void link(symbol session, symbol creator, std::int64_t t) {
    if (session.empty() || creator.empty() || session == creator) return;
    auto &from = opened_by_[session.id];
    const opening o{creator.id, t};
    if (std::find(from.begin(), from.end(), o) != from.end()) return;
    if (from.size() >= kMaxCreators) return;  // a session is opened once; more is noise
    from.push_back(o);
    opened_[creator.id].push_back(session.id);
    touch(session.id, 0);
  }

  // The detections that put `identity` under suspicion at event time t for
  // this rule, earliest first, into `ids` (whose strings are reused).
  void causes(const context_rule &rule, symbol identity, std::int64_t t, symbol source, std::string_view event_id,
              std::vector<std::string> &ids) const {
    std::size_t used = 0;
    collect(rule, identity.id, t, source, event_id, 0, [&](const std::string &id) {
      if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(used), id) != ids.begin() + static_cast<std::ptrdiff_t>(used))
        return false;
      if (used == ids.size()) ids.emplace_back();
      ids[used++].assign(id);
      return false;
    });
    ids.resize(used);
  }

  // An event that is a cause's own evidence is not judged by it: a rule in
  // context adds only what came after the suspicion, not the suspicion again.
  [[nodiscard]] bool suspect(const context_rule &rule, symbol identity, std::int64_t t, symbol source,
                             std::string_view event_id) const {
    return collect(rule, identity.id, t, source, event_id, 0, [](const std::string &) { return true; });
  }

  // Identities whose suspicion changed since the last call.
  std::vector<std::uint32_t> take_changed() {
    std::vector<std::uint32_t> out(changed_.begin(), changed_.end());
    std::sort(out.begin(), out.end());
    changed_.clear();
    return out;
  }

  // Causes come back from the book; the sessions opened are saved here.
  void clear_causes() {
    by_identity_.clear();
    changed_.clear();
  }

  void save(state_writer &out) const {
    out.u64(opened_by_.size());
    for (const auto &[session, from] : opened_by_) {
      out.sym(symbol{session});
      out.list(from, [&](const opening &o) {
        out.sym(symbol{o.creator});
        out.i64(o.time);
      });
    }
  }

  void load(state_reader &in) {
    opened_by_.clear();
    opened_.clear();
    const auto n = in.count(12);
    for (std::size_t i = 0; i < n && in.ok(); ++i) {
      const symbol session = in.sym();
      const auto m = in.count(12);
      for (std::size_t j = 0; j < m && in.ok(); ++j) {
        const symbol creator = in.sym();
        link(session, creator, in.i64());
      }
    }
    changed_.clear();
  }

 private:
  static constexpr std::size_t kMaxCreators = 4;
  static constexpr int kMaxDepth = 4;  // role chaining: a session that opens a session

  struct cause {
    std::int64_t first;
    std::string id;
    std::string rule_id;
    severity level;
    std::vector<std::string> tactics;
    std::uint32_t source;  // the address of the detection's first event
    std::vector<std::string> evidence;
  };
  struct opening {
    std::uint32_t creator;
    std::int64_t time;
    bool operator==(const opening &) const = default;
  };

  // A change reaches the sessions the identity opened, and theirs.
  void touch(std::uint32_t identity, int depth) {
    changed_.insert(identity);
    if (depth >= kMaxDepth) return;
    if (const auto it = opened_.find(identity); it != opened_.end())
      for (const auto session : it->second) touch(session, depth + 1);
  }

  // Calls found(id) for each cause of the identity's suspicion at t, its own
  // then its creators' (whose suspicion must have begun before they opened
  // it, and still hold at t); stops when found returns true.
  // One function type, not a template: the recursion would instantiate a new lambda type per level.
  using on_cause = function_ref<bool(const std::string &)>;
  bool collect(const context_rule &rule, std::uint32_t identity, std::int64_t t, symbol source, std::string_view event_id,
               int depth, const on_cause &found) const {
    if (const auto it = by_identity_.find(identity); it != by_identity_.end()) {
      for (const auto &c : it->second) {
        if (c.first > t) break;
        // Handed down, the suspicion is the session's whatever its network: the thief opened it.
        if (t - c.first <= rule.within_ns && !is_evidence(c, event_id) && qualifies(rule, c, source, depth > 0) &&
            found(c.id))
          return true;
      }
    }
    if (depth >= kMaxDepth) return false;
    const auto from = opened_by_.find(identity);
    if (from == opened_by_.end()) return false;
    for (const auto &o : from->second) {
      if (o.time > t) continue;
      // The creator's suspicion at the moment it opened the session, still within reach at t.
      bool stop = false;
      collect(rule, o.creator, o.time, source, {}, depth + 1, [&](const std::string &id) {
        if (!reaches(rule, o.creator, id, t)) return false;
        stop = found(id);
        return stop;
      });
      if (stop) return true;
    }
    return false;
  }

  bool reaches(const context_rule &rule, std::uint32_t creator, const std::string &id, std::int64_t t) const {
    const auto it = by_identity_.find(creator);
    if (it == by_identity_.end()) return false;
    for (const auto &c : it->second)
      if (c.id == id) return t - c.first <= rule.within_ns;
    return false;
  }

  static bool is_evidence(const cause &c, std::string_view event_id) {
    return !event_id.empty() && std::find(c.evidence.begin(), c.evidence.end(), event_id) != c.evidence.end();
  }

  static bool qualifies(const context_rule &rule, const cause &c, symbol source, bool inherited) {
    return std::any_of(rule.after.begin(), rule.after.end(),
                       [&](const suspicion_cause &k) { return names(k, c, source, inherited); });
  }
  static bool names(const suspicion_cause &k, const cause &c, symbol source, bool inherited) {
    if (c.level < k.min_level) return false;
    if (!inherited && k.same_source && (c.source != source.id || source.empty())) return false;
    if (!k.rules.empty() && std::find(k.rules.begin(), k.rules.end(), c.rule_id) == k.rules.end()) return false;
    if (k.tactics.empty()) return true;
    return std::any_of(c.tactics.begin(), c.tactics.end(), [&](const std::string &t) {
      return std::find(k.tactics.begin(), k.tactics.end(), t) != k.tactics.end();
    });
  }

  std::unordered_map<std::uint32_t, std::vector<cause>> by_identity_;
  std::unordered_map<std::uint32_t, std::vector<opening>> opened_by_;  // session -> who opened it, when
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> opened_;  // identity -> the sessions it opened
  std::unordered_set<std::uint32_t> changed_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
