// Private: reading paths of one event's raw record, as raw_field() and the
// detector's field reader do. The record is copied into a padded buffer and
// parsed once however many paths are read, and the buffers and values are
// reused from event to event: once a reader has met records as large as the
// current one, reading a path allocates nothing (issue 13, section 2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "identrail/normalize/event.hpp"
#include "identrail/normalize/raw_field.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

class raw_reader {
 public:
  enum class status : std::uint8_t { found, absent, no_record, damaged };

  raw_reader();
  ~raw_reader();
  raw_reader(const raw_reader &) = delete;
  raw_reader &operator=(const raw_reader &) = delete;

  // The next reads are of this event's record, which must outlive them.
  void open(const event &e) noexcept;
  // The value at a dotted path (raw_field's rules); `out` keeps its capacity.
  status read(std::string_view path, json_field &out);
  // Every value at the path (raw_fields' rules) into out[0, count): the
  // elements are reused, so `out` only grows.
  status read_each(std::string_view path, std::vector<json_field> &out, std::size_t &count);
  // Why the last read was not `found`: a fixed text, never freed.
  [[nodiscard]] const char *why() const noexcept { return why_; }

 private:
  struct parsed;
  status parse_if_needed();
  std::unique_ptr<parsed> doc_;
  const event *event_ = nullptr;
  bool parsed_ = false;
  const char *why_ = "";
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
