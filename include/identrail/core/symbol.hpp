// Interned strings: identities, actions and other repeated values become small
// integers so later stages compare and hash integers, not strings.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

namespace identrail {
inline namespace v0 {

// Symbol 0 is always the empty string, so a default symbol means "absent".
struct symbol {
  std::uint32_t id = 0;
  [[nodiscard]] constexpr bool empty() const noexcept { return id == 0; }
  constexpr auto operator<=>(const symbol &) const = default;
};

struct symbol_hash {
  std::size_t operator()(symbol s) const noexcept { return std::hash<std::uint32_t>{}(s.id); }
};

namespace hashing {

// A fast 64-bit hash for short strings (ARNs, keys, user agents): 8 bytes per
// multiply step and a final avalanche. Seeded, because log content is chosen
// by whoever makes the API calls, and a fixed hash invites collision floods.
[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view text, std::uint64_t seed) noexcept {
  const char *p = text.data();
  std::size_t n = text.size();
  std::uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull);
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94d049bb133111ebull;
    h ^= h >> 29;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

[[nodiscard]] inline std::uint64_t process_hash_seed() noexcept {
  static const std::uint64_t seed = []() noexcept {
    static int anchor;  // ASLR makes its address differ between runs
    std::uint64_t value = reinterpret_cast<std::uintptr_t>(&anchor) * 0x9E3779B97F4A7C15ull;
    try {
      std::random_device device;
      value ^= (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
      // No entropy source: the address-based seed still varies per run.
    }
    return value ^ 0x5bd1e9955bd1e995ull;
  }();
  return seed;
}

}  // namespace hashing

// Owns the bytes of every interned string. Strings are NUL-terminated so the C
// ABI can hand them out without copying. Not thread-safe: one owner at a time.
// Open addressing over (hash tag, id) pairs keeps the probe sequence in a few
// cache lines; interning is on every event's path.
class symbol_table {
 public:
  symbol_table() : seed_(hashing::process_hash_seed()) {
    by_id_.emplace_back(store(""));
    hashes_.push_back(0);
    slots_.resize(kInitialSlots);
  }
  symbol_table(const symbol_table &) = delete;
  symbol_table &operator=(const symbol_table &) = delete;
  // A moved-from table must not be used again (as with most containers' contents).
  symbol_table(symbol_table &&) noexcept = default;
  symbol_table &operator=(symbol_table &&) noexcept = default;

  symbol intern(std::string_view text) {
    if (text.empty()) return {};
    const std::uint64_t h = hashing::hash_bytes(text, seed_);
    std::size_t i = probe_start(h);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      const slot s = slots_[i];
      if (s.id == 0) break;
      if (s.tag == tag && by_id_[s.id] == text) return symbol{s.id};
    }
    const auto id = static_cast<std::uint32_t>(by_id_.size());
    by_id_.push_back(store(text));
    hashes_.push_back(h);
    slots_[i] = slot{tag, id};
    // Grow at half full: short probe sequences matter more than the few MB.
    if (by_id_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return symbol{id};
  }

  [[nodiscard]] std::optional<symbol> find(std::string_view text) const {
    if (text.empty()) return symbol{};
    const std::uint64_t h = hashing::hash_bytes(text, seed_);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = probe_start(h);; i = (i + 1) & (slots_.size() - 1)) {
      const slot s = slots_[i];
      if (s.id == 0) return std::nullopt;
      if (s.tag == tag && by_id_[s.id] == text) return symbol{s.id};
    }
  }

  // Out-of-range symbols read as "" rather than faulting: symbols cross the C ABI.
  [[nodiscard]] std::string_view str(symbol s) const noexcept {
    return s.id < by_id_.size() ? by_id_[s.id] : std::string_view{};
  }
  // Never NULL: the C ABI promises a string for every field.
  [[nodiscard]] const char *c_str(symbol s) const noexcept { return s.id < by_id_.size() ? by_id_[s.id].data() : ""; }
  [[nodiscard]] std::size_t size() const noexcept { return by_id_.size(); }
  [[nodiscard]] std::size_t bytes_used() const noexcept {
    return arena_bytes_ + slots_.size() * sizeof(slot) + by_id_.size() * (sizeof(std::string_view) + sizeof(std::uint64_t));
  }

 private:
  struct slot {
    std::uint32_t tag = 0;
    std::uint32_t id = 0;  // 0: empty (symbol 0, "", is never stored in a slot)
  };
  static constexpr std::size_t kInitialSlots = 1024;

  [[nodiscard]] std::size_t probe_start(std::uint64_t h) const noexcept {
    return static_cast<std::size_t>(h) & (slots_.size() - 1);
  }

  void rehash(std::size_t size) {
    std::vector<slot> fresh(size);
    for (std::uint32_t id = 1; id < by_id_.size(); ++id) {
      std::size_t i = static_cast<std::size_t>(hashes_[id]) & (size - 1);
      while (fresh[i].id != 0) i = (i + 1) & (size - 1);
      fresh[i] = slot{static_cast<std::uint32_t>(hashes_[id] >> 32), id};
    }
    slots_.swap(fresh);
  }

  // Bump allocation in large blocks: one allocation per block instead of one per string.
  std::string_view store(std::string_view text) {
    const std::size_t need = text.size() + 1;
    if (blocks_.empty() || block_used_ + need > block_size_) {
      const std::size_t size = need > kBlockSize ? need : kBlockSize;
      blocks_.push_back(std::make_unique<char[]>(size));
      block_size_ = size;
      block_used_ = 0;
      arena_bytes_ += size;
    }
    char *dest = blocks_.back().get() + block_used_;
    if (!text.empty()) std::memcpy(dest, text.data(), text.size());
    dest[text.size()] = '\0';
    block_used_ += need;
    return {dest, text.size()};
  }

  static constexpr std::size_t kBlockSize = 64 * 1024;
  std::uint64_t seed_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_size_ = 0;
  std::size_t block_used_ = 0;
  std::size_t arena_bytes_ = 0;
  std::vector<slot> slots_;
  std::vector<std::string_view> by_id_;
  std::vector<std::uint64_t> hashes_;  // per id, so growing never rehashes strings
};

}  // namespace v0
}  // namespace identrail
