// The pipeline: normalize, detect, correlate (the identity graph, risk and
// status), each stage fed by the one before. Response plans and policies are
// built from its evidence(). One thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"
#include "identrail/detect/detector.hpp"
#include "identrail/detect/rule_set.hpp"
#include "identrail/core/geolocation.hpp"
#include "identrail/graph/evidence.hpp"
#include "identrail/graph/identity_graph.hpp"
#include "identrail/graph/risk.hpp"
#include "identrail/normalize/event.hpp"
#include "identrail/normalize/event_store.hpp"
#include "identrail/normalize/normalizer.hpp"

namespace identrail {
inline namespace v0 {

// Rule files the engine reads when it is created.
struct rule_file_options {
  std::vector<std::string> paths;  // files or directories of YAML rules
  bool keep_builtin = false;       // the built-in pack as well, not instead
  bool skip_invalid = false;       // load the valid rules, list the others (rule_set::rejected)
};

struct engine_options {
  normalizer_options normalize;
  bool detect = true;  // run rules over the events
  // The rules: compiled ones (a rule_set is shared, not copied), else those of
  // rule_files, else the built-in pack. Giving both is an error.
  std::optional<rule_set> rules;
  rule_file_options rule_files;
  detector_options detection;
  bool retain_events = true;  // keep accepted events for events(); off for pure streaming
  // Build the identity graph (resolution, risk propagation, blast radius,
  // remediation). Off only to measure or when only detections are wanted.
  bool correlate = true;
  std::size_t max_source_ips_per_identity = 64;
  // Locations (city, country, ASN) for source addresses in the graph and the
  // rules: an opened geolocator, else the MaxMind databases named here.
  std::shared_ptr<const geolocator> geolocation;
  std::vector<std::string> geo_databases;
  // A secret that authenticates checkpoints (HMAC-SHA256): written into each
  // one, and required, and checked, to restore it. Empty: a checksum only,
  // which finds corruption, not tampering.
  std::string state_key;
};

// What restoring a checkpoint did with its rules: a rule keeps its state when
// the rule set still has it with the same definition.
struct restore_report {
  std::vector<std::string> kept_rules;
  std::vector<std::string> started_rules;  // new or changed: they start empty
  std::vector<std::string> dropped_rules;  // in the checkpoint, not in this rule set
};

// What the engine knows about one identity (keyed by ARN, else principal id).
struct identity_summary {
  symbol key;
  identity_type type = identity_type::unknown;
  timestamp first_seen{};
  timestamp last_seen{};
  std::uint64_t events = 0;
  std::uint64_t failed = 0;
  std::vector<symbol> source_ips;  // distinct, first-seen order, capped
};

class engine {
 public:
  // Checks the options (errc::invalid_argument names the one at fault), reads
  // the rules and opens the databases they name.
  [[nodiscard]] static result<engine> create(engine_options options = {});
  ~engine();
  engine(engine &&) noexcept;
  engine &operator=(engine &&) noexcept;

  [[nodiscard]] result<std::size_t> feed(std::string_view bytes, std::string_view source = "<memory>");
  // As feed(), without copying: `capacity` readable bytes, at least
  // bytes.size() + input_padding (normalizer::feed_padded).
  [[nodiscard]] result<std::size_t> feed_padded(std::string_view bytes, std::size_t capacity,
                                                std::string_view source = "<memory>");
  [[nodiscard]] result<std::size_t> feed_path(const std::string &path,
                                              const std::function<void(const std::string &)> &on_file = {});
  // Files and directories as one input, their files in CloudTrail delivery order.
  [[nodiscard]] result<std::size_t> feed_paths(const std::vector<std::string> &paths,
                                               const std::function<void(const std::string &)> &on_file = {});
  // Inputs in memory, in order (normalizer::feed_buffers). feed_paths and
  // feed_buffers decode on options.normalize.threads threads.
  [[nodiscard]] result<std::size_t> feed_buffers(const std::vector<input_buffer> &inputs,
                                                 const std::function<void(const std::string &)> &on_input = {});
  // Called for each accepted event after the engine has taken it into account.
  void on_event(std::function<void(const event &)> callback);
  // Called for each detection the moment its evidence is complete (inside the
  // feed that delivered the completing record; absences once the watermark
  // passes their deadline), and again for each revision: same id, a higher
  // revision, `withdrawn` set on the last when a late event undoes it.
  void on_detection(std::function<void(const detection &)> callback);
  // End of input: fires the absences that are due and gives growing bursts
  // their final figures. Feeding afterwards still works.
  void finish();
  // Event time has moved on without events: absences due by `now` fire. A live
  // reader calls it when its source has been quiet (processing time standing
  // in for event time), so an absence does not wait for the next event.
  void advance_to(timestamp now);

  [[nodiscard]] const symbol_table &symbols() const noexcept;
  // Events never move once kept: a pointer to one is valid while the engine lives.
  [[nodiscard]] const event_store &events() const noexcept;
  [[nodiscard]] const decode_stats &stats() const noexcept;
  [[nodiscard]] const std::vector<decode_error> &errors() const noexcept;

  // Identities in order of first appearance.
  [[nodiscard]] const std::vector<identity_summary> &identities() const noexcept;
  // (action, count), most used first; ties by name.
  [[nodiscard]] std::vector<std::pair<symbol, std::uint64_t>> top_actions(std::size_t limit) const;
  [[nodiscard]] std::optional<std::pair<timestamp, timestamp>> time_span() const noexcept;

  // Who is really behind an identity, from every event read so far.
  [[nodiscard]] resolution resolve(symbol identity) const;
  [[nodiscard]] const identity_graph &graph() const noexcept;
  // False when made with correlate off: no graph, so a status stays with the identity its detections name.
  [[nodiscard]] bool correlates() const noexcept;

  // A person's statement about an identity (ARN or principal id): compromised
  // from `since`, remediated at `since` (default: the latest event time read so
  // far), or normal to clear earlier flags.
  [[nodiscard]] result<void> flag(std::string_view identity, compromise_status status,
                                  std::optional<timestamp> since = std::nullopt);
  [[nodiscard]] const std::vector<status_flag> &flags() const noexcept;
  // Risk and status of every identity (identities() order, then the rest);
  // computed on demand and kept until more input or flags arrive.
  [[nodiscard]] const std::vector<assessment> &assessments() const;
  [[nodiscard]] const assessment *assessment_of(std::string_view identity) const;
  // An identity's events (when retained) and detections since a time, in time order.
  [[nodiscard]] std::vector<timeline_entry> timeline(std::string_view identity, timestamp since = {}) const;
  // What the stages have found, for the response stages and the graph
  // queries; valid until the engine next changes (input, flags, restore).
  [[nodiscard]] evidence_view evidence() const;

  // Everything that changes later answers (docs/state-model.md): rule state,
  // the duplicate filter, events held back, the graph, statuses and flags,
  // counts and errors; not the retained events. Versioned, checksummed, and
  // authenticated when options.state_key is set.
  [[nodiscard]] result<std::string> checkpoint() const;
  // The same, written atomically (temporary file, fsync, rename, directory
  // fsync) with mode 0600: the state names identities, keys and addresses.
  [[nodiscard]] result<void> checkpoint_to(const std::string &path) const;
  // An engine that goes on where the checkpoint's left off, created from
  // `options` as create() does. A truncated, corrupt or unauthentic checkpoint
  // is errc::bad_state; one of a newer format, or of a rule set with none of
  // its rules, errc::incompatible_state.
  [[nodiscard]] static result<engine> restore(std::string_view bytes, engine_options options = {});
  [[nodiscard]] static result<engine> restore_from(const std::string &path, engine_options options = {});
  // After restore: which rules kept their state. Empty for an engine made fresh.
  [[nodiscard]] const restore_report &restored() const noexcept;
  // Where the application's sources got to (files read, an S3 position): opaque
  // to the engine, kept in its checkpoints so a restart reads nothing twice.
  void set_cursor(std::string cursor);
  [[nodiscard]] const std::string &cursor() const noexcept;

  [[nodiscard]] const std::vector<detection> &detections() const noexcept;
  [[nodiscard]] const detector_stats &detection_stats() const noexcept;
  [[nodiscard]] const rule_set &rules() const noexcept;

 private:
  struct impl;
  explicit engine(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace v0
}  // namespace identrail
