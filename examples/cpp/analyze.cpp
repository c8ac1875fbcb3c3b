// Reads CloudTrail files or directories, prints identrail's report, then the
// blast radius and the first remediation step of each identity that is
// (potentially) compromised.
//   analyze_cpp PATH...
#include <cstdio>

#include "identrail/identrail.hpp"

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH...\n", argv[0]);
    return 2;
  }
  auto created = identrail::engine::create();
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().message.c_str());
    return 1;
  }
  auto &engine = *created;
  for (int i = 1; i < argc; ++i) {
    if (auto read = engine.feed_path(argv[i]); !read) {
      std::fprintf(stderr, "%s\n", read.error().message.c_str());
      return 1;
    }
  }
  engine.finish();  // end of input: release events held back for late arrivals
  std::fputs(identrail::report_text(engine).c_str(), stdout);

  const auto &graph = engine.graph();
  for (const auto &a : engine.assessments()) {
    if (a.status == identrail::compromise_status::normal) continue;
    const auto name = engine.symbols().str(a.identity);
    const auto node = graph.find_identity(name);
    if (!node) continue;  // an instance: its sessions are listed
    const auto radius = graph.blast_radius_of(*node, a.since.value_or(identrail::timestamp{}));
    std::printf("\n%.*s (%s, %s): %zu resources touched since %s\n", static_cast<int>(name.size()), name.data(),
                std::string(identrail::to_string(a.status)).c_str(), std::string(identrail::to_string(a.risk)).c_str(),
                radius.resources.size(), a.since ? identrail::format_rfc3339(*a.since).c_str() : "the start");
    for (const auto &r : radius.resources) {
      const auto arn = graph.label(r.resource);
      std::printf("  %.*s\n", static_cast<int>(arn.size()), arn.data());
    }
    if (auto plan = identrail::plan_remediation(engine.evidence(), name); plan && !plan->strategies.empty())
      std::printf("  first step: %s\n", plan->strategies.front().steps.front().cli.c_str());
  }
  return 0;
}
