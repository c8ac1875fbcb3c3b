// identrail bench's answer as JSON (docs/bench.md); the command line prints it readably.
#include "identrail/pipeline/bench.hpp"
#include "identrail/version.hpp"
#include "../core/json_writer.hpp"

namespace identrail {
inline namespace v0 {

using detail::json_array;
using detail::json_object;

namespace {

void optional_real(json_object &o, std::string_view name, std::optional<double> value) {
  if (value) o.real(name, *value);
  else o.raw(name, "null");
}

}  // namespace

std::string bench_json(const bench_result &r) {
  std::string out;
  {
    json_object root(out);
    root.num("schema_version", json_schema_version);
    root.str("identrail_version", IDENTRAIL_VERSION_STRING);
    root.str("input", r.input);
    root.num("files", r.files);
    root.num("input_bytes", r.input_bytes);
    root.num("json_bytes", r.json_bytes);
    root.num("events", r.events);
    root.num("rejected", r.rejected);
    root.num("rules", r.rules);
    root.num("identities", r.identities);
    root.num("threads", r.threads);
    {
      json_array stages(root.key("stages"));
      for (const auto &s : r.stages) {
        json_object o(stages.next());
        o.str("stage", s.stage);
        o.real("seconds", s.seconds);
        o.real("events_per_second", s.events_per_second);
      }
    }
    optional_real(root, "baseline_ratio", r.baseline_ratio);
    optional_real(root, "decode_baseline_ratio", r.decode_baseline_ratio);
    root.num("rule_cost_sampling", r.rule_cost_sampling);
    {
      json_array rules(root.key("costliest_rules"));
      for (const auto &c : r.costliest_rules) {
        json_object o(rules.next());
        o.str("rule_id", c.rule_id);
        o.real("nanos_per_event", c.nanos_per_event);
        o.num("sampled", c.sampled);
      }
    }
    root.num("state_bytes", r.state_bytes);
    root.real("state_bytes_per_identity", r.state_bytes_per_identity);
    root.num("peak_rss_bytes", r.peak_rss_bytes);
  }
  return out;
}

}  // namespace v0
}  // namespace identrail
