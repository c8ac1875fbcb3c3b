#include "identrail/pipeline/query_json.hpp"

#include "../core/json_writer.hpp"
#include "identrail/version.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::json_array;
using detail::json_object;

result<node_id> identity_node(const evidence_view &e, std::string_view identity) {
  const auto &g = e.graph;
  if (auto id = g.find_identity_or_instance(identity)) return *id;
  return make_error(errc::not_found, "no identity \"" + std::string(identity) + "\" in the logs");
}

void write_uses(json_array &out, const identity_graph &g, const std::vector<action_use> &uses) {
  for (const auto &u : uses) {
    json_object o(out.next());
    o.str("action", g.symbols().str(u.action));
    o.num("count", u.count);
    o.num("failed", u.failed);
    o.str("first_seen", format_rfc3339(u.first));
    o.str("last_seen", format_rfc3339(u.last));
  }
}

void write_edge_times(json_object &o, const graph_edge &e) {
  o.num("count", e.count);
  o.str("first_seen", format_rfc3339(e.first));
  o.str("last_seen", format_rfc3339(e.last));
}

}  // namespace

result<std::string> resolution_json(const evidence_view &e, std::string_view identity) {
  const auto key = e.symbols.find(identity);
  if (!key || !e.graph.find_identity(identity))
    return make_error(errc::not_found, "no identity \"" + std::string(identity) + "\" in the logs");
  const auto r = e.graph.resolve(*key);
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("identity", identity);
    o.str("root_principal", e.symbols.str(r.root));
    o.boolean("complete", r.complete);
    json_array chain(o.key("chain"));
    for (const auto link : r.chain) chain.str(e.symbols.str(link));
  }
  return out;
}

result<std::string> assessment_json(const evidence_view &e, std::string_view identity) {
  const auto *a = e.assessment_of(identity);
  if (!a) return make_error(errc::not_found, "no identity \"" + std::string(identity) + "\" in the logs");
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("identity", identity);
    o.str("status", to_string(a->status));
    o.str("risk", to_string(a->risk));
    if (a->since) o.str("since", format_rfc3339(*a->since));
    {
      json_array reasons(o.key("reasons"));
      for (const auto &r : a->reasons) reasons.str(r);
    }
    o.num("detections", a->detections);
  }
  return out;
}

result<std::string> blast_radius_json(const evidence_view &e, std::string_view identity, timestamp since) {
  auto id = identity_node(e, identity);
  if (!id) return tl::unexpected(id.error());
  const auto &g = e.graph;
  const auto radius = g.blast_radius_of(*id, since);
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("identity", identity);
    o.str("since", format_rfc3339(since));
    {
      json_array ids(o.key("identities"));
      for (const auto n : radius.identities) ids.str(g.label(n));
    }
    {
      json_array resources(o.key("resources"));
      for (const auto &r : radius.resources) {
        json_object row(resources.next());
        row.str("arn", g.label(r.resource));
        {
          json_array actions(row.key("actions"));
          write_uses(actions, g, r.actions);
        }
        json_array by(row.key("by"));
        for (const auto n : r.by) by.str(g.label(n));
      }
    }
    json_array actions(o.key("actions"));
    write_uses(actions, g, radius.actions);
  }
  return out;
}

result<std::string> paths_json(const evidence_view &e, std::string_view from, std::string_view to, const path_options &options) {
  if (options.max_depth == 0 || options.max_depth > 64 || options.max_paths == 0 || options.max_paths > 10000)
    return make_error(errc::invalid_argument, "paths: max_depth must be 1 to 64 and max_paths 1 to 10000");
  const auto &g = e.graph;
  const auto start = g.find_any(from);
  if (!start) return make_error(errc::not_found, "no node \"" + std::string(from) + "\" in the graph");
  const auto end = g.find_any(to);
  if (!end) return make_error(errc::not_found, "no node \"" + std::string(to) + "\" in the graph");
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("from", from);
    o.str("to", to);
    json_array paths(o.key("paths"));
    for (const auto &p : g.paths(*start, *end, options)) {
      json_array path(paths.next());
      for (const auto n : p) {
        json_object step(path.next());
        step.str("kind", to_string(g.node(n).kind));
        step.str("label", g.label(n));
      }
    }
  }
  return out;
}

result<std::string> where_used_json(const evidence_view &e, std::string_view identity) {
  auto id = identity_node(e, identity);
  if (!id) return tl::unexpected(id.error());
  const auto &g = e.graph;
  const auto places = g.where_used(*id);
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("identity", identity);
    {
      json_array addresses(o.key("addresses"));
      for (const auto *edge : places.addresses) {
        json_object row(addresses.next());
        row.str("ip", g.label(edge->to));
        write_edge_times(row, *edge);
        if (const auto *where = g.location_of(edge->to)) {
          row.str_if("country", where->country_iso);
          row.str_if("country_name", where->country);
          row.str_if("city", where->city);
          if (where->latitude) row.real("latitude", *where->latitude);
          if (where->longitude) row.real("longitude", *where->longitude);
          if (where->asn) row.num("asn", where->asn);
          row.str_if("as_organization", where->as_organization);
        }
      }
    }
    {
      json_array agents(o.key("user_agents"));
      for (const auto *edge : places.user_agents) {
        json_object row(agents.next());
        row.str("user_agent", g.label(edge->to));
        write_edge_times(row, *edge);
      }
    }
    json_array keys(o.key("keys"));
    for (const auto *edge : places.keys) {
      json_object row(keys.next());
      row.str("access_key_id", g.label(edge->to));
      write_edge_times(row, *edge);
    }
  }
  return out;
}

result<std::string> timeline_json(const evidence_view &e, std::string_view identity, timestamp since) {
  auto id = identity_node(e, identity);
  if (!id) return tl::unexpected(id.error());
  const auto &s = e.symbols;
  std::string out;
  {
    json_object o(out);
    o.num("schema_version", json_schema_version);
    o.str("identity", identity);
    o.boolean("events_retained", e.events_retained);
    json_array entries(o.key("entries"));
    for (const auto &row : timeline_of(e, identity, since)) {
      json_object entry(entries.next());
      entry.str("time", format_rfc3339(row.time));
      if (row.what == timeline_entry::kind::event) {
        const auto &ev = e.events[row.index];
        entry.str("type", "event");
        entry.str("action", s.str(ev.action));
        entry.str("event_id", ev.id);
        entry.str_if("source_ip", s.str(ev.source.text));
        entry.str("region", s.str(ev.region));
        entry.boolean("success", ev.result.success);
        entry.str_if("error_code", s.str(ev.result.error_code));
      } else {
        const auto &d = e.detections[row.index];
        entry.str("type", "detection");
        entry.str("rule_id", d.rule_id);
        entry.str("severity", to_string(d.level));
        entry.str("summary", d.summary);
      }
    }
  }
  return out;
}

}  // namespace v0
}  // namespace identrail
