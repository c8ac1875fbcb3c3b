#include "matches.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

// The measure of the hits inside a sliding window, kept as hits enter and
// leave. Values are counted by hash in an open-addressing table sized for the
// scan, in the caller's buffer, so a scan allocates only when it is the largest yet.
class window_tally {
 public:
  using slot_table = std::vector<std::pair<std::uint64_t, std::uint32_t>>;
  window_tally(window_measure measure, std::size_t hits, slot_table &slots) : measure_(measure), slots_(slots) {
    if (measure_ != window_measure::distinct_values) return;
    slots_.assign(std::bit_ceil(hits * 2 + 2), {});
  }

  void enter(const hit &h) {
    ++events_;
    if (measure_ == window_measure::distinct_values) {
      if (slot(h.value_hash).second++ == 0) ++distinct_;
    } else if (measure_ == window_measure::steps_covered) {
      for (auto bits = h.steps; bits; bits &= bits - 1)
        if (steps_[static_cast<std::size_t>(std::countr_zero(bits))]++ == 0) ++distinct_;
    }
  }
  void leave(const hit &h) {
    --events_;
    if (measure_ == window_measure::distinct_values) {
      if (--slot(h.value_hash).second == 0) --distinct_;
    } else if (measure_ == window_measure::steps_covered) {
      for (auto bits = h.steps; bits; bits &= bits - 1)
        if (--steps_[static_cast<std::size_t>(std::countr_zero(bits))] == 0) --distinct_;
    }
  }
  void clear() {
    events_ = distinct_ = 0;
    std::fill(slots_.begin(), slots_.end(), std::pair<std::uint64_t, std::uint32_t>{});
    steps_.fill(0);
  }
  [[nodiscard]] std::uint64_t measure() const { return measure_ == window_measure::events ? events_ : distinct_; }

 private:
  // A value keeps its slot while the scan lasts (counts fall to 0, slots are
  // not freed), so the table never holds more values than the scan has hits.
  std::pair<std::uint64_t, std::uint32_t> &slot(std::uint64_t hash) {
    const std::uint64_t key = hash | 1;  // 0 marks an empty slot
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
      auto &s = slots_[i];
      if (s.first == key) return s;
      if (s.first == 0) {
        s.first = key;
        return s;
      }
    }
  }

  window_measure measure_;
  std::uint64_t events_ = 0, distinct_ = 0;
  slot_table &slots_;
  std::array<std::uint32_t, 64> steps_{};
};

}  // namespace

void describe_burst(const std::vector<hit> &hits, const window_rule &rule, match &m) {
  m.last = hits[m.end - 1].time;
  if (rule.measure == window_measure::events) {
    m.count = m.end - m.anchor;
    for (std::size_t i = m.anchor; i < m.end && m.evidence.size() < rule.max_evidence; ++i) m.evidence.push_back(i);
    // What a coalesced burst of single-event hits did (their actions), in the order first seen.
    for (std::size_t i = m.anchor; i < m.end && m.values.size() < rule.max_evidence; ++i)
      if (!hits[i].value.empty() && std::find(m.values.begin(), m.values.end(), hits[i].value) == m.values.end())
        m.values.push_back(hits[i].value);
    return;
  }
  std::uint64_t covered = 0;
  for (std::size_t i = m.anchor; i < m.end; ++i) {
    const hit &h = hits[i];
    bool adds = false;
    if (rule.measure == window_measure::steps_covered) {
      adds = (h.steps & ~covered) != 0;
      covered |= h.steps;
    } else if (std::find(m.values.begin(), m.values.end(), h.value) == m.values.end()) {  // one symbol per text
      m.values.push_back(h.value);
      adds = true;
    }
    if (adds && m.evidence.size() < rule.max_evidence) m.evidence.push_back(i);
  }
  m.count = rule.measure == window_measure::steps_covered ? static_cast<std::uint64_t>(std::popcount(covered))
                                                          : m.values.size();
}


void find_bursts(const std::vector<hit> &hits, const window_rule &rule, std::size_t from, scan_buffers &buffers) {
  auto &found = buffers.found;
  found.clear();
  const std::size_t n = hits.size();
  std::size_t anchor = from;
  while (anchor < n && hits[anchor].sealed) ++anchor;
  window_tally tally(rule.measure, n - std::min(anchor, n), buffers.value_slots);
  std::size_t end = anchor;
  while (anchor < n) {
    const std::int64_t close = hits[anchor].time + rule.window_ns;
    if (rule.measure == window_measure::events) {
      // Counting needs no tally: a binary search finds the window's end.
      end = static_cast<std::size_t>(
          std::upper_bound(hits.begin() + static_cast<std::ptrdiff_t>(anchor), hits.end(), close,
                           [](std::int64_t t, const hit &h) { return t < h.time; }) - hits.begin());
    } else {
      for (; end < n && hits[end].time <= close; ++end) tally.enter(hits[end]);
    }
    const std::uint64_t measured = rule.measure == window_measure::events ? end - anchor : tally.measure();
    if (measured >= rule.threshold) {
      match &m = found.next();
      m.anchor = anchor;
      m.end = end;
      describe_burst(hits, rule, m);
      tally.clear();
      anchor = end;
    } else {
      if (rule.measure != window_measure::events) tally.leave(hits[anchor]);
      ++anchor;
    }
  }
}

void find_sequences(const std::vector<hit> &hits, const sequence_rule &rule, scan_buffers &buffers) {
  auto &found = buffers.found;
  found.clear();
  const std::size_t n = hits.size();
  auto &used = buffers.used;
  used.resize(n);
  for (std::size_t i = 0; i < n; ++i) used[i] = hits[i].sealed;
  const auto first_at = [&](std::int64_t t) {
    return static_cast<std::size_t>(
        std::lower_bound(hits.begin(), hits.end(), t, [](const hit &h, std::int64_t v) { return h.time < v; }) -
        hits.begin());
  };
  for (std::size_t a = 0; a < n; ++a) {
    if (used[a] || hits[a].until || !(hits[a].steps & 1)) continue;
    const std::int64_t start = hits[a].time;
    auto &picks = buffers.picks;
    picks.assign(1, a);
    std::int64_t at = start;
    for (std::size_t step = 1; step < rule.steps; ++step) {
      std::size_t pick = n;
      for (std::size_t b = first_at(at); b < n && hits[b].time - start <= rule.window_ns; ++b) {
        if (used[b] || hits[b].until || !(hits[b].steps >> step & 1)) continue;
        if (std::find(picks.begin(), picks.end(), b) != picks.end()) continue;
        pick = b;
        break;
      }
      if (pick == n) break;
      picks.push_back(pick);
      at = hits[pick].time;
    }
    if (picks.size() < rule.steps) continue;
    bool cancelled = false;
    for (std::size_t u = first_at(start); u < n && hits[u].time <= at && !cancelled; ++u) cancelled = hits[u].until;
    if (cancelled) continue;
    match &m = found.next();
    m.anchor = a;
    m.count = rule.steps;
    m.last = at;
    for (const auto p : picks) used[p] = 1;
    m.evidence.assign(picks.begin(), picks.end());
  }
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
