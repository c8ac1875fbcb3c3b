from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import identrail
from identrail.cli import main

from conftest import lines, record


def test_analyze_sample_text_report(capsys):
    assert main(["analyze", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "1220 accepted" in out and "3 duplicates" in out
    assert "Top identities" in out and "webapp-ec2-role" in out
    assert "Top actions" in out and "s3:GetObject" in out


def test_analyze_reads_standard_input():
    data = lines([record("a"), record("b")]) + b'\n{"eventTime": 5}\n'
    run = subprocess.run([sys.executable, "-m", "identrail", "analyze", "--json", "-"], input=data,
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["events"]["accepted"], report["events"]["rejected"]) == (2, 1)
    assert report["errors"][0]["source"] == "<stdin>" and report["errors"][0]["location"].startswith("line 3")
    empty = subprocess.run([sys.executable, "-m", "identrail", "analyze", "-"], input=b"", capture_output=True,
                           timeout=120)
    assert empty.returncode == 0 and b"empty input" in empty.stdout and not empty.stderr


def test_detections_only_finds_the_same_detections_without_a_graph(capsys):
    assert main(["analyze", "--json", "--no-progress"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert main(["analyze", "--json", "--no-progress", "--detections-only"]) == 0
    only = json.loads(capsys.readouterr().out)
    assert full["correlated"] is True and only["correlated"] is False
    assert full["graph"]["nodes"] and not only["graph"]["nodes"]
    # The same detections; the principal behind each is the graph's to find.
    def found(report):
        return [{k: v for k, v in d.items() if k != "root_principal"} for d in report["detections"]]
    assert found(only) and found(only) == found(full)
    # Without the graph, a status is not carried from the admin to the session it opened.
    status = {i["arn"]: i["status"] for i in only["identities"]}
    carried = [i["arn"] for i in full["identities"] if i["status"] != "normal" and status.get(i["arn"]) == "normal"]
    assert carried, "the sample's statuses carried along sessions should be missing without the graph"
    assert main(["analyze", "--no-progress", "--detections-only"]) == 0
    assert "detections only: no identity graph" in capsys.readouterr().out


def test_a_shell_glob_of_files_reads_like_its_directory(capsys):
    files = sorted(str(p) for p in identrail.sample_path().rglob("*.json.gz"))  # region by region, as `ls` sorts
    assert main(["analyze", "--json", "--no-progress", "--no-graph", *files]) == 0
    globbed = json.loads(capsys.readouterr().out)
    assert main(["analyze", "--json", "--no-progress", "--no-graph"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert globbed["detection"]["late_events"] == whole["detection"]["late_events"] == 0
    assert globbed["detections"] == whole["detections"]
    assert globbed["identities"] == whole["identities"]
    assert any(d["rule_id"] == "IDT-IA-001" for d in globbed["detections"])


def test_analyze_json_report_shape(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    good = lines([record("a")]) + b"\n"
    bad.write_bytes(good + b"{oops\n")
    assert main(["analyze", "--json", "--no-progress", str(identrail.sample_path()), str(bad)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"version", "events", "errors", "detections", "identities", "graph"}
    assert report["events"] == {"total": 1225, "accepted": 1221, "rejected": 1, "duplicates": 3,
                                "possibly_repeated": 0, "errors_not_listed": 0}
    (error,) = report["errors"]
    assert error["source"] == str(bad)
    assert error["location"] == f"line 2 (byte {len(good)})"
    assert error["reason"]
    graph = report["graph"]
    assert graph["directed"] and graph["multigraph"]
    kinds = {n["kind"] for n in graph["nodes"]}
    assert kinds >= {"user", "role", "session", "access_key", "instance", "ip", "user_agent", "resource", "detection"}
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    detections = report["detections"]
    assert {d["rule_id"] for d in detections} >= {"IDT-IA-001", "IDT-CRED-001", "IDT-DE-001", "IDT-EXF-001"}
    for d in detections:
        assert set(d) >= {"rule_id", "name", "severity", "mitre", "identity", "first_seen", "last_seen", "event_ids",
                          "summary"}
        assert d["first_seen"] <= d["last_seen"] and d["event_ids"]
    ids = {i["arn"]: i for i in report["identities"]}
    inst = ids["arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890"]
    assert inst["type"] == "AssumedRole"
    # Created for the instance by EC2: the principal behind the session is the instance.
    assert inst["root_principal"] == "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f67890"
    assert inst["resolved"] is True and inst["chain"][-1] == inst["root_principal"]
    assert inst["status"] == "potentially_compromised" and inst["risk"] in ("high", "critical")
    assert inst["detections"] == sum(d["identity"] == inst["arn"] for d in detections) > 0
    assert "185.220.101.45" in inst["source_ips"]
    assert inst["first_seen"].endswith("Z") and inst["first_seen"] <= inst["last_seen"]


def test_events_command_writes_ocsf_lines(capsys, tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_bytes(lines([record("a"), record("b")]))
    assert main(["events", "--format", "ocsf", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["metadata"]["uid"] for r in rows] == ["a", "b"]
    assert all(r["class_uid"] == 6003 for r in rows)


def test_missing_path_is_a_clean_error(capsys, tmp_path):
    assert main(["analyze", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "identrail", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"identrail {identrail.__version__}"


def test_analyze_shared_datasets_through_the_cli(capsys, datasets, datadog_dir):
    aws = datasets / "aws-cloudtrail-processing-library"
    scenario = datasets / "panther-analysis" / "test_scenarios"
    assert main(["analyze", "--json", "--no-progress", str(aws), str(scenario), str(datadog_dir)]) == 0
    report = json.loads(capsys.readouterr().out)
    # AWS fixtures: 37 of 42 records valid; Panther scenarios: 27 events in 4 files, some
    # shared between attacker and victim logs; Datadog: 12 intact + 1 before the damage.
    events = report["events"]
    assert events["rejected"] == 5 + 1
    assert events["accepted"] + events["duplicates"] == 37 + 27 + 13
    sources = {e["source"] for e in report["errors"]}
    assert str(aws / "SerializerTestFileBadJsonFormat.json") in sources
    assert any("ec2-user-data" in s for s in sources)
    arns = {i["arn"] for i in report["identities"]}
    assert "arn:aws:sts::677301038893:assumed-role/account-admin/christophe.tafanidereeper" in arns


def test_python_example_runs(tmp_path):
    from conftest import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "analyze.py")], capture_output=True,
                         text=True, check=True)
    assert "Identities seen from more than one IP address" in out.stdout
    assert "webapp-ec2-role" in out.stdout  # the instance role used from the attacker's address too
    assert "IDT-DE-001" in out.stdout
    assert "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-key" in out.stdout
    assert "Remediation strategies: deny_outside_networks, deactivate_user, delete_user" in out.stdout
    assert "Identity graph:" in out.stdout


def test_standard_input_over_the_limit_is_a_one_line_error(monkeypatch, capsys):
    import io
    from identrail import cli
    monkeypatch.setattr(cli, "MAX_STDIN_BYTES", 16)
    monkeypatch.setattr(cli, "STDIN_CHUNK", 8)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[" + lines([record("a")]) + b"]")))
    assert main(["analyze", "--no-progress", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "<stdin>: over the input limit of 16 bytes" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines([record("a")]))))
    assert main(["analyze", "--no-progress", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "over the input limit of 16 bytes" in err


def test_json_lines_on_standard_input_are_read_in_chunks_alike(monkeypatch, capsys):
    """Chunks cut at line ends give the answers of one read; an error names where its chunk starts."""
    import io
    from identrail import cli
    records = [record(f"e{i}", time=f"2026-03-01T10:{i:02d}:00Z") for i in range(30)]
    records[17] = {"eventName": "ListBuckets", "eventID": "no-time"}
    data = lines(records)
    answers = []
    for chunk in (len(data) + 1, 700):
        monkeypatch.setattr(cli, "STDIN_CHUNK", chunk)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        assert main(["analyze", "--no-progress", "--json", "-"]) == 0
        answers.append(json.loads(capsys.readouterr().out))
    whole, chunked = answers
    assert chunked["events"] == whole["events"] and chunked["events"]["accepted"] == 29
    assert [d["id"] for d in chunked["detections"]] == [d["id"] for d in whole["detections"]]
    (error,) = chunked["errors"]
    line = int(error["location"].split()[1])
    start = int(error["source"].split("from line ")[1].split()[0]) if "from line" in error["source"] else 1
    assert start + line - 1 == 18, error  # the 18th line, wherever the chunk began


def test_analyze_keeps_no_events_and_answers_the_same(capsys):
    """The report comes from the engine's state: keeping every event changes nothing in it."""
    answers = {}
    for keep in ([], ["--keep-events"]):
        for form in ([], ["--json"]):
            assert main(["analyze", "--no-progress", *keep, *form]) == 0
            answers[(bool(keep), bool(form))] = capsys.readouterr().out
    assert answers[(False, False)] == answers[(True, False)]
    assert json.loads(answers[(False, True)]) == json.loads(answers[(True, True)])
    # --json is the library's own rendering, written as it is.
    engine = identrail.Engine()
    engine.feed_path(identrail.sample_path())
    engine.finish()
    assert answers[(False, True)] == engine.report_json() + "\n"


def test_analyze_json_to_a_file_and_to_a_closed_pipe(tmp_path):
    """Written by the library straight to the descriptor: the same bytes, and a reader that stops early is no error."""
    out = tmp_path / "report.json"
    with out.open("wb") as sink:
        run = subprocess.run([sys.executable, "-m", "identrail", "analyze", "--no-progress", "--json"], stdout=sink,
                             stderr=subprocess.PIPE, text=True)
    assert run.returncode == 0, run.stderr
    engine = identrail.Engine()
    engine.feed_path(identrail.sample_path())
    engine.finish()
    assert out.read_text() == engine.report_json() + "\n"
    head = subprocess.run(f"{sys.executable} -m identrail analyze --no-progress --json | head -c 10", shell=True,
                          capture_output=True, text=True)
    assert head.returncode == 0 and head.stdout == out.read_text()[:10] and "Traceback" not in head.stderr


def test_decoding_threads_change_nothing_but_the_speed(capsys):
    reports = []
    for threads in ("1", "2", "5"):
        assert main(["analyze", "--no-progress", "--json", "--threads", threads]) == 0
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[1] == reports[2]
    engine = identrail.Engine(threads=2, retain_events=True)
    engine.feed_paths([str(identrail.sample_path())])
    assert len(engine) == json.loads(reports[0])["events"]["accepted"]


def test_an_abbreviated_option_is_refused_not_guessed(capsys):
    for argv, abbreviated in ((["analyze", "--thread", "2"], "--thread"), (["analyze", "--no-prog"], "--no-prog"),
                              (["bench", "--generate", "10", "--ident", "2"], "--ident")):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
        assert "unrecognized arguments: " + abbreviated in capsys.readouterr().err


def test_decoding_threads_out_of_range_are_one_line_errors():
    for bad in ("0", "300", "two"):
        run = subprocess.run([sys.executable, "-m", "identrail", "analyze", "--threads", bad], capture_output=True,
                             text=True)
        assert run.returncode == 2 and "--threads" in run.stderr.splitlines()[-1] and "Traceback" not in run.stderr


_ANALYZE_SAMPLE = ("import sys\nfrom identrail.cli import main\ncode = main(['analyze', sys.argv[1]])\n"
                   "print('tqdm' in sys.modules)\nsys.exit(code)")  # and whether the CLI imported tqdm


def test_the_progress_bar_shows_on_a_terminal_only():
    # Off a terminal the bar would be noise, and its import a third of the command's start-up.
    command = [sys.executable, "-c", _ANALYZE_SAMPLE, str(identrail.sample_path())]
    piped = subprocess.run(command, capture_output=True, timeout=120, text=True)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines()[-1] == "False"
    assert "reading" not in piped.stderr

    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a new one has no columns
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, text=True) as shown:
        os.close(follower)
        written = b""
        while True:  # read while it runs: Linux drops what is unread once the terminal's other end closes
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # that end is closed
                break
            if not chunk:
                break
            written += chunk
        out = shown.communicate(timeout=120)[0]
    os.close(leader)
    assert shown.returncode == 0
    assert out.splitlines()[-1] == "True"
    assert b"reading" in written and b"file" in written
