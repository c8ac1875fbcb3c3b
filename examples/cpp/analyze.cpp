// Reads CloudTrail files or directories and prints identrail's report.
//   analyze_cpp PATH...
#include <cstdio>

#include "identrail/identrail.hpp"

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH...\n", argv[0]);
    return 2;
  }
  identrail::engine engine;
  for (int i = 1; i < argc; ++i) {
    if (auto read = engine.feed_path(argv[i]); !read) {
      std::fprintf(stderr, "%s\n", read.error().message.c_str());
      return 1;
    }
  }
  engine.finish();  // end of input: release events held back for late arrivals
  std::fputs(identrail::report_text(engine).c_str(), stdout);
  return 0;
}
