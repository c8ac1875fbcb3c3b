from __future__ import annotations

import json
import os

import pytest

import identrail
from conftest import gz, lines, record


def test_read_bytes_in_every_format_gives_the_same_events():
    recs = [record("e1"), record("e2", "ListIdentities"), record("e3", "GetSendStatistics")]
    delivery = json.dumps({"Records": recs}).encode()
    envelope = lines([{"detail-type": "AWS API Call via CloudTrail", "source": "aws.ses", "detail": r} for r in recs])
    for data in (delivery, gz(delivery), lines(recs), gz(lines(recs)), json.dumps(recs).encode(), envelope):
        assert [e.id for e in identrail.read(data)] == ["e1", "e2", "e3"]


def test_event_fields_and_raw_paths():
    rec = record("x1", "ListBuckets", eventSource="s3.amazonaws.com",
                 requestParameters={"bucketName": "payroll", "maxKeys": 10}, errorCode="AccessDenied",
                 errorMessage="nope")
    (event,) = identrail.read(json.dumps(rec).encode())
    assert event.action == "s3:ListAllMyBuckets"
    assert event.action_origin == "table"
    assert event.actor_arn == "arn:aws:iam::111122223333:user/ops-admin"
    assert event.actor_type == "IAMUser"
    assert event.source == "198.51.100.7" and event.source_kind == "ipv4"
    assert event.success is False and event.error_code == "AccessDenied"
    assert event.time == "2026-03-01T10:00:00Z" and event.time_ns == 1772359200 * 10**9
    assert event.read_only is True and event.mfa is None
    assert event.raw_field("requestParameters.bucketName") == "payroll"
    assert event.raw_field("requestParameters.maxKeys") == "10"
    assert event.raw_field("requestParameters.missing") is None
    flat = json.loads(event.to_json())
    assert flat["action"] == "s3:ListAllMyBuckets" and flat["success"] is False
    ocsf = json.loads(event.to_json("ocsf"))
    assert ocsf["class_uid"] == 6003 and ocsf["activity_id"] == 2 and ocsf["status_id"] == 2
    with pytest.raises(identrail.InvalidArgument):
        event.to_json("xml")


def test_engine_stats_errors_and_duplicates():
    engine = identrail.Engine()
    data = lines([record("a"), record("b")]) + b'\n{"eventTime": 5}\n' + lines([record("a")])
    assert engine.feed(data, "batch-1") == 2
    stats = engine.stats
    assert (stats.total, stats.accepted, stats.rejected, stats.duplicates) == (4, 2, 1, 1)
    assert stats.as_dict() == {"total": 4, "accepted": 2, "rejected": 1, "duplicates": 1, "possibly_repeated": 0}
    (err,) = engine.errors
    assert err.source == "batch-1"
    assert err.location.startswith("line 3")
    assert "eventTime: expected a string, found number" in err.reason
    assert len(engine) == 2


def test_bad_input_never_raises_and_keeps_good_records():
    good = lines([record("g1"), record("g2")])
    engine = identrail.Engine()
    engine.feed(b"", "empty")
    engine.feed(b"\x1f\x8b\x08\x00garbage-garbage", "corrupt.gz")
    engine.feed(good + b'\n{"eventTime": "2026-03-01T10:00:00Z", "eventN', "truncated")
    engine.feed(lines([record("u1")]).replace(b"aws-cli", b"aws\xff\xfecli") + b"\n" + lines([record("u2")]), "utf8")
    assert [e.id for e in identrail.events(engine)] == ["g1", "g2", "u2"]
    reasons = {e.source: e.reason for e in engine.errors}
    assert "empty input" in reasons["empty"]
    assert "gzip" in reasons["corrupt.gz"]
    assert "invalid UTF-8" in reasons["utf8"]
    assert engine.stats.rejected == 4


def test_options_and_typed_errors(tmp_path):
    with pytest.raises(identrail.InvalidArgument) as info:
        identrail.Engine(gzip="brotli")
    assert info.value.code == 1 and isinstance(info.value, ValueError)
    with pytest.raises(identrail.NotFoundError) as missing:
        list(identrail.read(str(tmp_path / "nope")))
    assert missing.value.code == 8 and isinstance(missing.value, FileNotFoundError)
    assert str(tmp_path / "nope") in str(missing.value)
    with pytest.raises(identrail.InvalidArgument):
        identrail.Engine(dedup_horizon_seconds=0)
    far = [record("a", time="2026-03-01T10:00:00Z"), record("b", time="2026-03-01T14:00:00Z"),
           record("c", time="2026-03-02T09:00:00Z"), record("a", time="2026-03-01T10:00:00Z")]
    assert identrail.Engine().feed(lines(far)) == 3  # the copy is 23 hours behind: within the default day
    narrow = identrail.Engine(dedup_horizon_seconds=3600)
    assert narrow.feed(lines(far)) == 4
    assert narrow.stats.possibly_repeated == 1
    no_dedup = identrail.Engine(deduplicate=False)
    no_dedup.feed(lines([record("a"), record("a")]))
    assert no_dedup.stats.accepted == 2
    no_raw = identrail.Engine(keep_raw=False)
    no_raw.feed(lines([record("a")]))
    with pytest.raises(identrail.InvalidArgument):
        no_raw.event(0).raw_field("eventName")


def test_to_pandas_one_row_per_event():
    engine = identrail.Engine()
    engine.feed_path(str(identrail.sample_path()))
    frame = identrail.to_pandas(engine)
    assert len(frame) == engine.stats.accepted
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    assert {"identity", "actor_arn", "action", "source", "success", "error_code"} <= set(frame.columns)
    # The frame and the report attribute events to identities the same way.
    per_identity = frame.groupby("identity").size()
    report = json.loads(engine.report_json())
    # (Roles and instances marked through the graph are listed too, with no events of their own.)
    assert {i["arn"]: i["events"] for i in report["identities"] if i["events"]} == per_identity.to_dict()


def test_engine_refuses_use_from_another_thread_while_feeding():
    import threading

    data = lines([record(f"id-{i}") for i in range(40000)])
    engine = identrail.Engine()
    feeder = threading.Thread(target=engine.feed, args=(data,))
    refused = 0
    feeder.start()
    while feeder.is_alive():
        try:
            engine.stats
        except RuntimeError as exc:
            assert "one thread at a time" in str(exc)
            refused += 1
    feeder.join()
    assert refused > 0
    assert engine.stats.accepted == 40000


def test_undecodable_file_names_survive_reports(tmp_path):
    name = os.fsencode(tmp_path) + b"/bad-\xff.json"
    with open(name, "wb") as fh:
        fh.write(b"{oops")
    engine = identrail.Engine()
    engine.feed_path(str(tmp_path))
    (err,) = engine.errors
    assert os.fsencode(err.source) == name
    report = json.loads(engine.report_json())
    assert report["errors"][0]["source"].endswith("bad-\ufffd.json")
    assert "bad-" in engine.report_text()
    from identrail.cli import main

    assert main(["analyze", "--no-progress", str(tmp_path)]) == 0
