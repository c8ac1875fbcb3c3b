"""identrail bench and identrail.bench(): the measurement of a rule pack users run in their own CI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import identrail
from identrail.cli import main

STAGES = ["decode", "detect", "correlate", "total"]


def _stage_names(result: dict) -> list[str]:
    return [s["stage"] for s in result["stages"]]


def test_bench_on_the_sample_counts_what_analyze_reads(capsys):
    assert main(["bench", "--json", "--top", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    engine = identrail.Engine(retain_events=False)
    for path in identrail.list_input_files([str(identrail.sample_path())]):
        engine.feed_path(path)
    engine.finish()
    assert result["events"] == engine.stats.accepted
    assert result["identities"] == len(engine.identities())
    assert result["rules"] == len(engine.rules)
    assert _stage_names(result)[-4:] == STAGES and "gunzip" in _stage_names(result)
    assert 0 < len(result["costliest_rules"]) <= 3
    costs = [r["nanos_per_event"] for r in result["costliest_rules"]]
    assert costs == sorted(costs, reverse=True)
    assert result["state_bytes"] > 0 and result["baseline_ratio"] > 0


def test_bench_on_generated_traffic_and_its_text_table(capsys):
    assert main(["bench", "--generate", "3000", "--identities", "40", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "3000 events" in out and "identities" in out
    for stage in STAGES:
        assert f"\n{stage} " in out
    assert "costliest rules" in out and "simdjson baseline" in out


def test_bench_a_directory_a_glob_and_only_my_rules(capsys, tmp_path):
    rules = tmp_path / "mine.yaml"
    rules.write_text("- id: MY-001\n  name: secret read\n  severity: low\n"
                     "  match:\n    action: [secretsmanager:GetSecretValue]\n")
    files = identrail.list_input_files([str(identrail.sample_path())])
    assert main(["bench", "--json", "--rules", str(rules), *files[:20]]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rules"] == 1 and result["files"] == 20
    assert [r["rule_id"] for r in result["costliest_rules"]] in ([], ["MY-001"])


def test_the_python_function_takes_engine_options():
    result = identrail.bench(generate=2000, identities=10, top=1, detect=False)
    assert result["events"] == 2000 and result["identities"] <= 10
    assert result["costliest_rules"] == []
    with pytest.raises(identrail.InvalidArgument):
        identrail.bench(generate=0)
    with pytest.raises(identrail.InvalidArgument):
        identrail.bench(generate=10, no_such_option=True)


@pytest.mark.parametrize("argv, reason", [
    (["bench", "--generate", "0"], "must be at least 1"),
    (["bench", "--generate", "ten"], "not a whole number"),
    (["bench", "--generate", "10", "some/dir"], "not both"),
    (["bench", "--identities", "5"], "goes with --generate"),
    (["bench", "-"], "standard input"),
    (["bench", "/no/such/path"], "/no/such/path"),
])
def test_bad_arguments_are_one_line_errors(argv, reason):
    run = subprocess.run([sys.executable, "-m", "identrail", *argv], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]  # argparse prints its usage above
    assert "error:" in last and reason in last and "Traceback" not in run.stderr
