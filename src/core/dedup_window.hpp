// Private: recognising repeated events (CloudTrail delivers at least once), shared by the stages.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail::detail {

// Duplicate key: two independent 64-bit hashes of the identifying fields, so a
// false "duplicate" needs a simultaneous collision in both.
struct dedup_key {
  std::uint64_t a, b;
  bool operator==(const dedup_key &) const = default;
};

// The set of keys seen, open addressing: one insert per event, so no node
// allocation per event. {0,0} marks an empty slot and is never a key.
class dedup_set {
 public:
  dedup_set() : slots_(1024) {}
  // Empties the set, keeping its memory for the next window.
  void clear() {
    std::fill(slots_.begin(), slots_.end(), dedup_key{0, 0});
    size_ = 0;
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  bool insert(dedup_key key) {
    if (key.a == 0 && key.b == 0) key.b = 1;
    for (std::size_t i = key.a & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == key) return false;
      if (slots_[i].a == 0 && slots_[i].b == 0) {
        slots_[i] = key;
        if (++size_ * 2 > slots_.size()) grow();
        return true;
      }
    }
  }

 private:
  void grow() {
    std::vector<dedup_key> old(slots_.size() * 2, dedup_key{0, 0});
    old.swap(slots_);
    for (const auto &k : old) {
      if (k.a == 0 && k.b == 0) continue;
      std::size_t i = k.a & (slots_.size() - 1);
      while (!(slots_[i].a == 0 && slots_[i].b == 0)) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = k;
    }
  }
  std::vector<dedup_key> slots_;
  std::size_t size_ = 0;
};

inline dedup_key make_dedup_key(const event &e) {
  // Symbols are unique within the table the set belongs to, so their ids stand in for the strings.
  const std::uint64_t extra = (static_cast<std::uint64_t>(e.event_source.id) << 32 | e.event_name.id) ^
                              static_cast<std::uint64_t>(to_unix_nanos(e.time)) * 0x9E3779B97F4A7C15ull;
  // Seeded per process, like the symbol table: event ids are chosen by whoever writes the logs.
  const std::uint64_t seed = identrail::hashing::process_hash_seed();
  return {identrail::hashing::hash_bytes(e.id, seed ^ 0x243F6A8885A308D3ull ^ extra),
          identrail::hashing::hash_bytes(e.id, (seed + 0x13198A2E03707344ull) ^ (extra * 0xff51afd7ed558ccdull))};
}

// The keys of recent events, by window of event time. A copy of an event has
// the same eventTime, hence the same window, so only that window's keys need
// searching. Two windows are kept, the least recently used one giving way to a
// new window: memory stays bounded by two windows' traffic whether logs arrive
// in order, late, or as a backfill of older days, and a copy is recognised as
// long as its window is still held.
class dedup_window {
 public:
  explicit dedup_window(std::int64_t window_ns) : window_ns_(window_ns > 0 ? window_ns : 1) {}

  // False when the key was seen in its window.
  bool insert(dedup_key key, std::int64_t time_ns) {
    const std::int64_t bucket = time_ns >= 0 ? time_ns / window_ns_ : -((-time_ns - 1) / window_ns_) - 1;
    generation *target = nullptr;
    for (auto &g : generations_)
      if (g.held && g.bucket == bucket) target = &g;
    if (target == nullptr) {
      target = generations_[0].last_use <= generations_[1].last_use ? &generations_[0] : &generations_[1];
      target->keys.clear();
      target->bucket = bucket;
      target->held = true;
    }
    target->last_use = ++clock_;
    return target->keys.insert(key);
  }
  [[nodiscard]] std::size_t size() const noexcept { return generations_[0].keys.size() + generations_[1].keys.size(); }

 private:
  struct generation {
    std::int64_t bucket = 0;
    bool held = false;
    std::uint64_t last_use = 0;
    dedup_set keys;
  };
  std::int64_t window_ns_;
  std::uint64_t clock_ = 0;
  generation generations_[2];
};

}  // namespace identrail::detail
