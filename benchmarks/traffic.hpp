// The library's generated traffic (identrail::generate_traffic) as records,
// one compact JSON record each, for the benchmarks that feed them one by one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "identrail/pipeline/bench.hpp"

namespace identrail::bench {

struct traffic {
  std::vector<std::string> records;
  std::size_t bytes = 0;
};

inline traffic generate_traffic(std::size_t count, std::uint64_t seed = 42) {
  const std::string lines = identrail::generate_traffic({count, 2000, seed});
  traffic out;
  out.records.reserve(count);
  for (std::size_t at = 0; at < lines.size();) {
    const std::size_t end = lines.find('\n', at);
    out.records.push_back(lines.substr(at, end - at));
    out.bytes += end - at;
    at = end + 1;
  }
  return out;
}

}  // namespace identrail::bench
