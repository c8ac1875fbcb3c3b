#include <string>

#include "identrail/detect/detector.hpp"

namespace identrail {
inline namespace v0 {

result<void> check_options(const detector_options &d) {
  using std::chrono::seconds;
  const auto invalid = [](const std::string &what) { return make_error(errc::invalid_argument, what); };
  if (d.allowed_lateness < seconds{0} || d.allowed_lateness > seconds{7 * 86400})
    return invalid("allowed_lateness must be 0 to 7 days, not " + std::to_string(d.allowed_lateness.count()) + " s");
  if (d.key_ttl <= seconds{0}) return invalid("key_ttl must be > 0");
  if (d.repeat_horizon <= seconds{0} || d.repeat_horizon > seconds{30 * 86400})
    return invalid("repeat_horizon must be 1 second to 30 days");
  if (d.max_keys_per_rule == 0 || d.max_hits_per_key == 0 || d.max_partial_matches == 0)
    return invalid("max_keys_per_rule, max_hits_per_key and max_partial_matches must be > 0");
  return {};
}

}  // namespace v0
}  // namespace identrail
