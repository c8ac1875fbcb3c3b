// Heap allocations per event on the steady-state path (issue 13, section 2).
//   alloc_bench [--events=N] [--identities=M] [--only=K]
// A generated day is cut in two: the first half warms the pipeline up (its
// identities, keys, values and windows become known), then every call to
// operator new is counted while the second half is read. The second half
// still meets some names for the first time (an hourly session key, the Zipf
// tail's rare identities), which may allocate, so the names it interned are
// printed beside the counts.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <optional>
#include <string>

#include "identrail/identrail.hpp"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_bytes{0};

void *counted(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(size, std::memory_order_relaxed);
  }
  if (void *p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void *counted_aligned(std::size_t size, std::align_val_t align) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(size, std::memory_order_relaxed);
  }
  const auto a = static_cast<std::size_t>(align);
  if (void *p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}

}  // namespace

// Replacing the global operators in the program replaces them for the shared
// library too: every allocation identrail makes is counted.
void *operator new(std::size_t size) { return counted(size); }
void *operator new[](std::size_t size) { return counted(size); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  try {
    return counted(size);
  } catch (...) {
    return nullptr;
  }
}
void *operator new(std::size_t size, std::align_val_t a) { return counted_aligned(size, a); }
void *operator new[](std::size_t size, std::align_val_t a) { return counted_aligned(size, a); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

using namespace identrail;

struct halves {
  std::string warm, measured;
  std::size_t measured_events = 0;
};

halves split_day(std::size_t events, std::size_t identities) {
  const std::string day = generate_traffic({events, identities, 42});
  std::size_t cut = 0;
  for (std::size_t lines = 0; lines < events / 2; ++lines) cut = day.find('\n', cut) + 1;
  return {day.substr(0, cut), day.substr(cut), events - events / 2};
}

// Allocations of the counted half, split by what each event did. An event is
// quiet when it brought no new name into the symbol table (no new identity,
// key, address or value) and changed no detection: the steady-state path, on
// which the goal is no allocation at all.
struct tally {
  std::uint64_t events = 0, allocations = 0, bytes = 0;
  void add(std::uint64_t a, std::uint64_t b) {
    ++events;
    allocations += a;
    bytes += b;
  }
};
struct counts {
  tally quiet, changing;
  std::uint64_t allocations = 0, bytes = 0, new_names = 0;  // everything the half cost
};

// Tallies each event's allocations, from the end of the last event's work to the end of this one's
// (its decoding, then the stages after), into quiet or changing.
class event_meter {
 public:
  explicit event_meter(const symbol_table &symbols) : symbols_(symbols) {}
  void start() {
    names_ = start_names_ = symbols_.size();
    g_allocations = 0;
    g_bytes = 0;
    mark_ = mark_bytes_ = 0;
    g_counting = true;
  }
  template <class Work>
  void event(std::uint64_t detection_changes_before, Work &&work) {
    const std::uint64_t after = work();
    const auto a = g_allocations.load() - mark_, b = g_bytes.load() - mark_bytes_;
    const bool quiet = symbols_.size() == names_ && after == detection_changes_before;
    (quiet ? result_.quiet : result_.changing).add(a, b);
    mark_ = g_allocations.load();
    mark_bytes_ = g_bytes.load();
    names_ = symbols_.size();
  }
  counts stop() {
    g_counting = false;
    result_.allocations = g_allocations.load();
    result_.bytes = g_bytes.load();
    result_.new_names = symbols_.size() - start_names_;
    return result_;
  }

 private:
  const symbol_table &symbols_;
  std::size_t names_ = 0, start_names_ = 0;
  std::uint64_t mark_ = 0, mark_bytes_ = 0;
  counts result_;
};

std::uint64_t changes(const detector_stats &s) { return s.detections + s.revisions + s.withdrawn; }

void report(const char *what, const counts &c, std::size_t events) {
  const auto per = [](std::uint64_t n, std::uint64_t of) { return of ? static_cast<double>(n) / static_cast<double>(of) : 0.0; };
  std::printf("%-30s %9.3f %9.1f %8.1f%% %11.3f %12.2f %9llu\n", what, per(c.allocations, events), per(c.bytes, events),
              100.0 * per(c.quiet.events, events), per(c.quiet.allocations, c.quiet.events),
              per(c.changing.allocations, c.changing.events), static_cast<unsigned long long>(c.new_names));
}

// The input is fed in place, padded as feed_padded asks, as `analyze` reads a file it loaded.
struct padded {
  explicit padded(const std::string &text) : bytes(text), length(text.size()) { bytes.append(input_padding, ' '); }
  std::string bytes;
  std::size_t length;
  [[nodiscard]] std::string_view view() const { return {bytes.data(), length}; }
};

// The stages wired as the engine wires them (engine_impl.hpp), each optional.
struct stages {
  const rule_set *rules = nullptr;
  bool graph = false;
};

counts run_stages(const halves &day, stages which) {
  symbol_table symbols;
  normalizer n(symbols);  // raw records kept, as analyze keeps them for rules on request fields
  std::optional<identity_graph> graph;
  if (which.graph) graph.emplace(symbols);
  std::optional<detector> d;
  if (which.rules) {
    d.emplace(*which.rules, symbols);
    if (graph) d->on_detection([&](const detection &found) { graph->observe(found); });
  }
  const symbol unknown = symbols.intern("unknown");
  event_meter meter(symbols);
  bool counting = false;
  const auto stats = [&] { return d ? changes(d->stats()) : 0; };
  const auto take = [&](const event &e) {
    if (graph) {
      const symbol key = identity_key_of(e);
      graph->observe(e, key.empty() ? unknown : key);
    }
    if (d) d->process(e);
    return stats();
  };
  const event_sink sink = [&](const event &e) {
    if (counting) meter.event(stats(), [&] { return take(e); });
    else take(e);
    return true;
  };
  const padded warm(day.warm), measured(day.measured);
  (void)n.feed_padded(warm.view(), warm.bytes.size(), "warm.jsonl", sink);
  counting = true;
  meter.start();
  (void)n.feed_padded(measured.view(), measured.bytes.size(), "day.jsonl", sink);
  return meter.stop();
}

// The whole engine as analyze runs it, counted as one: it has no per-event hook that sits after detection.
counts whole_engine(const halves &day) {
  engine_options options;
  options.retain_events = false;
  auto made = engine::create(options);
  if (!made) {
    std::fprintf(stderr, "alloc_bench: %s\n", made.error().message.c_str());
    std::exit(1);
  }
  engine &e = *made;
  const padded warm(day.warm), measured(day.measured);
  (void)e.feed_padded(warm.view(), warm.bytes.size(), "warm.jsonl");
  event_meter meter(e.symbols());
  meter.start();
  (void)e.feed_padded(measured.view(), measured.bytes.size(), "day.jsonl");
  return meter.stop();
}

std::size_t flag(int argc, char **argv, const char *name, std::size_t fallback) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return std::strtoull(argv[i] + len + 1, nullptr, 10);
  return fallback;
}

}  // namespace

int main(int argc, char **argv) {
  const auto events = flag(argc, argv, "--events", 200'000);
  const auto identities = flag(argc, argv, "--identities", 2'000);
  const halves day = split_day(events, identities);
  const auto pack = rule_set::builtin().value();
  const auto n = day.measured_events;
  std::printf("%zu events (%zu warm-up, %zu counted), %zu identities\n", events, events - n, n, identities);
  std::printf("%-30s %9s %9s %9s %11s %12s %9s\n", "pipeline", "allocs/ev", "bytes/ev", "quiet", "per quiet", "per changing",
              "new names");
  // --only=K runs the K-th pipeline alone (1-5), for a heap profiler.
  const auto only = flag(argc, argv, "--only", 0);
  const auto wanted = [&](std::size_t k) { return only == 0 || only == k; };
  if (wanted(1)) report("normalizer", run_stages(day, {}), n);
  if (wanted(2)) report("normalizer + graph", run_stages(day, {nullptr, true}), n);
  if (wanted(3)) report("normalizer + built-in pack", run_stages(day, {&pack, false}), n);
  if (wanted(4)) report("normalizer + pack + graph", run_stages(day, {&pack, true}), n);
  if (wanted(5)) report("engine (analyze)", whole_engine(day), n);
  return 0;
}
