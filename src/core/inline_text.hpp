// Private: a short text kept in place. Event ids are 36-character UUIDs in
// CloudTrail: a rule's state that keeps one per hit stores it inline rather
// than allocating a string for it (issue 13, section 2). Longer texts go to
// the heap, so any id works; they are simply not free.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

class inline_text {
 public:
  static constexpr std::size_t inline_capacity = 40;

  inline_text() = default;
  inline_text(std::string_view text) { assign(text); }  // NOLINT: a text is one
  inline_text(const inline_text &o) { assign(o.view()); }
  inline_text(inline_text &&o) noexcept = default;
  inline_text &operator=(const inline_text &o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  inline_text &operator=(inline_text &&o) noexcept = default;
  inline_text &operator=(std::string_view text) {
    assign(text);
    return *this;
  }

  void assign(std::string_view text) {
    size_ = static_cast<std::uint32_t>(text.size());
    if (text.size() <= inline_capacity) {
      heap_.reset();
      std::copy(text.begin(), text.end(), local_.begin());
      return;
    }
    heap_ = std::make_unique<char[]>(text.size());
    std::memcpy(heap_.get(), text.data(), text.size());
  }

  [[nodiscard]] std::string_view view() const noexcept { return {heap_ ? heap_.get() : local_.data(), size_}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: read as text anywhere
  [[nodiscard]] std::string str() const { return std::string(view()); }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  friend bool operator==(const inline_text &a, const inline_text &b) noexcept { return a.view() == b.view(); }
  friend std::strong_ordering operator<=>(const inline_text &a, const inline_text &b) noexcept {
    return a.view() <=> b.view();
  }

 private:
  std::array<char, inline_capacity> local_{};
  std::uint32_t size_ = 0;
  std::unique_ptr<char[]> heap_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
