// The baseline the benchmarks compare with (src/pipeline/baseline_fields.hpp,
// the one identrail bench uses).
#pragma once

#include "pipeline/baseline_fields.hpp"

namespace identrail::bench {

namespace od = simdjson::ondemand;
using identrail::detail::extract_fields;

}  // namespace identrail::bench
