"""Correlation and response through Python and the CLI, on the bundled sample."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import networkx as nx
import pytest

import identrail
from identrail.cli import main

ADMIN = "arn:aws:iam::111122223333:user/ops-admin"
INSTANCE_SESSION = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890"
BACKDOOR = "arn:aws:iam::111122223333:user/svc-backup"
BUCKET = "arn:aws:s3:::acme-finance-reports"
SECRETS = {"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/master-password",
           "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-key"}


@pytest.fixture(scope="module")
def engine() -> identrail.Engine:
    e = identrail.Engine()
    e.feed_path(identrail.sample_path())
    e.finish()
    return e


def break_glass(engine: identrail.Engine) -> str:
    radius = engine.blast_radius(ADMIN)
    (session,) = [i for i in radius["identities"] if "assumed-role/ops-break-glass/" in i]
    return session


def test_admin_is_potentially_compromised_at_high_risk(engine):
    a = engine.assessment(ADMIN)
    assert a["status"] == "potentially_compromised"
    assert a["risk"] in ("high", "critical")
    assert a["since"] == "2026-03-01T13:20:00Z"
    assert "discovery followed by defense evasion" in a["reasons"][0]


def test_instance_session_flagged_for_use_outside_the_instance(engine):
    a = engine.assessment(INSTANCE_SESSION)
    assert a["status"] == "potentially_compromised"
    assert "instance credentials used outside the instance" in a["reasons"][0]
    by_identity = {row["identity"]: row for row in engine.assessments()}
    assert by_identity["arn:aws:iam::111122223333:role/webapp-ec2-role"]["status"] == "potentially_compromised"
    assert by_identity["arn:aws:iam::111122223333:user/alice"]["status"] == "normal"


def test_attacker_session_resolves_to_the_admin(engine):
    chain = engine.resolve(break_glass(engine))
    assert chain["root_principal"] == ADMIN and chain["complete"]
    assert chain["chain"][-1] == ADMIN


def test_blast_radius_names_buckets_and_secrets(engine):
    radius = engine.blast_radius(ADMIN, since=datetime(2026, 3, 1, 13, 20, tzinfo=timezone.utc))
    resources = {r["arn"] for r in radius["resources"]}
    assert BUCKET in resources and SECRETS <= resources
    stripe = next(r for r in radius["resources"] if r["arn"].endswith("stripe-key"))
    assert stripe["by"] == [break_glass(engine)]
    assert {a["action"] for a in stripe["actions"]} == {"secretsmanager:GetSecretValue"}
    # A naive datetime is UTC, as is the string form.
    assert engine.blast_radius(ADMIN, since=datetime(2026, 3, 1, 13, 20)) == radius
    assert engine.blast_radius(ADMIN, since="2026-03-01T13:20:00Z") == radius


def test_paths_where_used_and_timeline(engine):
    paths = engine.paths("45.137.21.9", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-key")
    labels = [[step["label"] for step in p] for p in paths["paths"]]
    assert ["45.137.21.9", ADMIN, break_glass(engine),
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-key"] in labels
    used = engine.where_used(ADMIN)
    assert {a["ip"] for a in used["addresses"]} == {"3.91.171.4", "185.220.101.45", "45.137.21.9"}
    timeline = engine.timeline(ADMIN, since="2026-03-01T13:40:00Z")
    times = [entry["time"] for entry in timeline["entries"]]
    assert times == sorted(times) and times[0] >= "2026-03-01T13:40:00Z"
    assert any(e["type"] == "detection" and e["rule_id"] == "IDT-DE-001" for e in timeline["entries"])


def test_networkx_graph_matches_the_export(engine):
    g = identrail.to_networkx(engine)
    data = json.loads(engine.graph_export("json"))
    assert g.number_of_nodes() == len(data["nodes"]) and g.number_of_edges() == len(data["edges"])
    by_label = {attrs["label"]: node for node, attrs in g.nodes(data=True)}
    # networkx finds the same route the library's paths query gives.
    route = nx.shortest_path(g, by_label[ADMIN], by_label[BUCKET])
    assert len(route) == 2
    kinds = {d["kind"] for _, _, d in g.out_edges(by_label[ADMIN], data=True)}
    assert {"called_from", "authenticated_with", "accessed", "triggered", "created_session"} <= kinds


def test_remediation_plan_shape(engine):
    plan = engine.remediation(ADMIN, allow_cidrs=["198.51.100.0/24"], now="2026-03-01T15:00:00Z")
    assert plan["identity"] == ADMIN
    ids = [s["id"] for s in plan["strategies"]]
    assert ids == ["deny_outside_networks", "deactivate_user", "delete_user", "force_password_reset",
                   "rotate_access_keys"]
    for strategy in plan["strategies"]:
        assert set(strategy) >= {"id", "title", "steps", "warnings"}
        for step in strategy["steps"]:
            assert set(step) == {"service", "operation", "parameters", "cli"}
            assert isinstance(step["parameters"], dict) and step["cli"].startswith("aws ")
    deny = plan["strategies"][0]
    assert deny["policy"]["Statement"][0]["Condition"]["NotIpAddress"]["aws:SourceIp"] == ["198.51.100.0/24"]
    assert json.loads(deny["steps"][0]["parameters"]["PolicyDocument"]) == deny["policy"]


def test_errors_are_typed(engine):
    with pytest.raises(identrail.NotFoundError, match="user/nobody"):
        engine.remediation("arn:aws:iam::111122223333:user/nobody")
    with pytest.raises(identrail.InvalidArgument, match="10.0.0.0/40"):
        engine.remediation(ADMIN, allow_cidrs=["10.0.0.0/40"])
    with pytest.raises(identrail.InvalidArgument, match="unknown status"):
        engine.flag(ADMIN, "pwned")
    with pytest.raises(identrail.InvalidArgument, match="since"):
        engine.flag(ADMIN, "compromised", since="yesterday")
    with pytest.raises(identrail.InvalidArgument, match="format"):
        engine.graph_export("png")


def test_flags_through_the_api():
    e = identrail.Engine()
    e.feed_path(identrail.sample_path())
    e.finish()
    assert e.assessment(BACKDOOR)["status"] == "normal"
    e.flag(BACKDOOR, "compromised", since=datetime(2026, 3, 1, 14, 10, tzinfo=timezone.utc))
    a = e.assessment(BACKDOOR)
    assert a["status"] == "compromised" and a["since"] == "2026-03-01T14:10:00Z"
    frame = identrail.assessments_to_pandas(e)
    assert frame.iloc[0]["identity"] == BACKDOOR and frame.iloc[0]["status"] == "compromised"


def test_cli_flag_and_report(capsys):
    assert main(["analyze", "--json", "--no-progress", "--flag", f"{BACKDOOR}=2026-03-01T14:10:00Z"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {row["arn"]: row for row in report["identities"]}
    assert rows[BACKDOOR]["status"] == "compromised" and rows[BACKDOOR]["status_since"] == "2026-03-01T14:10:00Z"
    assert rows[ADMIN]["status"] == "potentially_compromised" and rows[ADMIN]["risk"] in ("high", "critical")
    assert rows["arn:aws:iam::111122223333:role/webapp-ec2-role"]["status"] == "potentially_compromised"
    session = next(arn for arn in rows if "ops-break-glass/" in arn)
    assert rows[session]["root_principal"] == ADMIN
    detection = next(d for d in report["detections"] if d["rule_id"] == "IDT-IA-001")
    assert detection["root_principal"].startswith("arn:aws:ec2:")

    assert main(["analyze", "--no-progress", "--flag", BACKDOOR]) == 0
    text = capsys.readouterr().out
    attention = text.split("Identities needing attention")[1].split("Detections")[0]
    assert attention.index(BACKDOOR) < attention.index(ADMIN), "compromised identities come first"


def test_cli_remediate_and_graph(capsys):
    assert main(["remediate", "--identity", INSTANCE_SESSION, "--json", "--no-progress",
                 "--now", "2026-03-01T15:00:00Z"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert {s["id"] for s in plan["strategies"]} == {"deny_outside_networks", "revoke_sessions", "isolate_instance"}
    revoke = next(s for s in plan["strategies"] if s["id"] == "revoke_sessions")
    assert revoke["policy"]["Statement"][0]["Condition"] == {"DateLessThan": {"aws:TokenIssueTime": "2026-03-01T15:00:00Z"}}

    assert main(["remediate", "--identity", ADMIN, "--no-progress"]) == 0
    assert "aws iam delete-user --user-name ops-admin" in capsys.readouterr().out

    assert main(["graph", "--format", "graphml", "--no-progress"]) == 0
    assert "<graphml" in capsys.readouterr().out
    assert main(["graph", "--paths", "45.137.21.9", BUCKET, "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["paths"]

    assert main(["remediate", "--identity", "arn:aws:iam::1:user/nobody", "--no-progress"]) == 2
    assert "user/nobody" in capsys.readouterr().err


def test_geolocation_from_a_database_the_test_writes(tmp_path):
    from conftest import ROOT
    import subprocess

    database = tmp_path / "geo.mmdb"
    subprocess.run(["perl", str(ROOT / "tests" / "data" / "make_geo_fixture.pl"), str(database)], check=True)
    e = identrail.Engine(geo_databases=[database])
    e.feed_path(identrail.sample_path())
    used = {a["ip"]: a for a in e.where_used(INSTANCE_SESSION)["addresses"]}
    assert used["185.220.101.45"]["country"] == "DE" and used["185.220.101.45"]["asn"] == 60729
    assert used["54.210.33.17"]["city"] == "Ashburn"
    g = identrail.to_networkx(e)
    located = {d["label"]: d.get("country") for _, d in g.nodes(data=True) if d["kind"] == "ip"}
    assert located["185.220.101.45"] == "DE" and located["198.51.100.10"] is None
    with pytest.raises(identrail.Error, match="not_a_maxmind_db"):
        identrail.Engine(geo_databases=[ROOT / "tests" / "data" / "not_a_maxmind_db.txt"])
