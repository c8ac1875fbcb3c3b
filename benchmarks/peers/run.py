#!/usr/bin/env python3
"""identrail beside its peers, whole process as a user runs each, on the same logs.

    run.py [--events 100000] [--identities 2000] [--work build/peers] [--rsigma PATH] [--threads 1 2]

The logs: identrail's generated traffic (identrail.generate_traffic) with the bundled attack sample's
records mixed in, as one NDJSON file and as gzip delivery files of 1,000 records. The peers:

- DuckDB (PyPI), IDT-CRED-001 as SQL (duckdb_cred001.sql), at each --threads;
- plain Python (json + dicts), the same rule;
- rsigma (crates.io: cargo install rsigma@0.23.0 --locked --no-default-features --features rsigma-runtime),
  the SigmaHQ AWS rules of ../shared/datasets/sigmahq-aws, when --rsigma names the binary;
- identrail: that one rule, the built-in pack with the graph, and the same Sigma rules; the rule runs also
  with --detections-only (no identity graph, as the peers run them).

Each run is timed as a process (wall seconds, peak RSS); the engines must agree on their matches (the
identities IDT-CRED-001 finds; the Sigma matches per rule), else the run stops. Prints one Markdown table.
Run by hand, not in CI: it takes minutes.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import importlib.metadata
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
import identrail

SIGMA = HERE.parents[2] / "shared" / "datasets" / "sigmahq-aws"


def sample_records() -> list[bytes]:
    records = []
    for path in identrail.list_input_files([str(identrail.sample_path())]):
        with gzip.open(path, "rb") as f:
            records += [json.dumps(r, separators=(",", ":")).encode() for r in json.load(f)["Records"]]
    return records


def write_inputs(work: Path, events: int, identities: int) -> tuple[Path, Path]:
    """The NDJSON file and the directory of gzip delivery files, made once per size."""
    ndjson, delivery = work / f"traffic-{events}.ndjson", work / f"delivery-{events}"
    if ndjson.exists() and delivery.is_dir():
        return ndjson, delivery
    work.mkdir(parents=True, exist_ok=True)
    lines = identrail.generate_traffic(events, identities).splitlines()
    attack = sample_records()
    step = max(1, len(lines) // max(1, len(attack)))
    for i, record in enumerate(attack):  # spread through the day's traffic
        lines.insert(min(len(lines), i * (step + 1)), record)
    ndjson.write_bytes(b"\n".join(lines) + b"\n")
    shutil.rmtree(delivery, ignore_errors=True)
    delivery.mkdir()
    start = datetime(2026, 3, 1)
    for n, at in enumerate(range(0, len(lines), 1000)):
        stamp = (start + timedelta(minutes=5 * n)).strftime("%Y%m%dT%H%MZ")
        body = b'{"Records":[' + b",".join(lines[at:at + 1000]) + b"]}"
        (delivery / f"111122223333_CloudTrail_us-east-1_{stamp}_{n:06d}.json.gz").write_bytes(gzip.compress(body, 6))
    return ndjson, delivery


DUCKDB_RUN = ("import duckdb, sys\n"
              "con = duckdb.connect()\n"
              "con.execute(f'SET threads = {int(sys.argv[2])}')\n"
              "sql = open(sys.argv[3]).read().replace('{input}', sys.argv[1])\n"
              "print('\\n'.join(row[0] for row in con.execute(sql).fetchall()))\n")

# The largest child a process has had is all getrusage tells, so each run gets
# a parent of its own that reports its one child's peak; the output goes to a file.
PEAK_OF_ONE = ("import resource, subprocess, sys\n"
               "with open(sys.argv[1], 'wb') as out:\n"
               "    subprocess.run(sys.argv[2:], check=True, stdout=out)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def measure(command: list[str], work: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB and the output of one run of command."""
    out = work / "output"
    start = time.perf_counter()
    parent = subprocess.run([sys.executable, "-c", PEAK_OF_ONE, str(out), *command], check=True, capture_output=True,
                            text=True)
    seconds = time.perf_counter() - start
    return seconds, int(parent.stdout.split()[-1]) / 1024, out.read_text()


def duckdb_version() -> str:
    """The version of the DuckDB the runs import, so the table names what was measured."""
    try:
        return importlib.metadata.version("duckdb")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def identrail_found(report: str, rule: str) -> list[str]:
    return sorted({d["identity"] for d in json.loads(report)["detections"] if d["rule_id"] == rule})


def sigma_counts_identrail(report: str) -> dict[str, int]:
    counts: dict[str, int] = collections.Counter()
    for d in json.loads(report)["detections"]:
        counts[d["rule_id"]] += d["count"]
    return dict(counts)


def sigma_counts_rsigma(output: str) -> dict[str, int]:
    counts: dict[str, int] = collections.Counter()
    for line in output.splitlines():
        if line.strip():
            match = json.loads(line)
            counts[match.get("rule_id") or match.get("id") or match.get("rule_title")] += 1
    return dict(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--identities", type=int, default=2000)
    parser.add_argument("--work", default="build/peers")
    parser.add_argument("--rsigma", help="the rsigma binary (cargo install ...); without it rsigma is left out")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--identrail", default=shutil.which("identrail") or ".venv/bin/identrail")
    args = parser.parse_args()
    ndjson, delivery = write_inputs(Path(args.work), args.events, args.identities)
    cli, py = args.identrail, sys.executable
    rows = []

    def row(what: str, command: list[str]) -> str:
        seconds, peak, output = measure(command, Path(args.work))
        rows.append((what, seconds, peak))
        print(f"  {what}: {seconds:.2f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
        return output

    one_rule = [cli, "analyze", "--no-progress", "--json", "--no-graph", "--rules", str(HERE / "cred001.yaml")]
    expected = None
    for threads in args.threads:
        found = identrail_found(row(f"identrail, IDT-CRED-001, NDJSON, {threads} thread(s)",
                                    [*one_rule, "--threads", str(threads), str(ndjson)]), "IDT-CRED-001")
        if expected is not None and found != expected:
            sys.exit(f"peers: identrail on {threads} threads found {found}, on one {expected}")
        expected = found
    for threads in args.threads:  # rules only, as the peers run them: no identity graph
        found = identrail_found(row(f"identrail, IDT-CRED-001, NDJSON, detections only, {threads} thread(s)",
                                    [*one_rule, "--detections-only", "--threads", str(threads), str(ndjson)]),
                                "IDT-CRED-001")
        if found != expected:
            sys.exit(f"peers: identrail --detections-only found {found}, with the graph {expected}")
    if not expected:
        sys.exit("peers: IDT-CRED-001 found nothing; the comparison would be empty")
    answers = {"python": row("plain Python, IDT-CRED-001, NDJSON", [py, str(HERE / "pure_python.py"), str(ndjson)]).split()}
    for threads in args.threads:
        answers[f"duckdb {threads}"] = row(f"DuckDB {duckdb_version()}, IDT-CRED-001 as SQL, NDJSON, {threads} thread(s)",
                                           [py, "-c", DUCKDB_RUN, str(ndjson), str(threads),
                                            str(HERE / "duckdb_cred001.sql")]).split()
    for who, found in answers.items():
        if sorted(found) != expected:
            sys.exit(f"peers: {who} found {sorted(found)}, identrail {expected}")
    for threads in args.threads:
        identrail_found(row(f"identrail, IDT-CRED-001, gzip delivery files, {threads} thread(s)",
                            [*one_rule, "--threads", str(threads), str(delivery)]), "IDT-CRED-001")
    for threads in args.threads:
        for what, where in (("NDJSON", ndjson), ("gzip delivery files", delivery)):
            row(f"identrail, built-in pack + graph, {what}, text report, {threads} thread(s)",
                [cli, "analyze", "--no-progress", "--threads", str(threads), str(where)])
    sigma = None
    for threads in args.threads:
        sigma = row(f"identrail, SigmaHQ AWS rules, NDJSON, {threads} thread(s)",
                    [cli, "analyze", "--no-progress", "--json", "--no-graph", "--skip-invalid", "--threads",
                     str(threads), "--rules", str(SIGMA), str(ndjson)])
    for threads in args.threads:
        alone = row(f"identrail, SigmaHQ AWS rules, NDJSON, detections only, {threads} thread(s)",
                    [cli, "analyze", "--no-progress", "--json", "--detections-only", "--skip-invalid", "--threads",
                     str(threads), "--rules", str(SIGMA), str(ndjson)])
        if sigma_counts_identrail(alone) != sigma_counts_identrail(sigma):
            sys.exit("peers: Sigma matches differ with --detections-only")
    matches = sum(sigma_counts_identrail(sigma).values())
    if args.rsigma:
        theirs = sigma_counts_rsigma(row("rsigma 0.23, SigmaHQ AWS rules, NDJSON (one thread)",
                                         [args.rsigma, "engine", "eval", "-r", str(SIGMA), "-e", f"@{ndjson}",
                                          "--output-format", "ndjson"]))
        if sigma_counts_identrail(sigma) != theirs:
            sys.exit(f"peers: Sigma matches differ: identrail {matches}, rsigma {sum(theirs.values())}")

    print(f"\n{args.events:,} generated events + the sample's {len(sample_records())} records "
          f"({ndjson.stat().st_size / 1e6:.0f} MB NDJSON; {len(list(delivery.iterdir()))} gzip files); "
          f"IDT-CRED-001 finds {len(expected)} identities in every engine; the Sigma rules match {matches:,} "
          f"times{' in both engines' if args.rsigma else ''}\n")
    print("| run | seconds | peak MiB |\n| --- | ---: | ---: |")
    for what, seconds, peak in rows:
        print(f"| {what} | {seconds:.2f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
