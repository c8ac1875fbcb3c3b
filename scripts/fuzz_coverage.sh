#!/usr/bin/env bash
# Source coverage of the decoder by the fuzz corpus (build/fuzz/corpus, grown by
# scripts/fuzz.sh, plus the seeds and regressions): builds the fuzz target with
# clang's coverage instrumentation (the fuzz-coverage preset), replays every
# input once and prints llvm-cov's report for src/normalize/.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d build/fuzz/dataset-seeds ]] || { echo "fuzz_coverage: run scripts/fuzz.sh first (it builds the corpus)" >&2; exit 2; }
cmake --preset fuzz-coverage >/dev/null
cmake --build --preset fuzz-coverage
out=build/fuzz-coverage
rm -f "$out"/*.profraw
LLVM_PROFILE_FILE="$out/fuzz-%p.profraw" "$out/tests/fuzz/fuzz_decoder" -runs=0 \
  build/fuzz/corpus build/fuzz/dataset-seeds tests/fuzz/seeds tests/fuzz/regressions 2>&1 | grep -E "INITED|DONE" || true
llvm-profdata merge -sparse "$out"/*.profraw -o "$out/fuzz.profdata"
llvm-cov report "$out/tests/fuzz/fuzz_decoder" -instr-profile="$out/fuzz.profdata" src/normalize/
