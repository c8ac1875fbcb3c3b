// Private: the byte form of engine state, for checkpoints. Little-endian
// fixed-width numbers and length-prefixed strings; symbols travel as numbers
// into the checkpoint's own table and are mapped to the restoring table's.
// A reader never reads past its bytes: a bad length sets an error that names
// what was being read, and every later read returns zeros.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

class state_writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { fixed(v); }
  void u64(std::uint64_t v) { fixed(v); }
  void i64(std::int64_t v) { fixed(static_cast<std::uint64_t>(v)); }
  void f64(double v) { fixed(std::bit_cast<std::uint64_t>(v)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void sym(symbol s) { u32(s.id); }
  // A symbol written as its text: for state that once held the text itself,
  // so that the format stays as it was. Needs texts_from().
  void sym_text(symbol s) { str(texts_ ? texts_->str(s) : std::string_view{}); }
  void texts_from(const symbol_table *table) noexcept { texts_ = table; }
  void time(timestamp t) { i64(to_unix_nanos(t)); }
  template <class T, class Each>
  void list(const std::vector<T> &items, Each &&each) {
    u64(items.size());
    for (const auto &item : items) each(item);
  }
  // A section: tag, then its length, written when it ends.
  std::size_t begin(std::uint32_t tag) {
    u32(tag);
    const std::size_t at = out_.size();
    u64(0);
    return at;
  }
  void end(std::size_t at) {
    const std::uint64_t length = out_.size() - at - 8;
    std::memcpy(out_.data() + at, &length, 8);
  }
  [[nodiscard]] std::string &bytes() noexcept { return out_; }

 private:
  template <class T>
  void fixed(T v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);  // the targets are little-endian (x86-64, arm64)
    out_.append(b, sizeof v);
  }
  std::string out_;
  const symbol_table *texts_ = nullptr;
};

class state_reader {
 public:
  state_reader(std::string_view data, const std::vector<symbol> *symbols, std::string what)
      : data_(data), symbols_(symbols), what_(std::move(what)) {}

  std::uint8_t u8() {
    if (!need(1, "a byte")) return 0;
    return static_cast<std::uint8_t>(data_[at_++]);
  }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::int64_t i64() { return static_cast<std::int64_t>(fixed<std::uint64_t>()); }
  double f64() { return std::bit_cast<double>(fixed<std::uint64_t>()); }
  bool boolean() { return u8() != 0; }
  std::string str() {
    const auto n = u64();
    if (!need(n, "a string")) return {};
    std::string s(data_.substr(at_, n));
    at_ += n;
    return s;
  }
  // A text that sym_text() wrote, as a symbol of the table set by intern_into().
  symbol intern(std::string_view text) { return interner_ && !text.empty() ? interner_->intern(text) : symbol{}; }
  void intern_into(symbol_table *table) noexcept { interner_ = table; }
  symbol sym() {
    const auto id = u32();
    if (!ok_) return {};
    if (!symbols_ || id >= symbols_->size()) {
      fail("a symbol number outside the table (" + std::to_string(id) + ")");
      return {};
    }
    return (*symbols_)[id];
  }
  timestamp time() { return from_unix_nanos(i64()); }
  // The number of items of a list that follows, each at least `min_bytes`
  // long: a count the remaining bytes cannot hold is refused before anything
  // is allocated for it.
  std::size_t count(std::size_t min_bytes = 1) {
    const auto n = u64();
    if (ok_ && n > (data_.size() - at_) / (min_bytes ? min_bytes : 1)) {
      fail("a list of " + std::to_string(n) + " items in " + std::to_string(data_.size() - at_) + " bytes");
      return 0;
    }
    return ok_ ? static_cast<std::size_t>(n) : 0;
  }
  // The next section's tag and bytes; false at the end.
  bool section(std::uint32_t &tag, std::string_view &body) {
    if (!ok_ || at_ >= data_.size()) return false;
    tag = u32();
    const auto n = u64();
    if (!need(n, "a section")) return false;
    body = data_.substr(at_, n);
    at_ += n;
    return true;
  }

  void fail(const std::string &why) {
    if (ok_) error_ = what_ + ": " + why + " at byte " + std::to_string(at_);
    ok_ = false;
  }
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] const std::vector<symbol> *symbols() const noexcept { return symbols_; }
  [[nodiscard]] bool at_end() const noexcept { return at_ == data_.size(); }
  [[nodiscard]] const std::string &error() const noexcept { return error_; }

 private:
  bool need(std::uint64_t n, const char *what) {
    if (!ok_) return false;
    if (n > data_.size() - at_) {
      fail(std::string(what) + " of " + std::to_string(n) + " bytes past the end");
      return false;
    }
    return true;
  }
  template <class T>
  T fixed() {
    T v{};
    if (!need(sizeof v, "a number")) return v;
    std::memcpy(&v, data_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }

  std::string_view data_;
  std::size_t at_ = 0;
  const std::vector<symbol> *symbols_;
  symbol_table *interner_ = nullptr;
  std::string what_;
  std::string error_;
  bool ok_ = true;
};

// Section tags: four letters, read as text in a hex dump.
constexpr std::uint32_t tag(const char (&name)[5]) {
  return static_cast<std::uint32_t>(name[0]) | static_cast<std::uint32_t>(name[1]) << 8 |
         static_cast<std::uint32_t>(name[2]) << 16 | static_cast<std::uint32_t>(name[3]) << 24;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
