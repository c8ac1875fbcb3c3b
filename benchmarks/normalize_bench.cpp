// Normalizer throughput against a simdjson-only baseline on the same bytes.
//   normalize_bench [--events=N] [google benchmark flags]
// Prints events/s for each case and its ratio to the baseline, measured in this run.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <libdeflate.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "identrail/identrail.hpp"
#include "gzip_bytes.hpp"
#include "baseline.hpp"
#include "traffic.hpp"

namespace {

namespace od = simdjson::ondemand;
using namespace identrail;

std::size_t g_events = 100'000;
constexpr std::size_t kRecordsPerFile = 1000;  // a busy account's 5-minute delivery file

struct corpus {
  std::string ndjson;
  std::vector<std::size_t> id_offsets;  // first character of each eventID value in ndjson
  std::vector<std::string> gz_files;  // {"Records":[...]} per file
  std::size_t gz_bytes = 0;
};

const corpus &data() {
  static const corpus c = [] {
    corpus out;
    auto t = bench::generate_traffic(g_events);
    out.ndjson.reserve(t.bytes + t.records.size());
    for (const auto &r : t.records) {
      out.id_offsets.push_back(out.ndjson.size() + r.find(R"("eventID":")") + 11);
      out.ndjson.append(r).push_back('\n');
    }
    for (std::size_t i = 0; i < t.records.size(); i += kRecordsPerFile) {
      std::string file = R"({"Records":[)";
      for (std::size_t j = i; j < std::min(i + kRecordsPerFile, t.records.size()); ++j) {
        if (j != i) file.push_back(',');
        file += t.records[j];
      }
      file += "]}";
      out.gz_files.push_back(test::gzip(file));
      out.gz_bytes += out.gz_files.back().size();
    }
    std::fprintf(stderr, "corpus: %zu events, %.1f MB NDJSON (%.0f bytes/event), %zu gzip files (%.1f MB)\n", g_events,
                 static_cast<double>(out.ndjson.size()) / 1e6, static_cast<double>(out.ndjson.size()) / static_cast<double>(g_events),
                 out.gz_files.size(), static_cast<double>(out.gz_bytes) / 1e6);
    return out;
  }();
  return c;
}

// On one thread, as the normalizer cases run. simdjson's default for JSON
// lines finds the next batch's structure on a thread of its own, whose time
// Google Benchmark's CPU clock (the calling thread's) does not see: a baseline
// measured that way reads faster than any single thread can go.
void run_baseline(benchmark::State &state, bool stage1_thread) {
  const auto &c = data();
  const simdjson::padded_string padded(c.ndjson);
  od::parser parser;
  parser.threaded = stage1_thread;
  for (auto _ : state) {
    std::size_t sink = 0, n = 0;
    od::document_stream stream = parser.iterate_many(padded, 1 << 20).value_unsafe();
    for (auto doc : stream) {
      sink += bench::extract_fields(doc.get_object().value_unsafe());
      ++n;
    }
    benchmark::DoNotOptimize(sink);
    if (n != g_events) state.SkipWithError("baseline lost events");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.ndjson.size()));
}
void BM_simdjson_baseline(benchmark::State &s) { run_baseline(s, false); }
// simdjson's default, timed on the wall clock: the baseline with two threads.
void BM_simdjson_baseline_stage1_thread(benchmark::State &s) { run_baseline(s, true); }

// The same baseline on the gzip delivery files: libdeflate, then simdjson over each Records array.
void BM_simdjson_baseline_gz(benchmark::State &state) {
  const auto &c = data();
  od::parser parser;
  libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
  std::string plain;
  for (auto _ : state) {
    std::size_t sink = 0, n = 0;
    for (const auto &file : c.gz_files) {
      plain.resize(file.size() * 16);
      std::size_t size = 0;
      if (libdeflate_gzip_decompress(dec, file.data(), file.size(), plain.data(), plain.size(), &size) != LIBDEFLATE_SUCCESS)
        state.SkipWithError("libdeflate failed");
      plain.resize(size);
      plain.append(simdjson::SIMDJSON_PADDING, ' ');
      od::document doc = parser.iterate(plain.data(), size, plain.size()).value_unsafe();
      for (auto record : doc["Records"].get_array().value_unsafe()) {
        sink += bench::extract_fields(record.get_object().value_unsafe());
        ++n;
      }
    }
    benchmark::DoNotOptimize(sink);
    if (n != g_events) state.SkipWithError("baseline lost events");
  }
  libdeflate_free_decompressor(dec);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.ndjson.size()));
}

// A long-lived normalizer, as in a service reading delivery after delivery:
// its buffers and tables are warm after the first round. Each NDJSON round
// gets fresh event ids (patched outside the timing) so that nothing is a
// duplicate of the previous round. Gzip bytes cannot be patched, so from the
// second round on those records are decoded in full and then found to be
// duplicates, which skips only the sink call.
void run_normalizer(benchmark::State &state, bool keep_raw, bool gz, gzip_backend backend, bool dedup = true) {
  const auto &c = data();
  // Padded like the baseline's simdjson::padded_string, so neither side copies the input.
  std::string ndjson = c.ndjson;
  const std::size_t length = ndjson.size();
  ndjson.append(input_padding, ' ');
  symbol_table symbols;
  normalizer_options options;
  options.keep_raw = keep_raw;
  options.gzip = backend;
  options.deduplicate = dedup;
  normalizer n(symbols, options);
  const event_sink sink = [&](const event &e) {
    benchmark::DoNotOptimize(e.action);
    return true;
  };
  std::size_t round = 0;
  for (auto _ : state) {
    const auto before = n.stats();
    if (gz) {
      for (const auto &file : c.gz_files) (void)n.feed(file, "bench.json.gz", sink);
    } else {
      (void)n.feed_padded(std::string_view(ndjson.data(), length), ndjson.size(), "bench.jsonl", sink);
      state.PauseTiming();
      ++round;
      for (const auto offset : c.id_offsets) ndjson[offset] = "0123456789abcdef"[round % 16];
      state.ResumeTiming();
    }
    const auto &after = n.stats();
    if (after.accepted + after.duplicates - before.accepted - before.duplicates != g_events || after.rejected != 0)
      state.SkipWithError("normalizer lost events");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.ndjson.size()));
}

void BM_identrail_ndjson(benchmark::State &s) { run_normalizer(s, false, false, gzip_backend::libdeflate); }
// Shows what the duplicate filter costs.
void BM_identrail_ndjson_no_dedup(benchmark::State &s) { run_normalizer(s, false, false, gzip_backend::libdeflate, false); }
void BM_identrail_ndjson_keep_raw(benchmark::State &s) { run_normalizer(s, true, false, gzip_backend::libdeflate); }
void BM_identrail_records_gz_libdeflate(benchmark::State &s) { run_normalizer(s, false, true, gzip_backend::libdeflate); }
void BM_identrail_records_gz_zlib(benchmark::State &s) { run_normalizer(s, false, true, gzip_backend::zlib); }

// The gzip delivery files handed over at once (feed_buffers), decoded on
// `threads` threads; the events still reach the sink in file order.
void run_threads(benchmark::State &state, unsigned threads) {
  const auto &c = data();
  symbol_table symbols;
  normalizer_options options;
  options.keep_raw = false;
  options.threads = threads;
  normalizer n(symbols, options);
  std::vector<input_buffer> inputs;
  for (const auto &file : c.gz_files) inputs.push_back({file, "bench.json.gz", 0});
  const event_sink sink = [&](const event &e) {
    benchmark::DoNotOptimize(e.action);
    return true;
  };
  for (auto _ : state) {
    const auto before = n.stats();
    (void)n.feed_buffers(inputs, sink);
    const auto &after = n.stats();
    if (after.accepted + after.duplicates - before.accepted - before.duplicates != g_events || after.rejected != 0)
      state.SkipWithError("normalizer lost events");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.ndjson.size()));
}
void BM_identrail_records_gz_1_thread(benchmark::State &s) { run_threads(s, 1); }
void BM_identrail_records_gz_2_threads(benchmark::State &s) { run_threads(s, 2); }

BENCHMARK(BM_simdjson_baseline)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_simdjson_baseline_stage1_thread)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_simdjson_baseline_gz)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_ndjson)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_ndjson_no_dedup)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_ndjson_keep_raw)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_records_gz_libdeflate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_records_gz_zlib)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_identrail_records_gz_1_thread)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_identrail_records_gz_2_threads)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

// Collects events/s per benchmark so the ratios come from this one run.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const auto &run : runs)
      if (run.run_type == Run::RT_Iteration || run.aggregate_name == "mean") {
        const auto it = run.counters.find("items_per_second");
        if (it != run.counters.end()) rates[run.run_name.function_name] = it->second.value;
      }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> rates;
};

}  // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--events=", 9) == 0) g_events = std::stoul(argv[i] + 9);
  benchmark::Initialize(&argc, argv);
  data();
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  auto rate_of = [&](const char *name) {
    const auto it = reporter.rates.find(name);
    return it == reporter.rates.end() ? 0.0 : it->second;
  };
  const double base = rate_of("BM_simdjson_baseline");
  const double base_gz = rate_of("BM_simdjson_baseline_gz");
  if (base <= 0) return 0;
  // Each gzip case is also compared with the baseline that decompresses the same files.
  std::printf("\n%-40s %14s %12s %15s\n", "case", "events/s", "vs simdjson", "vs simdjson+gz");
  for (const auto &[name, rate] : reporter.rates) {
    std::printf("%-40s %14.0f %12.2f", name.c_str(), rate, rate / base);
    if (name.find("gz") != std::string::npos && base_gz > 0) std::printf(" %15.2f", rate / base_gz);
    std::printf("\n");
  }
  benchmark::Shutdown();
  return 0;
}
