#!/usr/bin/env python3
"""Regenerates tests/conformance/expected/ from the Python module (replay.py).

Run it only when a change in behaviour is intended, and review the diff like
code: every binding's test compares with these files, so a change here is a
change in what every language answers. Usage: .venv/bin/python
tests/conformance/make_expected.py [--check]"""
from __future__ import annotations

import argparse
import json
import sys

from replay import EXPECTED, answers, load_cases


def render(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when a file would change")
    args = parser.parse_args()
    EXPECTED.mkdir(exist_ok=True)
    stale = []
    for case in load_cases():
        path = EXPECTED / f"{case['name']}.json"
        text = render(answers(case))
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        print(f"conformance: out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
