// Rule sets: compiled once, immutable, shared by engines and threads.
#include "shim.hpp"

using namespace idt_shim;

namespace {

constexpr uint32_t kKnownRuleFlags = IDT_RULES_KEEP_BUILTIN | IDT_RULES_SKIP_INVALID;

idt_status give_rules(idt_rule_set **out, it::result<it::rule_set> rules, idt_error **err) {
  if (!rules) return fail(err, rules.error());
  *out = new idt_rule_set{std::move(*rules)};
  return IDT_OK;
}

}  // namespace

extern "C" {

idt_status idt_rule_set_builtin(idt_rule_set **out, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return null_argument(err, "idt_rule_set_builtin");
    *out = nullptr;
    return give_rules(out, it::rule_set::builtin(), err);
  });
}

idt_status idt_rule_set_load(idt_rule_set **out, const char *const *paths, size_t count, uint32_t flags,
                             idt_error **err) {
  return guarded(err, [&] {
    if (!out || (!paths && count > 0)) return null_argument(err, "idt_rule_set_load");
    *out = nullptr;
    if ((flags & ~kKnownRuleFlags) != 0)
      return fail(err, it::errc::invalid_argument, "idt_rule_set_load: unknown flags " + std::to_string(flags));
    std::vector<std::string> list;
    for (size_t i = 0; i < count; ++i) {
      if (!paths[i]) return fail(err, it::errc::invalid_argument, "idt_rule_set_load: path " + std::to_string(i) + " is NULL");
      list.emplace_back(paths[i]);
    }
    if (list.empty()) return fail(err, it::errc::invalid_argument, "idt_rule_set_load: no paths (idt_rule_set_builtin gives the pack)");
    it::rule_load_options load;
    load.skip_invalid = (flags & IDT_RULES_SKIP_INVALID) != 0;
    load.with_builtin = (flags & IDT_RULES_KEEP_BUILTIN) != 0;
    return give_rules(out, it::rule_set::from_paths(list, load), err);
  });
}

idt_status idt_rule_set_parse(idt_rule_set **out, const char *yaml, size_t len, const char *source_name,
                              idt_error **err) {
  return guarded(err, [&] {
    if (!out || (!yaml && len > 0)) return null_argument(err, "idt_rule_set_parse");
    *out = nullptr;
    return give_rules(out, it::rule_set::from_yaml(text(yaml, len), source_name ? source_name : "<memory>"), err);
  });
}

size_t idt_rule_set_count(const idt_rule_set *rules) { return rules ? rules->rules.size() : 0; }
const char *idt_rule_set_rule_id(const idt_rule_set *rules, size_t index) {
  return rules && index < rules->rules.size() ? rules->rules.info(index).id.c_str() : "";
}
const char *idt_rule_set_rule_name(const idt_rule_set *rules, size_t index) {
  return rules && index < rules->rules.size() ? rules->rules.info(index).name.c_str() : "";
}
size_t idt_rule_set_rejection_count(const idt_rule_set *rules) { return rules ? rules->rules.rejected().size() : 0; }
const char *idt_rule_set_rejection_at(const idt_rule_set *rules, size_t index) {
  return rules ? nth(rules->rules.rejected(), index) : "";
}

idt_status idt_rule_set_run_tests(const idt_rule_set *rules, size_t *failed, idt_buffer **report, idt_error **err) {
  return guarded(err, [&] {
    if (!rules || !failed) return null_argument(err, "idt_rule_set_run_tests");
    if (report) *report = nullptr;
    std::string lines;
    *failed = 0;
    for (const auto &outcome : it::run_rule_tests(rules->rules)) {
      if (outcome.passed) continue;
      ++*failed;
      lines += outcome.source + ": " + outcome.rule_id + ": " + outcome.test + ": " + outcome.message + "\n";
    }
    return report ? give_buffer(report, std::move(lines)) : IDT_OK;
  });
}

void idt_rule_set_free(idt_rule_set *rules) { delete rules; }

}  // extern "C"
