// Private: copying a detection over an older revision of itself. Plain
// assignment gives a list exactly the new size, so a burst whose evidence
// grows by one event per revision would reallocate every string of it each
// time; assigning element by element into kept capacity allocates only for
// what is new.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "identrail/detect/detection.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Any list of texts (strings, string views) into `to`'s kept strings.
template <class Texts>
void assign_texts(std::vector<std::string> &to, const Texts &from) {
  if (to.capacity() < from.size()) to.reserve(std::max(from.size(), to.capacity() * 2));
  to.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) to[i].assign(from[i]);
}

inline void copy_detection(detection &to, const detection &from) {
  to.id.assign(from.id);
  to.revision = from.revision;
  to.withdrawn = from.withdrawn;
  to.rule_id.assign(from.rule_id);
  to.rule_name.assign(from.rule_name);
  to.level = from.level;
  assign_texts(to.tactics, from.tactics);
  assign_texts(to.techniques, from.techniques);
  to.identity = from.identity;
  to.source = from.source;
  to.group_key.assign(from.group_key);
  to.first_seen = from.first_seen;
  to.last_seen = from.last_seen;
  to.count = from.count;
  assign_texts(to.event_ids, from.event_ids);
  to.summary.assign(from.summary);
  assign_texts(to.follows, from.follows);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
