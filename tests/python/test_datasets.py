"""The shared public samples, checked against an independent oracle (json module)."""
from __future__ import annotations

import gzip
import json

import identrail
from conftest import valid_cloudtrail


def test_aws_processing_library_counts_match_the_oracle(datasets):
    folder = datasets / "aws-cloudtrail-processing-library"
    for path in sorted(folder.glob("*.json*")):
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        try:
            expected = sum(valid_cloudtrail(r) for r in json.loads(raw)["Records"])
        except json.JSONDecodeError:
            expected = 0  # the deliberately malformed file: its first record is already broken
        engine = identrail.Engine()
        engine.feed_path(str(path))
        assert engine.stats.accepted == expected, path.name
        assert all(err.source == str(path) for err in engine.errors)


def test_panther_logs_every_valid_record_decodes(datasets):
    engine = identrail.Engine(deduplicate=False)
    expected = 0
    with open(datasets / "panther-analysis" / "cloudtrail_rule_tests.jsonl") as fh:
        for number, line in enumerate(fh, 1):
            log = json.loads(line)["log"]
            expected += valid_cloudtrail(log)
            engine.feed(json.dumps(log).encode(), f"panther:{number}")
    assert number == 464
    assert expected == 445
    assert engine.stats.accepted == expected
    assert engine.stats.rejected == 464 - expected
    assert all(err.reason for err in engine.errors)


def test_datadog_export_keeps_records_around_the_broken_file(datadog_dir):
    engine = identrail.Engine()
    engine.feed_path(str(datadog_dir))
    intact = 0
    for path in sorted(datadog_dir.rglob("*.json")):
        try:
            intact += sum(valid_cloudtrail(r) for r in json.loads(path.read_text())["Records"])
        except json.JSONDecodeError:
            broken = path
    assert intact == 12
    # Every record of the intact files, plus the one record before the damage.
    assert engine.stats.accepted == intact + 1
    assert [e.source for e in engine.errors] == [str(broken)]


def test_sample_trace_tells_the_story():
    engine = identrail.Engine()
    engine.feed_path(str(identrail.sample_path()))
    assert engine.stats.rejected == 0
    assert engine.stats.duplicates == 3
    actions = {(e.actor_arn, e.action) for e in identrail.events(engine)}
    admin = "arn:aws:iam::111122223333:user/ops-admin"
    for action in ("ses:GetSendQuota", "ses:GetAccount", "secretsmanager:ListSecrets", "cloudtrail:StopLogging",
                   "s3:PutBucketPolicy", "iam:CreateAccessKey"):
        assert (admin, action) in actions
    report = __import__("json").loads(engine.report_json())
    session = next(i for i in report["identities"] if "assumed-role/ops-break-glass/" in i["arn"])
    assert session["root_principal"] == admin and session["resolved"] is True  # the attacker's own session
    instance = [e for e in identrail.events(engine) if e.instance_id == "i-0a1b2c3d4e5f67890"]
    assert {e.source for e in instance} >= {"54.210.33.17", "185.220.101.45"}
