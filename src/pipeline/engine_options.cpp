#include "engine_options.hpp"

#include <chrono>
#include <string>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

using std::chrono::seconds;

error invalid(const std::string &what) { return error{errc::invalid_argument, "engine options: " + what}; }

result<void> check_limits(const engine_options &o) {
  constexpr seconds day{86400};
  if (o.normalize.deduplicate && (o.normalize.dedup_horizon < seconds{1} || o.normalize.dedup_horizon > 30 * day))
    return tl::unexpected(invalid("dedup_horizon must be 1 second to 30 days, not " +
                                  std::to_string(o.normalize.dedup_horizon.count()) + " s"));
  if (o.normalize.max_decompressed_bytes == 0) return tl::unexpected(invalid("max_decompressed_bytes must be > 0"));
  const auto &d = o.detection;
  if (d.allowed_lateness < seconds{0} || d.allowed_lateness > 7 * day)
    return tl::unexpected(invalid("allowed_lateness must be 0 to 7 days, not " +
                                  std::to_string(d.allowed_lateness.count()) + " s"));
  if (d.key_ttl <= seconds{0}) return tl::unexpected(invalid("key_ttl must be > 0"));
  if (d.max_keys_per_rule == 0 || d.max_hits_per_key == 0 || d.max_partial_matches == 0)
    return tl::unexpected(invalid("max_keys_per_rule, max_hits_per_key and max_partial_matches must be > 0"));
  if (o.rules && !o.rule_files.paths.empty())
    return tl::unexpected(invalid("rules and rule_files both given: compile the files into the rule set instead"));
  return {};
}

result<rule_set> rules_of(const engine_options &o) {
  if (o.rules) return *o.rules;
  if (o.rule_files.paths.empty()) return rule_set::builtin();
  rule_load_options load;
  load.skip_invalid = o.rule_files.skip_invalid;
  auto files = rule_set::from_paths(o.rule_files.paths, load);
  if (!files || !o.rule_files.keep_builtin) return files;
  auto builtin = rule_set::builtin();
  if (!builtin) return builtin;
  return builtin->merged_with(*files);
}

}  // namespace

result<engine_options> prepare(engine_options options) {
  if (auto checked = check_limits(options); !checked) return tl::unexpected(checked.error());
  if (options.detect) {
    auto rules = rules_of(options);
    if (!rules) return tl::unexpected(rules.error());
    options.rules = std::move(*rules);
    options.rule_files = {};
  }
  if (!options.geolocation && !options.geo_databases.empty()) {
    auto geo = geolocator::open(options.geo_databases);
    if (!geo) return tl::unexpected(geo.error());
    options.geolocation = std::make_shared<const geolocator>(std::move(*geo));
  }
  return options;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
