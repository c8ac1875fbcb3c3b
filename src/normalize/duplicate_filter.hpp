// Private: recognising repeated events (CloudTrail delivers at least once), shared by the stages.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"
#include "../core/state_io.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

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
  dedup_set() : slots_(256) {}
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return slots_.capacity() * sizeof(dedup_key); }

  bool insert(dedup_key key) {
    if (key.a == 0 && key.b == 0) key.b = 1;
    return place(key);
  }

  void save(state_writer &out) const {
    out.u64(size_);
    for (const auto &k : slots_)
      if (k.a != 0 || k.b != 0) {
        out.u64(k.a);
        out.u64(k.b);
      }
  }
  void load(state_reader &in) {
    const auto n = in.count(16);
    for (std::size_t i = 0; i < n && in.ok(); ++i) {
      dedup_key k{in.u64(), in.u64()};
      if (k.a == 0 && k.b == 0) k.b = 1;
      place(k);
    }
  }

 private:
  bool place(dedup_key key) {
    for (std::size_t i = key.a & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == key) return false;
      if (slots_[i].a == 0 && slots_[i].b == 0) {
        slots_[i] = key;
        // Linear probing stays short up to about 80% full; the slack is the only overhead.
        if (++size_ * 5 > slots_.size() * 4) grow();
        return true;
      }
    }
  }

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

// Exact duplicates over a horizon of event time: a record is a repeat when
// its key was seen, and the key of every record within `horizon` of the newest
// event time seen is held. Keys sit in buckets of event time (a copy has its
// original's eventTime, so only one bucket is searched) and a bucket goes as a
// whole once the horizon has passed it, so memory is the horizon's traffic at
// 16 bytes a key plus the table's slack. A record older than the horizon cannot
// be judged: it is passed as `beyond_horizon` (counted as possibly repeated by
// the caller, never dropped), so a backfill of an earlier day is still read.
class duplicate_filter {
 public:
  enum class verdict : std::uint8_t { first, repeat, beyond_horizon };

  explicit duplicate_filter(std::int64_t horizon_ns, std::int64_t bucket_ns = std::int64_t{3600} * 1'000'000'000)
      : horizon_ns_(horizon_ns > 0 ? horizon_ns : 1), bucket_ns_(bucket_ns > 0 ? bucket_ns : 1),
        seed_(hashing::process_hash_seed()) {}

  // The record's identity: eventID, eventTime, eventSource and eventName. The
  // seed is random per filter (whoever writes the logs chooses the ids) and
  // travels with its checkpoint, so restored keys still match.
  [[nodiscard]] dedup_key key_of(const event &e, const symbol_table &symbols) const {
    const std::uint64_t names = hashing::hash_bytes(symbols.str(e.event_source), seed_) * 31 +
                                hashing::hash_bytes(symbols.str(e.event_name), ~seed_);
    const std::uint64_t extra = names ^ static_cast<std::uint64_t>(to_unix_nanos(e.time)) * 0x9E3779B97F4A7C15ull;
    return {hashing::hash_bytes(e.id, seed_ ^ 0x243F6A8885A308D3ull ^ extra),
            hashing::hash_bytes(e.id, (seed_ + 0x13198A2E03707344ull) ^ (extra * 0xff51afd7ed558ccdull))};
  }

  verdict insert(dedup_key key, std::int64_t time_ns) {
    if (!seen_any_ || time_ns > newest_) advance_to(time_ns);
    if (time_ns < newest_ - horizon_ns_) return verdict::beyond_horizon;  // (times are years 1700 to 2200)
    return buckets_[bucket_of(time_ns)].insert(key) ? verdict::first : verdict::repeat;
  }

  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t n = 0;
    for (const auto &[index, keys] : buckets_) n += keys.size();
    return n;
  }

  // The horizon and bucket width come from the options, not the checkpoint.
  void save(state_writer &out) const {
    out.u64(seed_);
    out.i64(newest_);
    out.boolean(seen_any_);
    out.u64(buckets_.size());
    for (const auto &[index, keys] : buckets_) {
      out.i64(index);
      keys.save(out);
    }
  }
  void load(state_reader &in) {
    seed_ = in.u64();
    const std::int64_t newest = in.i64();
    const bool seen = in.boolean();
    buckets_.clear();
    const auto n = in.count(16);
    for (std::size_t i = 0; i < n && in.ok(); ++i) {
      const auto index = in.i64();
      buckets_[index].load(in);
    }
    if (seen) advance_to(newest);
  }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t n = 0;
    for (const auto &[index, keys] : buckets_) n += keys.memory_bytes();
    return n;
  }

 private:
  std::int64_t bucket_of(std::int64_t t) const noexcept {
    return t >= 0 ? t / bucket_ns_ : -((-t - 1) / bucket_ns_) - 1;
  }
  void advance_to(std::int64_t newest) {
    newest_ = newest;
    seen_any_ = true;
    const std::int64_t oldest_kept = bucket_of(newest_ - horizon_ns_);
    while (!buckets_.empty() && buckets_.begin()->first < oldest_kept) buckets_.erase(buckets_.begin());
  }

  std::int64_t horizon_ns_;
  std::int64_t bucket_ns_;
  std::uint64_t seed_;
  std::int64_t newest_ = 0;
  bool seen_any_ = false;
  std::map<std::int64_t, dedup_set> buckets_;  // by bucket index; a horizon holds a few dozen
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
