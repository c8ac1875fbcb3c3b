// What a rule pack costs on given logs: `identrail bench`. Measures each stage
// (gunzip, decode, detect, correlate) on the same bytes held in memory, the
// simdjson baseline on those bytes, the most expensive rules (sampled) and
// the state kept per identity. Ships the traffic generator it measures on
// when no logs are given. docs/bench.md gives the JSON shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/detect/detector.hpp"
#include "identrail/pipeline/engine.hpp"

namespace identrail {
inline namespace v0 {

// Deterministic CloudTrail traffic: `identities` principals with Zipf-skewed
// activity (a few service roles make most calls), a weighted mix of services,
// full userIdentity blocks, request parameters, resources and TLS details,
// about 1.4 KB an event, spread over one day in time order.
struct traffic_options {
  std::size_t events = 100'000;
  std::size_t identities = 2'000;
  std::uint64_t seed = 42;
};
// JSON lines, one record each.
[[nodiscard]] std::string generate_traffic(const traffic_options &options);

// simdjson's on-demand API alone pulling out of every record the fields
// identrail models, keeping nothing: the floor a decoder is compared with.
// Reads JSON lines and {"Records":[...]} documents. With `capacity` at least
// json.size() + input_padding readable bytes it reads in place, else a copy.
struct baseline_scan {
  std::uint64_t records = 0;
  bool applicable = true;  // false for other shapes (exports, damaged JSON): no baseline
};
[[nodiscard]] baseline_scan scan_baseline(std::string_view json, std::size_t capacity = 0);

struct bench_options {
  engine_options engine;              // rules, normalizer (threads) and detector settings
  std::vector<std::string> paths;     // logs; none: generated traffic
  traffic_options traffic;            // used when paths is empty
  std::size_t max_input_bytes = std::size_t{4} << 30;  // decompressed, held in memory while measuring
  std::uint32_t rule_cost_sampling = 16;               // time the rules on one evaluation in N
  std::size_t top_rules = 10;
};

struct stage_time {
  std::string stage;      // gunzip, baseline, decode, detect, correlate, total
  double seconds = 0;
  double events_per_second = 0;
};

struct bench_result {
  std::string input;  // what was measured: the paths, or "generated"
  std::uint64_t files = 0;
  std::uint64_t input_bytes = 0;  // as read (compressed where gzip)
  std::uint64_t json_bytes = 0;   // decompressed
  std::uint64_t events = 0;       // accepted by the normalizer
  std::uint64_t rejected = 0;
  std::size_t rules = 0;
  std::size_t identities = 0;
  unsigned threads = 1;  // decoding threads (engine.normalize.threads)
  std::vector<stage_time> stages;
  // The whole pipeline's events per second over the baseline's on the same bytes.
  std::optional<double> baseline_ratio;
  std::optional<double> decode_baseline_ratio;
  std::vector<rule_cost> costliest_rules;  // most expensive first, top_rules of them
  std::uint32_t rule_cost_sampling = 0;
  std::uint64_t state_bytes = 0;  // the checkpoint after the run: everything kept across events
  double state_bytes_per_identity = 0;
  std::uint64_t peak_rss_bytes = 0;  // of the process, input held in memory included
};

[[nodiscard]] result<bench_result> run_bench(const bench_options &options);
[[nodiscard]] std::string bench_json(const bench_result &result);

}  // namespace v0
}  // namespace identrail
