// Private: recognising CloudTrail's duplicate deliveries.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
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
  [[nodiscard]] bool contains(dedup_key key) const {
    if (key.a == 0 && key.b == 0) key.b = 1;
    for (std::size_t i = key.a & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == key) return true;
      if (slots_[i].a == 0 && slots_[i].b == 0) return false;
    }
  }

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

// The keys of the events of the last one to two windows of event time, in two
// generations: memory stays bounded by the traffic of two windows instead of
// growing for the life of the engine. A copy that arrives when the newest
// event seen is more than a window past it is no longer recognised.
class dedup_window {
 public:
  explicit dedup_window(std::int64_t window_ns) : window_ns_(window_ns > 0 ? window_ns : 1) {}

  // False when the key was seen within the window.
  bool insert(dedup_key key, std::int64_t time_ns) {
    const std::int64_t bucket = time_ns >= 0 ? time_ns / window_ns_ : -((-time_ns - 1) / window_ns_) - 1;
    if (!started_) {
      started_ = true;
      bucket_ = bucket;
    } else if (bucket > bucket_) {
      // The newer generation becomes the older one; a jump of two or more windows empties both.
      if (bucket == bucket_ + 1) std::swap(current_, previous_);
      else previous_.clear();
      current_.clear();
      bucket_ = bucket;
    }
    if (previous_.contains(key)) return false;
    return current_.insert(key);
  }
  [[nodiscard]] std::size_t size() const noexcept { return current_.size() + previous_.size(); }

 private:
  std::int64_t window_ns_;
  std::int64_t bucket_ = 0;
  bool started_ = false;
  dedup_set current_;
  dedup_set previous_;
};

}  // namespace identrail::detail
