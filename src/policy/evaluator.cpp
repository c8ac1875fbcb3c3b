#include "identrail/policy/evaluator.hpp"

#include <algorithm>

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
                               [&](const std::string &p) { return detail::wildcard_match(p, resource, false); });
  return any != s.not_resource;
}

// arn:aws:iam::123456789012:user/x -> 123456789012
std::string_view account_of(std::string_view arn) {
  std::size_t at = 0;
  for (int colon = 0; colon < 4; ++colon) {
    at = arn.find(':', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  return arn.substr(at, arn.find(':', at) - at);
}

bool principal_named(const principal_spec &spec, std::string_view caller) {
  if (spec.anyone) return true;
  const auto account = account_of(caller);
  for (const auto &[type, value] : spec.entries) {
    if (type != "AWS") continue;
    if (detail::wildcard_match(value, caller, false)) return true;
    // An account id, or its root ARN, names every principal of the account.
    if (!account.empty() && (value == account || (value.ends_with(":root") && account_of(value) == account))) return true;
  }
  return false;
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
  if (check_principal && s.principal && principal_named(*s.principal, r.principal) == s.not_principal) return false;
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
  if (!policies.boundary.empty() && !first_allow(policies.boundary, false, p, s)) {
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
