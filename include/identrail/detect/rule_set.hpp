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
};

class rule_set {
 public:
  rule_set();  // empty

  // YAML text holding one rule, a list of rules, or {rules: [...]}, possibly in
  // several documents. Every problem (unknown field, bad regex or CIDR,
  // missing threshold, duplicate id) is an error naming the source, line and rule.
  [[nodiscard]] static result<rule_set> from_yaml(std::string_view text, std::string_view source_name);
  // Files, or every .yaml/.yml file under directories, in name order.
  [[nodiscard]] static result<rule_set> from_paths(const std::vector<std::string> &paths);
  // The pack in rules/, built into the library.
  [[nodiscard]] static result<rule_set> builtin();
  // Both sets' rules; an id in both is an error.
  [[nodiscard]] result<rule_set> merged_with(const rule_set &other) const;

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const rule_info &info(std::size_t index) const;

  // Internal: the compiled form the detector runs.
  [[nodiscard]] const std::shared_ptr<const detail::compiled_rules> &compiled() const noexcept { return rules_; }

 private:
  friend struct rule_set_access;
  explicit rule_set(std::shared_ptr<const detail::compiled_rules> rules) : rules_(std::move(rules)) {}
  std::shared_ptr<const detail::compiled_rules> rules_;
};

}  // namespace v0
}  // namespace identrail
