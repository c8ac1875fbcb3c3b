// Private: a key's typical volume, learned online in event time (the volume
// rule kind, docs/rules.md "Baselines"). Counts go into windows aligned on
// event time; a window closes once the lateness has passed it, and closed
// windows are folded into the typical volume in window order, so the
// baseline is the same in any delivery order. The count of window b is
// judged against the baseline of the windows that closed before b could
// receive its first event: fixed from then on, whatever arrives later.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "matches.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// What a key (or a peer group) does in a busy window: an average over its
// busy windows, more weight to the recent, and never growing more than
// twofold in a day of event time, so a slow ramp-up cannot teach it an attack.
struct typical_volume {
  double typical = 0;
  std::uint32_t busy = 0;        // busy windows folded in
  std::int64_t day = INT64_MIN;  // the event-time day the growth cap counts from
  double day_base = 0;           // the typical volume when that day began

  static constexpr double kWeight = 0.2;
  static constexpr double kDailyGrowth = 2.0;

  void add(double value, std::int64_t day_index) {
    if (day_index > day) {
      day = day_index;
      day_base = typical;
    }
    typical = busy == 0 ? value : typical + kWeight * (value - typical);
    if (busy > 0 && day_base > 0) typical = std::min(typical, day_base * kDailyGrowth);
    ++busy;
  }
};

struct volume_window {
  std::int64_t index = 0;
  std::uint64_t count = 0;
  std::vector<hit> evidence;           // the earliest hits, in time order
  std::vector<std::uint32_t> members;  // peer groups: the identities counted, sorted
  std::uint64_t shown = 0;             // the count last announced (0: not announced)
  std::int64_t last = INT64_MIN;

  // A new window again, its vectors' memory kept.
  void clear() noexcept {
    index = 0;
    count = shown = 0;
    last = INT64_MIN;
    evidence.clear();
    members.clear();
  }
};

struct volume_state {
  std::vector<volume_window> open;  // by index
  typical_volume folded;
  // The baseline after each recent fold: (last window folded, baseline), oldest first.
  std::vector<std::pair<std::int64_t, typical_volume>> snapshots{{INT64_MIN, typical_volume{}}};
  std::int64_t newest = INT64_MIN;
  std::string peer;  // the key of its peer group's state
  // Closed windows kept for their vectors' memory, which the next window
  // reuses: a key opens a window each period. Not state: never saved.
  std::vector<volume_window> spare;

  volume_window &window(std::int64_t index) {
    const auto at = std::lower_bound(open.begin(), open.end(), index,
                                     [](const volume_window &w, std::int64_t i) { return w.index < i; });
    if (at != open.end() && at->index == index) return *at;
    volume_window w;
    if (!spare.empty()) {
      w = std::move(spare.back());
      spare.pop_back();
      w.clear();
    }
    w.index = index;
    return *open.insert(at, std::move(w));
  }

  void count(volume_window &w, const hit &h, std::size_t max_evidence) {
    ++w.count;
    w.last = std::max(w.last, h.time);
    const auto at = std::lower_bound(w.evidence.begin(), w.evidence.end(), h);
    if (static_cast<std::size_t>(at - w.evidence.begin()) < max_evidence) {
      w.evidence.insert(at, h);
      if (w.evidence.size() > max_evidence) w.evidence.pop_back();
    }
  }

  // The baseline through window `through`: the latest snapshot at or before it.
  [[nodiscard]] const typical_volume &baseline_through(std::int64_t through) const {
    const auto *found = &snapshots.front().second;
    for (const auto &[index, base] : snapshots) {
      if (index > through) break;
      found = &base;
    }
    return *found;
  }

  // Folds every open window up to `through`, oldest first; `closing(w)` sees each before it goes.
  template <class Closing>
  void fold(std::int64_t through, std::int64_t window_ns, bool per_member, Closing &&closing) {
    while (!open.empty() && open.front().index <= through) {
      auto &w = open.front();
      closing(w);
      const double value = per_member && !w.members.empty()
                               ? static_cast<double>(w.count) / static_cast<double>(w.members.size())
                               : static_cast<double>(w.count);
      const std::int64_t day = w.index * (window_ns / 1'000'000'000) / 86400;
      folded.add(value, day);
      snapshots.emplace_back(w.index, folded);
      if (spare.size() < 2) spare.push_back(std::move(w));
      open.erase(open.begin());
    }
  }

  // Snapshots older than any open window can ask for are dropped; one before them stays.
  void forget_before(std::int64_t through) {
    while (snapshots.size() >= 2 && snapshots[1].first <= through) snapshots.erase(snapshots.begin());
  }
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
