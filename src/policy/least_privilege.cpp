#include "identrail/policy/least_privilege.hpp"
#include "identrail/version.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "identrail/core/action_catalog.hpp"
#include "identrail/graph/evidence.hpp"
#include "identrail/normalize/action_map.hpp"
#include "identrail/policy/evaluator.hpp"
#include "../core/json_writer.hpp"
#include "../core/wildcard.hpp"

namespace identrail {
inline namespace v0 {
namespace {

// "arn:${Partition}:s3:::${BucketName}/${ObjectName}" -> "arn:*:s3:::*/*"
std::string arn_glob(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i, 2) == "${") {
      const auto end = pattern.find('}', i);
      if (end == std::string_view::npos) break;
      out.push_back('*');
      i = end;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

// The ARNs an action can be scoped to: those of its resource types.
std::vector<std::string> scoped_resources(const catalog_action &action, const std::set<std::string> &seen) {
  const auto &catalog = action_catalog::builtin();
  std::vector<std::string> globs;
  std::string_view types = action.resource_types;
  while (!types.empty()) {
    const auto comma = types.find(',');
    std::string_view type = types.substr(0, comma);
    if (type.ends_with('*')) type.remove_suffix(1);
    if (const auto pattern = catalog.arn_pattern(action.service, type); !pattern.empty()) globs.push_back(arn_glob(pattern));
    types = comma == std::string_view::npos ? std::string_view{} : types.substr(comma + 1);
  }
  std::vector<std::string> out;
  for (const auto &arn : seen)
    if (std::any_of(globs.begin(), globs.end(), [&](const std::string &g) { return detail::wildcard_match(g, arn, false); }))
      out.push_back(arn);
  return out;
}

struct action_summary {
  const catalog_action *catalog = nullptr;
  std::string name;  // canonical "service:Action"
  std::set<std::string> resources_before;
  // Counts come from the records that name no resource (one per identity and
  // action) when there are any: per-resource records count the same calls again.
  std::uint64_t count_before = 0, count_after = 0;
  std::uint64_t scoped_before = 0, scoped_after = 0;
  std::optional<timestamp> first_before, last_before, first_after, last_after;
};

void widen(std::optional<timestamp> &first, std::optional<timestamp> &last, timestamp a, timestamp b) {
  first = first ? std::min(*first, a) : a;
  last = last ? std::max(*last, b) : b;
}

// Whether the current policies certainly grant an action on a resource ("*":
// on every resource). Only an unconditional Allow proves it, and a Deny that
// could apply under some condition or on some resource disproves it: the
// generated policy has no conditions, so it must not lean on any.
bool granted(const std::vector<policy_document> &current, std::string_view identity, const std::string &action,
             const std::string &resource) {
  const policy_request request{std::string(identity), action, resource, {}};
  const bool everywhere = resource == "*";
  bool allowed = false;
  for (const auto &document : current)
    for (const auto &st : document.statements) {
      policy_statement bare = st;
      bare.conditions.clear();
      if (everywhere) {  // does the statement cover the action at all?
        bare.resources = {"*"};
        bare.not_resource = false;
      }
      const bool covers = statement_applies(bare, request, false);
      if (st.effect == policy_effect::deny) {
        if (covers) return false;
        continue;
      }
      if (!covers || !st.conditions.empty()) continue;
      allowed = allowed || !everywhere ||
                (!st.not_resource && std::find(st.resources.begin(), st.resources.end(), "*") != st.resources.end());
    }
  return allowed;
}

// Folds a service's actions into "Prefix*" patterns where every action the
// pattern matches is in `actions` (and, with current policies, granted by
// them for `resources`): the policy never admits an action that was not used.
std::vector<std::string> compact(const std::vector<std::string> &actions, const std::vector<std::string> &resources,
                                 const least_privilege_options &options, std::string_view identity) {
  const auto &catalog = action_catalog::builtin();
  const std::set<std::string> used(actions.begin(), actions.end());
  std::set<std::string> out;
  for (const auto &action : actions) {
    const auto colon = action.find(':');
    const std::string service = action.substr(0, colon + 1);
    const std::string name = action.substr(colon + 1);
    std::string chosen = action;
    for (std::size_t length = 1; length < name.size(); ++length) {
      const std::string pattern = service + name.substr(0, length) + "*";
      const auto matched = catalog.matching(pattern);
      const bool only_used = std::all_of(matched.begin(), matched.end(), [&](const catalog_action *a) {
        return used.contains(std::string(a->service) + ":" + std::string(a->name));
      });
      if (!only_used) continue;
      const bool allowed = options.current.empty() ||
                           std::all_of(matched.begin(), matched.end(), [&](const catalog_action *a) {
                             return std::all_of(resources.begin(), resources.end(), [&](const std::string &r) {
                               return granted(options.current, identity, std::string(a->service) + ":" + std::string(a->name), r);
                             });
                           });
      if (allowed) {
        chosen = pattern;
        break;
      }
    }
    out.insert(chosen);
  }
  return {out.begin(), out.end()};
}

used_action to_used(const action_summary &s, bool before, std::vector<std::string> resources) {
  used_action u;
  u.action = s.name;
  u.resources = std::move(resources);
  u.count = before ? (s.count_before ? s.count_before : s.scoped_before) : (s.count_after ? s.count_after : s.scoped_after);
  u.first = (before ? s.first_before : s.first_after).value_or(timestamp{});
  u.last = (before ? s.last_before : s.last_after).value_or(timestamp{});
  return u;
}

}  // namespace

result<least_privilege_result> generate_least_privilege(std::string identity, std::span<const usage_record> usage,
                                                         const least_privilege_options &options) {
  const auto &catalog = action_catalog::builtin();
  least_privilege_result out;
  out.identity = std::move(identity);
  out.flag_time = options.flag_time;
  const auto before = [&](timestamp t) { return !options.flag_time || t < *options.flag_time; };

  // Records repeat a few hundred actions: each distinct spelling is looked up
  // in the catalog once, and summaries are found by catalog entry.
  std::unordered_map<std::string_view, action_summary *> by_spelling;
  std::unordered_map<const catalog_action *, action_summary> summaries;
  std::set<std::string> skipped;
  for (const auto &record : usage) {
    if (record.succeeded == 0 || !record.first_success || !record.last_success) continue;  // attempts are not use
    auto [memo, fresh] = by_spelling.try_emplace(record.action, nullptr);
    if (fresh) {
      const auto *entry = catalog.find(record.action);
      if (entry && needs_permission(record.action)) {
        auto &summary = summaries[entry];
        summary.catalog = entry;
        summary.name = std::string(entry->service) + ":" + std::string(entry->name);
        memo->second = &summary;
      }
    }
    if (!memo->second) {
      skipped.insert(record.action);
      continue;
    }
    auto &s = *memo->second;
    // A record whose first success precedes the flag was used before it, whatever came later.
    const bool scoped = !record.resource.empty();
    if (before(*record.first_success)) {
      (scoped ? s.scoped_before : s.count_before) += record.succeeded;
      widen(s.first_before, s.last_before, *record.first_success, *record.last_success);
      if (scoped) s.resources_before.insert(record.resource);
    } else {
      (scoped ? s.scoped_after : s.count_after) += record.succeeded;
      widen(s.first_after, s.last_after, *record.first_success, *record.last_success);
    }
  }
  for (const auto &name : skipped)
    out.notes.push_back(needs_permission(name) ? name + " is not an IAM action in the catalog: left out"
                                               : name + " needs no permission: left out");

  // Sorted by name, so the output does not depend on the order of the records.
  std::map<std::string, const action_summary *> actions;
  for (const auto &[entry, summary] : summaries) actions.emplace(summary.name, &summary);
  // Per service, actions with the same resources share a statement.
  std::map<std::string, std::map<std::vector<std::string>, std::vector<std::string>>> statements;
  for (const auto &[name, summary] : actions) {
    const auto &s = *summary;
    if (!s.first_before) {
      out.excluded_actions.push_back(to_used(s, false, {}));
      continue;
    }
    std::vector<std::string> resources;
    if (s.catalog->resource_level()) {
      resources = scoped_resources(*s.catalog, s.resources_before);
      // ARNs of no type the catalog lists for the action still beat "*".
      if (resources.empty()) resources.assign(s.resources_before.begin(), s.resources_before.end());
    }
    if (resources.empty()) resources = {"*"};
    if (!options.current.empty()) {
      std::vector<std::string> kept;
      for (const auto &r : resources) {
        if (granted(options.current, out.identity, name, r)) kept.push_back(r);
        else out.not_granted.push_back(name + " on " + r);
      }
      resources = std::move(kept);
    }
    out.used_actions.push_back(to_used(s, true, resources));
    if (!resources.empty()) statements[std::string(s.catalog->service)][resources].push_back(name);
  }

  out.policy.version = "2012-10-17";
  for (const auto &[service, groups] : statements) {
    std::size_t n = 0;
    for (const auto &[resources, names] : groups) {
      policy_statement st;
      std::string sid;
      for (const char c : service)
        if (std::isalnum(static_cast<unsigned char>(c))) sid.push_back(c);
      st.sid = sid + (groups.size() > 1 ? std::to_string(++n) : "");
      st.actions = options.compact ? compact(names, resources, options, out.identity) : names;
      // ARNs from the logs are literal: a '*' or '?' in an object key must not become a wildcard.
      for (const auto &r : resources) st.resources.push_back(r == "*" ? r : detail::escape_for_policy(r));
      out.policy.statements.push_back(std::move(st));
    }
  }

  // What the current policies grant that went unused (before the flag).
  std::set<std::string> used_before;
  for (const auto &u : out.used_actions) used_before.insert(u.action);
  for (const auto &document : options.current)
    for (const auto &st : document.statements) {
      if (st.effect != policy_effect::allow) continue;
      if (st.not_action) {
        out.unused_permissions.push_back("NotAction statement" + (st.sid.empty() ? "" : " " + st.sid) +
                                         ": grants every action but the ones it lists");
        continue;
      }
      for (const auto &pattern : st.actions) {
        const auto matched = catalog.matching(pattern);
        const auto used = static_cast<std::size_t>(std::count_if(matched.begin(), matched.end(), [&](const catalog_action *a) {
          return used_before.contains(std::string(a->service) + ":" + std::string(a->name));
        }));
        if (used < matched.size())
          out.unused_permissions.push_back(pattern + ": " + std::to_string(matched.size() - used) + " of " +
                                           std::to_string(matched.size()) + " actions unused");
      }
    }
  if (!options.flag_time) out.notes.push_back("no flag time: every successful use counts");
  if (options.compact)
    out.notes.push_back("compacted wildcards admit no action unused today, but also actions AWS adds to the service later");
  if (out.policy.statements.empty()) out.notes.push_back("nothing was used before the flag time: the policy is empty");
  return out;
}

result<std::vector<usage_record>> usage_of(const evidence_view &e, std::string_view identity) {
  const auto &graph = e.graph;
  auto node = graph.find_identity(identity);
  if (!node) return make_error(errc::not_found, "no identity \"" + std::string(identity) + "\" in the logs");
  std::vector<node_id> members{*node};
  // A session acts with its role's permissions: the role's policy is the one to cut down.
  if (graph.node(*node).kind == node_kind::session)
    if (const auto role = graph.role_of(*node)) members = {*role};
  if (graph.node(members[0]).kind == node_kind::role)
    for (const node_id session : graph.sessions_of(members[0])) members.push_back(session);

  std::vector<usage_record> out;
  const auto add = [&](const action_use &u, std::string resource) {
    usage_record r;
    r.action = std::string(graph.symbols().str(u.action));
    r.resource = std::move(resource);
    r.succeeded = u.succeeded();
    r.failed = u.failed;
    if (r.succeeded > 0) {
      r.first_success = u.first_success;
      r.last_success = u.last_success;
    }
    out.push_back(std::move(r));
  };
  for (const node_id member : members) {
    for (const auto &u : graph.usage(member)) add(u, {});
    for (const auto index : graph.out_edges(member)) {
      const auto &edge = graph.edge(index);
      if (edge.kind != edge_kind::accessed) continue;
      for (const auto &u : edge.actions) add(u, std::string(graph.label(edge.to)));
    }
  }
  return out;
}

result<least_privilege_result> least_privilege_policy(const evidence_view &e, std::string_view identity,
                                                      const least_privilege_options &options) {
  auto usage = usage_of(e, identity);
  if (!usage) return tl::unexpected(usage.error());
  auto chosen = options;
  if (!chosen.flag_time)
    if (const auto *status = e.assessment_of(identity); status && status->since &&
                                                       status->status != compromise_status::normal)
      chosen.flag_time = status->since;
  return generate_least_privilege(std::string(identity), *usage, chosen);
}

std::string to_json(const least_privilege_result &r) {
  using detail::json_array;
  using detail::json_object;
  const auto uses = [](json_array &list, const std::vector<used_action> &actions) {
    for (const auto &u : actions) {
      json_object o(list.next());
      o.str("action", u.action);
      {
        json_array resources(o.key("resources"));
        for (const auto &res : u.resources) resources.str(res);
      }
      o.num("count", u.count);
      o.str("first_seen", format_rfc3339(u.first));
      o.str("last_seen", format_rfc3339(u.last));
    }
  };
  std::string out;
  {
    json_object root(out);
    root.num("schema_version", json_schema_version);
    root.str("identity", r.identity);
    if (r.flag_time) root.str("flag_time", format_rfc3339(*r.flag_time));
    else root.raw("flag_time", "null");
    root.raw("policy", to_json(r.policy));
    {
      json_array a(root.key("used_actions"));
      uses(a, r.used_actions);
    }
    {
      json_array a(root.key("excluded_actions"));
      uses(a, r.excluded_actions);
    }
    {
      json_array a(root.key("unused_permissions"));
      for (const auto &s : r.unused_permissions) a.str(s);
    }
    {
      json_array a(root.key("not_granted"));
      for (const auto &s : r.not_granted) a.str(s);
    }
    json_array a(root.key("notes"));
    for (const auto &s : r.notes) a.str(s);
  }
  return out;
}

}  // namespace v0
}  // namespace identrail
