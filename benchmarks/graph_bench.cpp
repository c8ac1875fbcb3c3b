// What correlation costs: the pipeline with and without the identity graph on
// the generated traffic, and blast-radius queries on a graph of a million nodes.
//   graph_bench [--events=N] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "identrail/identrail.hpp"
#include "traffic.hpp"

namespace {

using namespace identrail;

std::size_t g_events = 100'000;

const std::string &ndjson() {
  static const std::string text = [] {
    std::string out;
    for (const auto &r : bench::generate_traffic(g_events).records) out.append(r).push_back('\n');
    return out;
  }();
  return text;
}

// state.range(0): 1 with the graph, 0 without; state.range(1): 1 with the built-in rules.
void BM_pipeline(benchmark::State &state) {
  const auto &text = ndjson();
  for (auto _ : state) {
    engine_options options;
    options.correlate = state.range(0) != 0;
    options.detect = state.range(1) != 0;
    options.retain_events = false;
    auto e = engine::create(options).value();
    auto read = e.feed(text, "traffic");
    e.finish();
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

// A graph of about a million nodes built from synthetic events (no JSON):
// 50,000 identities with their keys, 200,000 addresses, 700,000 resources.
// Identity 0 is an admin whose key created 20 role sessions, each of which
// created 5 more: the blast radius walks 121 identities and their resources.
struct big_graph {
  symbol_table symbols;
  identity_graph graph{symbols};
  node_id admin = no_node;
  node_id typical = no_node;
};

event make_event(symbol_table &s, const std::string &arn, identity_type type, const std::string &key, std::size_t ip,
                 std::size_t resource, std::int64_t second) {
  event e;
  e.time = from_unix_nanos(1'772'323'200'000'000'000LL + second * 1'000'000'000LL);
  e.account = s.intern("111122223333");
  e.region = s.intern("us-east-1");
  e.event_source = s.intern("s3.amazonaws.com");
  e.event_name = s.intern("GetObject");
  e.action = s.intern("s3:GetObject");
  e.who.type = type;
  e.who.arn = s.intern(arn);
  e.who.account_id = e.account;
  e.who.access_key_id = s.intern(key);
  if (type == identity_type::assumed_role)
    e.who.issuer_arn = s.intern("arn:aws:iam::111122223333:role/" + arn.substr(arn.find("assumed-role/") + 13, arn.rfind('/') - arn.find("assumed-role/") - 13));
  e.source.type = source_address::kind::ipv4;
  e.source.text = s.intern("10." + std::to_string(ip >> 16 & 255) + "." + std::to_string(ip >> 8 & 255) + "." + std::to_string(ip & 255));
  e.user_agent = s.intern("aws-sdk-go/1.50");
  e.resources.push_back(s.intern("arn:aws:s3:::bucket-" + std::to_string(resource % 500) + "/object-" + std::to_string(resource)));
  return e;
}

event assume(symbol_table &s, const event &by, const std::string &session_arn, const std::string &key) {
  event e = by;
  e.event_source = s.intern("sts.amazonaws.com");
  e.event_name = s.intern("AssumeRole");
  e.action = s.intern("sts:AssumeRole");
  e.resources.clear();
  e.raw = R"({"responseElements":{"credentials":{"accessKeyId":")" + key + R"("},"assumedRoleUser":{"arn":")" + session_arn + R"("}}})";
  return e;
}

big_graph &graph_of_a_million() {
  static big_graph *g = [] {
    auto *out = new big_graph;
    auto &s = out->symbols;
    std::mt19937_64 rng(11);
    constexpr std::size_t identities = 50'000, addresses = 200'000, resources = 700'000;
    const auto user_arn = [](std::size_t i) { return "arn:aws:iam::111122223333:user/u" + std::to_string(i); };
    std::int64_t second = 0;
    // Every resource is touched once, by some identity, from some address.
    for (std::size_t r = 0; r < resources; ++r) {
      const std::size_t who = rng() % identities;
      const auto e = make_event(s, user_arn(who), identity_type::iam_user, "AKIA" + std::to_string(who), r % addresses,
                                r, second++ % 86400);
      out->graph.observe(e, e.who.arn);
    }
    // The admin's chain of sessions, each touching 50 resources of its own.
    const auto admin = make_event(s, user_arn(0), identity_type::iam_user, "AKIA0", 1, 0, 0);
    std::size_t resource = resources;
    for (int i = 0; i < 20; ++i) {
      const std::string session = "arn:aws:sts::111122223333:assumed-role/ops-" + std::to_string(i) + "/s";
      const auto created = assume(s, admin, session, "ASIAOPS" + std::to_string(i));
      out->graph.observe(created, created.who.arn);
      for (int j = 0; j < 5; ++j) {
        const std::string inner = "arn:aws:sts::111122223333:assumed-role/deep-" + std::to_string(i * 5 + j) + "/s";
        const auto as_session = make_event(s, session, identity_type::assumed_role, "ASIAOPS" + std::to_string(i), 2,
                                           resource++, 100);
        out->graph.observe(as_session, as_session.who.arn);
        const auto deeper = assume(s, as_session, inner, "ASIADEEP" + std::to_string(i * 5 + j));
        out->graph.observe(deeper, deeper.who.arn);
        for (int k = 0; k < 50; ++k) {
          const auto use = make_event(s, inner, identity_type::assumed_role, "ASIADEEP" + std::to_string(i * 5 + j), 3,
                                      resource++, 200);
          out->graph.observe(use, use.who.arn);
        }
      }
    }
    out->admin = *out->graph.find_identity(user_arn(0));
    out->typical = *out->graph.find_identity(user_arn(4242));
    std::fprintf(stderr, "graph: %zu nodes, %zu edges\n", out->graph.node_count(), out->graph.edge_count());
    return out;
  }();
  return *g;
}

void BM_blast_radius(benchmark::State &state) {
  auto &g = graph_of_a_million();
  const node_id who = state.range(0) == 0 ? g.admin : g.typical;
  std::size_t touched = 0;
  for (auto _ : state) {
    const auto radius = g.graph.blast_radius_of(who);
    touched = radius.resources.size();
    benchmark::DoNotOptimize(touched);
  }
  state.counters["nodes"] = static_cast<double>(g.graph.node_count());
  state.counters["resources"] = static_cast<double>(touched);
}

}  // namespace

BENCHMARK(BM_pipeline)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->ArgNames({"graph", "rules"})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK(BM_blast_radius)->Arg(0)->Arg(1)->ArgName("typical")->Unit(benchmark::kMicrosecond);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--events=", 9) == 0) g_events = std::stoul(argv[i] + 9);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
