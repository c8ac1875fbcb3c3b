"""identrail watch as a user runs it: records arrive on a pipe, files appear in a
directory, objects in a (local) S3 bucket; each detection comes out as one
NDJSON line when its completing record is in; SIGTERM writes the state and a
restart reads nothing twice; a webhook gets every line, signed, despite failures."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

import identrail
from identrail import list_input_files, sample_path


def records_in_time_order() -> list[tuple[str, str, str]]:
    """(event id, event name, raw record) of the sample, in event-time order."""
    engine = identrail.Engine(detect=False)
    engine.feed_path(sample_path())
    return [(e.id, e.event_name, e.raw) for e in sorted(identrail.events(engine), key=lambda e: e.time_ns)]


def start(*args: str, env: dict | None = None, stdin=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "identrail", "watch", *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def lines_until(proc: subprocess.Popen, wanted, timeout: float = 20.0) -> list[dict]:
    """Reads output lines until `wanted(lines)` holds (or fails after timeout)."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    buffer = getattr(proc, "partial", b"")
    while not wanted(got):
        left = deadline - time.monotonic()
        assert left > 0, f"timed out; got {len(got)} lines: {[d.get('rule_id', d.get('type')) for d in got]}"
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        assert chunk, "watch ended early: " + proc.stderr.read().decode()
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        got.extend(json.loads(line) for line in complete if line)
    proc.partial = buffer  # the start of a line not yet complete: the next read goes on from it
    return got


def rest_of(proc: subprocess.Popen) -> tuple[list[dict], str]:
    """What the process writes until it ends (stdin closed), and its standard error."""
    out = getattr(proc, "partial", b"") + proc.stdout.read()
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    proc.wait(timeout=30)
    return [json.loads(line) for line in out.decode().splitlines() if line], err


def stop(proc: subprocess.Popen) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, (getattr(proc, "partial", b"") + out).decode(), err.decode()


def rules_of(lines: list[dict]) -> set[str]:
    return {d["rule_id"] for d in lines if d.get("type") == "detection"}


def test_stdin_gives_each_detection_when_its_record_arrives():
    records = records_in_time_order()
    stop_at = next(i for i, (_, name, _) in enumerate(records) if name == "StopLogging")
    proc = start("-", stdin=subprocess.PIPE)
    proc.stdin.write("".join(raw + "\n" for _, _, raw in records[:stop_at]).encode())
    proc.stdin.flush()
    before = lines_until(proc, lambda got: "IDT-DISC-001" in rules_of(got))
    assert "IDT-DE-001" not in rules_of(before)
    # The pipe stays open: the StopLogging record alone must bring its detection out.
    proc.stdin.write((records[stop_at][2] + "\n").encode())
    proc.stdin.flush()
    after = lines_until(proc, lambda got: "IDT-DE-001" in rules_of(got))
    stopping = next(d for d in after if d.get("rule_id") == "IDT-DE-001")
    assert stopping["event_ids"] == [records[stop_at][0]] and stopping["revision"] == 0
    proc.stdin.write("".join(raw + "\n" for _, _, raw in records[stop_at + 1:]).encode())
    proc.stdin.close()
    rest, err = rest_of(proc)
    assert proc.returncode == 0, err
    # At the end of the stream the rest comes out, status changes included, every line JSON.
    everything = before + after + rest
    assert rules_of(everything) >= {"IDT-IA-001", "IDT-IA-002", "IDT-EXF-001", "IDT-CTX-002"}
    statuses = {d["identity"]: d["status"] for d in everything if d.get("type") == "status"}
    assert statuses.get("arn:aws:iam::111122223333:user/ops-admin") == "potentially_compromised"


def test_a_followed_directory_reads_each_file_once_across_restarts(tmp_path):
    files = list_input_files([str(sample_path())])
    watched, state = tmp_path / "logs", tmp_path / "state"
    watched.mkdir()
    options = ("--state", str(state), "--poll", "0.1", "--settle", "0.2")
    proc = start(str(watched), *options)
    half = len(files) // 2
    for i, f in enumerate(files[:half]):
        shutil.copy(f, watched / f"{i:04d}-{Path(f).name}")
    first = lines_until(proc, lambda got: "IDT-IA-001" in rules_of(got))
    time.sleep(1.0)  # the rest of the first half
    code, out, err = stop(proc)
    assert code == 0, err
    first += [json.loads(line) for line in out.splitlines()]
    assert state.exists() and (state.stat().st_mode & 0o777) == 0o600
    # A restart reads none of those files again, and goes on with the new ones.
    proc = start(str(watched), *options)
    for i, f in enumerate(files[half:], start=half):
        shutil.copy(f, watched / f"{i:04d}-{Path(f).name}")
    second = lines_until(proc, lambda got: "IDT-CTX-002" in rules_of(got))
    time.sleep(1.0)
    code, out, err = stop(proc)
    assert code == 0, err
    second += [json.loads(line) for line in out.splitlines()]
    seen = [(d["id"], d["revision"]) for d in first + second if d.get("type") == "detection"]
    assert len(seen) == len(set(seen)), "a detection revision came out twice"
    whole = identrail.Engine()
    whole.feed_paths(files)
    assert {d["id"] for d in whole.detections} <= {i for i, _ in seen}
    report = json.loads(identrail.Engine.restore_from(state).report_json())
    assert report["events"]["accepted"] == whole.stats.accepted  # every record once


def test_a_file_still_being_written_is_read_once_it_is_whole(tmp_path):
    source = list_input_files([str(sample_path())])[0]
    data = Path(source).read_bytes()
    watched = tmp_path / "logs"
    watched.mkdir()
    proc = start(str(watched), "--poll", "0.1", "--settle", "1.5", "--format", "json")
    target = watched / Path(source).name
    with open(target, "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(0.5)
        f.write(data[len(data) // 2:])
    time.sleep(3.0)
    code, out, err = stop(proc)
    assert code == 0 and "error" not in err, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_s3_prefix_is_read_in_delivery_order_and_resumed(tmp_path):
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "test",
               "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
        s3 = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket="trail")
        root = Path(sample_path())
        for f in list_input_files([str(root)]):
            s3.upload_file(f, "trail", str(Path(f).relative_to(root)))
        state = tmp_path / "state"
        proc = start("s3://trail/AWSLogs/", "--state", str(state), "--poll", "0.2", env=env)
        got = lines_until(proc, lambda lines: {"IDT-IA-001", "IDT-CTX-002"} <= rules_of(lines), timeout=60)
        code, out, err = stop(proc)
        assert code == 0, err
        first = got + [json.loads(line) for line in out.splitlines()]
        whole = identrail.Engine()
        whole.feed_path(root)
        assert {d["id"] for d in whole.detections} <= {d["id"] for d in first if d.get("type") == "detection"}
        # Restarted: nothing read again, so nothing comes out.
        proc = start("s3://trail/AWSLogs/", "--state", str(state), "--poll", "0.2", env=env)
        time.sleep(2.0)
        code, out, err = stop(proc)
        assert code == 0 and out == "", (out[:300], err)
    finally:
        server.stop()


class Receiver(BaseHTTPRequestHandler):
    bodies: list[tuple[bytes, str]] = []
    failures_left = 0

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.failures_left > 0:
            Receiver.failures_left -= 1
            self.send_response(503)
            self.end_headers()
            return
        Receiver.bodies.append((body, self.headers.get("X-Identrail-Signature", "")))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_gets_every_line_signed_despite_failures(tmp_path):
    Receiver.bodies, Receiver.failures_left = [], 3
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret"
    secret.write_text("shh\n")
    records = records_in_time_order()
    try:
        proc = start("-", "--webhook", f"http://127.0.0.1:{server.server_port}/hook", "--webhook-secret-file",
                     str(secret), "--format", "ocsf", stdin=subprocess.PIPE)
        out, err = proc.communicate("".join(raw + "\n" for _, _, raw in records).encode(), timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, err
    printed = out.decode().splitlines()
    assert printed and all(json.loads(line)["class_uid"] == 2004 for line in printed)
    assert [b.decode() for b, _ in Receiver.bodies] == printed  # every line, in order, after the 503s
    for body, signature in Receiver.bodies:
        assert signature == "sha256=" + hmac.new(b"shh", body, hashlib.sha256).hexdigest()
    assert f"{len(printed)} sent, 0 refused, 0 dropped, 0 unsent" in err.decode()


@pytest.mark.parametrize("argv, reason", [
    (["watch"], "SOURCE"),
    (["watch", "/no/such/dir"], "no such directory"),
    (["watch", str(sample_path() / "AWSLogs")+"x"], "no such directory"),
    (["watch", "s3://"], "s3://BUCKET/PREFIX"),
    (["watch", str(sample_path()), "--webhook", "ftp://x"], "http:// or https://"),
    (["watch", str(sample_path()), "--webhook", "http://x", "--webhook-header", "nocolon"], "'Name: value'"),
    (["watch", "-", "--format", "xml"], "invalid choice"),
])
def test_bad_watch_arguments_get_one_line_and_exit_2(argv, reason, capsys):
    from identrail.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and reason in err and "Traceback" not in err


def test_a_file_given_to_watch_is_refused_with_the_reason(capsys):
    from identrail.cli import main

    file = list_input_files([str(sample_path())])[0]
    assert main(["watch", file]) == 2
    assert "read files with identrail analyze" in capsys.readouterr().err


def test_library_iterator_yields_detections_as_they_happen(tmp_path):
    from identrail.watch import StreamSource, watch

    records = records_in_time_order()
    read_end, write_end = os.pipe()

    def write() -> None:  # more than a pipe holds: written as it is read
        with os.fdopen(write_end, "wb") as f:
            f.write("".join(raw + "\n" for _, _, raw in records).encode())

    writer = threading.Thread(target=write)
    writer.start()
    engine = identrail.Engine()
    got = list(watch(engine, [StreamSource(read_end)], poll=0.1))
    writer.join()
    os.close(read_end)
    assert {d["rule_id"] for d in got if "rule_id" in d} >= {"IDT-IA-001", "IDT-DE-001"}
    assert all(d["revision"] >= 0 for d in got if "rule_id" in d)


def test_a_quiet_stream_still_fires_its_absences(tmp_path):
    rules = tmp_path / "absence.yaml"
    rules.write_text("- id: ABS-1\n  name: key created and not used\n  severity: low\n  kind: absence\n"
                     "  steps: [{match: {event_name: CreateAccessKey}}, {match: {event_name: DeleteAccessKey}}]\n"
                     "  window: 2s\n")
    record = next(raw for _, name, raw in records_in_time_order() if name == "CreateAccessKey")
    proc = start("-", "--rules", str(rules), "--lateness", "0", "--idle-timeout", "0.5", "--poll", "0.1",
                 stdin=subprocess.PIPE)
    proc.stdin.write((record + "\n").encode())
    proc.stdin.flush()
    # Nothing more arrives: after the idle timeout the clock moves event time on, past the deadline.
    got = lines_until(proc, lambda lines: "ABS-1" in rules_of(lines), timeout=20)
    assert next(d for d in got if d.get("rule_id") == "ABS-1")["count"] == 1
    proc.stdin.close()
    rest_of(proc)


def test_several_directories_are_read_as_one_trail(tmp_path):
    # Regions in two directories, files appearing in both: read in delivery order across them.
    files = list_input_files([str(sample_path())])
    east, west = tmp_path / "east", tmp_path / "west"
    east.mkdir()
    west.mkdir()
    for f in files:
        target = east if "us-east-1" in f else west
        shutil.copy(f, target / Path(f).name)
    proc = start(str(east), str(west), "--poll", "0.1", "--settle", "0", "--state", str(tmp_path / "s"))
    lines_until(proc, lambda got: "IDT-CTX-002" in rules_of(got), timeout=30)
    time.sleep(0.5)
    code, _, err = stop(proc)
    assert code == 0, err
    report = json.loads(identrail.Engine.restore_from(tmp_path / "s").report_json())
    assert report["detection"]["late_events"] == 0 and report["detection"]["too_late"] == 0


def test_unreachable_s3_and_bad_state_paths_are_one_line_errors(monkeypatch, capsys, tmp_path):
    from identrail.cli import main

    for name, value in {"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID": "x",
                        "AWS_SECRET_ACCESS_KEY": "y", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_MAX_ATTEMPTS": "1"}.items():
        monkeypatch.setenv(name, value)
    assert main(["watch", "s3://nobucket/AWSLogs/"]) == 2
    assert "s3://nobucket/AWSLogs/: Could not connect" in capsys.readouterr().err
    assert main(["analyze", "--no-progress", "--state", str(tmp_path)]) == 2
    assert "a directory" in capsys.readouterr().err
    assert main(["analyze", "--no-progress", "--lateness", "-1"]) == 2
    assert "allowed_lateness must be 0 to 7 days, not -1 s" in capsys.readouterr().err


def test_records_that_cannot_be_read_are_said_as_they_come():
    proc = start("-", stdin=subprocess.PIPE)
    good = records_in_time_order()[0][2]
    out, err = proc.communicate(('{"not": "cloudtrail"}\n' + good + "\n").encode(), timeout=30)
    assert proc.returncode == 0
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("identrail: <stdin>: line 1") and "Traceback" not in err.decode()


def test_detections_only_gives_the_same_detections_without_a_graph():
    records = "".join(raw + "\n" for _, _, raw in records_in_time_order()).encode()

    def watched(*options: str) -> list[dict]:
        proc = start("-", *options, stdin=subprocess.PIPE)
        proc.stdin.write(records)
        proc.stdin.close()
        lines, err = rest_of(proc)
        assert proc.returncode == 0, err
        return lines

    def detections(lines: list[dict]) -> set[tuple]:
        # Every field but root_principal, which is the graph's answer.
        return {tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in d.items() if k != "root_principal"))
                for d in lines if d.get("type") == "detection"}

    def statuses(lines: list[dict]) -> dict:
        return {d["identity"]: d["status"] for d in lines if d.get("type") == "status"}

    full, alone = watched(), watched("--detections-only")
    assert detections(alone) == detections(full) and len(detections(full)) > 5
    named = {d["identity"] for d in alone if d.get("type") == "detection"}
    assert set(statuses(alone)) == set(statuses(full)) == named
    # Without the graph, nothing leads from a session back to the role or instance behind it.
    roots = lambda lines: {(d["identity"], d.get("root_principal")) for d in lines if d.get("type") == "detection"}
    assert all(root in (None, "", identity) for identity, root in roots(alone))
    assert any(root and root != identity for identity, root in roots(full))


def test_revisions_are_kept_for_take_announced_only_once_asked():
    engine = identrail.Engine()
    assert engine.announcing is False
    engine.feed_path(sample_path())
    with pytest.raises(identrail.BadState, match="announcing"):
        engine.take_announced()

    asked = identrail.Engine()
    asked.announcing = True
    records = records_in_time_order()
    half = len(records) // 2
    asked.feed("".join(raw + "\n" for _, _, raw in records[:half]).encode())
    first = asked.take_announced()
    asked.feed("".join(raw + "\n" for _, _, raw in records[half:]).encode())
    asked.finish()
    second = asked.take_announced("json")
    assert first and second and asked.take_announced() == []
    # Every detection standing at the end was announced at its final revision, in one of the two takes.
    final = {(d["id"], d["revision"]) for d in first + second}
    assert {(d["id"], d["revision"]) for d in asked.detections} <= final
    assert all(json.loads(d["line"])["id"] == d["id"] for d in second)

    asked.announcing = False  # off again: what was kept goes, and nothing more is kept
    with pytest.raises(identrail.BadState):
        asked.take_announced()
