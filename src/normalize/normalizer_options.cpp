#include <string>

#include "identrail/normalize/normalizer.hpp"

namespace identrail {
inline namespace v0 {

result<void> check_options(const normalizer_options &o) {
  using std::chrono::seconds;
  // Checked even with deduplication off: the detector's repeat filter then runs over the same horizon.
  if (o.dedup_horizon < seconds{1} || o.dedup_horizon > seconds{30 * 86400})
    return make_error(errc::invalid_argument, "dedup_horizon must be 1 second to 30 days, not " +
                                                  std::to_string(o.dedup_horizon.count()) + " s");
  if (o.max_decompressed_bytes == 0) return make_error(errc::invalid_argument, "max_decompressed_bytes must be > 0");
  if (o.threads < 1 || o.threads > 256)
    return make_error(errc::invalid_argument, "threads must be 1 to 256, not " + std::to_string(o.threads));
  return {};
}

}  // namespace v0
}  // namespace identrail
