#include "identrail/pipeline/report.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "../core/json_writer.hpp"
#include "detection_json.hpp"
#include "identrail/version.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::json_array;
using detail::json_object;

std::vector<const identity_summary *> identities_by_activity(const engine &e) {
  std::vector<const identity_summary *> rows;
  rows.reserve(e.identities().size());
  for (const auto &id : e.identities()) rows.push_back(&id);
  const auto &symbols = e.symbols();
  std::stable_sort(rows.begin(), rows.end(), [&](const auto *a, const auto *b) {
    return a->events != b->events ? a->events > b->events : symbols.str(a->key) < symbols.str(b->key);
  });
  return rows;
}

void write_assessment(json_object &o, const assessment *a) {
  o.str("status", a ? to_string(a->status) : "normal");
  o.str("risk", a ? to_string(a->risk) : "none");
  if (a && a->since) o.str("status_since", format_rfc3339(*a->since));
  json_array reasons(o.key("reasons"));
  if (a)
    for (const auto &r : a->reasons) reasons.str(r);
}

// Compromised first, then potentially compromised, then by risk: what a responder reads first.
int attention_rank(const assessment &a) {
  switch (a.status) {
    case compromise_status::compromised: return 0;
    case compromise_status::potentially_compromised: return 1;
    default: return 2;
  }
}

}  // namespace

namespace detail {
// The report into `out`, handing `out` to drain (when given) as the graph fills it.
void write_report_json(std::string &out, const engine &e, const report_options &options,
                       const std::function<void(std::string &)> &drain);
}  // namespace detail

std::string report_json(const engine &e) { return report_json(e, report_options{}); }

std::string report_json(const engine &e, const report_options &options) {
  std::string out;
  out.reserve(4096 + e.identities().size() * 256);
  detail::write_report_json(out, e, options, {});
  return out;
}

void report_json(const engine &e, const report_options &options, const std::function<void(std::string &)> &drain) {
  std::string out;
  detail::write_report_json(out, e, options, drain);
  if (!out.empty()) drain(out);
}

namespace detail {

void write_report_json(std::string &out, const engine &e, const report_options &options,
                       const std::function<void(std::string &)> &drain) {
  const auto &s = e.symbols();
  const auto &stats = e.stats();
  {
    json_object root(out);
    root.num("version", report_schema_version);
    root.str("identrail_version", IDENTRAIL_VERSION_STRING);
    root.boolean("correlated", e.correlates());
    {
      json_object events(root.key("events"));
      events.num("total", stats.total);
      events.num("accepted", stats.accepted);
      events.num("rejected", stats.rejected);
      events.num("duplicates", stats.duplicates);
      events.num("possibly_repeated", stats.possibly_repeated);
      events.num("errors_not_listed", stats.errors_dropped);
    }
    {
      const auto &d = e.detection_stats();
      json_object detection(root.key("detection"));
      detection.num("rules", e.rules().size());
      detection.num("late_events", d.late);
      detection.num("too_late", d.too_late);
      detection.num("repeated", d.repeated);
      detection.num("evictions", d.evictions);
      detection.num("revisions", d.revisions);
      detection.num("withdrawn", d.withdrawn);
    }
    if (const auto span = e.time_span()) {
      json_object time_span(root.key("time_span"));
      time_span.str("first", format_rfc3339(span->first));
      time_span.str("last", format_rfc3339(span->second));
    }
    {
      json_array errors(root.key("errors"));
      for (const auto &err : e.errors()) {
        json_object o(errors.next());
        o.str("source", err.source);
        o.str("location", err.location);
        o.str("reason", err.reason);
      }
    }
    {
      json_array detections(root.key("detections"));
      const auto evidence = e.evidence();
      for (const auto &d : e.detections()) {
        json_object o(detections.next());
        detail::write_detection_fields(o, evidence, d);
      }
    }
    std::unordered_map<symbol, std::uint64_t, symbol_hash> detection_counts;
    for (const auto &d : e.detections()) ++detection_counts[d.identity];
    {
      json_array identities(root.key("identities"));
      for (const auto *id : identities_by_activity(e)) {
        json_object o(identities.next());
        o.str("arn", s.str(id->key));
        o.str("type", to_string(id->type));
        const auto resolved = e.resolve(id->key);
        o.str("root_principal", s.str(resolved.root));
        o.boolean("resolved", resolved.complete);
        {
          json_array chain(o.key("chain"));
          for (const auto link : resolved.chain) chain.str(s.str(link));
        }
        write_assessment(o, e.assessment_of(s.str(id->key)));
        o.str("first_seen", format_rfc3339(id->first_seen));
        o.str("last_seen", format_rfc3339(id->last_seen));
        o.num("events", id->events);
        o.num("failed_events", id->failed);
        {
          json_array ips(o.key("source_ips"));
          for (const auto ip : id->source_ips) ips.str(s.str(ip));
        }
        const auto count = detection_counts.find(id->key);
        o.num("detections", count == detection_counts.end() ? 0 : count->second);
      }
      // Identities that never acted themselves but were marked through the
      // graph: the role behind a session, the instance behind its credentials.
      const auto &graph = e.graph();
      for (const auto &a : e.assessments()) {
        if (e.identities().size() > 0 && std::any_of(e.identities().begin(), e.identities().end(),
                                                      [&](const identity_summary &id) { return id.key == a.identity; }))
          continue;
        if (a.status == compromise_status::normal && a.risk == risk_level::none) continue;
        json_object o(identities.next());
        o.str("arn", s.str(a.identity));
        const auto node = graph.find_identity_or_instance(s.str(a.identity));
        o.str("type", node ? to_string(graph.node(*node).kind) : "unknown");
        const auto resolved = e.resolve(a.identity);
        o.str("root_principal", s.str(resolved.root));
        o.boolean("resolved", resolved.complete);
        {
          json_array chain(o.key("chain"));
          for (const auto link : resolved.chain) chain.str(s.str(link));
        }
        write_assessment(o, &a);
        o.num("events", 0);
        o.num("detections", a.detections);
      }
    }
    {
      json_array actions(root.key("top_actions"));
      for (const auto &[action, count] : e.top_actions(25)) {
        json_object o(actions.next());
        o.str("action", s.str(action));
        o.num("count", count);
      }
    }
    if (options.include_graph) {
      append_export(root.key("graph"), e.graph(), graph_format::json, drain);
    } else {
      json_object graph(root.key("graph"));
      { json_array nodes(graph.key("nodes")); }
      { json_array edges(graph.key("edges")); }
    }
  }
}

}  // namespace detail

std::string report_text(const engine &e, const report_options &options) {
  const auto &s = e.symbols();
  const auto &stats = e.stats();
  std::string out;
  // Formats into a buffer sized for the line, so long paths and reasons are never cut.
  auto add = [&](const char *fmt, auto... args) {
    const int n = std::snprintf(nullptr, 0, fmt, args...);
    if (n <= 0) return;
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(n) + 1);
    std::snprintf(out.data() + at, static_cast<std::size_t>(n) + 1, fmt, args...);
    out.resize(at + static_cast<std::size_t>(n));
  };
  out += "identrail " IDENTRAIL_VERSION_STRING " analysis\n\n";
  add("Events      %llu read: %llu accepted, %llu rejected, %llu duplicates\n",
      static_cast<unsigned long long>(stats.total), static_cast<unsigned long long>(stats.accepted),
      static_cast<unsigned long long>(stats.rejected), static_cast<unsigned long long>(stats.duplicates));
  if (stats.possibly_repeated > 0)
    add("            %llu older than the duplicate horizon: repeats among them cannot be recognised\n",
        static_cast<unsigned long long>(stats.possibly_repeated));
  if (const auto span = e.time_span())
    add("Time span   %s .. %s\n", format_rfc3339(span->first).c_str(), format_rfc3339(span->second).c_str());
  add("Identities  %zu\n", e.identities().size());
  {
    const auto &d = e.detection_stats();
    add("Rules       %zu; %llu late events, %llu repeats ignored\n", e.rules().size(),
        static_cast<unsigned long long>(d.late), static_cast<unsigned long long>(d.repeated));
    // Only matches beyond the lateness can make answers depend on the order: say so when there are any.
    if (d.too_late > 0)
      add("            %llu rule matches came after their windows had closed and were not used (see --lateness)\n",
          static_cast<unsigned long long>(d.too_late));
  }

  if (!e.errors().empty()) {
    out += "\nRejected input\n";
    std::size_t shown = 0;
    for (const auto &err : e.errors()) {
      if (shown++ == options.max_errors) {
        add("  ... and %zu more (see --json)\n", e.errors().size() - options.max_errors);
        break;
      }
      add("  %s: %s: %s\n", err.source.c_str(), err.location.c_str(), err.reason.c_str());
    }
  }

  {
    std::vector<const assessment *> attention;
    for (const auto &a : e.assessments())
      if (a.status != compromise_status::normal || a.risk != risk_level::none) attention.push_back(&a);
    std::stable_sort(attention.begin(), attention.end(), [](const assessment *a, const assessment *b) {
      const int ra = attention_rank(*a), rb = attention_rank(*b);
      return ra != rb ? ra < rb : a->risk > b->risk;
    });
    if (!attention.empty()) {
      add("\nIdentities needing attention (%zu)\n", attention.size());
      if (!e.correlates())
        out += "  (detections only: no identity graph, so a status is not carried to the sessions, roles and\n"
               "  instances behind an identity)\n";
    }
    for (const auto *a : attention) {
      add("  %-23s %-8s %s\n", std::string(to_string(a->status)).c_str(), std::string(to_string(a->risk)).c_str(),
          std::string(s.str(a->identity)).c_str());
      const auto resolved = e.resolve(a->identity);
      if (resolved.root != a->identity)
        add("      behind it: %s%s\n", std::string(s.str(resolved.root)).c_str(), resolved.complete ? "" : " (as far as the logs go)");
      for (const auto &reason : a->reasons) add("      - %s\n", reason.c_str());
    }
  }

  if (!e.detections().empty()) {
    // Most severe first, then in time order: what a responder reads first.
    std::vector<const detection *> rows;
    for (const auto &d : e.detections()) rows.push_back(&d);
    std::stable_sort(rows.begin(), rows.end(), [](const detection *a, const detection *b) {
      return a->level != b->level ? a->level > b->level : a->first_seen < b->first_seen;
    });
    add("\nDetections (%zu)\n", rows.size());
    for (const auto *d : rows)
      add("  %-8s %s  %-13s %s\n", std::string(to_string(d->level)).c_str(), format_rfc3339(d->first_seen).c_str(),
          d->rule_id.c_str(), d->summary.c_str());
  } else {
    out += "\nDetections: none\n";
  }

  out += "\nTop identities\n";
  add("  %8s  %6s  %-15s  %s\n", "events", "failed", "type", "identity");
  const auto rows = identities_by_activity(e);
  for (std::size_t i = 0; i < rows.size() && i < options.top; ++i)
    add("  %8llu  %6llu  %-15s  %s\n", static_cast<unsigned long long>(rows[i]->events),
        static_cast<unsigned long long>(rows[i]->failed), std::string(to_string(rows[i]->type)).c_str(),
        std::string(s.str(rows[i]->key)).c_str());

  out += "\nTop actions\n";
  for (const auto &[action, count] : e.top_actions(options.top))
    add("  %8llu  %s\n", static_cast<unsigned long long>(count), std::string(s.str(action)).c_str());
  return out;
}

}  // namespace v0
}  // namespace identrail
