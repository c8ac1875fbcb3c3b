// Detection throughput and state size, against the simdjson baseline of
// normalize_bench (benchmarks/baseline.hpp), measured in the same run.
//   detect_bench [--events=N] [--memory-identities=10000,100000,1000000] [google benchmark flags]
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "identrail/identrail.hpp"
#include "baseline.hpp"
#include "traffic.hpp"

namespace {

namespace od = simdjson::ondemand;
using namespace identrail;

std::size_t g_events = 100'000;

struct corpus {
  std::string ndjson;  // padded with input_padding spaces
  std::size_t length = 0;
};

const corpus &data() {
  static const corpus c = [] {
    corpus out;
    for (const auto &r : bench::generate_traffic(g_events).records) out.ndjson.append(r).push_back('\n');
    out.length = out.ndjson.size();
    out.ndjson.append(input_padding, ' ');
    return out;
  }();
  return c;
}

void BM_simdjson_baseline(benchmark::State &state) {
  const auto &c = data();
  od::parser parser;
  parser.threaded = false;  // one thread, as the cases compared with it (see normalize_bench)
  for (auto _ : state) {
    std::size_t sink = 0;
    od::document_stream stream = parser.iterate_many(c.ndjson.data(), c.length, 1 << 20).value_unsafe();
    for (auto doc : stream) sink += bench::extract_fields(doc.get_object().value_unsafe());
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
}

// N event rules, each on two actions, as a large pack is: rules spread over
// many APIs (here the traffic's 12 plus 488 it never calls), each also testing
// a field that does not match, so every candidate rule is evaluated in full.
rule_set generated_rules(std::size_t n) {
  static const char *actions[] = {
      "s3:GetObject", "s3:PutObject", "ec2:DescribeInstances", "sts:AssumeRole", "kms:Decrypt", "lambda:ListFunctions",
      "cloudwatch:PutMetricData", "dynamodb:DescribeTable", "logs:CreateLogStream", "secretsmanager:GetSecretValue",
      "iam:ListRoles", "ssm:GetParameter", "iam:CreateUser", "iam:DeleteUser", "ec2:RunInstances",
      "ec2:TerminateInstances", "s3:DeleteBucket", "kms:ScheduleKeyDeletion", "rds:DeleteDBInstance",
      "cloudtrail:StopLogging"};
  std::mt19937 rng(1);
  auto action = [&]() -> std::string {
    const auto k = rng() % 500;
    if (k < std::size(actions)) return actions[k];
    return "svc" + std::to_string(k % 40) + ":Action" + std::to_string(k);
  };
  std::ostringstream yaml;
  for (std::size_t i = 0; i < n; ++i) {
    yaml << "- id: GEN-" << i << "\n  name: generated " << i << "\n  severity: low\n  match:\n    action: [" << action()
         << ", " << action() << "]\n";
    if (i % 10 == 0) yaml << "    requestParameters.bucketName: {starts_with: never-" << i << "}\n";
    else if (i % 10 == 1) yaml << "    user_agent: {contains: never-" << i << "}\n";
    else yaml << "    region: never-" << i << "\n";
  }
  return rule_set::from_yaml(yaml.str(), "generated").value();
}

// Raw records are dropped unless asked, as in earlier figures; `analyze` keeps
// them (rules on request fields read them), which BM_builtin_pack_raw measures.
void run_pipeline(benchmark::State &state, const rule_set *rules, bool keep_raw = false) {
  const auto &c = data();
  std::string ndjson = c.ndjson;
  std::size_t round = 0;
  for (auto _ : state) {
    // A fresh detector per round: its windows and first-seen history start empty, as at start-up.
    state.PauseTiming();
    symbol_table symbols;
    normalizer_options options;
    options.keep_raw = keep_raw;
    normalizer n(symbols, options);
    std::optional<detector> d;
    if (rules) d.emplace(*rules, symbols);
    state.ResumeTiming();
    const event_sink sink = [&](const event &e) {
      if (d) d->process(e);
      return true;
    };
    (void)n.feed_padded(std::string_view(ndjson.data(), c.length), ndjson.size(), "bench.jsonl", sink);
    if (d) d->finish();
    ++round;
    state.PauseTiming();
    d.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
}

void BM_normalize_only(benchmark::State &s) { run_pipeline(s, nullptr); }
void BM_builtin_pack(benchmark::State &s) {
  static const rule_set pack = rule_set::builtin().value();
  run_pipeline(s, &pack);
}
void BM_builtin_pack_raw(benchmark::State &s) {
  static const rule_set pack = rule_set::builtin().value();
  run_pipeline(s, &pack, true);
}
void BM_event_rules(benchmark::State &s) {
  static std::map<std::size_t, rule_set> sets;
  const auto n = static_cast<std::size_t>(s.range(0));
  if (!sets.contains(n)) sets.emplace(n, generated_rules(n));
  run_pipeline(s, &sets.at(n));
}

// The eager path's cost per event with the built-in pack: each process() call
// timed alone, in time order, so the tail shows what a burst's rescans cost.
// p50 and p99 are counters; the clock read (~20 ns) is inside them.
void BM_per_event_latency(benchmark::State &state) {
  symbol_table symbols;
  std::vector<event> events;
  {
    normalizer_options options;
    options.keep_raw = false;
    normalizer n(symbols, options);
    const auto &c = data();
    (void)n.feed_padded(std::string_view(c.ndjson.data(), c.length), c.ndjson.size(), "bench.jsonl",
                        [&](const event &e) {
                          events.push_back(e);
                          return true;
                        });
  }
  static const rule_set pack = rule_set::builtin().value();
  std::vector<std::int64_t> ns;
  ns.reserve(events.size() * 4);
  for (auto _ : state) {
    state.PauseTiming();
    detector d(pack, symbols);
    state.ResumeTiming();
    for (const auto &e : events) {
      const auto start = std::chrono::steady_clock::now();
      d.process(e);
      ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    }
  }
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double q) { return static_cast<double>(ns[static_cast<std::size_t>(q * static_cast<double>(ns.size() - 1))]); };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.counters["max_ns"] = static_cast<double>(ns.back());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
}

BENCHMARK(BM_simdjson_baseline)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_normalize_only)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_builtin_pack)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_builtin_pack_raw)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_event_rules)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_per_event_latency)->Unit(benchmark::kMillisecond)->Iterations(5);

class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const auto &run : runs) {
      const auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rates.emplace_back(run.benchmark_name(), it->second.value);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::vector<std::pair<std::string, double>> rates;
};

// Heap bytes per identity that saw one event and then went idle, with the
// built-in pack (its first-seen rules keep history per identity).
void measure_idle_identities(std::size_t count) {
  const auto pack = rule_set::builtin().value();
  symbol_table symbols;
  detector d(pack, symbols);
  event e;
  e.event_source = symbols.intern("iam.amazonaws.com");
  e.event_name = symbols.intern("GetUser");
  e.action = symbols.intern("iam:GetUser");
  e.who.type = identity_type::iam_user;
  e.source.type = source_address::kind::ipv4;
  e.source.text = symbols.intern("198.51.100.7");
  // Intern the identities first, so the figure is the detector's state, not the strings.
  std::vector<symbol> arns(count), keys(count);
  for (std::size_t i = 0; i < count; ++i) {
    arns[i] = symbols.intern("arn:aws:iam::111122223333:user/user-" + std::to_string(i));
    keys[i] = symbols.intern("AKIA" + std::to_string(1'000'000'000'000ull + i));
  }
  malloc_trim(0);
  const auto before = mallinfo2().uordblks;
  // Spread over 22 hours, inside the detector's 24-hour key TTL: every identity is still tracked at the end.
  const std::int64_t spacing = 22LL * 3600 * 1'000'000'000 / static_cast<std::int64_t>(count);
  for (std::size_t i = 0; i < count; ++i) {
    e.id = "evt-" + std::to_string(i);
    e.time = from_unix_nanos(1'772'359'200'000'000'000LL + static_cast<std::int64_t>(i) * spacing);
    e.who.arn = arns[i];
    e.who.access_key_id = keys[i];
    d.process(e);
  }
  d.finish();
  const auto after = mallinfo2().uordblks;
  std::printf("%-40s %14.0f bytes per idle identity (%zu identities, %llu keys evicted by the cap)\n",
              "detector state, built-in pack", static_cast<double>(after - before) / static_cast<double>(count), count,
              static_cast<unsigned long long>(d.stats().evictions));
}

}  // namespace

int main(int argc, char **argv) {
  std::vector<std::size_t> memory_counts{10'000, 100'000, 1'000'000};
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--events=", 9) == 0) g_events = std::stoul(argv[i] + 9);
    if (std::strncmp(argv[i], "--memory-identities=", 20) == 0) {
      memory_counts.clear();
      std::stringstream list(argv[i] + 20);
      for (std::string item; std::getline(list, item, ',');) memory_counts.push_back(std::stoul(item));
    }
  }
  benchmark::Initialize(&argc, argv);
  data();
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double base = 0, ten = 0, thousand = 0;
  for (const auto &[name, rate] : reporter.rates) {
    if (name.starts_with("BM_simdjson_baseline")) base = rate;
    if (name.starts_with("BM_event_rules/10/")) ten = rate;
    if (name.starts_with("BM_event_rules/1000/")) thousand = rate;
  }
  if (base > 0) {
    std::printf("\n%-40s %14s %12s\n", "case", "events/s", "vs simdjson");
    for (const auto &[name, rate] : reporter.rates) std::printf("%-40s %14.0f %12.2f\n", name.substr(0, name.find("/min_time")).c_str(), rate, rate / base);
    if (ten > 0 && thousand > 0) std::printf("%-40s %14s %12.2f\n", "1000 rules / 10 rules", "", thousand / ten);
  }
  std::printf("\n");
  for (const auto count : memory_counts) measure_idle_identities(count);
  benchmark::Shutdown();
  return 0;
}
