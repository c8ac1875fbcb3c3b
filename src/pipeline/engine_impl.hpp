// Private: the engine's parts and what it keeps beside them, shared by
// engine.cpp and engine_state.cpp (checkpoints).
#pragma once

#include <algorithm>
#include <unordered_map>

#include "identrail/pipeline/engine.hpp"
#include "../core/state_io.hpp"

namespace identrail {
inline namespace v0 {

struct engine::impl {
  // From options detail::prepare() made ready: the rules are compiled.
  explicit impl(engine_options ready)
      : options(std::move(ready)), normalize(symbols, options.normalize), unknown(symbols.intern("unknown")),
        detect(options.rules.value_or(rule_set{}), symbols, detector_options_for(options)) {}

  // One duplicate filter, not two: the detector filters repeats only when the
  // normalizer does not, and then over the same horizon.
  static detector_options detector_options_for(const engine_options &o) {
    detector_options d = o.detection;
    d.filter_repeats = !o.normalize.deduplicate;
    d.repeat_horizon = o.normalize.dedup_horizon;
    if (!d.geolocation) d.geolocation = o.geolocation;
    return d;
  }

  engine_options options;
  symbol_table symbols;
  normalizer normalize;
  symbol unknown;
  detector detect;
  identity_graph graph{symbols, options.geolocation};
  std::vector<status_flag> flags;
  // Assessments are derived data: rebuilt on the first request after a change.
  mutable assessment_table assessed;
  mutable bool assessed_fresh = false;
  std::function<void(const detection &)> detection_callback;
  event_store events;  // chunked: a view keeps a pointer to its event
  std::vector<identity_summary> identities;
  std::unordered_map<symbol, std::size_t, symbol_hash> identity_index;
  std::unordered_map<symbol, std::uint64_t, symbol_hash> action_counts;
  std::optional<std::pair<timestamp, timestamp>> span;
  std::function<void(const event &)> callback;
  restore_report restored;
  std::string cursor;

  // Identities, action counts, the time span and the flags (engine_state.cpp).
  void save(detail::state_writer &out) const;
  void load(detail::state_reader &in);
  event_sink sink = [this](const event &e) {
    take(e);
    return true;
  };

  void take(const event &e) {
    const symbol found = identity_key_of(e);
    const symbol key = found.empty() ? unknown : found;
    auto [it, inserted] = identity_index.try_emplace(key, identities.size());
    if (inserted) {
      identity_summary summary;
      summary.key = key;
      summary.type = e.who.type;
      summary.first_seen = summary.last_seen = e.time;
      identities.push_back(summary);
    }
    auto &id = identities[it->second];
    id.first_seen = std::min(id.first_seen, e.time);
    id.last_seen = std::max(id.last_seen, e.time);
    ++id.events;
    if (!e.result.success) ++id.failed;
    if (e.source.is_ip() && id.source_ips.size() < options.max_source_ips_per_identity &&
        std::find(id.source_ips.begin(), id.source_ips.end(), e.source.text) == id.source_ips.end())
      id.source_ips.push_back(e.source.text);
    ++action_counts[e.action];
    if (!span) span.emplace(e.time, e.time);
    else span = std::pair{std::min(span->first, e.time), std::max(span->second, e.time)};
    if (options.correlate) graph.observe(e, key);
    assessed_fresh = false;
    if (options.retain_events) events.push_back(e);
    if (callback) callback(e);
    if (options.detect) detect.process(e);
  }
};

}  // namespace v0
}  // namespace identrail
