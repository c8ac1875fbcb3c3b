"""Detections through the Python API: the sample compromise, custom rules, a DataFrame."""
from __future__ import annotations

import json
import random

import pytest

import identrail
from conftest import lines, record

ADMIN = "arn:aws:iam::111122223333:user/ops-admin"
INSTANCE = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890"
BENIGN = {"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"}


def analyzed(**options) -> identrail.Engine:
    engine = identrail.Engine(**options)
    engine.feed_path(identrail.sample_path())
    engine.finish()
    return engine


def test_sample_compromise_is_detected_stage_by_stage():
    found = {(d["rule_id"], d["identity"]) for d in analyzed().detections}
    for stage in [("IDT-IA-001", INSTANCE),          # instance credentials used from outside
                  ("IDT-DISC-003", INSTANCE),        # the stolen role probing, denied
                  ("IDT-IA-002", ADMIN),             # the admin key from a new address
                  ("IDT-DISC-001", ADMIN),           # enumeration
                  ("IDT-CRED-001", ADMIN),           # SES and Secrets Manager probing
                  ("IDT-DE-001", ADMIN),             # StopLogging
                  ("IDT-EXF-001", ADMIN),            # bucket policy opened to another account
                  ("IDT-CTX-002", ADMIN),           # backdoor user and key, under suspicion
                  ("IDT-PERS-003", ADMIN)]:          # backdoor user with admin rights
        assert stage in found
    exfil = [d for d in analyzed().detections if d["rule_id"] == "IDT-EXF-005"]
    assert exfil and exfil[0]["identity"].startswith("AIDA")  # the attacker's account downloading


def test_late_and_repeated_events_are_counted():
    engine = identrail.Engine(deduplicate=False)  # the detector's own repeat filter decides
    engine.feed_path(identrail.sample_path())
    engine.feed_path(identrail.sample_path())  # everything again: every copy is a repeat, none evaluated
    engine.feed(lines([record("late-1", time="2026-03-01T08:00:00Z")]))  # new, hours behind the watermark
    engine.finish()
    stats = engine.detection_stats
    assert stats["late"] == 1 and stats["repeated"] >= 1223
    assert len(engine.detections) == len(analyzed().detections)
    report = json.loads(engine.report_json())
    assert report["detection"]["late_events"] == stats["late"]


def test_benign_identities_raise_no_high_or_critical_detection():
    for d in analyzed().detections:
        if d["severity"] in ("high", "critical"):
            assert d["identity"] in {ADMIN, INSTANCE} or d["identity"].startswith("AIDA"), d


def test_shuffled_delivery_within_lateness_gives_the_same_detections():
    engine = analyzed(detect=False)
    records = sorted(((e.time_ns, e.raw) for e in identrail.events(engine)), key=lambda r: r[0])
    rng = random.Random(7)
    reference = None
    for round_ in range(9):
        # Shuffle inside 10-minute blocks of event time: disorder within the 15-minute lateness.
        blocks: dict[int, list[str]] = {}
        for t, raw in records:
            blocks.setdefault(t // (600 * 10**9), []).append(raw)
        order = []
        for key in sorted(blocks):
            if round_:  # round 0 is the sorted input, the reference
                rng.shuffle(blocks[key])
            order.extend(blocks[key])
        e = identrail.Engine()
        e.feed("\n".join(order).encode())
        e.finish()
        got = sorted((d["id"], d["rule_id"], d["identity"], d["first_seen"], d["last_seen"], d["count"],
                      tuple(d["event_ids"])) for d in e.detections)
        assert e.stats.accepted == len(records)
        if reference is None:
            reference = got
            assert len(got) >= 10
        assert got == reference


def test_custom_rules_replace_or_extend_the_pack(tmp_path):
    rule = tmp_path / "mine.yaml"
    rule.write_text("- id: MY-001\n  name: Any SES call\n  severity: low\n  match: {event_source: ses.amazonaws.com}\n")
    only = identrail.Engine(rules=[rule])
    assert [r["id"] for r in only.rules] == ["MY-001"]
    both = identrail.Engine(rules=rule, builtin_rules=True)
    assert len(both.rules) == len(identrail.Engine().rules) + 1
    only.feed(lines([record("a"), record("b", "ListIdentities")]))
    only.finish()
    # Two hits by one identity within the hour: one detection of two events (coalescing).
    assert [(d["rule_id"], d["count"], d["event_ids"]) for d in only.detections] == [("MY-001", 2, ["a", "b"])]
    assert only.detections[0]["summary"]


def test_bad_rules_raise_with_file_line_and_rule(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: BAD-1\n  name: n\n  severity: low\n  match:\n    source_ip: {cidr: 10.0.0.0/33}\n")
    with pytest.raises(identrail.InvalidArgument) as info:
        identrail.Engine(rules=bad)
    assert f"{bad}:5" in str(info.value) and "BAD-1" in str(info.value) and "CIDR" in str(info.value)
    assert identrail.check_rules([]) == len(identrail.Engine().rules)


def test_detections_dataframe():
    frame = identrail.detections_to_pandas(analyzed())
    assert len(frame) > 0
    assert str(frame["first_seen"].dtype).startswith("datetime64") and "UTC" in str(frame["first_seen"].dtype)
    assert set(frame["severity"]) <= {"info", "low", "medium", "high", "critical"}
    assert (frame["first_seen"] <= frame["last_seen"]).all()


def test_rules_command_runs_the_pack_examples(capsys, tmp_path):
    from identrail.cli import main

    assert main(["rules", "--test"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("0 failed")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("- id: W\n  name: w\n  severity: low\n  match: {event_name: StartLogging}\n"
                     "  tests: [{name: stop, fires: true, events: [{eventName: StopLogging}]}]\n")
    assert main(["rules", "--test", "--rules", str(wrong)]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_every_detection_is_visible_right_after_its_completing_record():
    whole = analyzed()
    kinds = {r["id"]: r["kind"] for r in whole.rules}
    final = {d["id"]: d for d in whole.detections}
    assert {kinds[d["rule_id"]] for d in final.values()} >= {"event", "count", "distinct"}
    live = identrail.Engine()
    visible: set[str] = set()
    for event in sorted(identrail.events(whole), key=lambda e: e.time_ns):
        live.feed(event.raw.encode(), "live")
        for d in live.detections:
            if d["id"] in visible:
                continue
            visible.add(d["id"])
            # New on this record: its evidence ends with it, not 15 minutes of event time later.
            assert d["last_seen"] == event.time, (d["rule_id"], d["last_seen"], event.time)
            assert event.id in d["event_ids"] or d["count"] > len(d["event_ids"])
    live.finish()
    assert set(final) <= visible
    assert {d["id"]: (d["count"], d["event_ids"]) for d in live.detections} == \
        {i: (d["count"], d["event_ids"]) for i, d in final.items()}
    assert live.detection_stats["too_late"] == 0


def test_skip_invalid_loads_the_valid_sigma_rules_and_names_the_rest(datasets, capsys):
    from identrail.cli import main

    sigma = datasets / "sigmahq-aws"
    with pytest.raises(identrail.InvalidArgument, match="aws_delete_saml_provider.yml"):
        identrail.Engine(rules=sigma)
    engine = identrail.Engine(rules=sigma, skip_invalid_rules=True)
    assert len(engine.rules) == 56
    assert len(engine.rule_rejections) == 1 and "is not a field of a CloudTrail record" in engine.rule_rejections[0]
    assert main(["rules", "--rules", str(sigma)]) == 2
    assert "identrail: error:" in capsys.readouterr().err
    assert main(["rules", "--rules", str(sigma), "--skip-invalid"]) == 0
    captured = capsys.readouterr()
    assert "identrail: rule refused: " in captured.err and "56 rules" in captured.err
    tactics = {t for r in engine.rules for t in r["tactics"]}
    assert {"TA0005", "TA0112"} <= tactics
