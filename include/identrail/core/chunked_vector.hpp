// An append-only sequence kept in fixed-size chunks, so an element never moves
// once added: a pointer or reference to it stays valid while the container
// lives (until clear()). A std::vector growing under millions of kept events
// moves them all into a new array each time it doubles, which invalidates
// every pointer to them; this never does, so a view (C, Python) can point at
// an element instead of copying what it hands out.
#pragma once

#include <compare>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace identrail {
inline namespace v0 {

template <class T, std::size_t ChunkSize = 1024>
class chunked_vector {
  static_assert(ChunkSize > 0 && (ChunkSize & (ChunkSize - 1)) == 0, "a chunk holds a power of two elements");

 public:
  using value_type = T;
  using size_type = std::size_t;
  using reference = T &;
  using const_reference = const T &;

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T *;
    using reference = const T &;

    const_iterator() = default;
    reference operator*() const { return (*owner_)[index_]; }
    pointer operator->() const { return &(*owner_)[index_]; }
    reference operator[](difference_type n) const { return (*owner_)[index_ + static_cast<size_type>(n)]; }
    const_iterator &operator++() { return *this += 1; }
    const_iterator operator++(int) { return std::exchange(*this, *this + 1); }
    const_iterator &operator--() { return *this -= 1; }
    const_iterator operator--(int) { return std::exchange(*this, *this - 1); }
    const_iterator &operator+=(difference_type n) {
      index_ = static_cast<size_type>(static_cast<difference_type>(index_) + n);
      return *this;
    }
    const_iterator &operator-=(difference_type n) { return *this += -n; }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const const_iterator &a, const const_iterator &b) {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(const const_iterator &a, const const_iterator &b) { return a.index_ == b.index_; }
    friend auto operator<=>(const const_iterator &a, const const_iterator &b) { return a.index_ <=> b.index_; }

   private:
    friend class chunked_vector;
    const_iterator(const chunked_vector *owner, size_type index) : owner_(owner), index_(index) {}
    const chunked_vector *owner_ = nullptr;
    size_type index_ = 0;
  };
  using iterator = const_iterator;

  static constexpr size_type chunk_size = ChunkSize;

  [[nodiscard]] size_type size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // Unchecked, as std::vector's.
  [[nodiscard]] const T &operator[](size_type i) const noexcept { return chunks_[i / ChunkSize][i % ChunkSize]; }
  [[nodiscard]] T &operator[](size_type i) noexcept { return chunks_[i / ChunkSize][i % ChunkSize]; }
  [[nodiscard]] const T &front() const noexcept { return (*this)[0]; }
  [[nodiscard]] const T &back() const noexcept { return (*this)[size_ - 1]; }
  [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] const_iterator end() const noexcept { return {this, size_}; }

  // Reserving a whole chunk up front is what keeps its elements in place: a
  // chunk's vector never grows past its capacity, so it never reallocates.
  template <class... Args>
  T &emplace_back(Args &&...args) {
    if (chunks_.size() * ChunkSize == size_) {  // not size_ % ChunkSize: a throw may have left a chunk empty
      std::vector<T> chunk;
      chunk.reserve(ChunkSize);
      chunks_.push_back(std::move(chunk));
    }
    T &added = chunks_.back().emplace_back(std::forward<Args>(args)...);
    ++size_;
    return added;
  }
  void push_back(const T &value) { emplace_back(value); }
  void push_back(T &&value) { emplace_back(std::move(value)); }

  void clear() noexcept {
    chunks_.clear();
    size_ = 0;
  }

 private:
  std::vector<std::vector<T>> chunks_;
  size_type size_ = 0;
};

}  // namespace v0
}  // namespace identrail
