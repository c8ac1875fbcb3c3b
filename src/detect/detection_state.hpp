// Private: a detection in checkpoint form, shared by the detector and the graph.
#pragma once

#include "../core/state_io.hpp"
#include "identrail/detect/detection.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

inline void save_strings(const std::vector<std::string> &items, state_writer &out) {
  out.list(items, [&](const std::string &s) { out.str(s); });
}
inline std::vector<std::string> load_strings(state_reader &in) {
  std::vector<std::string> items(in.count(8));
  for (auto &s : items) s = in.str();
  return items;
}

inline void save_detection(const detection &d, state_writer &out) {
  out.str(d.id);
  out.u32(d.revision);
  out.boolean(d.withdrawn);
  out.str(d.rule_id);
  out.str(d.rule_name);
  out.u8(static_cast<std::uint8_t>(d.level));
  save_strings(d.tactics, out);
  save_strings(d.techniques, out);
  out.sym(d.identity);
  out.sym(d.source);
  out.str(d.group_key);
  out.time(d.first_seen);
  out.time(d.last_seen);
  out.u64(d.count);
  save_strings(d.event_ids, out);
  out.str(d.summary);
  save_strings(d.follows, out);
}

inline detection load_detection(state_reader &in) {
  detection d;
  d.id = in.str();
  d.revision = in.u32();
  d.withdrawn = in.boolean();
  d.rule_id = in.str();
  d.rule_name = in.str();
  const auto level = in.u8();
  if (level > static_cast<std::uint8_t>(severity::critical)) in.fail("a severity out of range");
  d.level = static_cast<severity>(level);
  d.tactics = load_strings(in);
  d.techniques = load_strings(in);
  d.identity = in.sym();
  d.source = in.sym();
  d.group_key = in.str();
  d.first_seen = in.time();
  d.last_seen = in.time();
  d.count = in.u64();
  d.event_ids = load_strings(in);
  d.summary = in.str();
  d.follows = load_strings(in);
  return d;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
