#include "engine_options.hpp"

#include <string>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

error invalid(const std::string &what) { return error{errc::invalid_argument, what}; }

result<void> check_combination(const engine_options &o) {
  if (o.rules && (!o.rule_files.paths.empty() || o.rule_files.keep_builtin || o.rule_files.skip_invalid))
    return tl::unexpected(invalid("rules and rule_files both given: compile the files into the rule set instead "
                                  "(rule_set::from_paths, with_builtin and skip_invalid)"));
  return {};
}

result<rule_set> rules_of(const engine_options &o) {
  if (o.rules) return *o.rules;
  if (o.rule_files.paths.empty()) return rule_set::builtin();
  rule_load_options load;
  load.skip_invalid = o.rule_files.skip_invalid;
  load.with_builtin = o.rule_files.keep_builtin;
  return rule_set::from_paths(o.rule_files.paths, load);
}

}  // namespace

result<engine_options> prepare(engine_options options) {
  for (auto checked : {check_options(options.normalize), check_options(options.detection), check_combination(options)})
    if (!checked) return tl::unexpected(error{checked.error().code, "engine options: " + checked.error().message});
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
