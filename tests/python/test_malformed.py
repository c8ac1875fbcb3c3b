"""Malformed records (issue 9): the input that once killed `identrail analyze` with a segmentation fault,
with every request parameter the resource inference reads, in every delivery format, plain and gzipped.
The bad record is refused with its place and reason; the good records around it are kept."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

import identrail

KEYS = ["bucketName", "key", "secretId", "name", "trailName", "roleArn", "userName", "roleName", "groupName",
        "policyArn", "functionName", "tableName", "keyId", "instanceId", "logGroupName", "topicArn",
        "repositoryName"]

GOOD = ('{"eventTime":"2026-01-01T00:00:00Z","eventName":"ListBuckets","eventSource":"s3.amazonaws.com",'
        '"eventID":"e1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x"}}')
GOOD_AFTER = GOOD.replace('"e1"', '"e3"').replace("00:00:00Z", "00:00:01Z")


def bad_record(key: str) -> str:
    return '{"a":1,"requestParameters":{"%s":"x":[""{}' % key


# (name, bytes, ids kept, where the damage is reported): in a document nothing after the damage can be
# located reliably, so the records before it are kept.
FORMATS = {
    "json lines": (lambda bad: f"{GOOD}\n{bad}\n{GOOD_AFTER}\n", ["e1", "e3"], "line 2"),
    "json array": (lambda bad: f"[\n{GOOD},\n{bad}\n]", ["e1"], "record 1"),
    "records file": (lambda bad: '{"Records":[%s,%s]}' % (GOOD, bad), ["e1"], "record 1"),
}


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("form", sorted(FORMATS))
@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_malformed_record_is_refused_and_the_good_ones_kept(key, form, gzipped):
    wrap, kept, location = FORMATS[form]
    data = wrap(bad_record(key)).encode()
    if gzipped:
        data = gzip.compress(data)
    engine = identrail.Engine()
    engine.feed(data, "bad.jsonl")
    assert [e.id for e in identrail.events(engine)] == kept
    assert engine.stats.rejected == 1
    (error,) = engine.errors
    assert error.source == "bad.jsonl"
    assert error.location.startswith(location)
    assert "malformed JSON" in error.reason


def test_the_command_line_reports_the_bad_line_and_keeps_the_good_record(tmp_path):
    crash = tmp_path / "crash.jsonl"
    crash.write_text(f"{GOOD}\n{bad_record('bucketName')}\n")
    run = subprocess.run([sys.executable, "-m", "identrail", "analyze", "--json", "--no-progress", str(crash)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["events"]["accepted"] == 1 and report["events"]["rejected"] == 1
    (error,) = report["errors"]
    assert error["location"].startswith("line 2") and "malformed JSON in requestParameters" in error["reason"]


def test_damage_in_a_field_nobody_reads_rejects_the_record(tmp_path):
    damaged = GOOD[:-1] + ',"additionalEventData":{"a" 1}}'
    engine = identrail.Engine()
    engine.feed(f"{GOOD}\n{damaged}\n{GOOD_AFTER}\n".encode())
    assert [e.id for e in identrail.events(engine)] == ["e1", "e3"]
    (error,) = engine.errors
    assert error.location.startswith("line 2") and "additionalEventData" in error.reason
    for event in identrail.events(engine):
        json.loads(event.raw)
