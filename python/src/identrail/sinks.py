"""Where ``identrail watch`` sends each line: a stream (flushed per line) and
optionally a webhook, POSTed from a background thread with retries."""
from __future__ import annotations

import hashlib
import hmac
import queue
import threading
import time
import urllib.error
import urllib.request
from typing import IO, Iterable


class LineSink:
    """One JSON document per line, flushed at once: a reader sees each detection as it happens."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def send(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self, grace: float = 0.0) -> None:
        self.stream.flush()


class WebhookSink:
    """POSTs each line (application/json) to a URL.

    A failed POST (connection error, 5xx, 429) is retried with exponential
    backoff; a line counts as sent only once the server accepted it (2xx). A
    4xx other than 429 is a refusal: counted, not retried. While the server is
    down, lines wait in a bounded queue; beyond it the oldest are dropped and
    counted. With a secret, each body is signed: ``X-Identrail-Signature:
    sha256=<hex HMAC-SHA256 of the body>``. TLS certificates are verified.
    """

    def __init__(self, url: str, headers: Iterable[tuple[str, str]] = (), secret: bytes | None = None,
                 queue_size: int = 10_000, timeout: float = 10.0, first_backoff: float = 0.5,
                 max_backoff: float = 30.0, pending: Iterable[str] = ()) -> None:
        if not url.startswith(("http://", "https://")):
            from .errors import InvalidArgument
            raise InvalidArgument(f"{url}: a webhook is an http:// or https:// URL")
        self.url = url
        self.headers = dict(headers)
        self.secret = secret
        self.timeout = timeout
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.lines: queue.Queue[str] = queue.Queue(maxsize=queue_size)
        self.sent = self.refused = self.dropped = 0
        self.last_error = ""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._in_flight: str | None = None
        for line in pending:
            self.send(line)
        self._worker = threading.Thread(target=self._run, name="identrail-webhook", daemon=True)
        self._worker.start()

    def send(self, line: str) -> None:
        while True:
            try:
                self.lines.put_nowait(line)
                return
            except queue.Full:
                try:
                    self.lines.get_nowait()  # the oldest goes: the newest says most about now
                    with self._lock:
                        self.dropped += 1
                except queue.Empty:
                    pass

    def unsent(self) -> list[str]:
        """Lines not yet accepted (the one being sent first): kept across a restart by the caller."""
        with self._lock:
            head = [self._in_flight] if self._in_flight is not None else []
        return head + list(self.lines.queue)

    def _post(self, line: str) -> str:
        """'sent', 'refused' (final) or 'retry'."""
        body = line.encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        for name, value in self.headers.items():
            request.add_header(name, value)
        if self.secret:
            request.add_header("X-Identrail-Signature", "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
            return "sent"
        except urllib.error.HTTPError as exc:
            self.last_error = f"HTTP {exc.code}"
            # A refusal is final (sending it again gives the same answer); 429 and 5xx say "later".
            return "refused" if 400 <= exc.code < 500 and exc.code != 429 else "retry"
        except (urllib.error.URLError, OSError) as exc:
            self.last_error = str(getattr(exc, "reason", exc))
            return "retry"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            with self._lock:
                self._in_flight = line
            delay = self.first_backoff
            while not self._stop.is_set():
                outcome = self._post(line)
                if outcome != "retry":
                    with self._lock:
                        if outcome == "sent":
                            self.sent += 1
                        else:
                            self.refused += 1
                        self._in_flight = None
                    break
                self._stop.wait(delay)
                delay = min(delay * 2, self.max_backoff)

    def close(self, grace: float = 5.0) -> None:
        """Waits up to ``grace`` seconds for the queue to empty, then stops."""
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and (not self.lines.empty() or self._in_flight is not None):
            time.sleep(0.05)
        self._stop.set()
        self._worker.join(timeout=self.timeout + 1)

    def summary(self) -> str:
        return (f"webhook {self.url}: {self.sent} sent, {self.refused} refused, {self.dropped} dropped, "
                f"{len(self.unsent())} unsent" + (f" (last error: {self.last_error})" if self.last_error else ""))


def secret_from(environment_variable: str, file: str | None) -> bytes | None:
    """A webhook secret from a file or the environment; never from the command line (ps shows it)."""
    if file:
        with open(file, "rb") as f:
            return f.read().strip()
    import os
    value = os.environ.get(environment_variable)
    return value.encode() if value else None


