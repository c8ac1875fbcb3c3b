#!/usr/bin/env python3
"""Runs tests/capi/conformance.c on every case of the corpus and compares its
answers with the expected ones. Usage: compare.py CONFORMANCE_C_BINARY"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
QUERIES = ["", "assessment", "resolution", "blast_radius", "paths", "where_used", "timeline", "remediation",
           "least_privilege"]
STATUSES = ["normal", "potentially_compromised", "compromised", "remediated"]
OPTIONS = {"since_ns": "since_ns", "max_depth": "max_depth", "max_paths": "max_paths", "now_ns": "now_ns",
           "flag_time_ns": "flag_time_ns", "compact": "compact", "to": "to"}
REPEATED = {"allow_cidrs": "allow_cidr", "current_policies": "current_policy"}


def arguments(case: dict) -> list[str]:
    args = [str(ROOT)]
    for path in case["inputs"]:
        args += ["input", path]
    for path in case.get("rules", []):
        args += ["rules", path]
    for flag in case.get("flags", []):
        since = flag.get("since_ns")
        args += ["flag", flag["identity"], str(STATUSES.index(flag["status"])), "none" if since is None else str(since)]
    for q in case.get("queries", []):
        options = []
        for key, value in q.items():
            if key in OPTIONS:
                options += [OPTIONS[key], str(int(value) if isinstance(value, bool) else value)]
            elif key in REPEATED:
                for item in value:
                    options += [REPEATED[key], item]
            elif key not in ("query", "subject"):
                raise SystemExit(f"compare.py: option {key!r} of case {case['name']} has no C form")
        args += ["query", str(QUERIES.index(q["query"])), q["subject"], str(len(options) // 2)] + options
    return args


def main() -> int:
    binary = sys.argv[1]
    failed = 0
    for case in json.loads((HERE / "cases.json").read_text())["cases"]:
        run = subprocess.run([binary, *arguments(case)], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{case['name']}: conformance_c failed: {run.stderr.strip()}")
            failed += 1
            continue
        got = json.loads(run.stdout)
        expected = json.loads((HERE / "expected" / f"{case['name']}.json").read_text())
        for part in sorted(set(expected) | set(got)):
            if got.get(part) != expected.get(part):
                print(f"{case['name']}: {part} differs from the corpus")
                failed += 1
    print(f"C: {failed} difference(s)" if failed else "C: every case answers as the corpus says")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
