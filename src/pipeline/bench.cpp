// identrail bench (bench.hpp): every pass reads the same decompressed bytes
// from memory, so the stages differ by what they run, not by the disk. A
// stage's time is the pass that adds it less the pass before it.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "identrail/pipeline/bench.hpp"
#include "../normalize/gzip.hpp"
#include "../normalize/input_files.hpp"
#include "engine_options.hpp"

namespace identrail {
inline namespace v0 {

namespace {

struct input {
  std::string name;
  std::string json;  // with input_padding spare bytes reserved
};

struct inputs {
  std::vector<input> files;
  std::uint64_t read_bytes = 0, json_bytes = 0;
  double gunzip_seconds = 0;
};

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

result<void> over_limit(const std::string &path, const bench_options &options) {
  return make_error(errc::limit_exceeded, path + ": the inputs are over the bench's limit of " +
                                              std::to_string(options.max_input_bytes) +
                                              " bytes (decompressed, held in memory): bench a sample of them");
}

result<void> add_file(inputs &in, const std::string &path, const bench_options &options,
                      detail::gunzipper &gunzip) {
  if (in.json_bytes >= options.max_input_bytes) return over_limit(path, options);
  const std::size_t room = options.max_input_bytes - in.json_bytes;
  auto bytes = detail::read_whole_file(path, SIZE_MAX, input_padding);
  if (!bytes) return tl::unexpected(bytes.error());
  in.read_bytes += bytes->size();
  input file{path, {}};
  if (detail::looks_gzipped(*bytes)) {
    const auto start = clock_type::now();
    const auto damage = gunzip.decompress(*bytes, options.engine.normalize.gzip, room, input_padding, file.json);
    in.gunzip_seconds += seconds_since(start);
    if (file.json.size() >= room) return over_limit(path, options);
    if (!damage.empty()) return make_error(errc::decompress_error, path + ": " + damage);
  } else {
    file.json = std::move(*bytes);
  }
  if (file.json.size() > room) return over_limit(path, options);
  in.json_bytes += file.json.size();
  in.files.push_back(std::move(file));
  return {};
}

// Generated traffic in pieces of about a delivery file's size (1,000
// records), so that decoding threads have inputs to share.
void split_generated(inputs &in, const std::string &lines) {
  constexpr std::size_t kPiece = std::size_t{1500} << 10;
  for (std::size_t at = 0; at < lines.size();) {
    const auto cut = lines.find('\n', std::min(lines.size() - 1, at + kPiece));
    const std::size_t end = cut == std::string::npos ? lines.size() : cut + 1;
    input piece{"generated, part " + std::to_string(in.files.size() + 1), lines.substr(at, end - at)};
    piece.json.reserve(piece.json.size() + input_padding);
    in.json_bytes += piece.json.size();
    in.files.push_back(std::move(piece));
    at = end;
  }
  in.read_bytes = in.json_bytes;
}

result<inputs> load(const bench_options &options) {
  inputs in;
  if (options.paths.empty()) {
    split_generated(in, generate_traffic(options.traffic));
    return in;
  }
  auto files = list_input_files(options.paths);
  if (!files) return tl::unexpected(files.error());
  if (files->empty()) return make_error(errc::not_found, "no log files under the paths given");
  detail::gunzipper gunzip;
  for (const auto &path : *files)
    if (auto added = add_file(in, path, options, gunzip); !added) return tl::unexpected(added.error());
  return in;
}

// Every input at once, so the decoder may spread them over its threads.
std::vector<input_buffer> buffers_of(const inputs &in) {
  std::vector<input_buffer> out;
  for (const auto &file : in.files) out.push_back({file.json, file.name, file.json.capacity()});
  return out;
}

template <class Feed>
result<double> timed_pass(const inputs &in, Feed &&feed) {
  const auto buffers = buffers_of(in);
  const auto start = clock_type::now();
  if (auto fed = feed(buffers); !fed) return tl::unexpected(fed.error());
  return seconds_since(start);
}

// Small inputs are timed again until the passes have run long enough to
// measure; the fastest run counts (the first pays for cold caches).
constexpr double kEnoughSeconds = 0.25;
constexpr int kMostRuns = 20;

template <class Pass>
auto fastest(Pass &&pass) -> decltype(pass()) {
  auto best = pass();
  double spent = best ? best->seconds : 0;
  for (int run = 1; best && spent < kEnoughSeconds && run < kMostRuns; ++run) {
    auto next = pass();
    if (!next) return next;
    spent += next->seconds;
    if (next->seconds < best->seconds) best = std::move(next);
  }
  return best;
}

struct timed {
  double seconds = 0;
};

std::optional<timed> baseline_pass(const inputs &in) {
  const auto start = clock_type::now();
  for (const auto &file : in.files)
    if (!scan_baseline(file.json, file.json.capacity()).applicable) return std::nullopt;
  return timed{seconds_since(start)};
}

result<timed> decode_pass(const inputs &in, const engine_options &ready) {
  symbol_table symbols;
  normalizer normalize(symbols, ready.normalize);
  const event_sink drop = [](const event &) { return true; };
  auto took = timed_pass(in, [&](const auto &buffers) { return normalize.feed_buffers(buffers, drop); });
  if (!took) return tl::unexpected(took.error());
  return timed{*took};
}

struct detect_run {
  double seconds = 0;
  std::vector<rule_cost> costs;
};

// The normalizer and the detector alone, as an engine without the graph runs them.
result<detect_run> detect_pass(const inputs &in, const engine_options &ready, std::uint32_t sampling) {
  symbol_table symbols;
  normalizer normalize(symbols, ready.normalize);
  detector_options d = ready.detection;
  d.filter_repeats = !ready.normalize.deduplicate;
  d.rule_cost_sampling = sampling;
  if (!d.geolocation) d.geolocation = ready.geolocation;
  detector detect(ready.rules.value_or(rule_set{}), symbols, d);
  const event_sink to_detector = [&](const event &e) { return detect.process(e), true; };
  const auto start = clock_type::now();
  auto fed = timed_pass(in, [&](const auto &buffers) { return normalize.feed_buffers(buffers, to_detector); });
  if (!fed) return tl::unexpected(fed.error());
  detect.finish();
  return detect_run{seconds_since(start), detect.rule_costs()};
}

struct engine_run {
  double seconds = 0;
  std::optional<engine> whole;
};

// The engine as analyze runs it: streaming, no events kept.
result<engine_run> engine_pass(const inputs &in, engine_options ready) {
  ready.retain_events = false;
  auto whole = engine::create(std::move(ready));
  if (!whole) return tl::unexpected(whole.error());
  const auto start = clock_type::now();
  auto fed = timed_pass(in, [&](const auto &buffers) { return whole->feed_buffers(buffers); });
  if (!fed) return tl::unexpected(fed.error());
  whole->finish();
  return engine_run{seconds_since(start), std::move(*whole)};
}

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
#if defined(__APPLE__)
  return static_cast<std::uint64_t>(usage.ru_maxrss);
#else
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
#endif
}

stage_time stage(std::string name, double seconds, std::uint64_t events) {
  return {std::move(name), seconds, seconds > 0 ? static_cast<double>(events) / seconds : 0};
}

std::vector<rule_cost> costliest(std::vector<rule_cost> costs, std::size_t top) {
  std::stable_sort(costs.begin(), costs.end(),
                   [](const rule_cost &a, const rule_cost &b) { return a.nanos_per_event > b.nanos_per_event; });
  costs.resize(std::min(costs.size(), top));
  return costs;
}

std::string describe(const bench_options &options) {
  if (options.paths.empty())
    return "generated: " + std::to_string(options.traffic.events) + " events, " +
           std::to_string(options.traffic.identities) + " identities";
  std::string out;
  for (const auto &p : options.paths) out += (out.empty() ? "" : " ") + p;
  return out;
}

// What the run read and found, from the engine of the last pass.
void describe_run(bench_result &out, const engine &whole) {
  out.events = whole.stats().accepted;
  out.rejected = whole.stats().rejected;
  out.rules = whole.rules().size();
  out.identities = whole.identities().size();
  if (auto state = whole.checkpoint()) out.state_bytes = state->size();
  if (out.identities > 0) out.state_bytes_per_identity = static_cast<double>(out.state_bytes) / static_cast<double>(out.identities);
}

void add_stages(bench_result &out, const inputs &in, std::optional<timed> baseline, double decode, double detect,
                double total) {
  if (in.gunzip_seconds > 0) out.stages.push_back(stage("gunzip", in.gunzip_seconds, out.events));
  if (baseline) out.stages.push_back(stage("baseline", baseline->seconds, out.events));
  out.stages.push_back(stage("decode", decode, out.events));
  out.stages.push_back(stage("detect", std::max(0.0, detect - decode), out.events));
  out.stages.push_back(stage("correlate", std::max(0.0, total - detect), out.events));
  out.stages.push_back(stage("total", total, out.events));
  if (baseline && baseline->seconds > 0) {
    out.baseline_ratio = baseline->seconds / total;
    out.decode_baseline_ratio = baseline->seconds / decode;
  }
}

}  // namespace

result<bench_result> run_bench(const bench_options &options) {
  auto ready = detail::prepare(options.engine);
  if (!ready) return tl::unexpected(ready.error());
  auto in = load(options);
  if (!in) return tl::unexpected(in.error());

  const auto baseline = fastest([&] { return baseline_pass(*in); });
  const auto decode = fastest([&] { return decode_pass(*in, *ready); });
  if (!decode) return tl::unexpected(decode.error());
  auto detect = fastest([&] { return detect_pass(*in, *ready, options.rule_cost_sampling); });
  if (!detect) return tl::unexpected(detect.error());
  auto whole = fastest([&] { return engine_pass(*in, *ready); });
  if (!whole) return tl::unexpected(whole.error());

  bench_result out;
  out.input = describe(options);
  out.files = in->files.size();
  out.input_bytes = in->read_bytes;
  out.json_bytes = in->json_bytes;
  out.rule_cost_sampling = options.rule_cost_sampling;
  out.threads = options.engine.normalize.threads;
  describe_run(out, *whole->whole);
  if (out.events == 0)
    return make_error(errc::invalid_argument, out.input + ": no record the normalizer accepts (" +
                                                  std::to_string(out.rejected) + " rejected): nothing to measure");
  add_stages(out, *in, baseline, decode->seconds, detect->seconds, whole->seconds);
  out.costliest_rules = costliest(std::move(detect->costs), options.top_rules);
  out.peak_rss_bytes = peak_rss_bytes();
  return out;
}

}  // namespace v0
}  // namespace identrail
