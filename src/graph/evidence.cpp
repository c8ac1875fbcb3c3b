#include "identrail/graph/evidence.hpp"

#include <algorithm>

namespace identrail {
inline namespace v0 {

const assessment *evidence_view::assessment_of(std::string_view identity) const {
  if (refresh_assessments) refresh_assessments();
  const auto key = symbols.find(identity);
  return key ? assessments.find(*key) : nullptr;
}

std::vector<timeline_entry> timeline_of(const evidence_view &evidence, std::string_view identity, timestamp since) {
  std::vector<timeline_entry> rows;
  const auto key = evidence.symbols.find(identity);
  if (!key) return rows;
  const auto unknown = evidence.symbols.find("unknown");
  const auto &events = evidence.events;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const symbol found = identity_key_of(events[i]);
    const bool ours = found.empty() ? unknown && *unknown == *key : found == *key;
    if (ours && events[i].time >= since) rows.push_back({events[i].time, timeline_entry::kind::event, i});
  }
  const auto &found = evidence.detections;
  for (std::size_t i = 0; i < found.size(); ++i)
    if (found[i].identity == *key && found[i].last_seen >= since)
      rows.push_back({found[i].first_seen, timeline_entry::kind::detection, i});
  std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.time < b.time; });
  return rows;
}

}  // namespace v0
}  // namespace identrail
