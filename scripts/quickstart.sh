#!/usr/bin/env bash
# Builds and installs identrail (Python module and `identrail` command) into
# .venv, then analyzes the bundled sample trace. Extra arguments go to
# `identrail analyze` (for example --json, or your own CloudTrail paths).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pip install -q .
exec .venv/bin/identrail analyze "$@"
