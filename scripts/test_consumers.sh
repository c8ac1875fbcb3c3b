#!/usr/bin/env bash
# Builds and runs every consumer of the installed library as its users would:
# C++ through find_package, C through pkg-config (shared and static), the Go
# module (go vet, go test with the cgo pointer checks, the example linked
# statically) and the Rust crates (clippy, cargo test, the example linked
# statically). Each language's tests replay tests/conformance. Needs
# build/dev (scripts/test.sh builds it); installs it into build/stage.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
stage="$PWD/build/stage"
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"

# A binary linked with the static library needs no libidentrail_c.so.
linked_whole() {
  if ldd "$1" | grep -q identrail; then
    echo "$1 links libidentrail_c.so dynamically" >&2
    exit 1
  fi
}

# Runs a consumer on the sample and checks what it says (captured first: grep -q
# closing the pipe early would kill the writer).
says() {
  local expected="$1"; shift
  "$@" examples/data/sample >build/consumer/output.txt
  grep -q "$expected" build/consumer/output.txt || { echo "$1 did not say \"$expected\"" >&2; exit 1; }
}

step "Consumers: C++ (find_package) and C (pkg-config) against an install in build/stage"
rm -rf "$stage" build/consumer
cmake --install build/dev --prefix "$stage" >/dev/null
cmake -S examples -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$stage" -DBUILD_TESTING=ON >/dev/null
cmake --build build/consumer
ctest --test-dir build/consumer --output-on-failure
cc -std=c99 -Wall -Wextra -Werror examples/c/analyze.c -o build/consumer/analyze_c_pkgconfig \
  $(pkg-config --cflags --libs identrail)
LD_LIBRARY_PATH="$stage/lib" build/consumer/analyze_c_pkgconfig examples/data/sample >/dev/null
cc -std=c99 -Wall -Wextra -Werror examples/c/analyze.c -o build/consumer/analyze_c_static \
  $(pkg-config --cflags --libs identrail-static)
linked_whole build/consumer/analyze_c_static
says "detections" build/consumer/analyze_c_static

step "Consumers: Go (bindings/go, examples/go)"
test -z "$(gofmt -l bindings/go examples/go)" || { gofmt -l bindings/go examples/go; exit 1; }
(cd bindings/go && go vet ./... && LD_LIBRARY_PATH="$stage/lib" GOEXPERIMENT=cgocheck2 go test -count=1 ./...)
(cd bindings/go && go test -count=1 -tags identrail_static ./...)
(cd examples/go && go vet . && go build -tags identrail_static -o ../../build/consumer/analyze_go .)
linked_whole build/consumer/analyze_go
says "potentially_compromised" build/consumer/analyze_go

step "Consumers: Rust (bindings/rust, examples/rust)"
cargo fmt --all --check
cargo clippy --offline --locked --all-targets -- -D warnings
LD_LIBRARY_PATH="$stage/lib" cargo test --offline --locked
cargo build --offline --locked -p identrail-example --features identrail/static
linked_whole build/cargo/debug/analyze
says "potentially_compromised" build/cargo/debug/analyze
