// Heap allocations per event on the steady-state path (issue 13, section 2).
//   alloc_bench [--events=N] [--identities=M] [--rules=PATH] [--only=K] [--explain=N [--revising=1]]
// --explain prints the stacks of N quiet (or revising) events that allocated, with --only=3 or 4.
// A generated day is cut in two: the first half warms the pipeline up (its
// identities, keys, values and windows become known), then every call to
// operator new is counted while the second half is read. The second half
// still meets some names for the first time (an hourly session key, the Zipf
// tail's rare identities), which may allocate, so the names it interned are
// printed beside the counts.
#include <dlfcn.h>
#include <execinfo.h>

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

// --explain: the call stacks of the current event's allocations, in fixed
// memory (recording one must not allocate), printed for quiet events.
constexpr int kFrames = 12;
struct stack_record {
  void *frames[kFrames];
  int depth;
};
bool g_record_stacks = false;
stack_record g_stacks[64];
std::size_t g_stack_count = 0;

void note_allocation(std::size_t size) {
  if (!g_counting.load(std::memory_order_relaxed)) return;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(size, std::memory_order_relaxed);
  if (g_record_stacks && g_stack_count < std::size(g_stacks)) {
    auto &r = g_stacks[g_stack_count++];
    r.depth = backtrace(r.frames, kFrames);
  }
}

void *counted(std::size_t size) {
  note_allocation(size);
  if (void *p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void *counted_aligned(std::size_t size, std::align_val_t align) {
  note_allocation(size);
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
// access key, address or value), no new group key into a rule's state, no new
// node or edge into the graph, and changed no detection: the steady-state
// path, on which the goal is no allocation at all.
struct tally {
  std::uint64_t events = 0, allocations = 0, bytes = 0;
  void add(std::uint64_t a, std::uint64_t b) {
    ++events;
    allocations += a;
    bytes += b;
  }
};
struct counts {
  tally quiet, revising, growing;  // growing: new names, keys, detections, nodes or edges
  std::uint64_t allocations = 0, bytes = 0, new_names = 0;  // everything the half cost
};

struct change_counts {
  std::uint64_t state = 0;       // group keys, detections made, graph nodes and edges
  std::uint64_t detections = 0;  // revised or withdrawn
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
  // The allocations of the event if it was of the kind `explained` (0: quiet, 1: revising), else 0.
  int explained = 0;
  template <class Work>
  std::uint64_t event(change_counts before, Work &&work) {
    const change_counts after = work();
    const auto a = g_allocations.load() - mark_, b = g_bytes.load() - mark_bytes_;
    const bool grew = symbols_.size() != names_ || after.state != before.state;
    const bool quiet = !grew && after.detections == before.detections;
    (grew ? result_.growing : quiet ? result_.quiet : result_.revising).add(a, b);
    mark_ = g_allocations.load();
    mark_bytes_ = g_bytes.load();
    names_ = symbols_.size();
    return (explained == 0 ? quiet : (!grew && !quiet)) ? a : 0;
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

// A new group key (a rule meeting an identity for the first time, or again after its key went idle) is new
// state, and may allocate; so are detections made, revised or withdrawn.
// A detection made is new state (it is kept); one revised or withdrawn is a change to what is kept.
change_counts changes(const detector_stats &s) { return {s.keys + s.detections + s.withdrawn, s.revisions + s.withdrawn}; }

void report(const char *what, const counts &c, std::size_t events) {
  const auto per = [](std::uint64_t n, std::uint64_t of) { return of ? static_cast<double>(n) / static_cast<double>(of) : 0.0; };
  std::printf("%-28s %9.3f %9.1f %7.1f%% %9.3f %7.1f%% %9.2f %7.1f%% %9.2f\n", what, per(c.allocations, events),
              per(c.bytes, events), 100.0 * per(c.quiet.events, events), per(c.quiet.allocations, c.quiet.events),
              100.0 * per(c.revising.events, events), per(c.revising.allocations, c.revising.events),
              100.0 * per(c.growing.events, events), per(c.growing.allocations, c.growing.events));
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
  std::size_t explain = 0;
  bool explain_revising = false;
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
  meter.explained = which.explain_revising ? 1 : 0;
  bool counting = false;
  const auto stats = [&] {
    change_counts c = d ? changes(d->stats()) : change_counts{};
    if (graph) c.state += graph->node_count() + graph->edge_count();
    return c;
  };
  const auto take = [&](const event &e) {
    if (graph) {
      const symbol key = identity_key_of(e);
      graph->observe(e, key.empty() ? unknown : key);
    }
    if (d) d->process(e);
    return stats();
  };
  std::size_t explained = 0;
  const event_sink sink = [&](const event &e) {
    if (!counting) {
      take(e);
      return true;
    }
    g_stack_count = 0;
    const auto allocated = meter.event(stats(), [&] { return take(e); });
    // --explain: which quiet events still allocate, to find the code that does.
    if (allocated && explained < which.explain) {
      ++explained;
      g_counting = false;
      std::fprintf(stderr, "quiet event allocated %llu: %s by %s at %s\n", static_cast<unsigned long long>(allocated),
                   std::string(symbols.str(e.action)).c_str(), std::string(symbols.str(identity_key_of(e))).c_str(),
                   format_rfc3339(e.time).c_str());
      // As offsets into the program, for addr2line -f -C -e alloc_bench.
      for (std::size_t k = 0; k < g_stack_count; ++k) {
        std::fprintf(stderr, "  stack:");
        for (int f = 1; f < g_stacks[k].depth; ++f) {
          Dl_info info;
          if (dladdr(g_stacks[k].frames[f], &info) && info.dli_fbase)
            std::fprintf(stderr, " 0x%zx", static_cast<std::size_t>(static_cast<char *>(g_stacks[k].frames[f]) -
                                                                    static_cast<char *>(info.dli_fbase)));
        }
        std::fprintf(stderr, "\n");
      }
      g_counting = true;
    }
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

const char *text_flag(int argc, char **argv, const char *name) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return argv[i] + len + 1;
  return nullptr;
}

std::size_t flag(int argc, char **argv, const char *name, std::size_t fallback) {
  const char *text = text_flag(argc, argv, name);
  return text ? std::strtoull(text, nullptr, 10) : fallback;
}

}  // namespace

int main(int argc, char **argv) {
  const auto events = flag(argc, argv, "--events", 200'000);
  const auto identities = flag(argc, argv, "--identities", 2'000);
  const halves day = split_day(events, identities);
  // --rules=PATH: a pack of one's own (YAML or Sigma, a file or a directory) instead of the built-in one.
  const char *rules_path = text_flag(argc, argv, "--rules");
  rule_load_options load;
  load.skip_invalid = true;  // as analyze --rules does: rules this version cannot run are reported, not fatal
  auto loaded = rules_path ? rule_set::from_paths({rules_path}, load) : rule_set::builtin();
  if (!loaded) {
    std::fprintf(stderr, "alloc_bench: %s\n", loaded.error().message.c_str());
    return 2;
  }
  const rule_set pack = std::move(*loaded);
  const auto n = day.measured_events;
  std::printf("%zu events (%zu warm-up, %zu counted), %zu identities\n", events, events - n, n, identities);
  std::printf("%-28s %9s %9s %8s %9s %8s %9s %8s %9s\n", "pipeline", "allocs/ev", "bytes/ev", "quiet", "allocs", "revising",
              "allocs", "growing", "allocs");
  // --only=K runs the K-th pipeline alone (1-5), for a heap profiler.
  const auto only = flag(argc, argv, "--only", 0);
  g_record_stacks = flag(argc, argv, "--explain", 0) > 0;
  if (g_record_stacks) {
    void *warm[1];
    backtrace(warm, 1);  // its first call loads libgcc, which allocates
  }
  const auto wanted = [&](std::size_t k) { return only == 0 || only == k; };
  if (wanted(1)) report("normalizer", run_stages(day, {}), n);
  if (wanted(2)) report("normalizer + graph", run_stages(day, {nullptr, true}), n);
  if (wanted(3)) report("normalizer + built-in pack", run_stages(day, {&pack, false, flag(argc, argv, "--explain", 0), flag(argc, argv, "--revising", 0) > 0}), n);
  if (wanted(4)) report("normalizer + pack + graph", run_stages(day, {&pack, true, flag(argc, argv, "--explain", 0), flag(argc, argv, "--revising", 0) > 0}), n);
  if (wanted(5)) report("engine (analyze)", whole_engine(day), n);
  return 0;
}
