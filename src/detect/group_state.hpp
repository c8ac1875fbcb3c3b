// Private: what a detector remembers per rule and group key. Plain values
// only (times, strings, vectors), so the state can be written to a checkpoint
// and read back as it was.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "../core/inline_text.hpp"
#include "matches.hpp"
#include "volume.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// A detection a group's scan made that later events may still change.
struct tracked_detection {
  std::uint64_t id = 0;
  std::int64_t anchor_time = 0;  // where it starts: what is before a new hit's reach is left as it is
  inline_text anchor_id;
  std::uint64_t shown = 0;  // what the last revision announced (growing counts coarsely)
  std::uint64_t exact = 0;  // the detection as it is
};

// distinct: whether the key's hits, all windows together, hold fewer different
// values than a burst needs; then no scan can find one. A busy identity calls
// the same few APIs all day, so this spares it a scan of its window per hit.
// Kept while there are fewer than the threshold (a new hit adds its value);
// once hits leave it is counted again when next asked. Not in checkpoints: it
// follows from the hits.
class value_census {
 public:
  void forget() noexcept {
    state_ = state::unknown;
    values_.clear();
  }
  void add(std::uint64_t value_hash, std::size_t threshold) {
    if (state_ == state::known) note(value_hash, threshold);
  }
  [[nodiscard]] bool below(const std::vector<hit> &hits, std::size_t threshold) {
    if (state_ == state::unknown) {
      state_ = state::known;
      for (std::size_t i = 0; i < hits.size() && state_ == state::known; ++i) note(hits[i].value_hash, threshold);
    }
    return state_ == state::known;
  }

 private:
  enum class state : std::uint8_t { unknown, known, enough };  // enough: the threshold is reached
  void note(std::uint64_t value_hash, std::size_t threshold) {
    if (std::find(values_.begin(), values_.end(), value_hash) != values_.end()) return;
    // Once per key rather than at each new value; a rule of a large threshold grows past it as needed.
    if (values_.capacity() == 0) values_.reserve(std::min<std::size_t>(threshold, 32));
    values_.push_back(value_hash);
    if (values_.size() >= threshold) {
      state_ = state::enough;
      values_.clear();
    }
  }
  state state_ = state::unknown;
  std::vector<std::uint64_t> values_;  // each different value once, fewer than the threshold
};

// count, distinct, all_of and sequence: the group's hits, sorted by time.
struct hit_state {
  std::vector<hit> hits;
  // A rule in context: hits of identities not under suspicion at their time.
  // They count if a detection (perhaps delivered late) puts them in context.
  std::vector<hit> waiting;
  std::vector<tracked_detection> open;
  std::int64_t newest = INT64_MIN;  // the newest hit: what is older by more than the lateness is too late
  value_census census;              // distinct rules only
};

// rare: an identity of the group that used the value, from when.
struct rare_user {
  symbol identity;
  std::int64_t first = 0;
  std::string id;
  symbol source;
  bool reported = false;
};

struct seen_value {
  std::string value;
  std::int64_t first = 0;  // its earliest event time: the history is in event time
  std::int64_t last = 0;   // its latest, for forgetting the least recently seen
  std::string id;
  symbol identity;
  bool reported = false;
  symbol source;
  bool taught = false;  // seen on a learn_from event: the key's own
  std::vector<rare_user> users;  // rare: the earliest identities to use it, by (first, id)
};
struct first_seen_state {
  std::int64_t first = INT64_MAX;  // the group's earliest event: the learning period starts there
  std::vector<seen_value> values;
  bool any_taught = false;
};

struct pending_absence {
  std::int64_t time = 0;
  symbol identity;
  std::string id;
  bool late = false;  // arrived behind the watermark: only the key's own later events (or finish) decide it
  symbol source;
};
struct absence_state {
  std::vector<pending_absence> pending;  // oldest first
  std::int64_t last_follow_up = INT64_MIN;
  std::int64_t newest = INT64_MIN;
};

struct key_state {
  std::int64_t last_ns = 0;          // the newest event time of the key
  std::int64_t touched = INT64_MIN;  // the watermark when last used: ages a late stream's keys fairly
  std::string display;               // the group's values as people read them, "a|b"; made when first needed
  bool displayed = false;
  std::variant<hit_state, first_seen_state, absence_state, volume_state> data;
};

struct rule_runtime {
  std::unordered_map<std::string, key_state> keys;
  std::unordered_map<std::string, volume_state> peers;  // volume rules: by peer group
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
