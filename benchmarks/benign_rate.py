#!/usr/bin/env python3
"""False positives on a benign month: high and critical detections per 1,000
identities per day, with the pack as shipped (issue 11's yardstick, goal < 1).

    benign_rate.py [--identities N] [--days D] [--seed S] [--top K]

Streams benchmarks/benign_month.py into an identrail.Engine a day at a time
(nothing but the engine holds the month) and prints the rate, the detections
by rule and severity, and the identities and days it counts. A benchmark, not a
timed test: run it by hand or from a benchmark job.
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

import identrail

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=15, help="rules listed")
    args = parser.parse_args()
    generator = subprocess.Popen(
        [sys.executable, str(HERE / "benign_month.py"), "--identities", str(args.identities), "--days", str(args.days),
         "--seed", str(args.seed)], stdout=subprocess.PIPE)
    engine = identrail.Engine(retain_events=False)
    chunk: list[bytes] = []
    for line in generator.stdout:
        chunk.append(line)
        if len(chunk) >= 20_000:
            engine.feed(b"".join(chunk), "benign-month")
            chunk.clear()
    if chunk:
        engine.feed(b"".join(chunk), "benign-month")
    if generator.wait() != 0:
        print("benign_rate: the generator failed", file=sys.stderr)
        return 1
    engine.finish()
    # Identities that made calls (the report lists them); roles only named in the graph do not count.
    identities = len(json.loads(engine.report_json(graph=False))["identities"])
    span = engine.time_span
    by_rule = collections.Counter((d["severity"], d["rule_id"], d["name"]) for d in engine.detections)
    loud = sum(n for (severity, _, _), n in by_rule.items() if severity in ("high", "critical"))
    days = args.days
    # Two denominators: the principals the month models (people, roles), and the identities the engine
    # counts (every role session by its ARN, so each CI run and console session is one).
    per_principal = loud / (args.identities / 1000) / days
    per_identity = loud / (identities / 1000) / days if identities else 0.0
    print(f"events {engine.stats.accepted:,}, principals {args.identities:,}, identities {identities:,}, "
          f"days {days} ({span[0]} .. {span[1]})")
    print(f"high and critical detections: {loud:,} = {per_principal:.2f} per 1,000 principals per day, "
          f"{per_identity:.2f} per 1,000 identities per day (goal < 1)")
    print(f"all detections: {len(engine.detections):,}")
    for (severity, rule, name), n in sorted(by_rule.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {n:>6}  {severity:<8} {rule:<14} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
