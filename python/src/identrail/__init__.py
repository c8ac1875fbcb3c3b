"""identrail: finds compromised cloud identities in CloudTrail logs.

    >>> import identrail
    >>> engine = identrail.Engine()
    >>> engine.feed_path("AWSLogs/")
    >>> engine.stats, engine.errors
    >>> df = identrail.to_pandas(engine)

``read()`` yields normalized events from paths or bytes; ``sample_path()`` is
the bundled sample trace. After ``engine.finish()``, ``engine.assessments()``
gives each identity's risk and status, ``engine.blast_radius(arn)``,
``engine.paths(ip, arn)`` and ``engine.remediation(arn)`` answer a responder's
questions, and ``to_networkx(engine)`` hands the identity graph to networkx.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Union

from . import errors
from ._core import (DecodeError, Engine, Event, Policy, RuleSet, Stats, __version__, _bench, check_rules,
                    evaluate_policy, generate_traffic, list_input_files, parse_policy, test_rules)
from .errors import BadState, Error, IncompatibleState, InvalidArgument, NotFoundError, ParseError

if TYPE_CHECKING:
    import networkx
    import pandas

__all__ = ["Engine", "Event", "Stats", "RuleSet", "Policy", "DecodeError", "Error", "ParseError", "NotFoundError",
           "InvalidArgument", "BadState", "IncompatibleState", "errors", "read", "events", "to_pandas",
           "detections_to_pandas", "sample_path", "list_input_files", "check_rules", "test_rules", "to_networkx",
           "assessments_to_pandas", "parse_policy", "evaluate_policy", "bench", "generate_traffic", "__version__"]

Source = Union[str, os.PathLike, bytes, bytearray, memoryview]


def sample_path() -> Path:
    """The bundled sample trace (gzip S3 delivery files of one compromised day)."""
    installed = Path(__file__).resolve().parent / "sample_data"
    if installed.is_dir():
        return installed
    # Running from a source checkout.
    return Path(__file__).resolve().parents[3] / "examples" / "data" / "sample"


def bench(paths: Source | Iterable[Source] | None = None, *, generate: int = 100_000, identities: int = 2000,
          seed: int = 42, top: int = 10, sampling: int = 16, max_input_bytes: int = 4 << 30, **engine_options) -> dict:
    """What a rule pack costs on given logs, or on generated traffic when ``paths`` is None: events per
    second per stage (gunzip, decode, detect, correlate), the ratio to a simdjson baseline on the same bytes,
    the ``top`` most expensive rules (timed on one evaluation in ``sampling``), state bytes per identity and
    peak memory. ``engine_options`` are those of ``Engine()`` (``rules=``, ``builtin_rules=``, ...).
    docs/bench.md describes the result; ``identrail bench`` prints it."""
    for name, value, low in (("generate", generate, 1), ("identities", identities, 1), ("top", top, 0),
                             ("sampling", sampling, 0), ("max_input_bytes", max_input_bytes, 1)):
        if not isinstance(value, int) or value < low:
            raise InvalidArgument(f"{name} must be an integer >= {low}, not {value!r}")
    listed = None if paths is None else [os.fspath(p) for p in _inputs(paths)]
    return json.loads(_bench(listed, generate, identities, seed, top, sampling, max_input_bytes, engine_options))


def _inputs(sources: Source | Iterable[Source]) -> list[Source]:
    if isinstance(sources, (str, os.PathLike, bytes, bytearray, memoryview)):
        return [sources]
    return list(sources)


def events(engine: Engine, start: int = 0) -> Iterator[Event]:
    """The engine's events from index ``start`` on."""
    for i in range(start, len(engine)):
        yield engine.event(i)


def read(sources: Source | Iterable[Source], engine: Engine | None = None, **options) -> Iterator[Event]:
    """Yields normalized events from files, directories or bytes, input by input.

    Bad records do not raise: they are counted in ``engine.stats`` and listed in
    ``engine.errors``. A path that does not exist raises ``NotFoundError``.
    """
    engine = engine if engine is not None else Engine(**options)
    for source in _inputs(sources):
        start = len(engine)
        if isinstance(source, (bytes, bytearray, memoryview)):
            engine.feed(bytes(source), "<memory>")
        else:
            engine.feed_path(source)
        yield from events(engine, start)


def to_pandas(source: Engine | Source | Iterable[Source]) -> "pandas.DataFrame":
    """One row per event: time (UTC), identity, action, source IP, outcome, ..."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas needs pandas: pip install 'identrail[pandas]'") from exc
    engine = source if isinstance(source, Engine) else None
    if engine is None:
        engine = Engine()
        for _ in read(source, engine):
            pass
    columns = engine._columns()
    frame = pd.DataFrame(columns)
    frame.insert(0, "time", pd.to_datetime(frame.pop("time_ns"), unit="ns", utc=True))
    return frame


def detections_to_pandas(engine: Engine) -> "pandas.DataFrame":
    """One row per detection (call ``engine.finish()`` first at end of input)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("detections_to_pandas needs pandas: pip install 'identrail[pandas]'") from exc
    columns = ["id", "revision", "rule_id", "name", "severity", "tactics", "techniques", "identity", "group_key", "source_ip",
               "first_seen", "last_seen", "count", "event_ids", "summary", "follows"]
    rows = [{**{k: v for k, v in d.items() if k != "mitre"}, "tactics": d["mitre"]["tactics"],
             "techniques": d["mitre"]["techniques"]} for d in engine.detections]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("first_seen", "last_seen"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def to_networkx(engine: Engine) -> "networkx.MultiDiGraph":
    """The identity graph as a networkx MultiDiGraph: nodes carry kind, label and
    times (and location for IPs); edges carry kind, count, times and actions."""
    try:
        import networkx as nx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_networkx needs networkx: pip install 'identrail[graph]'") from exc
    data = json.loads(engine.graph_export("json"))
    try:
        return nx.node_link_graph(data, edges="edges")
    except TypeError:  # networkx before 3.4 names the parameter `link`
        return nx.node_link_graph(data, link="edges")


def assessments_to_pandas(engine: Engine) -> "pandas.DataFrame":
    """One row per identity: status, risk, since and reasons, most urgent first."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("assessments_to_pandas needs pandas: pip install 'identrail[pandas]'") from exc
    order = {"compromised": 0, "potentially_compromised": 1, "remediated": 2, "normal": 3}
    risk = {"critical": 0, "high": 1, "medium": 2, "low": 3, "none": 4}
    rows = sorted(engine.assessments(), key=lambda a: (order[a["status"]], risk[a["risk"]]))
    frame = pd.DataFrame(rows, columns=["identity", "status", "risk", "since", "reasons", "detections"])
    frame["since"] = pd.to_datetime(frame["since"], utc=True)
    return frame
