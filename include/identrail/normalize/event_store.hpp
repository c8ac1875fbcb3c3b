// Where kept events live: in chunks, so an event never moves once kept, and
// views of it (the C API's idt_event, Python's Event) point at it.
#pragma once

#include "identrail/core/chunked_vector.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

// 512 events (about 140 KB) a chunk: large enough that the chunk list stays
// short at millions of events, small enough for an engine that keeps a few.
using event_store = chunked_vector<event, 512>;

// The store of an owner that keeps no events.
[[nodiscard]] inline const event_store &no_events() noexcept {
  static const event_store none;
  return none;
}

}  // namespace v0
}  // namespace identrail
