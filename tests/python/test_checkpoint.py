"""Checkpoints through Python: restore, pickling, bad bytes, keys, and the CLI's --state."""
from __future__ import annotations

import json
import pickle
import random

import pytest

import identrail
from identrail import list_input_files, sample_path
from identrail.cli import main

ADMIN = "arn:aws:iam::111122223333:user/ops-admin"


def report(engine: identrail.Engine) -> dict:
    return json.loads(engine.report_json())


def test_split_anywhere_gives_the_whole_runs_report():
    files = list_input_files([str(sample_path())])
    whole = identrail.Engine()
    whole.feed_paths(files)
    whole.finish()
    for at in random.Random(4).sample(range(1, len(files)), 4):
        first = identrail.Engine()
        first.feed_paths(files[:at])
        second = identrail.Engine.restore(first.checkpoint())
        assert second.restored["started_rules"] == []
        second.feed_paths(files[at:])
        second.finish()
        assert report(second) == report(whole), at


def test_pickling_carries_what_restore_needs(tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("- id: R-1\n  name: any SES\n  severity: low\n  match: {event_source: ses.amazonaws.com}\n")
    engine = identrail.Engine(rules=str(rules), builtin_rules=True, allowed_lateness_seconds=600)
    engine.feed_path(sample_path())
    engine.flag(ADMIN, "compromised")
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.detections == engine.detections
    assert copy.assessment(ADMIN) == engine.assessment(ADMIN)
    assert len(copy.rules) == len(engine.rules)
    copy.finish()
    engine.finish()
    assert report(copy) == report(engine)


def test_bad_checkpoints_raise_typed_errors(tmp_path):
    engine = identrail.Engine()
    engine.feed_path(sample_path())
    data = engine.checkpoint()
    with pytest.raises(identrail.BadState, match="truncated"):
        identrail.Engine.restore(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    with pytest.raises(identrail.BadState, match="checksum"):
        identrail.Engine.restore(bytes(flipped))
    with pytest.raises(identrail.InvalidArgument, match="unknown Engine option 'lateness'"):
        identrail.Engine.restore(data, lateness=5)
    other = tmp_path / "other.yaml"
    other.write_text("- id: O-1\n  name: o\n  severity: low\n  match: {event_name: ListUsers}\n")
    with pytest.raises(identrail.IncompatibleState, match="another rule set"):
        identrail.Engine.restore(data, rules=str(other))


def test_keyed_state_files(tmp_path):
    path = tmp_path / "state"
    engine = identrail.Engine(state_key="k3y")
    engine.feed_path(sample_path())
    engine.checkpoint_to(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(identrail.BadState, match="key"):
        identrail.Engine.restore_from(path)
    with pytest.raises(identrail.BadState, match="not authentic"):
        identrail.Engine.restore_from(path, state_key="wrong")
    back = identrail.Engine.restore_from(path, state_key=b"k3y")
    assert back.detections == engine.detections
    with pytest.raises(identrail.InvalidArgument, match="not pickled"):
        pickle.dumps(engine)


@pytest.mark.parametrize("cuts", [[1], [len(list_input_files([str(sample_path())])) // 2], [40, 120, 200]])
def test_cli_split_run_with_state_equals_the_whole_run(tmp_path, capsys, cuts):
    files = list_input_files([str(sample_path())])
    state = tmp_path / "state"
    assert main(["analyze", "--json", "--no-progress", *files]) == 0
    whole = json.loads(capsys.readouterr().out)
    bounds = [0, *cuts, len(files)]
    for start, end in zip(bounds, bounds[1:]):
        assert main(["analyze", "--json", "--no-progress", "--state", str(state), *files[start:end]]) == 0
        last = json.loads(capsys.readouterr().out)
        assert state.exists()
    assert last == whole


def test_cli_refuses_a_bad_state_file_in_one_line(tmp_path, capsys):
    state = tmp_path / "state"
    state.write_bytes(b"IDTSTATE garbage")
    assert main(["analyze", "--no-progress", "--state", str(state), str(sample_path())]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "identrail: error:" in err and str(state) in err and "truncated" in err
