"""The evaluator against an independent implementation: generated requests and
policies run through identrail and through @cloud-copilot/iam-simulate (npm,
installed by scripts/setup.sh into .tools/); any disagreement fails with the
case printed. Skipped only where Node is not installed."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess

import pytest

import identrail
from conftest import ROOT

SIMULATE_DIR = ROOT / ".tools" / "iam-simulate"
ACCOUNT = "111122223333"
PRINCIPAL = f"arn:aws:iam::{ACCOUNT}:user/alice"

# (action, resource) pairs whose resource fits the action's resource type, as iam-simulate validates.
REQUESTS = [
    ("s3:GetObject", "arn:aws:s3:::finance/q1.csv"),
    ("s3:GetObject", "arn:aws:s3:::public/index.html"),
    ("s3:PutObject", "arn:aws:s3:::finance/q2.csv"),
    ("s3:ListBucket", "arn:aws:s3:::finance"),
    ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/svc-backup"),
    ("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/alice"),
    ("ec2:DescribeInstances", "*"),
    ("secretsmanager:GetSecretValue", f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:prod/db-AbCdEf"),
    ("cloudtrail:StopLogging", f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"),
]
ACTION_PATTERNS = ["s3:GetObject", "s3:Get*", "s3:*Object", "s3:*", "iam:Create*", "iam:*", "ec2:Describe*", "*",
                   "secretsmanager:GetSecretValue", "cloudtrail:StopLogging", "s3:list*", "IAM:createuser"]
RESOURCE_PATTERNS = ["*", "arn:aws:s3:::finance/*", "arn:aws:s3:::finance", "arn:aws:s3:::*", "arn:aws:s3:::pub?ic/*",
                     f"arn:aws:iam::{ACCOUNT}:user/*", f"arn:aws:iam::{ACCOUNT}:user/svc-*",
                     f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:prod/*",
                     f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"]
CONDITIONS = [
    {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}},
    {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7/32"]}},
    {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
    {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}},
    {"StringEqualsIfExists": {"aws:PrincipalTag/team": "red"}},
    {"StringLike": {"aws:PrincipalTag/team": "r*"}},
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    {"DateLessThan": {"aws:CurrentTime": "2026-03-01T14:00:00Z"}},
    {"DateGreaterThan": {"aws:TokenIssueTime": "2026-03-01T12:00:00Z"}},
    {"Null": {"aws:TokenIssueTime": "true"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/a*"}},
    {"ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/bob"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "env"]}},
    {"ForAllValues:StringLike": {"aws:TagKeys": ["t*", "env"]}},
]
CONTEXT_CHOICES = {
    "aws:SourceIp": ["203.0.113.9", "198.51.100.7", "192.0.2.1"],
    "aws:RequestedRegion": ["us-east-1", "eu-west-1", "ap-southeast-1"],
    "aws:PrincipalTag/team": ["red", "blue"],
    "aws:MultiFactorAuthPresent": ["true", "false"],
    "aws:CurrentTime": ["2026-03-01T13:00:00Z", "2026-03-01T15:00:00Z"],
    "aws:TokenIssueTime": ["2026-03-01T11:00:00Z", "2026-03-01T13:38:12Z"],
    "aws:MultiFactorAuthAge": ["60", "7200"],
    "aws:TagKeys": [["team"], ["team", "owner"], ["env"]],
}


def statement(rng: random.Random) -> dict:
    s = {"Effect": rng.choice(["Allow", "Allow", "Deny"]),
         "Action" if rng.random() < 0.85 else "NotAction": rng.sample(ACTION_PATTERNS, rng.randint(1, 3)),
         "Resource" if rng.random() < 0.85 else "NotResource": rng.sample(RESOURCE_PATTERNS, rng.randint(1, 2))}
    if rng.random() < 0.6:
        condition: dict = {}
        for clause in rng.sample(CONDITIONS, rng.randint(1, 2)):
            for op, keys in clause.items():
                condition.setdefault(op, {}).update(keys)
        s["Condition"] = condition
    return s


def policy(rng: random.Random) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement(rng) for _ in range(rng.randint(1, 4))]})


def cases(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        action, resource = rng.choice(REQUESTS)
        context = {}
        for key, values in CONTEXT_CHOICES.items():
            if rng.random() < 0.5:
                context[key] = rng.choice(values)
        context["aws:PrincipalArn"] = PRINCIPAL
        out.append({"principal": PRINCIPAL, "account": ACCOUNT, "action": action, "resource": resource,
                    "context": context, "identity": [policy(rng) for _ in range(rng.randint(1, 2))],
                    "boundary": [policy(rng)] if rng.random() < 0.2 else []})
    return out


EXPECTED = {"allow": "Allowed", "explicit_deny": "ExplicitlyDenied", "implicit_deny": "ImplicitlyDenied"}


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_evaluator_agrees_with_iam_simulate(tmp_path):
    assert (SIMULATE_DIR / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir(), \
        "run scripts/setup.sh: it installs @cloud-copilot/iam-simulate into .tools/"
    generated = cases(400, seed=20261130)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(generated))
    run = subprocess.run(["node", str(ROOT / "tests" / "python" / "conformance" / "iam_simulate.mjs"), str(path)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "IAM_SIMULATE_DIR": str(SIMULATE_DIR / "node_modules")})
    theirs = json.loads(run.stdout)
    assert len(theirs) == len(generated)
    errors = [(c, t) for c, t in zip(generated, theirs) if t.startswith("error")]
    assert not errors, f"iam-simulate refused {len(errors)} generated cases, e.g. {errors[0]}"
    disagreements = []
    for case, expected in zip(generated, theirs):
        ours = identrail.evaluate_policy(case["principal"], case["action"], case["resource"],
                                         {k: v if isinstance(v, list) else [v] for k, v in case["context"].items()},
                                         identity=case["identity"], boundary=case["boundary"])
        if EXPECTED[ours["decision"]] != expected:
            disagreements.append(f"identrail {ours['decision']} ({ours['reason']}) vs iam-simulate {expected}:\n"
                                 f"{json.dumps(case, indent=1)}")
    assert not disagreements, f"{len(disagreements)} of {len(generated)} cases disagree; first:\n{disagreements[0]}"
    decisions = {EXPECTED[identrail.evaluate_policy(c["principal"], c["action"], c["resource"],
                                                    {k: v if isinstance(v, list) else [v]
                                                     for k, v in c["context"].items()},
                                                    identity=c["identity"], boundary=c["boundary"])["decision"]]
                 for c in generated}
    assert decisions == set(EXPECTED.values()), "the generated cases must reach every decision"


def test_policy_errors_are_typed():
    with pytest.raises(identrail.InvalidArgument, match=r"p.json: Statement\[0\].Effect"):
        identrail.parse_policy('{"Statement":[{"Effect":"Perhaps","Action":"*"}]}', "p.json")
    normalized = json.loads(identrail.parse_policy('{"Statement":{"Effect":"Allow","Action":"s3:*"}}'))
    assert normalized["Statement"][0]["Resource"] == "*"


def test_least_privilege_through_python_and_the_cli(tmp_path, capsys):
    from identrail.cli import main

    admin = "arn:aws:iam::111122223333:user/ops-admin"
    engine = identrail.Engine()
    engine.feed_path(identrail.sample_path())
    engine.finish()
    result = engine.least_privilege(admin, flag_time="2026-03-01T13:20:00Z")
    assert result["flag_time"] == "2026-03-01T13:20:00Z"
    assert {a["action"] for a in result["used_actions"]} == {"ec2:CreateSnapshot", "ec2:DeleteSnapshot",
                                                             "ec2:DescribeSnapshots"}
    excluded = {a["action"] for a in result["excluded_actions"]}
    assert {"ses:GetSendQuota", "cloudtrail:StopLogging", "s3:PutBucketPolicy", "iam:CreateAccessKey"} <= excluded
    policy = json.dumps(result["policy"])
    assert identrail.parse_policy(policy)  # a valid IAM policy
    for attacker in ("ses:", "StopLogging", "PutBucketPolicy", "CreateAccessKey"):
        assert attacker not in policy
    # What the generated policy allows, checked with the evaluator.
    allowed = identrail.evaluate_policy(admin, "ec2:CreateSnapshot", identity=[policy])
    denied = identrail.evaluate_policy(admin, "s3:PutBucketPolicy", "arn:aws:s3:::acme-finance-reports", identity=[policy])
    assert allowed["decision"] == "allow" and denied["decision"] == "implicit_deny"

    current = tmp_path / "admin-policy.json"
    current.write_text('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')
    assert main(["policy", "--identity", admin, "--current-policy", str(current), "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"identity", "flag_time", "policy", "used_actions", "excluded_actions", "unused_permissions"}
    assert out["flag_time"] == "2026-03-01T13:20:00Z"  # the admin's status, by default
    assert out["unused_permissions"][0].startswith("*: ")
    assert main(["policy", "--identity", admin, "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "Left out: used only after it" in text and "cloudtrail:StopLogging" in text
    broken = tmp_path / "broken.json"
    broken.write_text('{"Statement":{"Effect":"Maybe","Action":"*"}}')
    assert main(["policy", "--identity", admin, "--current-policy", str(broken), "--no-progress"]) == 2
    assert f"{broken}: Statement.Effect" in capsys.readouterr().err
