#!/usr/bin/env python3
"""Peak memory of `identrail analyze` against the number of events read.

    memory_scale.py [--events 100000 1000000 5000000] [--identities 2000] [--work DIR] [--keep-events]
                    [--steady N] [--threads N] [--no-detections]

For each size it writes a benign organisation's traffic (benign_month.py: a fixed
population, more days for more events) as gzip delivery files, then runs the
installed `identrail analyze DIR` (text report, then --json) and reports the
child's peak resident memory (getrusage) and wall time. The goal (issue 13):
peak memory grows with identities, resources and the duplicate horizon, not with
events. --keep-events runs the same with every event kept, for comparison. --steady N generates an
organisation in steady state (benign_month.py --steady: no new names after the first days), which
shows what grows with events alone. --no-detections runs one rule that never fires in place of the
pack: the state the events make, without the detections the pack finds (and keeps) in them.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
def generate(directory: Path, events: int, identities: int, steady: int = 0) -> int:
    """The records written: as many as asked, unless the generator's days ran out."""
    done = directory / "done"
    if done.exists():
        return int(done.read_text())
    shutil.rmtree(directory, ignore_errors=True)
    days = max(2, -(-events // (identities * 30)))  # a weekend day has ~35 records an identity: days to spare
    run = subprocess.run([sys.executable, str(HERE / "benign_month.py"), "--identities", str(identities), "--days",
                          str(days), "--max-records", str(events), "--out-dir", str(directory),
                          "--steady", str(steady)], check=True, capture_output=True, text=True)
    written = int(run.stderr.split("benign_month: ")[1].split()[0])
    done.write_text(str(written))
    return written


# The largest child a process has had is all getrusage tells, so each run gets a
# fresh parent of its own that reports its one child's peak.
_PEAK_OF_ONE = ("import resource, subprocess, sys\n"
                "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one run of command."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK_OF_ONE, *command], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, int(out.stdout.split()[-1]) / 1024


def never_firing_rule(work: Path) -> Path:
    path = work / "never-fires.yaml"
    work.mkdir(parents=True, exist_ok=True)
    path.write_text("- id: MEM-NEVER-001\n  name: An action no generated record calls\n  severity: info\n"
                    "  match:\n    action: identrail:NeverCalled\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--identities", type=int, default=2000)
    parser.add_argument("--work", default="build/memory-scale")
    parser.add_argument("--keep-events", action="store_true")
    parser.add_argument("--steady", type=int, default=0, metavar="N")
    parser.add_argument("--threads", type=int, default=0, metavar="N", help="for identrail (default: its own)")
    parser.add_argument("--no-detections", action="store_true")
    parser.add_argument("--identrail", default=shutil.which("identrail") or ".venv/bin/identrail")
    args = parser.parse_args()
    extra = ["--keep-events"] if args.keep_events else []
    extra += ["--threads", str(args.threads)] if args.threads else []
    if args.no_detections:
        extra += ["--rules", str(never_firing_rule(Path(args.work)))]
    print(f"{'events':>10} {'text s':>8} {'text MiB':>9} {'json s':>8} {'json MiB':>9}  (identities {args.identities})")
    for events in sorted(args.events):
        directory = Path(args.work) / (f"{events}-steady-{args.steady}" if args.steady else f"{events}")
        events = generate(directory, events, args.identities, args.steady)
        text = measure([args.identrail, "analyze", "--no-progress", *extra, str(directory)])
        json_ = measure([args.identrail, "analyze", "--no-progress", "--json", *extra, str(directory)])
        print(f"{events:>10} {text[0]:>8.1f} {text[1]:>9.0f} {json_[0]:>8.1f} {json_[1]:>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
