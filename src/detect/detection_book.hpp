// Private: the detections a detector has made, as they are now. Each change
// is handed to the callback as a revision of the same id.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../core/state_io.hpp"
#include "identrail/detect/detection.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// A 64-bit id from the parts that make a detection what it is (rule, group
// and the event it is anchored on): text only, so it is the same in any
// process and any delivery order.
class detection_id {
 public:
  detection_id &add(std::string_view part) noexcept;
  detection_id &add(std::int64_t number) noexcept;
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_; }
  [[nodiscard]] static std::string text(std::uint64_t id);

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

class detection_book {
 public:
  using callback_type = std::function<void(const detection &)>;

  void on_change(callback_type callback) { callback_ = std::move(callback); }
  [[nodiscard]] const std::vector<detection> &live() const noexcept { return live_; }
  [[nodiscard]] bool contains(std::uint64_t id) const { return index_.contains(id); }

  // A detection not made before: revision 0.
  void add(std::uint64_t id, detection d);
  // A detection made before, now with other evidence: the next revision.
  void revise(std::uint64_t id, detection d);
  // The live detection of an id, to be revised in place and then announced
  // with revised(); null when there is none.
  [[nodiscard]] detection *find_live(std::uint64_t id) {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &live_[it->second];
  }
  // The live detection whose id reads `id_text` (detection_id::text); null when none.
  [[nodiscard]] const detection *find(std::string_view id_text) const;
  // The detection find_live() gave was rewritten: the next revision.
  void revised(detection &d) {
    ++d.revision;
    ++revisions_;
    announce(d);
  }
  // A detection the evidence no longer supports: a last revision, withdrawn.
  void withdraw(std::uint64_t id);

  void save(state_writer &out) const;
  void load(state_reader &in);

  [[nodiscard]] std::uint64_t revisions() const noexcept { return revisions_; }
  [[nodiscard]] std::uint64_t withdrawals() const noexcept { return withdrawals_; }

 private:
  void announce(const detection &d) const {
    if (callback_) callback_(d);
  }

  std::vector<detection> live_;  // in the order first found
  std::unordered_map<std::uint64_t, std::size_t> index_;
  // Withdrawn ids and their last revision: one that comes back goes on from
  // there, so (id, revision) never names two different things.
  std::unordered_map<std::uint64_t, std::uint32_t> withdrawn_;
  callback_type callback_;
  std::uint64_t revisions_ = 0;
  std::uint64_t withdrawals_ = 0;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
