#!/usr/bin/env python3
"""A benign month of CloudTrail for one organisation, as NDJSON in event-time order.

    benign_month.py [--identities N] [--days D] [--seed S] [--out FILE[.gz] | --out-dir DIR [--per-file N]]

What it models is how accounts behave, not what any detector looks for:
- people with IAM users: developers and admins on the CLI and the console, in their own time
  zones, on weekdays mostly, from the office or from home; some travel for a few days (another
  country's address), some update their CLI (a new user agent), a few join mid-month;
- Identity Center users, as AWSReservedSSO role sessions with MFA, from the console;
- CI roles assumed through GitHub's OIDC provider, deploying in bursts while people push;
- Lambda and EC2 instance roles working around the clock from AWS addresses, the SSM agent
  reporting in; nightly batch roles moving data between their buckets and querying Athena;
- AWS services acting on their own;
- ordinary trouble and chores: a few percent of reads denied, an admin creating a user for a
  joiner, rotating a service user's key, people reading a secret now and then.
Deterministic for a seed; standard library only; one day in memory at a time.

--steady N models an organisation in steady state instead: every name that would be new each day
(object keys, CI runs, session keys, joiners, travel and CI addresses) is drawn from a pool of N per
kind, so after the first days no new identity, key, address or resource appears. Memory measured on it
shows what grows with events alone (benchmarks/memory_scale.py --steady).
"""
from __future__ import annotations

import argparse
import gzip
import ipaddress
import importlib.util
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

# The record builders of the bundled sample's generator: one shape of record for both.
_SPEC = importlib.util.spec_from_file_location(
    "generate_sample", Path(__file__).resolve().parents[1] / "examples" / "data" / "generate_sample.py")
sample = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sample)
Trail, iam_user, role_session, service, bucket_arn = (sample.Trail, sample.iam_user, sample.role_session,
                                                      sample.service, sample.bucket_arn)
CLI_UA, CONSOLE_UA, BOTO_UA, GITHUB_UA = sample.CLI_UA, sample.CONSOLE_UA, sample.BOTO_UA, sample.GITHUB_UA
ACCOUNT = sample.ACCOUNT

HOME_REGIONS = ["us-east-1", "eu-west-1"]
# (country, UTC offset in hours, a /16 its residential addresses come from)
PLACES = [("US", -5, "73.162"), ("US", -8, "67.180"), ("GB", 0, "86.14"), ("DE", 1, "91.64"), ("IN", 5, "49.36")]
READS = [("s3.amazonaws.com", "ListBuckets"), ("ec2.amazonaws.com", "DescribeInstances"),
         ("iam.amazonaws.com", "ListRoles"), ("logs.amazonaws.com", "FilterLogEvents"),
         ("cloudwatch.amazonaws.com", "GetMetricData"), ("lambda.amazonaws.com", "ListFunctions20150331"),
         ("dynamodb.amazonaws.com", "DescribeTable"), ("sts.amazonaws.com", "GetCallerIdentity"),
         ("ecs.amazonaws.com", "DescribeServices"), ("cloudformation.amazonaws.com", "DescribeStacks")]
WRITES = [("s3.amazonaws.com", "PutObject"), ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2"),
          ("ecs.amazonaws.com", "UpdateService"), ("ssm.amazonaws.com", "PutParameter"),
          ("cloudformation.amazonaws.com", "UpdateStack")]


class Names:
    """New names, or in a steady organisation (--steady N) one of at most N per kind."""

    def __init__(self, steady: int) -> None:
        self.steady, self.pools = steady, {}

    def fresh(self, t: "Trail", kind: str, make):
        if not self.steady:
            return make()
        pool = self.pools.setdefault(kind, [])
        if len(pool) < self.steady:
            pool.append(make())
            return pool[-1]
        return pool[t.rng.randrange(len(pool))]


NAMES = Names(0)


class Person:
    def __init__(self, t: Trail, n: int, joins: int) -> None:
        self.name = f"{'dev' if n % 9 else 'admin'}-{n:04d}"
        self.admin = n % 9 == 0
        self.country, self.offset, self.net = PLACES[n % len(PLACES)]
        self.office = f"198.51.{100 + n % 4}.{10 + n % 200}"
        self.home = f"{self.net}.{t.rng.randrange(256)}.{t.rng.randrange(1, 255)}"
        self.identity = iam_user(t, self.name, t.key("AKIA"), "AIDA" + t.key("")[:17])
        self.ua = CLI_UA.format(cmd="s3.ls")
        self.joins = joins  # the day it starts working here
        self.travel: tuple[int, int, str] | None = None


_EC2_BLOCKS: list[ipaddress.IPv4Network] = []


def ec2_address(t: "Trail", n: int) -> str:
    """An address in EC2's published space (data/aws-ip-ranges.txt), as AWS compute has."""
    if not _EC2_BLOCKS:
        ranges = Path(__file__).resolve().parents[1] / "data" / "aws-ip-ranges.txt"
        for line in ranges.read_text().splitlines():
            cidr, region, service = (line.split() + ["", "", ""])[:3]
            if service == "EC2" and region in HOME_REGIONS and ":" not in cidr:
                _EC2_BLOCKS.append(ipaddress.IPv4Network(cidr))
    block = _EC2_BLOCKS[n % len(_EC2_BLOCKS)]
    return str(block[t.rng.randrange(1, max(2, block.num_addresses - 1))])


class Machine:
    """A role that works on its own: Lambda, an instance, a batch job."""

    def __init__(self, t: Trail, kind: str, n: int) -> None:
        self.kind = kind
        self.role = f"{kind}-{n:03d}-role"
        self.role_id = "AROA" + t.key("")[:17]
        self.ip = ec2_address(t, n)
        self.bucket = f"acme-{kind}-{n:03d}"
        self.session = f"i-{t.hex(17)}" if kind == "instance" else f"{kind}-{n:03d}"


def working_moments(t: Trail, day: datetime, person: Person, calls: int) -> list[datetime]:
    weekend = day.weekday() >= 5
    if weekend and t.rng.random() > 0.1:
        return []
    start = 8 - person.offset + t.rng.uniform(0, 2)
    length = 8 if not weekend else 1.5
    return sorted(day + timedelta(hours=start + t.rng.uniform(0, length)) for _ in range(calls))


def person_day(t: Trail, day: datetime, index: int, person: Person) -> None:
    if index < person.joins:
        return
    if person.travel is None and t.rng.random() < 0.004:
        country, offset, net = PLACES[t.rng.randrange(len(PLACES))]
        person.travel = (index, index + t.rng.randint(2, 6),
                         NAMES.fresh(t, f"travel-{net}", lambda: f"{net}.{t.rng.randrange(256)}.{t.rng.randrange(1, 255)}"))
    if t.rng.random() < 0.01:  # the CLI updated itself
        person.ua = person.ua.replace("2.15.30", f"2.15.{31 + t.rng.randrange(9)}")
    away = person.travel and person.travel[0] <= index <= person.travel[1]
    ip = person.travel[2] if away else (person.home if t.rng.random() < 0.3 else person.office)
    for when in working_moments(t, day, person, t.rng.randint(40, 160)):
        source, name = READS[t.rng.randrange(len(READS))] if t.rng.random() < 0.85 else WRITES[t.rng.randrange(len(WRITES))]
        denied = t.rng.random() < 0.03 and name in dict(READS).values()
        error = ("AccessDenied", f"User: {person.identity['arn']} is not authorized to perform: {name}") if denied else None
        region = HOME_REGIONS[index % 2] if source not in ("iam.amazonaws.com", "sts.amazonaws.com") else "us-east-1"
        params = ({"bucketName": "acme-shared", "key": NAMES.fresh(t, "notes", lambda: f"notes/{t.hex(6)}.txt")}
                  if name == "PutObject" else None)
        t.add(when, person.identity, source, name, ip, person.ua, region=region, params=params, error=error,
              data_event=name == "PutObject")
    if t.rng.random() < 0.05:  # a secret read for a task
        t.add(day + timedelta(hours=10 - person.offset, minutes=t.rng.randrange(60)), person.identity,
              "secretsmanager.amazonaws.com", "GetSecretValue", ip, person.ua,
              params={"secretId": f"dev/{person.name}/token"})
    if person.admin and t.rng.random() < 0.03:
        admin_chores(t, day + timedelta(hours=11 - person.offset), person, ip)


def admin_chores(t: Trail, when: datetime, admin: Person, ip: str) -> None:
    joiner = NAMES.fresh(t, "joiner", lambda: f"dev-new-{t.hex(4)}")
    t.add(when, admin.identity, "iam.amazonaws.com", "CreateUser", ip, admin.ua, params={"userName": joiner},
          response={"user": {"userName": joiner, "arn": f"arn:aws:iam::{ACCOUNT}:user/{joiner}"}})
    t.add(when + timedelta(seconds=20), admin.identity, "iam.amazonaws.com", "AttachUserPolicy", ip, admin.ua,
          params={"userName": joiner, "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
    # The quarterly rotation of a service user's key: a new one, then the old one goes.
    t.add(when + timedelta(minutes=5), admin.identity, "iam.amazonaws.com", "CreateAccessKey", ip, admin.ua,
          params={"userName": "svc-reporting"},
          response={"accessKey": {"accessKeyId": NAMES.fresh(t, "svc-key", lambda: t.key("AKIA")), "status": "Active"}})
    t.add(when + timedelta(minutes=9), admin.identity, "iam.amazonaws.com", "DeleteAccessKey", ip, admin.ua,
          params={"userName": "svc-reporting", "accessKeyId": NAMES.fresh(t, "svc-key", lambda: t.key("AKIA"))})


def sso_day(t: Trail, day: datetime, n: int) -> None:
    if day.weekday() >= 5:
        return
    email = f"user{n:04d}@example.com"
    start = day + timedelta(hours=8 + n % 3, minutes=t.rng.randrange(60))
    session = role_session(f"AWSReservedSSO_PowerUser_{n % 7:04x}a1b2c3d4", email,
                           NAMES.fresh(t, f"sso-key-{n}", lambda: t.key("ASIA")),
                           NAMES.fresh(t, f"sso-role-{n}", lambda: "AROA" + t.key("")[:17]), start, mfa=True)
    ip = f"203.0.113.{1 + n % 250}"
    t.add(start, session, "signin.amazonaws.com", "ConsoleLogin", ip, CONSOLE_UA, event_type="AwsConsoleSignIn",
          response={"ConsoleLogin": "Success"}, additional={"MFAUsed": "Yes", "MobileVersion": "No"})
    for _ in range(t.rng.randint(20, 60)):
        source, name = READS[t.rng.randrange(len(READS))]
        t.add(start + timedelta(minutes=t.rng.uniform(1, 240)), session, source, name, ip, CONSOLE_UA,
              region=HOME_REGIONS[n % 2])


def ci_day(t: Trail, day: datetime, n: int) -> None:
    if day.weekday() >= 5:
        return
    for _ in range(t.rng.randint(2, 8)):  # pushes
        at = day + timedelta(hours=t.rng.uniform(13, 22), seconds=t.rng.randrange(60))
        run = NAMES.fresh(t, f"ci-run-{n}", lambda: f"GitHubActions-{t.rng.randrange(10**9)}")
        role = f"ci-deploy-{n:03d}"
        key = NAMES.fresh(t, f"ci-key-{n}", lambda: t.key("ASIA"))
        ip = NAMES.fresh(t, f"ci-ip-{n}", lambda: f"20.{40 + n % 80}.{t.rng.randrange(256)}.{t.rng.randrange(1, 255)}")
        token = {"type": "WebIdentityUser", "principalId": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/app-{n}:ref:refs/heads/main",
                 "userName": f"repo:acme/app-{n}:ref:refs/heads/main",
                 "identityProvider": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"}
        t.add(at, token, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", ip, GITHUB_UA,
              params={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "roleSessionName": run},
              response={"credentials": {"accessKeyId": key},
                        "assumedRoleUser": {"arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{run}"}})
        session = role_session(role, run, key, NAMES.fresh(t, f"ci-role-{n}", lambda: "AROA" + t.key("")[:17]), at)
        for k in range(t.rng.randint(10, 40)):
            source, name = [("s3.amazonaws.com", "PutObject"), ("cloudformation.amazonaws.com", "DescribeStacks"),
                            ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"),
                            ("ecr.amazonaws.com", "GetAuthorizationToken")][k % 4]
            params = {"bucketName": f"acme-artifacts-{n:03d}", "key": f"build/{run}.zip"} if name == "PutObject" else None
            t.add(at + timedelta(seconds=5 + 3 * k), session, source, name, ip, GITHUB_UA, region=HOME_REGIONS[n % 2],
                  params=params, data_event=name == "PutObject")


def machine_day(t: Trail, day: datetime, m: Machine) -> None:
    created = day
    session = role_session(m.role, m.session, NAMES.fresh(t, f"key-{m.role}", lambda: t.key("ASIA")), m.role_id, created,
                           ec2=m.kind == "instance")
    if m.kind == "batch":  # nightly
        hours = [1 + t.rng.random() for _ in range(t.rng.randint(40, 120))]
    else:
        hours = [t.rng.uniform(0, 24) for _ in range(t.rng.randint(30, 150))]
    for h in sorted(hours):
        when = day + timedelta(hours=h)
        if m.kind == "instance" and t.rng.random() < 0.2:
            t.add(when, session, "ssm.amazonaws.com", "UpdateInstanceInformation", m.ip,
                  "aws-sdk-go/1.50.0 (go1.21.6; linux; amd64) amazon-ssm-agent/3.2.2086.0", region=HOME_REGIONS[0],
                  params={"instanceId": m.session, "agentStatus": "Active"})
            continue
        name = "GetObject" if t.rng.random() < 0.6 else "PutObject"
        key = NAMES.fresh(t, f"data-{m.bucket}", lambda: f"data/{day:%Y/%m/%d}/part-{t.rng.randrange(500):05d}.parquet")
        t.add(when, session, "s3.amazonaws.com", name, m.ip, BOTO_UA, region=HOME_REGIONS[0],
              params={"bucketName": m.bucket, "key": key}, data_event=True, resources=bucket_arn(m.bucket, key))
    if m.kind == "batch":
        t.add(day + timedelta(hours=2, minutes=30), session, "athena.amazonaws.com", "StartQueryExecution", m.ip,
              BOTO_UA, region=HOME_REGIONS[0], params={"workGroup": "nightly"})


def services_day(t: Trail, day: datetime) -> None:
    for hour in range(24):
        t.add(day + timedelta(hours=hour, minutes=t.rng.randrange(60)), service("config.amazonaws.com"),
              "config.amazonaws.com", "PutEvaluations", "config.amazonaws.com", "config.amazonaws.com",
              region=HOME_REGIONS[0], event_type="AwsServiceEvent" if hour % 2 else "AwsApiCall")


def population(t: Trail, identities: int, days: int) -> tuple[list[Person], int, int, list[Machine]]:
    people = max(1, identities * 45 // 100)
    sso = identities * 15 // 100
    ci = max(1, identities * 5 // 100)
    machines = identities - people - sso - ci
    crew = [Person(t, n, joins=t.rng.randrange(days) if n % 40 == 39 else 0) for n in range(people)]
    kinds = ["lambda", "instance", "batch"]
    return crew, sso, ci, [Machine(t, kinds[n % 3], n) for n in range(max(0, machines))]


class Parts:
    """Lines into numbered gzip files of a fixed number of records each."""

    def __init__(self, directory: Path, per_file: int):
        directory.mkdir(parents=True, exist_ok=True)
        self.directory, self.per_file, self.count, self.index, self.file = directory, per_file, 0, 0, None

    def write(self, line: str) -> None:
        if self.file is None or self.count == self.per_file:
            self.close()
            self.index += 1
            self.file = gzip.open(self.directory / f"part-{self.index:05d}.jsonl.gz", "wt", encoding="utf-8",
                                  compresslevel=1)
            self.count = 0
        self.file.write(line)
        self.count += 1

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2026-03-01")
    parser.add_argument("--out", help="FILE.ndjson or FILE.ndjson.gz (default: standard output)")
    parser.add_argument("--out-dir", help="gzip NDJSON files of --per-file records each, in event-time order, "
                                          "as a delivery directory is read (bounded memory on both sides)")
    parser.add_argument("--per-file", type=int, default=20_000)
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many records (0: no limit)")
    parser.add_argument("--steady", type=int, default=0, metavar="N",
                        help="draw every name that would be new from a pool of N per kind (0: names grow)")
    args = parser.parse_args()
    NAMES.steady = args.steady
    if args.out and args.out_dir:
        parser.error("--out and --out-dir: one or the other")
    t = Trail(args.seed)
    crew, sso, ci, machines = population(t, args.identities, args.days)
    start = datetime.fromisoformat(args.start).replace(tzinfo=timezone.utc)
    out = (Parts(Path(args.out_dir), args.per_file) if args.out_dir
           else gzip.open(args.out, "wt", encoding="utf-8") if args.out and args.out.endswith(".gz")
           else open(args.out, "w", encoding="utf-8") if args.out else sys.stdout)
    total = 0
    later: list[dict] = []  # calls of a day that fall after its midnight (people west of UTC)
    for index in range(args.days):
        day = start + timedelta(days=index)
        t.events = later
        for person in crew:
            person_day(t, day, index, person)
        for n in range(sso):
            sso_day(t, day, n)
        for n in range(ci):
            ci_day(t, day, n)
        for m in machines:
            machine_day(t, day, m)
        services_day(t, day)
        t.events.sort(key=lambda r: r["eventTime"])
        cut = (day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ") if index + 1 < args.days else "~"
        later = [r for r in t.events if r["eventTime"] >= cut]
        for record in t.events:
            if record["eventTime"] < cut and (not args.max_records or total < args.max_records):
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
                total += 1
        if args.max_records and total >= args.max_records:
            break
    if out is not sys.stdout:
        out.close()
    print(f"benign_month: {total} records, {args.identities} identities, {args.days} days", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
