// Private: a list whose elements outlive clear(). A cleared list keeps its
// elements and their memory (strings, vectors), and next() hands the next one
// back emptied with its own clear(): a list refilled on every event or scan
// allocates only when it holds more, or longer, elements than ever before.
#pragma once

#include <cstddef>
#include <vector>

namespace identrail {
inline namespace v0 {
namespace detail {

template <class T>
class kept_list {
 public:
  T &next() {
    if (size_ == items_.size()) items_.emplace_back();
    T &item = items_[size_++];
    item.clear();
    return item;
  }
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const T &operator[](std::size_t i) const noexcept { return items_[i]; }
  [[nodiscard]] auto begin() const noexcept { return items_.begin(); }
  [[nodiscard]] auto end() const noexcept { return items_.begin() + static_cast<std::ptrdiff_t>(size_); }

 private:
  std::vector<T> items_;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
