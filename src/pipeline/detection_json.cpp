#include "detection_json.hpp"

#include <chrono>

#include "../core/ocsf.hpp"
#include "identrail/version.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

void write_detection_fields(json_object &o, const evidence_view &e, const detection &d) {
  const auto &s = e.symbols;
  o.str("id", d.id);
  o.num("revision", d.revision);
  if (d.withdrawn) o.boolean("withdrawn", true);
  o.str("rule_id", d.rule_id);
  o.str("name", d.rule_name);
  o.str("severity", to_string(d.level));
  {
    json_object mitre(o.key("mitre"));
    {
      json_array tactics(mitre.key("tactics"));
      for (const auto &t : d.tactics) tactics.str(t);
    }
    json_array techniques(mitre.key("techniques"));
    for (const auto &t : d.techniques) techniques.str(t);
  }
  o.str("identity", s.str(d.identity));
  o.str("root_principal", s.str(e.graph.resolve(d.identity).root));
  o.str("group_key", d.group_key);
  o.str("source_ip", s.str(d.source));
  o.str("first_seen", format_rfc3339(d.first_seen));
  o.str("last_seen", format_rfc3339(d.last_seen));
  o.num("count", d.count);
  {
    json_array ids(o.key("event_ids"));
    for (const auto &id : d.event_ids) ids.str(id);
  }
  o.str("summary", d.summary);
  if (!d.follows.empty()) {
    json_array follows(o.key("follows"));
    for (const auto &id : d.follows) follows.str(id);
  }
}

}  // namespace detail

namespace {

using detail::json_array;
using detail::json_object;

long long millis(timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// OCSF Detection Finding (class 2004) in the OCSF version of the API Activity
// output (1.1.0): a new detection creates the finding, a revision updates it,
// a withdrawal closes it.
void write_ocsf_finding(std::string &out, const evidence_view &e, const detection &d) {
  static constexpr detail::ocsf_class kFinding{2004, "Detection Finding", 2, "Findings"};
  const int activity = d.withdrawn ? 3 : d.revision == 0 ? 1 : 2;
  static constexpr const char *kActivities[] = {"", "Create", "Update", "Close"};
  static constexpr const char *kSeverities[] = {"Informational", "Low", "Medium", "High", "Critical"};
  const auto level = static_cast<int>(d.level);
  const auto &s = e.symbols;
  json_object o(out);
  detail::write_ocsf_class(o, kFinding, activity, kActivities[activity]);
  o.num("severity_id", level + 1);
  o.str("severity", kSeverities[level]);
  o.num("time", millis(d.last_seen));
  o.num("status_id", d.withdrawn ? 99 : 1);
  o.str("status", d.withdrawn ? "Withdrawn" : "New");
  o.str("message", d.summary);
  o.num("count", d.count);
  {
    json_object metadata(o.key("metadata"));
    metadata.str("version", detail::kOcsfVersion);
    metadata.str("uid", d.id + "/" + std::to_string(d.revision));
    json_object product(metadata.key("product"));
    product.str("name", "identrail");
    product.str("vendor_name", "identrail");
    product.str("version", IDENTRAIL_VERSION_STRING);
  }
  {
    json_object info(o.key("finding_info"));
    info.str("uid", d.id);
    info.str("title", d.rule_name);
    info.str("desc", d.summary);
    info.num("first_seen_time", millis(d.first_seen));
    info.num("last_seen_time", millis(d.last_seen));
    {
      json_object analytic(info.key("analytic"));
      analytic.str("uid", d.rule_id);
      analytic.str("name", d.rule_name);
      analytic.num("type_id", 1);
      analytic.str("type", "Rule");
    }
    json_array related(info.key("related_events"));
    for (const auto &id : d.event_ids) {
      json_object event(related.next());
      event.str("uid", id);
    }
  }
  {
    json_array attacks(o.key("attacks"));
    for (const auto &t : d.techniques) {
      json_object attack(attacks.next());
      attack.str("version", "14.1");
      json_object technique(attack.key("technique"));
      technique.str("uid", t);
    }
    for (const auto &t : d.tactics) {
      json_object attack(attacks.next());
      attack.str("version", "14.1");
      json_object tactic(attack.key("tactic"));
      tactic.str("uid", t);
    }
  }
  {
    json_object actor(o.key("actor"));
    json_object user(actor.key("user"));
    user.str("uid", s.str(d.identity));
    user.str("type", "Other");
  }
  json_object unmapped(o.key("unmapped"));
  unmapped.num("revision", d.revision);
  unmapped.str("group_key", d.group_key);
  unmapped.str("root_principal", s.str(e.graph.resolve(d.identity).root));
}

}  // namespace

std::string detection_json(const evidence_view &e, const detection &d, detection_json_form form) {
  std::string out;
  if (form == detection_json_form::ocsf) {
    write_ocsf_finding(out, e, d);
    return out;
  }
  json_object o(out);
  o.str("type", "detection");
  detail::write_detection_fields(o, e, d);
  return out;
}

}  // namespace v0
}  // namespace identrail
