// Private: the C handles as the shim holds them, and the helpers every entry
// point uses to keep exceptions inside and report errors as statuses.
#pragma once

#include <deque>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identrail.h"
#include "identrail/identrail.hpp"

namespace it = identrail;

struct idt_error {
  int32_t code;
  std::string message;
};
struct idt_buffer {
  std::string bytes;
};
// The C++ options as they are; engine::create checks them.
struct idt_options {
  it::engine_options value;
};
struct idt_rule_set {
  it::rule_set rules;
};
// An event as C sees it: a pointer into its owner's event_store, where an
// event never moves once kept (until the normalizer's events are cleared, as
// documented), so its own strings are handed out as they are, not copied.
struct idt_event {
  const it::event *event;
  const it::symbol_table *symbols;
  [[nodiscard]] const it::event &get() const { return *event; }
};
// A detection's latest revision as C sees it: one view per detection id, kept
// while the engine lives, so a handed-out pointer never dangles.
struct idt_detection {
  const it::symbol_table *symbols;
  it::detection value;
  [[nodiscard]] const it::detection &get() const { return value; }
};

struct idt_engine {
  explicit idt_engine(it::engine made);
  it::engine engine;
  std::deque<idt_event> views;  // one per retained event; a deque keeps handed-out addresses valid as it grows
  std::deque<idt_detection> detection_views;
  std::unordered_map<std::string, idt_detection *> view_by_id;
  std::vector<const idt_detection *> standing;  // the detections as they are now, in the order first found
  bool standing_stale = false;
  idt_detection_callback callback = nullptr;
  void *callback_data = nullptr;

  std::deque<it::decode_error> errors;  // copies: the engine's vector moves its strings as it grows

  const idt_detection &view_of(const it::detection &d);
  // After every call that reads input: views for the new events, errors and detections.
  void refresh();
};

struct idt_normalizer {
  explicit idt_normalizer(it::normalizer_options options) : decode(symbols, std::move(options)) {}
  it::symbol_table symbols;
  it::normalizer decode;
  it::event_store events;
  std::deque<idt_event> views;
  std::deque<it::decode_error> errors;  // copies, as the engine's
  void refresh() {
    for (std::size_t i = views.size(); i < events.size(); ++i) views.push_back(idt_event{&events[i], &symbols});
    for (std::size_t i = errors.size(); i < decode.errors().size(); ++i) errors.push_back(decode.errors()[i]);
  }
};

struct idt_identity {
  std::string key;
  std::string type;
  it::identity_summary summary;
  std::vector<std::string> source_ips;
};
struct idt_identity_list {
  std::vector<idt_identity> rows;
};
struct idt_assessment {
  std::string identity;
  it::assessment value;
};
struct idt_assessment_list {
  std::vector<idt_assessment> rows;
};

struct idt_query_options {
  std::optional<it::timestamp> since, now, flag_time;
  std::optional<std::size_t> max_depth, max_paths;
  std::optional<bool> compact;
  std::optional<std::string> to;
  std::vector<std::string> allow_cidrs;
  std::vector<it::policy_document> current;
};

struct idt_policy {
  it::policy_document document;
};
struct idt_policy_set {
  it::policy_set policies;
};
struct idt_policy_request {
  it::policy_request request;
};
struct idt_evaluation {
  it::evaluation value;
};

namespace idt_shim {

idt_status fail(idt_error **err, it::errc code, std::string message);
inline idt_status fail(idt_error **err, const it::error &e) { return fail(err, e.code, e.message); }
inline idt_status null_argument(idt_error **err, std::string_view function) {
  return fail(err, it::errc::invalid_argument, std::string(function) + ": NULL argument");
}

// Wraps an entry point body: no exception crosses the C boundary.
template <class Body>
idt_status guarded(idt_error **err, Body &&body) noexcept {
  if (err) *err = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(err, it::errc::out_of_memory, "out of memory");
  } catch (const std::exception &e) {
    try {
      return fail(err, it::errc::internal, std::string("internal error: ") + e.what());
    } catch (...) {
      return -static_cast<idt_status>(it::errc::internal);  // no memory left even for the message
    }
  } catch (...) {
    return fail(err, it::errc::internal, "internal error");
  }
}

inline idt_status give_buffer(idt_buffer **out, std::string bytes) {
  *out = new idt_buffer{std::move(bytes)};
  return IDT_OK;
}

inline std::optional<it::timestamp> optional_time(int64_t ns) {
  if (ns == IDT_NO_TIME) return std::nullopt;
  return it::from_unix_nanos(ns);
}
inline int64_t time_or_none(const std::optional<it::timestamp> &t) { return t ? it::to_unix_nanos(*t) : IDT_NO_TIME; }

inline std::string_view text(const char *data, size_t len) { return {data ? data : "", len}; }
inline const char *nth(const std::vector<std::string> &list, size_t index) {
  return index < list.size() ? list[index].c_str() : "";
}
// A string answer with its length: what the status-returning getters hand out.
inline idt_status give_text(std::string_view value, const char **out, size_t *len) {
  *out = value.data() ? value.data() : "";
  if (len) *len = value.size();
  return IDT_OK;
}

// The decode counts both the engine and the normalizer report.
idt_status stat_of(const it::decode_stats &stats, idt_stat key, uint64_t *value, idt_error **err);
// One text of a decode error (source, location or reason); "" for no list or past its end.
const char *error_text(const std::deque<it::decode_error> *errors, size_t index, std::string it::decode_error::*text);

}  // namespace idt_shim
