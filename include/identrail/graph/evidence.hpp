// What the stages before response have established, by reference: the input
// of the response stages (remediation, least privilege) and of the graph
// queries. The engine gives one (engine::evidence()); a program that runs the
// stages itself fills one from its own parts. A view: it owns nothing, and is
// valid while what it refers to lives unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"
#include "identrail/detect/detection.hpp"
#include "identrail/graph/identity_graph.hpp"
#include "identrail/graph/risk.hpp"
#include "identrail/normalize/event.hpp"
#include "identrail/normalize/event_store.hpp"

namespace identrail {
inline namespace v0 {

struct evidence_view {
  const symbol_table &symbols;
  const identity_graph &graph;
  const assessment_table &assessments;
  const event_store &events = no_events();  // empty when they were not kept
  std::span<const detection> detections = {};
  // False when events were read but not kept: a timeline then has detections only.
  bool events_retained = true;
  // Brings `assessments` up to date before it is read, for an owner that computes them on demand (the
  // engine): answers that never read them (paths, blast radius, timelines) then never pay for them.
  std::function<void()> refresh_assessments = {};

  // The assessment of an identity named by ARN or principal id; null when unknown.
  [[nodiscard]] const assessment *assessment_of(std::string_view identity) const;
};

// One row of an identity's timeline: an event (index into events) or a
// detection (index into detections).
struct timeline_entry {
  enum class kind : std::uint8_t { event = 0, detection = 1 };
  timestamp time{};
  kind what = kind::event;
  std::size_t index = 0;
};

// An identity's events and detections since a time, in time order (events
// without an identity count as "unknown").
[[nodiscard]] std::vector<timeline_entry> timeline_of(const evidence_view &evidence, std::string_view identity,
                                                      timestamp since = {});

}  // namespace v0
}  // namespace identrail
