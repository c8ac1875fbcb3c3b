"""Live sources for an Engine: a followed directory, standard input, S3.

``watch(engine, sources)`` feeds each source's new records as they come and
yields what the engine announces: detections, their revisions and status
changes, the moment they happen. A source remembers where it got to in the
engine's cursor, which checkpoints keep, so a restarted watcher reads nothing
twice.
"""
from __future__ import annotations

import json
import os
import re
import select
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator, Protocol

from ._core import Engine, list_input_files
from .errors import InputError, InvalidArgument, NotFoundError

_STAMP = re.compile(r"_CloudTrail_[^_]+_(\d{8}T\d{4}Z)_")


def delivery_stamp(name: str) -> str:
    """The delivery time in a CloudTrail file name ("20260301T1305Z"), or "" when it has none."""
    found = _STAMP.search(name)
    return found.group(1) if found else ""


class Source(Protocol):
    key: str  # names the source in the cursor

    def poll(self, engine: Engine) -> bool:
        """Feeds what is new; True when it fed something."""

    def done(self) -> bool:
        """True when the source has ended (stdin closed) and will give nothing more."""

    def save(self) -> object:
        """What the cursor keeps for this source (JSON-serialisable)."""

    def load(self, saved: object) -> None:
        """Takes back what save() gave."""


class ListedSource:
    """A source that lists what it has ready (directories, S3): ready() and take() are
    its own; watch() merges the lists of several in delivery order."""

    def poll(self, engine: Engine) -> bool:
        items = self.ready()
        for item in items:
            self.take(engine, item)
        return bool(items)

    def done(self) -> bool:
        return False


class DirectorySource(ListedSource):
    """New CloudTrail files under a directory, each read once, in delivery order.

    A file is read once its size and modification time have stayed the same
    for ``settle`` seconds: an exporter or ``aws s3 sync`` may still be writing it.
    """

    def __init__(self, path: str, settle: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        if not os.path.isdir(path):
            raise InvalidArgument(f"{path}: not a directory to follow")
        self.path = path
        self.key = "dir:" + os.path.abspath(path)
        self.settle = settle
        self.clock = clock
        self.read: set[str] = set()
        self.seen: dict[str, tuple[int, int, float]] = {}  # file -> (size, mtime, since when unchanged)

    def ready(self) -> list[tuple[str, str, str]]:
        """Files whole and not yet read: (delivery stamp, name, path)."""
        out = []
        for file in list_input_files([self.path]):
            name = os.path.relpath(file, self.path)
            if name in self.read:
                continue
            try:
                info = os.stat(file)
            except FileNotFoundError:  # gone between the listing and now
                continue
            now = self.clock()
            shape = (info.st_size, info.st_mtime_ns)
            before = self.seen.get(name)
            if before is None or before[:2] != shape:
                self.seen[name] = (*shape, now)
                if self.settle > 0:
                    continue
            elif now - before[2] < self.settle:
                continue
            out.append((delivery_stamp(name), name, file))
        return out

    def take(self, engine: Engine, item: tuple[str, str, str]) -> None:
        engine.feed_path(item[2])
        self.read.add(item[1])
        self.seen.pop(item[1], None)

    def save(self) -> object:
        return sorted(self.read)

    def load(self, saved: object) -> None:
        self.read = set(saved) if isinstance(saved, list) else set()


class StreamSource:
    """NDJSON records or EventBridge envelopes, one per line, from a file
    descriptor (standard input): each complete line is fed as soon as it is
    there. What is available is read in one go, so a busy pipe is fed in
    chunks and a quiet one line by line."""

    def __init__(self, fd: int = 0, name: str = "<stdin>", chunk: int = 1 << 20) -> None:
        self.fd = fd
        self.name = name
        self.key = "stream:" + name
        self.chunk = chunk
        self.pending = b""
        self.ended = False
        self.offset = 0  # bytes read, for the cursor (a pipe cannot be re-read, so only reported)
        self._widen_pipe()

    def _widen_pipe(self) -> None:
        # A pipe's default 64 KiB makes a busy writer and this reader take turns
        # every 64 KiB; 1 MiB lets both run. Linux only; elsewhere it stays as it is.
        try:
            import fcntl
            fcntl.fcntl(self.fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), self.chunk)
        except (OSError, ImportError):
            pass

    def poll(self, engine: Engine, wait: float = 0.0) -> bool:
        if self.ended:
            return False
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        parts = [self.pending, os.read(self.fd, self.chunk)]
        ended = not parts[-1]
        size = len(parts[-1])
        # A pipe hands over at most its buffer (64 KiB) a read: under load, take what is
        # already there too, so one feed gets a large chunk; a quiet pipe is fed at once.
        while not ended and size < self.chunk and select.select([self.fd], [], [], 0)[0]:
            parts.append(os.read(self.fd, self.chunk - size))
            ended = not parts[-1]
            size += len(parts[-1])
        self.offset += size
        data = b"".join(parts)
        cut = len(data) if ended else data.rfind(b"\n") + 1
        self.pending = data[cut:]
        self.ended = ended
        if cut == len(data):
            whole = data
        else:
            whole = data[:cut]
        if cut and (not ended or whole.strip()):
            engine.feed(whole, self.name)
        return cut > 0

    def done(self) -> bool:
        return self.ended

    def save(self) -> object:
        return {"bytes_read": self.offset}

    def load(self, saved: object) -> None:
        pass  # a stream goes on from where it is now


class S3Source(ListedSource):
    """CloudTrail objects under s3://bucket/prefix, read once each, in delivery
    order across regions (S3 lists keys lexically, region by region, so the
    listing is sorted by the delivery time in the names)."""

    def __init__(self, url: str, client: object | None = None) -> None:
        if not url.startswith("s3://") or len(url) <= 5:
            raise InvalidArgument(f"{url}: not an s3://BUCKET/PREFIX address")
        self.bucket, _, self.prefix = url[5:].partition("/")
        if not self.bucket:
            raise InvalidArgument(f"{url}: no bucket")
        self.key = f"s3://{self.bucket}/{self.prefix}"
        if client is None:
            try:
                import boto3
            except ImportError as exc:
                raise InvalidArgument("s3:// sources need boto3: pip install 'identrail[aws]'") from exc
            client = boto3.client("s3")
        self.client = client
        self.read: set[str] = set()
        self.horizon = ""  # keys delivered before it were all read
        self.listed_once = False

    def _listing(self) -> list[str]:
        keys = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(keys, key=lambda k: (delivery_stamp(k), k))

    def _failed(self, exc: Exception) -> None:
        # The first listing failing is a bad address or credentials: say so and stop. Later
        # failures are the network or S3 for a moment: said, and tried again at the next poll.
        message = f"{self.key}: {exc}"
        if not self.listed_once:
            raise InputError(message) from exc
        print(f"identrail: {message} (trying again)", file=sys.stderr)

    def ready(self) -> list[tuple[str, str, str]]:
        """Objects not yet read: (delivery stamp, key, key)."""
        try:
            listing = self._listing()
        except Exception as exc:  # botocore's errors, which need no import of botocore here
            if type(exc).__module__.split(".")[0] not in ("botocore", "boto3", "urllib3"):
                raise
            self._failed(exc)
            return []
        self.listed_once = True
        out = []
        for key in listing:
            stamp = delivery_stamp(key)
            if key in self.read or (stamp and stamp < self.horizon):
                continue
            out.append((stamp, key, key))
        return out

    def take(self, engine: Engine, item: tuple[str, str, str]) -> None:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=item[2])["Body"].read()
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("botocore", "boto3", "urllib3"):
                raise
            print(f"identrail: s3://{self.bucket}/{item[2]}: {exc} (trying again)", file=sys.stderr)
            return
        engine.feed(body, f"s3://{self.bucket}/{item[2]}")
        self.read.add(item[2])
        self._forget_old()

    def _forget_old(self) -> None:
        # Files arrive within minutes of their delivery time: a day back, every key has been listed.
        stamps = [delivery_stamp(k) for k in self.read if delivery_stamp(k)]
        if not stamps:
            return
        newest = datetime.strptime(max(stamps), "%Y%m%dT%H%MZ").replace(tzinfo=timezone.utc)
        self.horizon = (newest - timedelta(days=1)).strftime("%Y%m%dT%H%MZ")
        self.read = {k for k in self.read if not delivery_stamp(k) or delivery_stamp(k) >= self.horizon}

    def save(self) -> object:
        return {"read": sorted(self.read), "horizon": self.horizon}

    def load(self, saved: object) -> None:
        if isinstance(saved, dict):
            self.read = set(saved.get("read", []))
            self.horizon = saved.get("horizon", "")


def load_cursor(engine: Engine, sources: list) -> dict:
    """Gives each source what the engine's cursor kept for it; returns the whole cursor."""
    try:
        cursor = json.loads(engine.cursor) if engine.cursor else {}
    except ValueError:
        cursor = {}
    saved = cursor.get("sources", {})
    for source in sources:
        if source.key in saved:
            source.load(saved[source.key])
    return cursor


def store_cursor(engine: Engine, sources: list, extra: dict | None = None) -> None:
    cursor = {"sources": {source.key: source.save() for source in sources}}
    cursor.update(extra or {})
    engine.cursor = json.dumps(cursor)


def _status_lines(engine: Engine, identities: set[str], known: dict[str, tuple[str, str]]) -> Iterator[dict]:
    for identity in sorted(identities):
        try:
            a = engine.assessment(identity)
        except NotFoundError:
            continue
        now = (a["status"], a["risk"])
        if known.get(identity, ("normal", "none")) != now:
            known[identity] = now
            yield {"type": "status", **a}


def watch(engine: Engine, sources: list, poll: float = 2.0, idle_timeout: float = 60.0, form: str = "dict",
          stop: Callable[[], bool] = lambda: False, clock: Callable[[], float] = time.monotonic,
          ticks: bool = False, statuses: dict | None = None) -> Iterator:
    """Feeds the sources as records arrive and yields each announcement at once:
    detections and revisions (dicts, or JSON lines when ``form`` is 'json' or
    'ocsf'), then status changes of the identities they concern (dicts with
    type 'status'; left out in the 'ocsf' form). Ends when every source has
    ended or ``stop()`` is true. When nothing arrives for ``idle_timeout``
    seconds, event time is taken to move on with the clock, so absences fire.
    With ``ticks``, None is yielded after each round, for a caller with periodic work.
    ``statuses`` (identity -> (status, risk) last reported) lets a caller go on
    reporting changes with drain() after the loop."""
    known: dict[str, tuple[str, str]] = {} if statuses is None else statuses
    engine.announcing = True  # every revision from here on is kept until drain() takes it
    last_arrival = clock()
    streams = [s for s in sources if isinstance(s, StreamSource)]
    others = [s for s in sources if isinstance(s, ListedSource)]
    next_listing = 0.0
    while not stop() and not all(s.done() for s in sources):
        fed = False
        now = clock()
        if others and now >= next_listing:
            fed |= _read_merged(engine, others)
            next_listing = now + poll
        for source in streams:
            # Wait on the stream only as long as the next listing allows.
            wait = max(0.0, min(poll, next_listing - clock())) if others else poll
            fed |= source.poll(engine, wait)
        if not streams and not fed:
            time.sleep(max(0.0, min(poll, next_listing - clock())))
        if fed:
            last_arrival = clock()
        elif clock() - last_arrival >= idle_timeout and engine.time_span:
            quiet = timedelta(seconds=clock() - last_arrival)
            newest = datetime.fromisoformat(engine.time_span[1].replace("Z", "+00:00"))
            engine.advance_to(newest + quiet)
        yield from drain(engine, form, known)
        if ticks:
            yield None


def _read_merged(engine: Engine, sources: list) -> bool:
    """What every listed source has ready, in CloudTrail delivery order across
    them all (directories, regions, S3 prefixes), so a backlog in several
    places reads as one trail does."""
    items = [(stamp, name, n, source, item) for n, source in enumerate(sources)
             for item in source.ready() for stamp, name in [(item[0], item[1])]]
    items.sort(key=lambda entry: (entry[0], entry[2], entry[1]))
    for _, _, _, source, item in items:
        source.take(engine, item)
    return bool(items)


def drain(engine: Engine, form: str, known: dict[str, tuple[str, str]]) -> Iterator:
    """What the engine has announced since the last drain, then the status changes it caused."""
    announced = engine.take_announced(None if form == "dict" else form)
    if not announced:
        return
    for d in announced:
        yield d if form == "dict" else d["line"]
    if form != "ocsf":
        for status in _status_lines(engine, {d["identity"] for d in announced}, known):
            yield status if form == "dict" else json.dumps(status, separators=(",", ":"))
