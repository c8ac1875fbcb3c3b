#!/usr/bin/env bash
# Builds everything and runs every test suite: GoogleTest, the C ABI tests and
# the header test through ctest (normal and ASan/UBSan builds), a minute of the
# decoder fuzzer, a consumer build of examples/ against the installed package,
# and pytest.
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

step "Decoder fuzzer (libFuzzer, ASan + UBSan): every regression input, then 60 s of new ones"
scripts/fuzz.sh 60 -seed=1  # a fixed seed: the same inputs each run, so a red run means a changed result

step "Consumer build of examples/ through find_package(identrail)"
rm -rf build/stage build/consumer
cmake --install build/dev --prefix build/stage >/dev/null
cmake -S examples -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/stage" -DBUILD_TESTING=ON >/dev/null
cmake --build build/consumer
ctest --test-dir build/consumer --output-on-failure
# And from C through pkg-config alone, as a user of the installed library would (the .pc is relocatable).
cc -std=c99 -Wall -Wextra -Werror examples/c/analyze.c -o build/consumer/analyze_c_pkgconfig \
  $(PKG_CONFIG_PATH="$PWD/build/stage/lib/pkgconfig" pkg-config --cflags --libs identrail)
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/consumer/analyze_c_pkgconfig examples/data/sample >/dev/null
# And linked statically (identrail-static.pc): the binary needs no libidentrail_c.so.
cc -std=c99 -Wall -Wextra -Werror examples/c/analyze.c -o build/consumer/analyze_c_static \
  $(PKG_CONFIG_PATH="$PWD/build/stage/lib/pkgconfig" pkg-config --cflags --libs identrail-static)
if ldd build/consumer/analyze_c_static | grep -q identrail; then
  echo "analyze_c_static links libidentrail_c.so dynamically" >&2
  exit 1
fi
build/consumer/analyze_c_static examples/data/sample | grep -q "detections"

step "Python module and CLI (pytest)"
.venv/bin/python -m pip install -q ".[test]"
.venv/bin/python -m pytest
