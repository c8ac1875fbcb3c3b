// Private: a small open-addressing map from integer keys (symbol ids, pairs of
// them) to values, for the per-event caches of the decoder, where
// std::unordered_map's node chasing showed in profiles.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace identrail {
inline namespace v0 {
namespace detail {

template <class Value>
class id_map {
 public:
  id_map() : slots_(256) {}

  // The value for `key`, default-constructed on first use; `inserted` says which.
  std::pair<Value *, bool> try_emplace(std::uint64_t key) {
    const std::uint64_t stored = key + 1;  // 0 marks an empty slot
    for (std::size_t i = index(stored);; i = (i + 1) & (slots_.size() - 1)) {
      auto &slot = slots_[i];
      if (slot.first == stored) return {&slot.second, false};
      if (slot.first == 0) {
        if ((size_ + 1) * 2 > slots_.size()) {
          grow();
          return try_emplace(key);
        }
        slot.first = stored;
        ++size_;
        return {&slot.second, true};
      }
    }
  }

 private:
  std::size_t index(std::uint64_t stored) const {
    return static_cast<std::size_t>((stored * 0x9E3779B97F4A7C15ull) >> 20) & (slots_.size() - 1);
  }
  void grow() {
    std::vector<std::pair<std::uint64_t, Value>> old(slots_.size() * 2);
    old.swap(slots_);
    for (auto &slot : old) {
      if (slot.first == 0) continue;
      std::size_t i = index(slot.first);
      while (slots_[i].first != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = std::move(slot);
    }
  }
  std::vector<std::pair<std::uint64_t, Value>> slots_;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
