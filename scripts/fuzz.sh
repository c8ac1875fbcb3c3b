#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan; the `fuzz` preset) and
# runs the decoder fuzzer: first over every input in tests/fuzz/regressions
# (each must pass), then for SECONDS (default 60) of new inputs, seeded from
# ../shared/datasets, the bundled sample and tests/fuzz/seeds (formats the
# datasets lack: EventBridge envelopes, a BOM with CRLF line ends). The corpus it grows stays in
# build/fuzz/corpus, so later runs start where this one stopped; an input that
# fails is written to build/fuzz/artifacts/ and the script exits non-zero.
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true

scripts/setup.sh  # clang and its libFuzzer runtime among the rest
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

out=build/fuzz
seeds=$out/dataset-seeds
mkdir -p "$out/corpus" "$out/artifacts"
if [[ ! -d $seeds ]]; then
  # Small inputs fuzz fastest: one record per file for JSON lines, the sample's
  # delivery files both as they are (gzip) and decompressed.
  mkdir -p "$seeds.tmp"
  datasets=../shared/datasets
  if [[ -d $datasets ]]; then
    n=0
    while IFS= read -r file; do
      cp "$file" "$seeds.tmp/dataset-$((n++))-${file##*/}"  # numbered: names repeat across folders
    done < <(find "$datasets" -type f \( -name '*.json' -o -name '*.gz' \) | sort)
    n=0
    while IFS= read -r file; do
      while IFS= read -r line; do
        [[ -n $line ]] && printf '%s\n' "$line" >"$seeds.tmp/line-$((n++)).jsonl"
      done <"$file"
    done < <(find "$datasets" -type f -name '*.jsonl')
  fi
  n=0
  while IFS= read -r gz; do
    cp "$gz" "$seeds.tmp/sample-$n.json.gz"
    gzip -dc "$gz" >"$seeds.tmp/sample-$((n++)).json"
  done < <(find examples/data/sample -type f -name '*.gz' | sort)
  mv "$seeds.tmp" "$seeds"
fi

fuzzer=$out/tests/fuzz/fuzz_decoder
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
replayed=$("$fuzzer" tests/fuzz/regressions/* 2>&1) || { printf '%s\n' "$replayed"; exit 1; }
echo "fuzz: $(grep -c '^Executed' <<<"$replayed") regression inputs pass"
echo "fuzz: ${seconds}s of new inputs"
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
  -dict=tests/fuzz/cloudtrail.dict -artifact_prefix="$out/artifacts/" "$@" \
  "$out/corpus" "$seeds" tests/fuzz/seeds tests/fuzz/regressions 2>&1 |
  # Progress lines (one per new input) would bury the figures and any report.
  grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|^[[:space:]]+NEW_FUNC'

