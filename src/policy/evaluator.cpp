#include "identrail/policy/evaluator.hpp"

#include <algorithm>

#include "../core/arn_fields.hpp"
#include "../core/wildcard.hpp"
#include "conditions.hpp"

namespace identrail {
inline namespace v0 {
namespace {

bool action_matches(const policy_statement &s, std::string_view action) {
  const bool any = std::any_of(s.actions.begin(), s.actions.end(),
                               [&](const std::string &p) { return detail::wildcard_match(p, action, true); });
  return any != s.not_action;
}

bool resource_matches(const policy_statement &s, std::string_view resource) {
  const bool any = std::any_of(s.resources.begin(), s.resources.end(),
                               [&](const std::string &p) { return detail::wildcard_match_escaped(p, resource); });
  return any != s.not_resource;
}

using detail::arn_account;

// arn:aws:sts::A:assumed-role/R/s -> role name R (a session is its role for principal matching).
std::string_view session_role_name(std::string_view caller) {
  constexpr std::string_view marker = ":assumed-role/";
  const auto at = caller.find(marker);
  if (at == std::string_view::npos) return {};
  const auto name = caller.substr(at + marker.size());
  return name.substr(0, name.find('/'));
}

enum class naming { none, delegated, exact };

// How a principal element names the caller: exactly (its ARN, its session's
// role, or "*"), or only by delegation to its account (an account id or root
// ARN), which lets the account's own policies decide.
naming principal_naming(const principal_spec &spec, std::string_view caller) {
  if (spec.anyone) return naming::exact;
  const auto account = arn_account(caller);
  const auto role = session_role_name(caller);
  naming best = naming::none;
  for (const auto &[type, value] : spec.entries) {
    if (type != "AWS") continue;
    if (detail::wildcard_match(value, caller, false)) return naming::exact;
    // A role ARN (any path) names the role's sessions.
    if (!role.empty() && arn_account(value) == account && value.find(":role/") != std::string::npos &&
        (value.ends_with("/" + std::string(role))))
      return naming::exact;
    if (!account.empty() && (value == account || (value.ends_with(":root") && arn_account(value) == account)))
      best = naming::delegated;
  }
  return best;
}

}  // namespace

std::string_view to_string(decision d) noexcept {
  switch (d) {
    case decision::allow: return "allow";
    case decision::explicit_deny: return "explicit_deny";
    case decision::implicit_deny: return "implicit_deny";
  }
  return "implicit_deny";
}

std::string_view to_string(policy_kind k) noexcept {
  switch (k) {
    case policy_kind::identity: return "identity";
    case policy_kind::boundary: return "boundary";
    case policy_kind::scp: return "scp";
    case policy_kind::resource: return "resource";
    case policy_kind::none: return "none";
  }
  return "none";
}

bool statement_applies(const policy_statement &s, const policy_request &r, bool check_principal) {
  if (!action_matches(s, r.action) || !resource_matches(s, r.resource)) return false;
  if (check_principal) {
    if (!s.principal) return false;  // a resource policy statement names its principals
    const auto named = principal_naming(*s.principal, r.principal);
    // A Deny (or NotPrincipal) covers the account's principals; an Allow naming only the
    // account delegates to the account's own policies and grants nothing by itself.
    const bool covered = s.not_principal || s.effect == policy_effect::deny ? named != naming::none : named == naming::exact;
    if (covered == s.not_principal) return false;
  }
  return std::all_of(s.conditions.begin(), s.conditions.end(),
                     [&](const condition_clause &c) { return detail::condition_holds(c, r.context); });
}

evaluation evaluate(const policy_set &policies, const policy_request &request) {
  struct kind_of_policies {
    policy_kind kind;
    const std::vector<policy_document> *documents;
  };
  const kind_of_policies all[] = {{policy_kind::scp, &policies.scps},
                                  {policy_kind::boundary, &policies.boundary},
                                  {policy_kind::identity, &policies.identity},
                                  {policy_kind::resource, &policies.resource}};
  const auto describe = [](evaluation &e, policy_kind kind, std::size_t p, std::size_t s, const policy_statement &st,
                           std::string_view verb) {
    e.decided_by = kind;
    e.policy_index = p;
    e.statement_index = s;
    e.sid = st.sid;
    e.reason = std::string(verb) + " by " + std::string(to_string(kind)) + "[" + std::to_string(p) + "] Statement[" +
               std::to_string(s) + "]" + (st.sid.empty() ? "" : " (" + st.sid + ")");
  };
  // 1. An explicit deny anywhere wins.
  for (const auto &[kind, documents] : all)
    for (std::size_t p = 0; p < documents->size(); ++p)
      for (std::size_t s = 0; s < (*documents)[p].statements.size(); ++s) {
        const auto &st = (*documents)[p].statements[s];
        if (st.effect == policy_effect::deny && statement_applies(st, request, kind == policy_kind::resource)) {
          evaluation e;
          e.result = decision::explicit_deny;
          describe(e, kind, p, s, st, "denied");
          return e;
        }
      }
  // The first allowing statement of a set of documents, if any.
  const auto first_allow = [&](const std::vector<policy_document> &documents, bool resource,
                               std::size_t &p_out, std::size_t &s_out) {
    for (std::size_t p = 0; p < documents.size(); ++p)
      for (std::size_t s = 0; s < documents[p].statements.size(); ++s) {
        const auto &st = documents[p].statements[s];
        if (st.effect == policy_effect::allow && statement_applies(st, request, resource)) {
          p_out = p;
          s_out = s;
          return true;
        }
      }
    return false;
  };
  evaluation e;
  std::size_t p = 0, s = 0;
  // 2. Guardrails: service control policies, then the permissions boundary, must allow when present.
  if (!policies.scps.empty() && !first_allow(policies.scps, false, p, s)) {
    e.decided_by = policy_kind::scp;
    e.reason = "implicitly denied: no service control policy allows it";
    return e;
  }
  const bool resource_allows = first_allow(policies.resource, true, p, s);
  std::size_t rp = p, rs = s;
  // AWS: a resource policy that names the caller's own ARN allows even where the
  // permissions boundary does not (a session counts as named through its role).
  const bool named_by_resource =
      resource_allows && !policies.resource[rp].statements[rs].principal->anyone &&
      !policies.resource[rp].statements[rs].not_principal;
  if (!policies.boundary.empty() && !first_allow(policies.boundary, false, p, s) && !named_by_resource) {
    e.decided_by = policy_kind::boundary;
    e.reason = "implicitly denied: the permissions boundary does not allow it";
    return e;
  }
  // 3. An identity or resource policy allows.
  if (first_allow(policies.identity, false, p, s)) {
    e.result = decision::allow;
    describe(e, policy_kind::identity, p, s, policies.identity[p].statements[s], "allowed");
    return e;
  }
  if (resource_allows) {
    e.result = decision::allow;
    describe(e, policy_kind::resource, rp, rs, policies.resource[rp].statements[rs], "allowed");
    return e;
  }
  e.reason = "implicitly denied: no policy allows it";
  return e;
}

}  // namespace v0
}  // namespace identrail
