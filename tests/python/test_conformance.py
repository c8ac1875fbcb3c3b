"""The shared conformance corpus (tests/conformance/) replayed through Python."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
from replay import EXPECTED, answers, load_cases  # noqa: E402


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["name"])
def test_python_answers_as_the_corpus_says(case):
    expected = json.loads((EXPECTED / f"{case['name']}.json").read_text())
    got = answers(case)
    for part in expected:  # part by part, so a failure names the part that changed
        assert got[part] == expected[part], f"{case['name']}: {part} differs"
    assert got.keys() == expected.keys()


def test_the_corpus_covers_what_the_issue_asks_for():
    cases = {c["name"]: c for c in load_cases()}
    queries = {q["query"] for c in cases.values() for q in c.get("queries", [])}
    assert {"resolution", "remediation", "least_privilege", "assessment"} <= queries
    sample = json.loads((EXPECTED / "sample.json").read_text())
    assert sample["detections"] and any(a["status"] != "normal" for a in sample["assessments"])
    assert json.loads((EXPECTED / "bad-records.json").read_text())["errors"]
    assert any(c.get("rules") for c in cases.values()) and any(c.get("flags") for c in cases.values())


def test_identities_rule_sets_and_policies_as_handles():
    engine = __import__("identrail").Engine()
    import identrail
    engine.feed_path(identrail.sample_path())
    ids = engine.identities()
    admin = next(i for i in ids if i["identity"] == "arn:aws:iam::111122223333:user/ops-admin")
    assert admin["type"] == "IAMUser" and admin["events"] > 0 and admin["first_seen"] <= admin["last_seen"]
    assert len(ids) == len({i["identity"] for i in ids})

    rules = identrail.RuleSet.builtin()
    assert len(rules) > 50 and rules.ids[0].startswith("IDT-") and rules.run_tests() == []
    one, two = identrail.Engine(rules=rules), identrail.Engine(rules=rules)
    for e in (one, two):
        e.feed_path(identrail.sample_path())
        e.finish()
    assert [d["id"] for d in one.detections] == [d["id"] for d in two.detections] != []
    with pytest.raises(identrail.InvalidArgument, match="RuleSet.load"):
        identrail.Engine(rules=rules, builtin_rules=True)
    with pytest.raises(identrail.InvalidArgument, match="not pickled"):
        __import__("pickle").dumps(one)
    with pytest.raises(identrail.Error, match="inline.yaml:1"):
        identrail.RuleSet.parse("- id: X-1\n  severity: dire\n", "inline.yaml")

    deny = identrail.Policy.parse('{"Statement":{"Sid":"NoStop","Effect":"Deny","Action":"cloudtrail:StopLogging",'
                                  '"Resource":"*"}}', "scp.json")
    allow = '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
    assert len(deny) == 1 and "StopLogging" in deny.to_json()
    verdict = identrail.evaluate_policy("arn:aws:iam::1:user/x", "cloudtrail:StopLogging", identity=[allow], scps=[deny])
    assert verdict["decision"] == "explicit_deny" and verdict["sid"] == "NoStop"
    with pytest.raises(identrail.Error, match="scp.json"):
        identrail.Policy.parse('{"Statement":{"Effect":"Maybe"}}', "scp.json")
