// Running rules over a stream of events in event time: single-event rules and
// stateful per-identity detectors, tolerant of late, unordered and repeated events.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/geolocation.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/detect/detection.hpp"
#include "identrail/detect/rule_set.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

struct detector_options {
  // Every rule but `absence` is evaluated as its event arrives, and a detection
  // is announced the moment its evidence is complete. Events in any delivery
  // order within the allowed lateness (of the newest event time) give the same
  // detections once all are in: later ones revise what was announced. Absence
  // rules see events released in time order, held back this long.
  std::chrono::seconds allowed_lateness{std::chrono::minutes{15}};
  std::chrono::seconds key_ttl{std::chrono::hours{24}};  // idle state per group key is dropped after this
  std::size_t max_keys_per_rule = 100'000;               // beyond it the least recently used keys go
  std::size_t max_partial_matches = 16;                  // pending absences per key and rule
  std::size_t max_hits_per_key = 100'000;                // matching events kept per key and rule (a window's worth)
  std::size_t max_event_ids = 20;                        // event ids kept in a detection
  // An event already evaluated (same eventID, eventTime, eventSource and
  // eventName) within repeat_horizon of the newest event time is not evaluated
  // again. The engine leaves this to its normalizer's duplicate filter.
  bool filter_repeats = true;
  std::chrono::seconds repeat_horizon{std::chrono::hours{24}};
  // Locates source addresses for the asn, as_organization, country and city
  // fields; without it those fields are absent and rules on them never fire.
  std::shared_ptr<const geolocator> geolocation;
  // Times every rule on one evaluation in N (0: never) for rule_costs(). A
  // sampled evaluation costs two clock reads a candidate rule; the others one
  // counter.
  std::uint32_t rule_cost_sampling = 0;
};

// errc::invalid_argument naming the option out of range (a lateness over 7
// days, a zero bound); engine::create checks them too.
[[nodiscard]] result<void> check_options(const detector_options &options);

struct detector_stats {
  std::uint64_t events = 0;      // events taken in
  std::uint64_t late = 0;        // arrived more than the lateness behind the newest event time
  // Events a stateful rule matched after its group's windows had closed
  // (more than the lateness behind the group's newest matching event): not
  // used, so answers already final stay final. Order-dependence is counted here.
  std::uint64_t too_late = 0;
  std::uint64_t repeated = 0;    // events already evaluated, and detections already made, that were not repeated
  std::uint64_t evictions = 0;   // group keys or partial matches dropped to bound state
  std::uint64_t detections = 0;  // detections as they are now (withdrawn ones not counted)
  std::uint64_t revisions = 0;   // updates announced: more evidence, or earlier evidence
  std::uint64_t withdrawn = 0;   // detections a late event undid
  std::uint64_t pending = 0;     // held back for absence rules, waiting for the watermark
  std::uint64_t keys = 0;        // group keys the stateful rules keep state for (bounded by key_ttl and max_keys_per_rule)
};

// What one rule costs, estimated from the sampled evaluations
// (detector_options::rule_cost_sampling): its matching and its state work,
// not the sweeps and absence deadlines that run between events.
struct rule_cost {
  std::string rule_id;
  std::uint64_t sampled = 0;        // sampled evaluations that ran this rule
  double nanos_per_event = 0;       // estimated over every event taken in
};

// Stateful: one thread at a time. Reads strings through the engine's symbol table.
namespace detail {
struct state_access;  // checkpoints (src/core/state_access.hpp)
}

class detector {
 public:
  detector(rule_set rules, symbol_table &symbols, detector_options options = {});
  ~detector();
  detector(detector &&) noexcept;
  detector &operator=(detector &&) noexcept;

  void process(const event &e);
  // Event time has moved on without events (a quiet live stream): as if an
  // event at `now` had arrived, the watermark moves and due absences fire.
  void advance_to(timestamp now);
  // Releases everything held back and fires what is due (absence rules); the
  // detector stays usable, and later events count as late.
  void finish();

  // Called on the processing thread for each detection and each revision of
  // one (same id, higher revision; withdrawn set on the last when undone).
  void on_detection(std::function<void(const detection &)> callback);
  // The detections as they are now, at their latest revision, in the order first found.
  [[nodiscard]] const std::vector<detection> &detections() const noexcept;
  // The detection of an id at its latest revision; null when there is none or it was withdrawn.
  [[nodiscard]] const detection *find(std::string_view id) const;
  [[nodiscard]] const detector_stats &stats() const noexcept;
  [[nodiscard]] const rule_set &rules() const noexcept;
  // Per rule, in rule order; empty unless rule_cost_sampling is set.
  [[nodiscard]] std::vector<rule_cost> rule_costs() const;

 private:
  friend struct detail::state_access;
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace v0
}  // namespace identrail
