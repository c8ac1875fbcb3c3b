#!/usr/bin/env python3
"""Writes the bundled sample trace: one day of CloudTrail for a small AWS
account, delivered as gzip S3 files, in which a realistic compromise hides
among benign activity.

The story (all times UTC, 2026-03-01):
  08:00-18:00  benign: developers (alice, bob) from the office, a CI role
               assumed through GitHub OIDC, a Lambda function's role, the web
               app's EC2 instance role from its instance, AWS services.
  13:02        the web app's instance-role credentials, stolen through an SSRF
               to the metadata service, are used from 185.220.101.45.
  13:10        the attacker reads the Lambda functions and finds ops-admin's
               access key in an environment variable.
  13:20        ops-admin's key enumerates the account across services and
               regions (many AccessDenied).
  13:35        SES and Secrets Manager probing; a secret is read.
  13:42        CloudTrail logging is stopped on the management trail.
  13:45        a bucket policy opens acme-finance-reports to account 999988887777.
  13:50        that account downloads the reports (S3 data events).
  13:38        through ops-admin's key, a session of the break-glass role; a secret read with it.
  14:10        a backdoor user with an access key and AdministratorAccess.

Deterministic: the same seed writes the same bytes. Standard library only.
Usage: generate_sample.py [--out DIR] [--seed N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ACCOUNT = "111122223333"
ATTACKER_ACCOUNT = "999988887777"
DAY = datetime(2026, 3, 1, tzinfo=timezone.utc)
OFFICE_IPS = ["198.51.100.10", "198.51.100.11", "198.51.100.14"]
INSTANCE_IP = "54.210.33.17"
INSTANCE_ID = "i-0a1b2c3d4e5f67890"
GITHUB_IPS = ["140.82.112.21", "140.82.112.36"]
LAMBDA_IP = "3.91.171.4"
ATTACKER_IPS = ["185.220.101.45", "45.137.21.9"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1"]

CLI_UA = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.3.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#{cmd}"
CONSOLE_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"
BOTO_UA = "Boto3/1.34.49 md/Botocore#1.34.49 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.49"
SDK_JS_UA = "aws-sdk-js/3.525.0 ua/2.0 os/linux#5.10.209 lang/js md/nodejs#20.11.1 api/s3#3.525.0"
GITHUB_UA = "aws-cli/2.15.21 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1015-azure md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython exec-env/GitHubActions"
ATTACKER_UA = "aws-cli/2.13.0 Python/3.11.4 Linux/6.1.0-kali9-amd64 exe/x86_64.kali.2023 prompt/off"
PACU_UA = "Boto3/1.28.57 Python/3.11.6 Linux/6.1.0-kali9-amd64 Botocore/1.31.57"


class Trail:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.events: list[dict] = []
        self.redeliver: list[dict] = []

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def key(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, when: datetime, identity: dict, source: str, name: str, ip: str, ua: str, *,
            region: str = "us-east-1", params: dict | None = None, response: dict | None = None,
            error: tuple[str, str] | None = None, read_only: bool | None = None, data_event: bool = False,
            resources: list[dict] | None = None, event_type: str = "AwsApiCall",
            additional: dict | None = None) -> dict:
        if read_only is None:
            read_only = name.startswith(("Get", "List", "Describe", "Head", "Lookup"))
        record = {
            "eventVersion": "1.09" if not data_event else "1.08",
            "userIdentity": identity,
            "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": ip,
            "userAgent": ua,
        }
        if error:
            record["errorCode"], record["errorMessage"] = error
        record["requestParameters"] = params
        record["responseElements"] = None if error else response
        if additional:
            record["additionalEventData"] = additional
        record["requestID"] = self.uuid() if not source.startswith("s3") else self.hex(16).upper()
        record["eventID"] = self.uuid()
        record["readOnly"] = read_only
        if resources:
            record["resources"] = resources
        record["eventType"] = event_type
        record["managementEvent"] = not data_event
        record["recipientAccountId"] = ACCOUNT
        record["eventCategory"] = "Data" if data_event else "Management"
        if event_type == "AwsApiCall" and not ip.endswith("amazonaws.com"):
            host = source if source != "s3.amazonaws.com" else f"{(params or {}).get('bucketName', 's3')}.s3.amazonaws.com"
            record["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                    "clientProvidedHostHeader": host.replace("amazonaws.com", f"{region}.amazonaws.com")
                                    if source != "iam.amazonaws.com" else source}
        self.events.append(record)
        return record


def iam_user(trail: Trail, name: str, key: str, principal: str) -> dict:
    return {"type": "IAMUser", "principalId": principal, "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "accessKeyId": key, "userName": name}


def role_session(role: str, session: str, key: str, role_id: str, created: datetime, *, mfa: bool = False,
                 ec2: bool = False, source_identity: str | None = None, invoked_by: str | None = None) -> dict:
    context = {
        "sessionIssuer": {"type": "Role", "principalId": role_id, "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                          "accountId": ACCOUNT, "userName": role},
        "attributes": {"creationDate": created.strftime("%Y-%m-%dT%H:%M:%SZ"), "mfaAuthenticated": str(mfa).lower()},
    }
    if ec2:
        context["ec2RoleDelivery"] = "2.0"
    if source_identity:
        context["sourceIdentity"] = source_identity
    identity = {"type": "AssumedRole", "principalId": f"{role_id}:{session}",
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
                "accessKeyId": key, "sessionContext": context}
    if invoked_by:
        identity["invokedBy"] = invoked_by
    return identity


def service(name: str) -> dict:
    return {"type": "AWSService", "invokedBy": name}


def bucket_arn(bucket: str, key: str | None = None) -> list[dict]:
    res = [{"type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}", "accountId": ACCOUNT}]
    if key:
        res.insert(0, {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
    return res


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return DAY + timedelta(hours=hour, minutes=minute, seconds=second)


def benign(t: Trail) -> dict:
    rng = t.rng
    alice_key, bob_key = t.key("AKIA"), t.key("AKIA")
    admin_key = t.key("AKIA")
    alice = iam_user(t, "alice", alice_key, "AIDA" + t.key("")[:17])
    bob = iam_user(t, "bob", bob_key, "AIDA" + t.key("")[:17])
    admin = iam_user(t, "ops-admin", admin_key, "AIDA" + t.key("")[:17])
    alice_console = dict(alice, accessKeyId=t.key("ASIA"))
    alice_console["sessionContext"] = {"attributes": {"creationDate": at(8, 55).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                      "mfaAuthenticated": "true"}}

    # Console sign-in.
    t.add(at(8, 55), {k: v for k, v in alice.items() if k != "accessKeyId"}, "signin.amazonaws.com", "ConsoleLogin",
          OFFICE_IPS[0], CONSOLE_UA, response={"ConsoleLogin": "Success"}, read_only=False,
          event_type="AwsConsoleSignIn",
          additional={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "Yes"})

    # The web app's instance role: credentials delivered by EC2, used from the instance.
    inst_role_id = "AROA" + t.key("")[:17]
    inst_created = at(7, 48)
    inst_key = t.key("ASIA")
    inst = role_session("webapp-ec2-role", INSTANCE_ID, inst_key, inst_role_id, inst_created, ec2=True)
    t.add(at(7, 48), service("ec2.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", "ec2.amazonaws.com",
          "ec2.amazonaws.com", params={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/webapp-ec2-role",
                                       "roleSessionName": INSTANCE_ID},
          response={"credentials": {"accessKeyId": inst_key, "sessionToken": "IQoJb3JpZ2luX2VjE" + t.hex(40),
                                    "expiration": "Mar 1, 2026, 2:12:11 PM"}},
          resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCOUNT}:role/webapp-ec2-role"}],
          event_type="AwsServiceEvent", read_only=True)
    minute = 0
    while minute < 600:
        when = at(8, 0) + timedelta(minutes=minute, seconds=rng.randint(0, 59))
        obj = f"static/img/{rng.choice(['logo', 'hero', 'banner', 'avatar'])}-{rng.randint(1, 40)}.png"
        t.add(when, inst, "s3.amazonaws.com", "GetObject", INSTANCE_IP, SDK_JS_UA, data_event=True,
              params={"bucketName": "acme-webapp-assets", "key": obj, "Host": "acme-webapp-assets.s3.us-east-1.amazonaws.com"},
              resources=bucket_arn("acme-webapp-assets", obj), additional={"bytesTransferredIn": 0, "bytesTransferredOut": rng.randint(2000, 90000)})
        if minute % 5 == 0:
            t.add(when + timedelta(seconds=2), inst, "monitoring.amazonaws.com", "PutMetricData", INSTANCE_IP, SDK_JS_UA,
                  params={"namespace": "Webapp", "metricData": [{"metricName": "Latency"}]})
        if minute % 15 == 0:
            t.add(when + timedelta(seconds=4), inst, "ssm.amazonaws.com", "GetParameter", INSTANCE_IP, SDK_JS_UA,
                  params={"name": "/webapp/prod/feature-flags", "withDecryption": False})
            t.add(when + timedelta(seconds=5), inst, "secretsmanager.amazonaws.com", "GetSecretValue", INSTANCE_IP, SDK_JS_UA,
                  params={"secretId": "prod/webapp/api-token"})
        minute += rng.choice([1, 2, 3])

    # Developers from the office.
    dev_calls = [("ec2.amazonaws.com", "DescribeInstances", {"maxResults": 100}),
                 ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}),
                 ("logs.amazonaws.com", "FilterLogEvents", {"logGroupName": "/aws/lambda/report-fn"}),
                 ("lambda.amazonaws.com", "ListFunctions20150331", {"functionVersion": "ALL"}),
                 ("cloudformation.amazonaws.com", "DescribeStacks", {"stackName": "webapp"}),
                 ("dynamodb.amazonaws.com", "DescribeTable", {"tableName": "orders"}),
                 ("monitoring.amazonaws.com", "GetMetricData", {"startTime": "Mar 1, 2026"}),
                 ("ecr.amazonaws.com", "DescribeRepositories", None)]
    for user, ident, count, ua in [("alice", alice_console, 260, CONSOLE_UA), ("bob", bob, 180, CLI_UA)]:
        for _ in range(count):
            when = at(9, 0) + timedelta(seconds=rng.randint(0, 8 * 3600))
            source, name, params = rng.choice(dev_calls)
            error = ("AccessDenied", f"User: {ident['arn']} is not authorized to perform: {name}") if rng.random() < 0.02 else None
            t.add(when, ident, source, name, rng.choice(OFFICE_IPS), ua.format(cmd=name.lower()), params=params,
                  region=rng.choice(REGIONS[:2]), error=error)
    # bob reads analytics data.
    for i in range(80):
        when = at(10, 0) + timedelta(seconds=rng.randint(0, 5 * 3600))
        obj = f"daily/2026-02-{rng.randint(1, 28):02d}.parquet"
        t.add(when, bob, "s3.amazonaws.com", "GetObject", OFFICE_IPS[1], CLI_UA.format(cmd="s3.cp"), data_event=True,
              params={"bucketName": "acme-analytics", "key": obj}, resources=bucket_arn("acme-analytics", obj))

    # CI: GitHub Actions assumes a deploy role through OIDC, then deploys.
    ci_role_id = "AROA" + t.key("")[:17]
    for run in range(6):
        start = at(9, 30) + timedelta(minutes=run * 75 + rng.randint(0, 20))
        session = f"GitHubActions-{rng.randint(10**9, 10**10)}"
        ci_key = t.key("ASIA")
        t.add(start, {"type": "WebIdentityUser", "principalId": "arn:aws:iam::" + ACCOUNT +
                      ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/webapp:ref:refs/heads/main",
                      "userName": "repo:acme/webapp:ref:refs/heads/main",
                      "identityProvider": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
              "sts.amazonaws.com", "AssumeRoleWithWebIdentity", rng.choice(GITHUB_IPS), GITHUB_UA,
              params={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/ci-deploy-role", "roleSessionName": session},
              response={"credentials": {"accessKeyId": ci_key, "expiration": "Mar 1, 2026, 6:00:00 PM"},
                        "assumedRoleUser": {"assumedRoleId": f"{ci_role_id}:{session}",
                                            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/ci-deploy-role/{session}"},
                        "provider": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
                        "audience": "sts.amazonaws.com"},
              resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCOUNT}:role/ci-deploy-role"}],
              read_only=True)
        ci = role_session("ci-deploy-role", session, ci_key, ci_role_id, start)
        ip = rng.choice(GITHUB_IPS)
        for step, (source, name, params) in enumerate([
                ("sts.amazonaws.com", "GetCallerIdentity", None),
                ("s3.amazonaws.com", "PutObject", {"bucketName": "acme-deploy-artifacts", "key": f"webapp/{t.hex(12)}.zip"}),
                ("cloudformation.amazonaws.com", "DescribeStacks", {"stackName": "webapp"}),
                ("cloudformation.amazonaws.com", "UpdateStack", {"stackName": "webapp"}),
                ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", {"functionName": "report-fn"}),
                ("cloudformation.amazonaws.com", "DescribeStackEvents", {"stackName": "webapp"})]):
            data = source == "s3.amazonaws.com"
            t.add(start + timedelta(seconds=20 + step * 17), ci, source, name, ip, GITHUB_UA, params=params,
                  data_event=data, resources=bucket_arn("acme-deploy-artifacts", params["key"]) if data else None)

    # A scheduled Lambda function: its role session, assumed by the Lambda service.
    fn_role_id = "AROA" + t.key("")[:17]
    for hour in range(8, 18):
        fn_key = t.key("ASIA")
        when = at(hour, 0, 3)
        t.add(when, service("lambda.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", "lambda.amazonaws.com",
              "lambda.amazonaws.com", params={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/report-fn-role",
                                              "roleSessionName": "report-fn"},
              response={"credentials": {"accessKeyId": fn_key}}, event_type="AwsServiceEvent", read_only=True,
              resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{ACCOUNT}:role/report-fn-role"}])
        fn = role_session("report-fn-role", "report-fn", fn_key, fn_role_id, when)
        for i in range(6):
            obj = f"reports/{hour:02d}/part-{i}.csv"
            t.add(when + timedelta(seconds=5 + i * 3), fn, "s3.amazonaws.com", "PutObject", LAMBDA_IP, BOTO_UA,
                  data_event=True, params={"bucketName": "acme-finance-reports", "key": obj},
                  resources=bucket_arn("acme-finance-reports", obj))
        t.add(when + timedelta(seconds=30), fn, "dynamodb.amazonaws.com", "Query", LAMBDA_IP, BOTO_UA,
              params={"tableName": "orders"}, read_only=True)

    # ops-admin's key, pasted into a Lambda function's environment, runs a nightly-ish job from Lambda.
    for hour in (8, 11, 14, 17):
        when = at(hour, 30)
        for i, (source, name) in enumerate([("ec2.amazonaws.com", "DescribeSnapshots"), ("ec2.amazonaws.com", "CreateSnapshot"),
                                            ("ec2.amazonaws.com", "DeleteSnapshot")]):
            t.add(when + timedelta(seconds=i * 4), admin, source, name, LAMBDA_IP, BOTO_UA,
                  params={"volumeId": "vol-0d1e2f3a4b5c6d7e8"})

    # Config and CloudTrail's own service activity.
    for hour in range(8, 18):
        t.add(at(hour, 12), service("config.amazonaws.com"), "ec2.amazonaws.com", "DescribeInstances", "config.amazonaws.com",
              "config.amazonaws.com", params={"instancesSet": {}}, event_type="AwsApiCall")

    return {"inst": inst, "admin": admin, "admin_key": admin_key}


def attack(t: Trail, known: dict) -> None:
    rng = t.rng
    inst, admin = known["inst"], known["admin"]
    a1, a2 = ATTACKER_IPS

    # 13:02 stolen instance-role credentials used from outside.
    steps = [("sts.amazonaws.com", "GetCallerIdentity", None, None),
             ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}, None),
             ("iam.amazonaws.com", "ListUsers", None, "AccessDenied"),
             ("iam.amazonaws.com", "ListRoles", None, "AccessDenied"),
             ("lambda.amazonaws.com", "ListFunctions20150331", {"functionVersion": "ALL"}, None),
             ("lambda.amazonaws.com", "GetFunction20150331v2", {"functionName": "snapshot-janitor"}, None),
             ("lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", {"functionName": "snapshot-janitor"}, None)]
    when = at(13, 2)
    for source, name, params, err in steps:
        error = (err, f"User: {inst['arn']} is not authorized to perform: iam:{name} on resource: arn:aws:iam::{ACCOUNT}:user/") if err else None
        t.add(when, inst, source, name, a1, ATTACKER_UA, params=params, error=error)
        when += timedelta(seconds=rng.randint(8, 40))
    for region in REGIONS:
        t.add(when, inst, "ec2.amazonaws.com", "DescribeInstances", a1, ATTACKER_UA, region=region,
              error=None if region == "us-east-1" else ("UnauthorizedOperation", "You are not authorized to perform this operation."))
        when += timedelta(seconds=rng.randint(2, 6))

    # 13:20 ops-admin's key: Pacu-style enumeration across services and regions.
    when = at(13, 20)
    enum_calls = [("iam.amazonaws.com", "GetAccountAuthorizationDetails"), ("iam.amazonaws.com", "ListUsers"),
                  ("iam.amazonaws.com", "ListRoles"), ("iam.amazonaws.com", "ListPolicies"),
                  ("iam.amazonaws.com", "ListAccessKeys"), ("iam.amazonaws.com", "GetAccountSummary"),
                  ("sts.amazonaws.com", "GetCallerIdentity"), ("s3.amazonaws.com", "ListBuckets"),
                  ("s3.amazonaws.com", "GetBucketPolicy"), ("s3.amazonaws.com", "GetBucketAcl"),
                  ("kms.amazonaws.com", "ListKeys"), ("rds.amazonaws.com", "DescribeDBInstances"),
                  ("guardduty.amazonaws.com", "ListDetectors"), ("cloudtrail.amazonaws.com", "DescribeTrails"),
                  ("cloudtrail.amazonaws.com", "GetTrailStatus"), ("organizations.amazonaws.com", "DescribeOrganization"),
                  ("secretsmanager.amazonaws.com", "ListSecrets"), ("ssm.amazonaws.com", "DescribeParameters"),
                  ("dynamodb.amazonaws.com", "ListTables"), ("sns.amazonaws.com", "ListTopics"),
                  ("sqs.amazonaws.com", "ListQueues"), ("ecr.amazonaws.com", "DescribeRepositories"),
                  ("eks.amazonaws.com", "ListClusters"), ("logs.amazonaws.com", "DescribeLogGroups")]
    for source, name in enum_calls:
        error = ("AccessDenied", "You don't have permissions to access this resource.") if name == "DescribeOrganization" else None
        params = {"bucketName": "acme-finance-reports"} if name.startswith("GetBucket") else None
        t.add(when, admin, source, name, a1, PACU_UA, params=params, error=error)
        when += timedelta(seconds=rng.randint(1, 5))
    for region in REGIONS:
        for name in ("DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSnapshots"):
            error = ("UnauthorizedOperation", "You are not authorized to perform this operation.") if region in ("sa-east-1", "ap-northeast-1") and name != "DescribeVpcs" else None
            t.add(when, admin, "ec2.amazonaws.com", name, a1, PACU_UA, region=region, error=error)
            when += timedelta(seconds=rng.randint(1, 3))
        t.add(when, admin, "lambda.amazonaws.com", "ListFunctions20150331", a1, PACU_UA, region=region)
        when += timedelta(seconds=1)

    # 13:35 SES and Secrets Manager probing.
    when = at(13, 35)
    for name in ("GetSendQuota", "ListIdentities", "GetSendStatistics", "ListVerifiedEmailAddresses",
                 "GetAccountSendingEnabled", "GetAccount"):
        t.add(when, admin, "ses.amazonaws.com", name, a2, ATTACKER_UA, params=None)
        when += timedelta(seconds=rng.randint(5, 20))
    t.add(when, admin, "secretsmanager.amazonaws.com", "ListSecrets", a2, ATTACKER_UA)
    when += timedelta(seconds=12)
    t.add(when, admin, "secretsmanager.amazonaws.com", "GetSecretValue", a2, ATTACKER_UA,
          params={"secretId": "prod/db/master-password"},
          resources=None)

    # 13:42 defense evasion.
    t.add(at(13, 42, 7), admin, "cloudtrail.amazonaws.com", "StopLogging", a2, ATTACKER_UA,
          params={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"},
          resources=[{"accountId": ACCOUNT, "type": "AWS::CloudTrail::Trail",
                      "ARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management-events"}])

    # 13:45 the bucket policy opened to the attacker's account.
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "Replication", "Effect": "Allow",
              "Principal": {"AWS": f"arn:aws:iam::{ATTACKER_ACCOUNT}:root"}, "Action": ["s3:GetObject", "s3:ListBucket"],
              "Resource": ["arn:aws:s3:::acme-finance-reports", "arn:aws:s3:::acme-finance-reports/*"]}]}
    t.add(at(13, 45, 31), admin, "s3.amazonaws.com", "PutBucketPolicy", a2, ATTACKER_UA,
          params={"bucketName": "acme-finance-reports", "bucketPolicy": policy, "policy": [""], "Host": "acme-finance-reports.s3.amazonaws.com"},
          resources=bucket_arn("acme-finance-reports"))

    # 13:50 exfiltration by the attacker's account through the new policy.
    outsider = {"type": "AWSAccount", "principalId": "AIDA" + t.key("")[:17], "accountId": ATTACKER_ACCOUNT}
    when = at(13, 50)
    t.add(when, outsider, "s3.amazonaws.com", "ListObjects", a2, ATTACKER_UA, data_event=True,
          params={"bucketName": "acme-finance-reports", "prefix": ""}, resources=bucket_arn("acme-finance-reports"))
    for hour in range(8, 18):
        for i in range(6):
            when += timedelta(seconds=rng.randint(1, 4))
            obj = f"reports/{hour:02d}/part-{i}.csv"
            t.add(when, outsider, "s3.amazonaws.com", "GetObject", a2, ATTACKER_UA, data_event=True,
                  params={"bucketName": "acme-finance-reports", "key": obj},
                  resources=bucket_arn("acme-finance-reports", obj),
                  additional={"bytesTransferredIn": 0, "bytesTransferredOut": rng.randint(2_000_000, 9_000_000)})

    # 14:10 persistence: a backdoor user with an access key and admin rights.
    backdoor_key = t.key("AKIA")
    when = at(14, 10, 4)
    t.add(when, admin, "iam.amazonaws.com", "CreateUser", a1, PACU_UA, params={"userName": "svc-backup"},
          response={"user": {"userName": "svc-backup", "arn": f"arn:aws:iam::{ACCOUNT}:user/svc-backup"}})
    t.add(when + timedelta(seconds=6), admin, "iam.amazonaws.com", "CreateAccessKey", a1, PACU_UA,
          params={"userName": "svc-backup"},
          response={"accessKey": {"accessKeyId": backdoor_key, "status": "Active", "userName": "svc-backup"}})
    t.add(when + timedelta(seconds=11), admin, "iam.amazonaws.com", "AttachUserPolicy", a1, PACU_UA,
          params={"userName": "svc-backup", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    backdoor = iam_user(t, "svc-backup", backdoor_key, "AIDA" + t.key("")[:17])
    t.add(when + timedelta(minutes=3), backdoor, "sts.amazonaws.com", "GetCallerIdentity", a2, ATTACKER_UA)

    # 13:38 the admin key assumes the break-glass role; the attacker works through that session too.
    session_key = t.key("ASIA")
    role_id = "AROA" + t.key("")[:17]
    session_name = "maint-" + t.hex(6)
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/ops-break-glass"
    when = at(13, 38, 12)
    t.add(when, admin, "sts.amazonaws.com", "AssumeRole", a2, ATTACKER_UA,
          params={"roleArn": role_arn, "roleSessionName": session_name, "durationSeconds": 3600},
          response={"credentials": {"accessKeyId": session_key, "sessionToken": "IQoJb3JpZ2luX2VjE" + t.hex(40),
                                    "expiration": "Mar 1, 2026, 2:38:12 PM"},
                    "assumedRoleUser": {"assumedRoleId": f"{role_id}:{session_name}",
                                        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/ops-break-glass/{session_name}"}},
          resources=[{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": role_arn}], read_only=True)
    session = role_session("ops-break-glass", session_name, session_key, role_id, when)
    for offset, (source, name, params) in enumerate([
            ("sts.amazonaws.com", "GetCallerIdentity", None),
            ("secretsmanager.amazonaws.com", "GetSecretValue", {"secretId": "prod/payments/stripe-key"}),
            ("s3.amazonaws.com", "GetBucketPolicy", {"bucketName": "acme-finance-reports"})]):
        t.add(when + timedelta(seconds=20 + offset * 15), session, source, name, a2, ATTACKER_UA, params=params)


def write(t: Trail, out: Path) -> int:
    """Groups events as CloudTrail delivers them: per region, 5-minute files, gzip."""
    # CloudTrail delivers at least once: a few events arrive in two files.
    candidates = [e for e in t.events if e["eventCategory"] == "Management"]
    redelivered = t.rng.sample(candidates, 3)
    files: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for e in sorted(t.events, key=lambda e: e["eventTime"]):
        when = datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
        # Delivery lags the event by a few minutes, so files overlap in event time.
        slot = when + timedelta(minutes=t.rng.choice([3, 5, 5, 7, 9]))
        slot = slot.replace(minute=slot.minute - slot.minute % 5, second=0)
        files[(e["awsRegion"], slot.strftime("%Y%m%dT%H%MZ"))].append(e)
    for e in redelivered:
        when = datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ") + timedelta(minutes=15)
        slot = when.replace(minute=when.minute - when.minute % 5, second=0)
        files[(e["awsRegion"], slot.strftime("%Y%m%dT%H%MZ"))].append(e)
    if out.exists():
        shutil.rmtree(out)
    for (region, slot), records in sorted(files.items()):
        folder = out / "AWSLogs" / ACCOUNT / "CloudTrail" / region / slot[:4] / slot[4:6] / slot[6:8]
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{ACCOUNT}_CloudTrail_{region}_{slot}_{t.hex(16)}.json.gz"
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        with open(folder / name, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(body)
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "sample")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args()
    trail = Trail(args.seed)
    known = benign(trail)
    attack(trail, known)
    n = write(trail, args.out)
    print(f"wrote {len(trail.events)} events (+3 redelivered) in {n} files under {args.out}")


if __name__ == "__main__":
    main()
