// The duplicate filter over its default horizon (24 hours of event time): the
// memory it holds per record at a day's traffic, and the cost of one lookup.
//   dedup_bench [Google Benchmark flags]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>

#include "normalize/duplicate_filter.hpp"

namespace {

using identrail::detail::dedup_key;
using identrail::detail::duplicate_filter;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kDay = 86'400 * kSecond;
constexpr std::int64_t kStart = 1'772'323'200 * kSecond;  // 2026-03-01T00:00:00Z

// Stands in for the two hashes of a record's identity.
dedup_key key_of(std::uint64_t i) {
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  return {mix(i + 0x9e3779b97f4a7c15ull), mix(i ^ 0x6a09e667f3bcc909ull)};
}

// `per_day` records spread evenly over `days` days, each delivered once.
void report_memory(std::uint64_t per_day, int days) {
  duplicate_filter filter(kDay);
  const std::int64_t spacing = kDay / static_cast<std::int64_t>(per_day);
  const std::uint64_t n = per_day * static_cast<std::uint64_t>(days);
  for (std::uint64_t i = 0; i < n; ++i) (void)filter.insert(key_of(i), kStart + static_cast<std::int64_t>(i) * spacing);
  std::printf("%-48s %12zu keys held %10.1f MiB %8.1f bytes per record\n",
              ("duplicate filter, " + std::to_string(per_day) + " records a day, " + std::to_string(days) + " days").c_str(),
              filter.size(), static_cast<double>(filter.memory_bytes()) / (1 << 20),
              static_cast<double>(filter.memory_bytes()) / static_cast<double>(filter.size()));
}

// Steady state: a day of keys held, each new record looked up and inserted,
// one in ten a redelivery of a record from a few hours before.
void BM_duplicate_filter(benchmark::State &state) {
  const auto per_day = static_cast<std::uint64_t>(state.range(0));
  const std::int64_t spacing = kDay / static_cast<std::int64_t>(per_day);
  duplicate_filter filter(kDay);
  std::uint64_t i = 0;
  for (; i < per_day; ++i) (void)filter.insert(key_of(i), kStart + static_cast<std::int64_t>(i) * spacing);
  std::uint64_t repeats = 0;
  for (auto _ : state) {
    const bool redelivery = i % 10 == 0 && i > per_day / 4;
    const std::uint64_t id = redelivery ? i - per_day / 8 : i;
    const auto verdict = filter.insert(key_of(id), kStart + static_cast<std::int64_t>(id) * spacing);
    repeats += verdict == duplicate_filter::verdict::repeat;
    ++i;
  }
  benchmark::DoNotOptimize(repeats);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["repeats"] = static_cast<double>(repeats);
}
BENCHMARK(BM_duplicate_filter)->Arg(1'000'000)->Arg(10'000'000);

}  // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  report_memory(1'000'000, 1);
  report_memory(1'000'000, 3);
  report_memory(10'000'000, 2);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
