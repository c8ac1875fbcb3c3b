// Policies from C: parsing, the policies of one request, and evaluation with
// the statement that decided. Documents and sets are immutable once built and
// evaluation is pure, so they may be shared across threads.
#include "shim.hpp"

using namespace idt_shim;

extern "C" {

idt_status idt_policy_parse(idt_policy **out, const char *json, size_t len, const char *source_name, idt_error **err) {
  return guarded(err, [&] {
    if (!out || (!json && len > 0)) return null_argument(err, "idt_policy_parse");
    *out = nullptr;
    auto parsed = it::parse_policy(text(json, len), source_name ? source_name : "policy");
    if (!parsed) return fail(err, parsed.error());
    *out = new idt_policy{std::move(*parsed)};
    return IDT_OK;
  });
}

idt_status idt_policy_to_json(const idt_policy *policy, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!policy || !out) return null_argument(err, "idt_policy_to_json");
    return give_buffer(out, it::to_json(policy->document));
  });
}

size_t idt_policy_statement_count(const idt_policy *policy) { return policy ? policy->document.statements.size() : 0; }
void idt_policy_free(idt_policy *policy) { delete policy; }

idt_status idt_policy_set_new(idt_policy_set **out, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return null_argument(err, "idt_policy_set_new");
    *out = new idt_policy_set{};
    return IDT_OK;
  });
}

idt_status idt_policy_set_add(idt_policy_set *set, idt_policy_kind kind, const idt_policy *policy, idt_error **err) {
  return guarded(err, [&] {
    if (!set || !policy) return null_argument(err, "idt_policy_set_add");
    auto &p = set->policies;
    switch (kind) {
      case IDT_POLICY_IDENTITY: p.identity.push_back(policy->document); return IDT_OK;
      case IDT_POLICY_BOUNDARY: p.boundary.push_back(policy->document); return IDT_OK;
      case IDT_POLICY_SCP: p.scps.push_back(policy->document); return IDT_OK;
      case IDT_POLICY_RESOURCE: p.resource.push_back(policy->document); return IDT_OK;
      case IDT_POLICY_NONE:
      case IDT_POLICY_KIND_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_policy_set_add: unknown policy kind " + std::to_string(kind));
  });
}

void idt_policy_set_free(idt_policy_set *set) { delete set; }

idt_status idt_policy_request_new(idt_policy_request **out, const char *principal, const char *action,
                                  const char *resource, idt_error **err) {
  return guarded(err, [&] {
    if (!out || !principal || !action || !resource) return null_argument(err, "idt_policy_request_new");
    *out = nullptr;
    if (!*action) return fail(err, it::errc::invalid_argument, "idt_policy_request_new: the action is empty");
    *out = new idt_policy_request{it::policy_request{principal, action, resource, {}}};
    return IDT_OK;
  });
}

idt_status idt_policy_request_add_context(idt_policy_request *request, const char *key, const char *value,
                                          idt_error **err) {
  return guarded(err, [&] {
    if (!request || !key || !value) return null_argument(err, "idt_policy_request_add_context");
    auto &context = request->request.context;
    for (auto &[name, values] : context)
      if (name == key) {
        values.emplace_back(value);
        return IDT_OK;
      }
    context.push_back({key, {value}});
    return IDT_OK;
  });
}

void idt_policy_request_free(idt_policy_request *request) { delete request; }

idt_status idt_policy_evaluate(const idt_policy_set *set, const idt_policy_request *request, idt_evaluation **out,
                               idt_error **err) {
  return guarded(err, [&] {
    if (!set || !request || !out) return null_argument(err, "idt_policy_evaluate");
    *out = new idt_evaluation{it::evaluate(set->policies, request->request)};
    return IDT_OK;
  });
}

idt_decision idt_evaluation_decision(const idt_evaluation *e) {
  return e ? static_cast<idt_decision>(e->value.result) : IDT_DECISION_IMPLICIT_DENY;
}
idt_policy_kind idt_evaluation_decided_by(const idt_evaluation *e) {
  return e ? static_cast<idt_policy_kind>(e->value.decided_by) : IDT_POLICY_NONE;
}
size_t idt_evaluation_policy_index(const idt_evaluation *e) { return e ? e->value.policy_index : 0; }
size_t idt_evaluation_statement_index(const idt_evaluation *e) { return e ? e->value.statement_index : 0; }
const char *idt_evaluation_sid(const idt_evaluation *e) { return e ? e->value.sid.c_str() : ""; }
const char *idt_evaluation_reason(const idt_evaluation *e) { return e ? e->value.reason.c_str() : ""; }
void idt_evaluation_free(idt_evaluation *e) { delete e; }

}  // extern "C"
