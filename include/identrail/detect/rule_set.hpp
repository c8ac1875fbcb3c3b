// Rules: YAML files compiled into an immutable set that threads can share.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/detect/detection.hpp"

namespace identrail {
inline namespace v0 {

namespace detail {
struct compiled_rules;
}

// A rule's own example: events that must (or must not) make it fire. Each
// event is a partial CloudTrail record, laid over a realistic base record.
struct rule_test {
  std::string name;
  bool fires = true;
  std::vector<std::string> events;  // JSON objects
  std::string source;               // "rules/discovery.yaml:30"
};

// What a loaded rule declares (its logic stays compiled inside the set).
struct rule_info {
  std::string id;
  std::string name;
  std::string description;
  severity level = severity::info;
  std::vector<std::string> tactics;
  std::vector<std::string> techniques;
  std::string kind;    // event, count, distinct, sequence, all_of, absence, first_seen
  std::string source;  // "rules/discovery.yaml:12"
  std::vector<rule_test> tests;
};

struct rule_load_options {
  // Load the valid rules and list the others in rule_set::rejected(); by
  // default one invalid rule fails the load, whose error lists every one.
  bool skip_invalid = false;
  // from_paths: the built-in pack as well as the files' rules (an id in both is an error).
  bool with_builtin = false;
};

class rule_set {
 public:
  rule_set();  // empty

  // YAML text holding one rule, a list of rules, or {rules: [...]}, possibly in
  // several documents. Every problem (unknown field, bad regex or CIDR,
  // missing threshold, duplicate id) is an error naming the source, line and rule.
  [[nodiscard]] static result<rule_set> from_yaml(std::string_view text, std::string_view source_name,
                                                  const rule_load_options &options = {});
  // Files, or every .yaml/.yml file under directories, in name order.
  [[nodiscard]] static result<rule_set> from_paths(const std::vector<std::string> &paths,
                                                   const rule_load_options &options = {});
  // With skip_invalid: the rules refused, one "file:line: rule id: reason" each.
  [[nodiscard]] const std::vector<std::string> &rejected() const noexcept;
  // The pack in rules/, built into the library.
  [[nodiscard]] static result<rule_set> builtin();
  // Both sets' rules; an id in both is an error.
  [[nodiscard]] result<rule_set> merged_with(const rule_set &other) const;

  // The set holding only the rule at `index` (empty past the end).
  [[nodiscard]] rule_set only(std::size_t index) const;
  // The rule at `index` with what it needs to fire: for a rule judged in
  // context, the rules whose detections make that context (empty past the end).
  [[nodiscard]] rule_set needed_by(std::size_t index) const;

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const rule_info &info(std::size_t index) const noexcept;  // index < size()

  // Internal: the compiled form the detector runs.
  [[nodiscard]] const std::shared_ptr<const detail::compiled_rules> &compiled() const noexcept { return rules_; }

 private:
  friend struct rule_set_access;
  explicit rule_set(std::shared_ptr<const detail::compiled_rules> rules) : rules_(std::move(rules)) {}
  std::shared_ptr<const detail::compiled_rules> rules_;
  std::shared_ptr<const std::vector<std::string>> rejected_;
};

}  // namespace v0
}  // namespace identrail

namespace identrail {
inline namespace v0 {

struct rule_test_outcome {
  std::string rule_id;
  std::string test;
  std::string source;
  bool passed = false;
  std::string message;  // why it failed
};

// Runs every rule's tests, each rule alone on its test's events (laid over a
// base record: an IAM user in account 111122223333, from 10:00:00 UTC, ten
// seconds apart unless an event gives its eventTime).
[[nodiscard]] std::vector<rule_test_outcome> run_rule_tests(const rule_set &rules);

}  // namespace v0
}  // namespace identrail
