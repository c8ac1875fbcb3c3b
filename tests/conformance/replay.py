"""The conformance corpus replayed through the Python module: the reference
every other binding's replayer is compared with (see README.md)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import identrail

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("cases.json")
EXPECTED = Path(__file__).with_name("expected")


def load_cases() -> list[dict[str, Any]]:
    return json.loads(CASES.read_text())["cases"]


def _ns(rfc3339: str | None) -> int | None:
    if rfc3339 is None:
        return None
    moment = datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    whole = int(moment.replace(microsecond=0).timestamp())
    return whole * 1_000_000_000 + moment.microsecond * 1000


def _time(ns: int | None) -> datetime | None:
    if ns is None:
        return None
    return datetime.fromtimestamp(ns // 1_000_000_000, tz=timezone.utc).replace(microsecond=ns % 1_000_000_000 // 1000)


def _query(engine: identrail.Engine, q: dict[str, Any]) -> Any:
    kind, subject = q["query"], q["subject"]
    if kind == "assessment":
        return engine.assessment(subject)
    if kind == "resolution":
        return engine.resolve(subject)
    if kind == "blast_radius":
        return engine.blast_radius(subject, since=_time(q.get("since_ns")))
    if kind == "paths":
        return engine.paths(subject, q["to"], max_depth=q.get("max_depth", 8), max_paths=q.get("max_paths", 32))
    if kind == "where_used":
        return engine.where_used(subject)
    if kind == "timeline":
        return engine.timeline(subject, since=_time(q.get("since_ns")))
    if kind == "remediation":
        return engine.remediation(subject, allow_cidrs=q.get("allow_cidrs", []), now=_time(q.get("now_ns")))
    if kind == "least_privilege":
        current = [(ROOT / p).read_text() for p in q.get("current_policies", [])]
        return engine.least_privilege(subject, flag_time=_time(q.get("flag_time_ns")), current_policies=current,
                                      compact=q.get("compact", False))
    raise ValueError(f"unknown query {kind!r}")


def answers(case: dict[str, Any]) -> dict[str, Any]:
    rules = [str(ROOT / p) for p in case.get("rules", [])]
    engine = identrail.Engine(rules=rules or None)
    for path in case["inputs"]:
        engine.feed_path(str(ROOT / path))
    engine.finish()
    for flag in case.get("flags", []):
        engine.flag(flag["identity"], flag["status"], since=_time(flag.get("since_ns")))
    stats = engine.stats
    return {
        "stats": {"total": stats.total, "accepted": stats.accepted, "rejected": stats.rejected,
                  "duplicates": stats.duplicates, "identities": len(engine.identities())},
        "errors": [{"source": Path(e.source).name, "location": e.location, "reason": e.reason} for e in engine.errors],
        "detections": sorted(({"id": d["id"], "revision": d["revision"], "rule_id": d["rule_id"],
                               "severity": d["severity"], "identity": d["identity"], "source_ip": d["source_ip"],
                               "first_seen_ns": _ns(d["first_seen"]), "last_seen_ns": _ns(d["last_seen"]),
                               "count": d["count"], "event_ids": d["event_ids"], "follows": d["follows"]}
                              for d in engine.detections), key=lambda d: d["id"]),
        "assessments": sorted(({"identity": a["identity"], "status": a["status"], "risk": a["risk"],
                                "since_ns": _ns(a.get("since")), "reasons": a["reasons"],
                                "detections": a["detections"]} for a in engine.assessments()),
                              key=lambda a: a["identity"]),
        "queries": [_query(engine, q) for q in case.get("queries", [])],
    }

