"""Exports responders are handed, read by the CLI and the module as they come: a
shell glob of files, standard input, a forced format, and a typo in its name."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import identrail

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"
EXPECTED = json.loads((FORMATS / "expected.json").read_text())
IDS = [e["eventID"] for e in EXPECTED["events"]]


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "identrail", *args], input=stdin, capture_output=True, text=True)


@pytest.mark.parametrize("name", sorted(EXPECTED["good"]))
def test_each_export_reads_as_the_trails_events(name):
    engine = identrail.Engine()
    engine.feed_path(FORMATS / name)
    assert [e.id for e in identrail.events(engine)] == IDS
    assert engine.stats.rejected == 0


def test_a_glob_of_every_export_with_its_bad_entries_reports_each_and_keeps_the_rest():
    files = sorted(str(p) for p in FORMATS.glob("*.json*")) + sorted(str(p) for p in FORMATS.glob("*.ndjson"))
    run = cli("analyze", "--json", "--no-graph", "--no-progress", *files)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    # Every good entry of every file is one of the four events (duplicates across files are dropped).
    assert report["events"]["accepted"] == len(IDS)
    for name, bad in EXPECTED["bad"].items():
        said = [e for e in report["errors"] if e["source"].endswith(name)]
        assert len(said) == bad["rejected"] and bad["error"] in said[0]["reason"], (name, said)
    assert "Traceback" not in run.stderr


def test_standard_input_and_a_forced_format():
    data = (FORMATS / "datadog-logs.json").read_text()
    run = cli("analyze", "--json", "--no-graph", "--no-progress", "--input-format", "datadog", "-", stdin=data)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["events"]["accepted"] == len(IDS)
    refused = cli("analyze", "--json", "--no-graph", "--no-progress", "--input-format", "ocsf", "-", stdin=data)
    report = json.loads(refused.stdout)
    assert report["events"]["accepted"] == 0
    assert "not the shape of input format ocsf" in report["errors"][0]["reason"]


def test_a_typo_in_the_format_is_one_line_and_exit_2():
    run = cli("analyze", "--input-format", "datadgo", str(FORMATS / "datadog-logs.json"))
    assert run.returncode == 2
    assert "invalid choice: 'datadgo'" in run.stderr and "Traceback" not in run.stderr
    with pytest.raises(identrail.InvalidArgument, match="unknown input format"):
        identrail.Engine(input_format="datadgo")
