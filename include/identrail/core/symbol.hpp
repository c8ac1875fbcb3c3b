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
#include <string_view>
#include <unordered_map>
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

// Owns the bytes of every interned string. Strings are NUL-terminated so the C
// ABI can hand them out without copying. Not thread-safe: one owner at a time.
class symbol_table {
 public:
  symbol_table() { by_id_.emplace_back(store("")); }
  symbol_table(const symbol_table &) = delete;
  symbol_table &operator=(const symbol_table &) = delete;
  symbol_table(symbol_table &&) noexcept = default;
  symbol_table &operator=(symbol_table &&) noexcept = default;

  symbol intern(std::string_view text) {
    if (text.empty()) return {};
    if (auto found = index_.find(text); found != index_.end()) return symbol{found->second};
    const auto id = static_cast<std::uint32_t>(by_id_.size());
    const std::string_view stored = store(text);
    by_id_.push_back(stored);
    index_.emplace(stored, id);
    return symbol{id};
  }

  [[nodiscard]] std::optional<symbol> find(std::string_view text) const {
    if (text.empty()) return symbol{};
    if (auto found = index_.find(text); found != index_.end()) return symbol{found->second};
    return std::nullopt;
  }

  // Out-of-range symbols read as "" rather than faulting: symbols cross the C ABI.
  [[nodiscard]] std::string_view str(symbol s) const noexcept {
    return s.id < by_id_.size() ? by_id_[s.id] : std::string_view{};
  }
  [[nodiscard]] const char *c_str(symbol s) const noexcept { return str(s).data(); }
  [[nodiscard]] std::size_t size() const noexcept { return by_id_.size(); }
  [[nodiscard]] std::size_t bytes_used() const noexcept { return arena_bytes_; }

 private:
  struct transparent_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

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
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_size_ = 0;
  std::size_t block_used_ = 0;
  std::size_t arena_bytes_ = 0;
  std::unordered_map<std::string_view, std::uint32_t, transparent_hash, std::equal_to<>> index_;
  std::vector<std::string_view> by_id_;
};

}  // namespace v0
}  // namespace identrail
