#include "detection_book.hpp"

#include "detection_state.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace identrail {
inline namespace v0 {
namespace detail {

// FNV-1a with a separator after each part, so ("ab","c") and ("a","bc") differ.
detection_id &detection_id::add(std::string_view part) noexcept {
  for (const char c : part) {
    hash_ ^= static_cast<unsigned char>(c);
    hash_ *= 0x100000001b3ULL;
  }
  hash_ ^= 0xff;
  hash_ *= 0x100000001b3ULL;
  return *this;
}

detection_id &detection_id::add(std::int64_t number) noexcept {
  char bytes[sizeof number];
  std::memcpy(bytes, &number, sizeof number);
  return add(std::string_view(bytes, sizeof bytes));
}

std::string detection_id::text(std::uint64_t id) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(id));
  return out;
}

const detection *detection_book::find(std::string_view id_text) const {
  std::uint64_t id = 0;
  const auto *end = id_text.data() + id_text.size();
  if (id_text.size() != 16 || std::from_chars(id_text.data(), end, id, 16).ptr != end) return nullptr;
  const auto it = index_.find(id);
  if (it == index_.end() || live_[it->second].id != id_text) return nullptr;  // upper-case hex names no id
  return &live_[it->second];
}

void detection_book::add(std::uint64_t id, detection d) {
  d.id = detection_id::text(id);
  d.revision = 0;
  if (const auto back = withdrawn_.find(id); back != withdrawn_.end()) {
    d.revision = back->second + 1;
    withdrawn_.erase(back);
  }
  index_.emplace(id, live_.size());
  live_.push_back(std::move(d));
  announce(live_.back());
}

void detection_book::revise(std::uint64_t id, detection d) {
  const auto it = index_.find(id);
  if (it == index_.end()) return add(id, std::move(d));
  auto &current = live_[it->second];
  d.id = std::move(current.id);
  d.revision = current.revision + 1;
  current = std::move(d);
  ++revisions_;
  announce(current);
}

void detection_book::withdraw(std::uint64_t id) {
  const auto it = index_.find(id);
  if (it == index_.end()) return;
  const std::size_t at = it->second;
  detection last = std::move(live_[at]);
  last.withdrawn = true;
  ++last.revision;
  index_.erase(it);
  withdrawn_[id] = last.revision;
  live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(at));
  // Withdrawals are rare: renumbering what follows is cheaper than a second structure.
  for (auto &[key, position] : index_)
    if (position > at) --position;
  ++withdrawals_;
  announce(last);
}

void detection_book::save(state_writer &out) const {
  out.list(live_, [&](const detection &d) { save_detection(d, out); });
  out.u64(withdrawn_.size());
  for (const auto &[id, revision] : withdrawn_) {
    out.u64(id);
    out.u32(revision);
  }
  out.u64(revisions_);
  out.u64(withdrawals_);
}

void detection_book::load(state_reader &in) {
  live_.clear();
  index_.clear();
  const auto n = in.count(64);
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    live_.push_back(load_detection(in));
    const auto id = std::strtoull(live_.back().id.c_str(), nullptr, 16);
    index_.emplace(id, live_.size() - 1);
  }
  withdrawn_.clear();
  const auto m = in.count(12);
  for (std::size_t i = 0; i < m && in.ok(); ++i) {
    const auto id = in.u64();
    withdrawn_[id] = in.u32();
  }
  revisions_ = in.u64();
  withdrawals_ = in.u64();
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
