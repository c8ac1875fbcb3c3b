// Private: what a stateful rule finds in one group's events, as a pure
// function of those events sorted by event time. Being a function of the set,
// not of the arrival order, is what makes detections order-independent: each
// arrival rescans the group and the detector reports what changed.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "../core/inline_text.hpp"
#include "../core/kept_list.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// One event that matched (part of) a stateful rule, as the rule's state keeps it.
struct hit {
  std::int64_t time = 0;
  inline_text id;           // eventID; "" when the record has none
  symbol identity;
  symbol source;            // the event's source address
  symbol value;             // distinct: the value counted; event, volume: the action
  std::uint64_t value_hash = 0;  // distinct: of the value, so a window counts values without comparing text
  std::uint64_t steps = 0;  // sequence, all_of: bit i set when it matches step i
  bool until = false;       // sequence: cancels what it falls inside
  bool sealed = false;      // used by a detection that can no longer change

  // Event time, then id: same-second events sort the same whatever their arrival.
  [[nodiscard]] bool operator<(const hit &o) const { return std::tie(time, id) < std::tie(o.time, o.id); }
};

// One detection a scan found.
struct match {
  std::size_t anchor = 0;              // the earliest hit, which names it
  std::size_t end = 0;                 // windowed: one past the last hit of the burst
  std::vector<std::size_t> evidence;   // hits named as evidence, in time order
  std::uint64_t count = 0;             // events, distinct values or steps
  std::vector<symbol> values;          // distinct: in the order first seen
  std::int64_t last = 0;               // time of the latest hit in it

  // Empty again, its vectors' memory kept.
  void clear() noexcept {
    anchor = end = 0;
    count = 0;
    last = 0;
    evidence.clear();
    values.clear();
  }
};

// What a scan found, in matches kept from scan to scan: a rescan that finds
// what the last one found reuses their vectors instead of allocating them.
using match_list = kept_list<match>;

// The working memory of scans, kept by their caller so that scanning allocates
// only when a scan needs more than any before it.
struct scan_buffers {
  match_list found;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> value_slots;  // distinct values, by hash
  std::vector<char> used;                                            // sequences: hits already in a match
  std::vector<std::size_t> picks;                                    // sequences: the steps of the one being built
};

enum class window_measure : std::uint8_t { events, distinct_values, steps_covered };

struct window_rule {
  window_measure measure = window_measure::events;
  std::int64_t window_ns = 0;
  std::uint64_t threshold = 0;   // events or values; for steps, the number of steps
  std::size_t max_evidence = 20;
};

// Bursts: from each anchor in time order, the hits within the window after it;
// a burst that reaches the threshold takes every hit of its window, and the
// next anchor is the first hit after them. Sealed hits (a prefix) are
// skipped, and so are the hits before `from`: a caller that knows the scan's
// decisions before it (they cannot change) scans only the rest.
// The matches go to buffers.found, which is cleared first.
void find_bursts(const std::vector<hit> &hits, const window_rule &rule, std::size_t from, scan_buffers &buffers);

// Fills in a burst's count, values, evidence (the earliest hits, or the
// earliest per value or step) and last time from its anchor and end.
void describe_burst(const std::vector<hit> &hits, const window_rule &rule, match &m);

struct sequence_rule {
  std::size_t steps = 0;
  std::int64_t window_ns = 0;  // maxspan, from the first step to the last
};

// Sequences: from each unused first step in time order, each next step is the
// earliest unused hit at or after the previous step's time (so steps in the
// same second match in either order), within the span; an `until` hit between
// the first and the last step cancels it. A match uses its hits up.
void find_sequences(const std::vector<hit> &hits, const sequence_rule &rule, scan_buffers &buffers);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
