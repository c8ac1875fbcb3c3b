#!/usr/bin/env bash
# Builds everything and runs every test suite: GoogleTest, the C ABI tests and
# the header test through ctest (normal and ASan/UBSan builds), the parallel
# decoder's tests under ThreadSanitizer, a minute of the
# decoder fuzzer, every consumer of the installed library (C++, C, Go, Rust:
# scripts/test_consumers.sh), and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "C++ build and tests (dev preset)"
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev

step "C++ tests under AddressSanitizer and UndefinedBehaviorSanitizer"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan
ctest --preset asan-ubsan

step "Decoding on several threads under ThreadSanitizer"
cmake --preset tsan >/dev/null
cmake --build --preset tsan
TSAN_OPTIONS="halt_on_error=1" build/tsan/tests/identrail_tests --gtest_filter='ParallelDecoding.*:Bench.*'

step "Decoder fuzzer (libFuzzer, ASan + UBSan): every regression input, then 60 s of new ones"
scripts/fuzz.sh 60 -seed=1  # a fixed seed: the same inputs each run, so a red run means a changed result

scripts/test_consumers.sh

step "Python module and CLI (pytest)"
.venv/bin/python -m pip install -q ".[test]"
.venv/bin/python -m pytest
