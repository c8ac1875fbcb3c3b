#!/usr/bin/env bash
# Installs what identrail needs on a fresh Debian 12 machine: the C/C++
# dependencies from apt and a Python virtual environment in .venv.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config binutils
  libsimdjson-dev libexpected-dev libboost-graph-dev libyaml-cpp-dev libre2-dev
  libdeflate-dev zlib1g-dev libssl-dev libmaxminddb-dev libgtest-dev libbenchmark-dev
  libmaxmind-db-writer-perl  # the tests write their own small GeoIP database
  uap-core                   # user-agent families (compiled in)
  clang libclang-rt-14-dev   # the decoder fuzzer (libFuzzer), scripts/fuzz.sh
  llvm-14                    # llvm-objcopy: the static C library keeps only the API's symbols global
  libclang1-14               # bindgen: identrail-sys generates its bindings from identrail.h
)
# Go and Rust build the bindings; a machine that has them (in PATH) keeps its own.
command -v go >/dev/null 2>&1 || APT_PACKAGES+=(golang-go)
command -v cargo >/dev/null 2>&1 || APT_PACKAGES+=(cargo rust-clippy rustfmt)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

# The IAM policy evaluator is cross-checked against an independent one,
# @cloud-copilot/iam-simulate (npm), when Node is installed.
IAM_SIMULATE_VERSION=0.1.173
if command -v npm >/dev/null 2>&1 &&
   [[ ! -f .tools/iam-simulate/node_modules/@cloud-copilot/iam-simulate/package.json ]]; then
  echo "setup: installing @cloud-copilot/iam-simulate@${IAM_SIMULATE_VERSION} into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools/iam-simulate \
    "@cloud-copilot/iam-simulate@${IAM_SIMULATE_VERSION}" >/dev/null
fi

# The Rust crates' dependencies (Cargo.lock), fetched now so the build runs
# --offline --locked. The Go module needs nothing beyond the standard library.
if command -v cargo >/dev/null 2>&1; then
  cargo fetch --locked --quiet
fi
