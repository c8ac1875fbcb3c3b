// Checkpoint size per tracked identity, and the time to checkpoint and to
// restore, with the built-in pack, at 10,000 and 100,000 identities.
//   checkpoint_bench [google benchmark flags]
// Each identity (an IAM user with its own key and address) makes a day's
// handful of calls, some of which the pack's stateful rules track (first-seen
// keys and regions, discovery counts), so every identity leaves rule state,
// graph nodes and edges, usage records and duplicate-filter keys behind.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "identrail/identrail.hpp"

namespace {

using namespace identrail;

std::string records_for(std::size_t identities) {
  static const char *calls[][2] = {{"sts.amazonaws.com", "GetCallerIdentity"},
                                   {"s3.amazonaws.com", "ListBuckets"},
                                   {"iam.amazonaws.com", "ListRoles"},
                                   {"ec2.amazonaws.com", "DescribeInstances"},
                                   {"secretsmanager.amazonaws.com", "GetSecretValue"}};
  std::string out;
  char line[1024];
  for (std::size_t i = 0; i < identities; ++i) {
    for (std::size_t k = 0; k < 5; ++k) {
      const std::size_t second = (i * 7 + k * 3600) % 86400;
      std::snprintf(line, sizeof line,
                    R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA%012zu","arn":"arn:aws:iam::111122223333:user/u%zu","accountId":"111122223333","accessKeyId":"AKIA%012zu","userName":"u%zu"},"eventTime":"2026-03-01T%02zu:%02zu:%02zuZ","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"10.%zu.%zu.%zu","userAgent":"aws-cli/2.15.30","requestParameters":null,"responseElements":null,"eventID":"%08zx-0000-4000-8000-%012zx","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"})"
                    "\n",
                    i, i, i, i, second / 3600, second / 60 % 60, second % 60, calls[k][0], calls[k][1], i >> 16 & 255,
                    i >> 8 & 255, i & 255, i, k);
      out += line;
    }
  }
  return out;
}

// One engine per size, read once: the benchmarks time only the checkpoint work.
const engine &loaded(std::size_t identities) {
  static std::map<std::size_t, engine> engines;
  auto it = engines.find(identities);
  if (it == engines.end()) {
    engine_options options;
    options.retain_events = false;
    auto e = engine::create(options).value();
    (void)e.feed(records_for(identities), "bench");
    it = engines.emplace(identities, std::move(e)).first;
  }
  return it->second;
}

void BM_checkpoint(benchmark::State &state) {
  const auto identities = static_cast<std::size_t>(state.range(0));
  const engine &e = loaded(identities);
  std::size_t size = 0;
  for (auto _ : state) {
    auto bytes = e.checkpoint();
    size = bytes->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(size);
  state.counters["bytes_per_identity"] = static_cast<double>(size) / static_cast<double>(identities);
}

void BM_restore(benchmark::State &state) {
  const auto identities = static_cast<std::size_t>(state.range(0));
  const auto bytes = *loaded(identities).checkpoint();
  for (auto _ : state) {
    auto back = engine::restore(bytes);
    if (!back) state.SkipWithError(back.error().message.c_str());
    benchmark::DoNotOptimize(back);
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

// What a learned baseline costs per identity: the checkpoint of an engine
// running only IDT-EXF-007 (the volume kind) less that of one running no
// rules, over the same reads (ten busy windows of two GetObject each).
std::string reads_for(std::size_t identities) {
  std::string out;
  char line[1024];
  for (std::size_t i = 0; i < identities; ++i)
    for (std::size_t w = 0; w < 10; ++w)
      for (std::size_t k = 0; k < 2; ++k) {
        const std::size_t second = (i * 7 % 600) + w * 3600 + k * 5;
        std::snprintf(line, sizeof line,
                      R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA%012zu","arn":"arn:aws:iam::111122223333:user/u%zu","accountId":"111122223333","accessKeyId":"AKIA%012zu","userName":"u%zu"},"eventTime":"2026-03-01T%02zu:%02zu:%02zuZ","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.%zu.%zu.%zu","userAgent":"aws-cli/2.15.30","requestParameters":{"bucketName":"b%zu","key":"k"},"responseElements":null,"eventID":"%08zx-0000-4000-8000-%012zx","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data"})"
                      "\n",
                      i, i, i, i, second / 3600, second / 60 % 60, second % 60, i >> 16 & 255, i >> 8 & 255, i & 255, i,
                      i, w * 2 + k);
        out += line;
      }
  return out;
}

std::size_t checkpoint_size(const std::string &input, std::optional<rule_set> rules) {
  engine_options options;
  options.retain_events = false;
  options.rules = std::move(rules);
  auto e = engine::create(options).value();
  (void)e.feed(input, "bench");
  return e.checkpoint()->size();
}

void BM_baseline_bytes(benchmark::State &state) {
  const auto identities = static_cast<std::size_t>(state.range(0));
  const auto input = reads_for(identities);
  const auto pack = rule_set::builtin().value();
  std::optional<rule_set> volume;
  for (std::size_t i = 0; i < pack.size(); ++i)
    if (pack.info(i).id == "IDT-EXF-007") volume = pack.only(i);
  if (!volume) return state.SkipWithError("IDT-EXF-007 is not in the pack");
  std::size_t with = 0, without = 0;
  for (auto _ : state) {
    with = checkpoint_size(input, volume);
    without = checkpoint_size(input, rule_set{});
  }
  state.counters["baseline_bytes_per_identity"] =
      static_cast<double>(with - without) / static_cast<double>(identities);
}

BENCHMARK(BM_baseline_bytes)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_checkpoint)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_restore)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
