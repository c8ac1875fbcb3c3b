#!/usr/bin/env python3
"""Writes the Stratus Red Team CloudTrail samples in this directory.

The samples are realistic CloudTrail trails for each AWS technique of Stratus Red Team
(https://github.com/DataDog/stratus-red-team), as catalogued at commit
1be5f34db24882d25c052667b105e94f4ecc47ab (docs/attack-techniques/list.md; 44 AWS techniques, the
newest tag referenced being v2.36.0), plus three Bedrock techniques from outside the catalogue (the
Panther fork and the unmerged PR #689). The API calls follow each technique's
v2/internal/attacktechniques/aws/**/main.go and the events recorded in its documentation page.

    <technique>.json         the detonation with its calls allowed
    <technique>.denied.json  the technique's key call refused (the calls before it allowed; Stratus
                             stops at the refusal unless its code loops on purpose)

What identrail's rules make of each file is in expected.tsv here and in docs/stratus-coverage.md.

Usage: python3 make_samples.py [OUTPUT_DIR]   (default: the directory of this script)

Standard library only, and deterministic: ids, keys and times derive from fixed names by hashing,
so a run rewrites the committed files byte for byte.
"""
import copy
import datetime as dt
import hashlib
import json
import os
import sys
import uuid

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
ACCT = "111122223333"
REGION = "us-east-1"
NS = uuid.UUID("6f1c2a52-3c1e-4b59-9f3e-2f4f0f6c1a10")
ATTACKER_IP = "203.0.113.45"
NAT_IP = "44.204.17.90"

ALICE = {
    "type": "IAMUser", "principalId": "AIDAQEXAMPLEALICE001", "arn": f"arn:aws:iam::{ACCT}:user/alice",
    "accountId": ACCT, "accessKeyId": "AKIAQEXAMPLEALICEK01", "userName": "alice",
}


def uid(*parts):
    """A deterministic id shaped like the random (version 4) UUIDs AWS and Stratus write."""
    digest = hashlib.sha256((str(NS) + "/" + "/".join(str(p) for p in parts)).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def hexid(n, *parts):
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:n]


def stratus_ua(tech):
    return "stratus-red-team_" + uid("ua", tech)


def go_ua(service, tech):
    return (f"aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.2 md/GOOS#linux md/GOARCH#amd64 "
            f"api/{service}#1.40.1 exec-env/stratus-red-team_{uid('ua', tech)} m/E")


def assumed(role, session, key):
    return {
        "type": "AssumedRole", "principalId": f"AROAQEXAMPLE{hexid(8, role).upper()}:{session}",
        "arn": f"arn:aws:sts::{ACCT}:assumed-role/{role}/{session}", "accountId": ACCT, "accessKeyId": key,
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": f"AROAQEXAMPLE{hexid(8, role).upper()}",
                              "arn": f"arn:aws:iam::{ACCT}:role/{role}", "accountId": ACCT, "userName": role},
            "attributes": {"creationDate": "2026-03-10T09:00:00Z", "mfaAuthenticated": "false"},
        },
    }


def instance_identity(role, instance_id, created):
    ident = assumed(role, instance_id, "ASIAQEXAMPLEINST" + hexid(4, instance_id).upper())
    ident["sessionContext"]["attributes"]["creationDate"] = created
    ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
    return ident


HOSTS = {"ec2-instance-connect": "ec2-instance-connect.{r}.amazonaws.com", "iam": "iam.amazonaws.com",
         "s3": "{b}.s3.{r}.amazonaws.com", "signin": "signin.aws.amazon.com", "sts": "sts.{r}.amazonaws.com",
         "organizations": "organizations.us-east-1.amazonaws.com", "bedrock": "bedrock.{r}.amazonaws.com"}


class Trail:
    def __init__(self, tech, start):
        self.tech = tech
        self.t = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
        self.records = []

    def at(self, seconds):
        self.t += dt.timedelta(seconds=seconds)
        return self

    def add(self, source, name, *, who=ALICE, req=None, resp=None, ro=False, ua=None, ip=ATTACKER_IP,
            region=REGION, category="Management", extra=None, step=1, bucket=None):
        n = len(self.records)
        svc = source.split(".")[0]
        host = HOSTS.get(svc, svc + ".{r}.amazonaws.com").format(r=region, b=bucket or "")
        rec = {
            "eventVersion": "1.11" if svc == "bedrock" else ("1.10" if category == "Data" else "1.09"),
            "userIdentity": copy.deepcopy(who),
            "eventTime": self.t.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": ip,
            "userAgent": ua or stratus_ua(self.tech),
            "requestParameters": req,
            "responseElements": resp,
            "requestID": uid("req", self.tech, n).upper() if svc == "s3" else uid("req", self.tech, n),
            "eventID": uid("evt", self.tech, n),
            "readOnly": ro,
            "eventType": "AwsApiCall",
            "managementEvent": category == "Management",
            "recipientAccountId": ACCT,
            "eventCategory": category,
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": host},
        }
        if extra:
            rec.update(copy.deepcopy(extra))
        self.records.append(rec)
        self.at(step)
        return rec

    def deny(self, rec, code, action, resource=None):
        """Turn a record into its refused form, with the message the service writes."""
        arn = rec["userIdentity"].get("arn", "")
        on = f" on resource: {resource}" if resource else ""
        because = f" because no identity-based policy allows the {action} action"
        if code == "Client.UnauthorizedOperation":
            msg = (f"You are not authorized to perform this operation. User: {arn} is not authorized to perform: "
                   f"{action}{on}{because}. Encoded authorization failure message: "
                   f"{hexid(48, 'enc', rec['eventID'])}")
        elif rec["eventSource"] == "s3.amazonaws.com":
            msg = "Access Denied"
        elif code == "AccessDeniedException" and rec["eventSource"] == "bedrock.amazonaws.com" and "Invoke" in rec["eventName"]:
            msg = "You don't have access to the model with the specified model ID."
        else:
            msg = f"User: {arn} is not authorized to perform: {action}{on}{because}"
        rec["errorCode"] = code
        rec["errorMessage"] = msg
        rec["responseElements"] = None
        return rec

    def write(self, suffix=""):
        os.makedirs(OUT, exist_ok=True)
        path = os.path.join(OUT, f"{self.tech}{suffix}.json")
        with open(path, "w") as f:
            f.write('{"Records": [\n')
            f.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in self.records))
            f.write("\n]}\n")
        return path


# ---------------------------------------------------------------- helpers for repeated shapes
def assume_role(tr, role, session, key):
    role_arn = f"arn:aws:iam::{ACCT}:role/{role}"
    tr.add("sts.amazonaws.com", "AssumeRole", ro=True,
           req={"roleArn": role_arn, "roleSessionName": session},
           resp={"credentials": {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE" + hexid(40, key),
                                 "expiration": "Mar 10, 2026, 3:00:00 PM"},
                 "assumedRoleUser": {"assumedRoleId": f"AROAQEXAMPLE{hexid(8, role).upper()}:{session}",
                                     "arn": f"arn:aws:sts::{ACCT}:assumed-role/{role}/{session}"}},
           extra={"resources": [{"ARN": role_arn, "accountId": ACCT, "type": "AWS::IAM::Role"}],
                  "sharedEventID": uid("shared", tr.tech, session)})
    return assumed(role, session, key)


def s3_extra(bucket, key=None, data=False, size_in=0, size_out=0):
    res = [{"type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}", "accountId": ACCT}]
    if key is not None:
        res.insert(0, {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
    return {"resources": res,
            "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                    "bytesTransferredIn": size_in, "AuthenticationMethod": "AuthHeader",
                                    "x-amz-id-2": "EXAMPLE" + hexid(48, bucket, key), "bytesTransferredOut": size_out}}


WORDS = ["liable", "donated", "mayday", "blooper", "pueblo", "tantrum", "scary", "secret", "secluded", "babied",
         "ignition", "unfasten", "affirm", "margarine", "credit", "underage", "june", "licking", "approve",
         "overbite", "ditto", "pavilion", "chewy", "drivable", "favorable", "kitchen", "wriggly", "shape",
         "resistant", "unless", "backlight", "cruelty", "empower", "freewill", "passage", "net", "retrial", "hulk",
         "drizzly", "ambitious", "banknote", "calm", "these", "outlet", "survivor", "silenced", "fantasy",
         "flogging", "aeration", "balsamic", "antivirus"]
EXTS = ["sql", "txt", "docx", "pdf", "png", "tar.gz"]
SEPS = [" ", "-", "_"]
RANSOM_KEYS = [f"{WORDS[i]}{SEPS[i % 3]}{WORDS[(i * 7 + 3) % 51]}.{EXTS[i % 6]}" for i in range(51)]


def ransom_prelude(tr, bucket):
    """utils.DownloadAllObjects: list the bucket, download every object."""
    tr.add("s3.amazonaws.com", "ListObjectsV2", ro=True, category="Data", bucket=bucket,
           req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "list-type": "2"},
           extra=s3_extra(bucket, size_out=9312))
    for i, key in enumerate(RANSOM_KEYS):
        tr.add("s3.amazonaws.com", "GetObject", ro=True, category="Data", bucket=bucket,
               req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "key": key,
                    "x-id": "GetObject"},
               extra=s3_extra(bucket, key, size_out=2 * (1 + (i * 37) % 200)))
    tr.add("s3.amazonaws.com", "ListObjectVersions", ro=True, category="Data", bucket=bucket,
           req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "versions": ""},
           extra=s3_extra(bucket, size_out=15870))


def ransom_note(tr, bucket):
    tr.add("s3.amazonaws.com", "PutObject", category="Data", bucket=bucket,
           req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "key": "FILES-DELETED.txt",
                "x-id": "PutObject"},
           resp={"x-amz-server-side-encryption": "AES256",
                 "x-amz-version-id": hexid(32, "note", bucket)},
           extra=s3_extra(bucket, "FILES-DELETED.txt", size_in=237))


# ---------------------------------------------------------------- the catalogue
T = {}


def technique(fn):
    T[fn.__name__] = fn
    return fn


def stop(tr):
    """Stratus returns on the first error: nothing after the refusal."""
    return tr


@technique
def credential_access__ec2_get_password_data(denied):
    tech = "aws.credential-access.ec2-get-password-data"
    tr = Trail(tech, "2026-03-10T09:00:04Z")
    role = assume_role(tr, "stratus-red-team-ec2-get-password-data-role", "aws-go-sdk-1773133204115152000",
                       "ASIAQEXAMPLEGPDROLE1")
    tr.at(5)
    n = 30 if denied else 6
    for i in range(n):
        # Stratus uses made-up ids (the calls are meant to be refused); a permitted run targets real instances.
        iid = ("i-" + hexid(16, "fake", i)) if denied else ("i-0" + hexid(16, "win", i))
        rec = tr.add("ec2.amazonaws.com", "GetPasswordData", who=role, ro=True, req={"instanceId": iid},
                     step=0 if i % 3 else 1)
        if denied:
            tr.deny(rec, "Client.UnauthorizedOperation", "ec2:GetPasswordData",
                    f"arn:aws:ec2:{REGION}:{ACCT}:instance/*")
    return tr


@technique
def credential_access__ec2_steal_instance_credentials(denied):
    if denied:
        return None
    tech = "aws.credential-access.ec2-steal-instance-credentials"
    tr = Trail(tech, "2026-03-10T10:00:12Z")
    iid = "i-0c4e1f9a7b2d35e81"
    inst = instance_identity("stratus-red-team-ec2-steal-credentials-role", iid, "2026-03-10T09:58:40Z")
    agent = "aws-sdk-go/1.44.327 (go1.21.6; linux; amd64) amazon-ssm-agent/3.3.40.0"
    for _ in range(4):  # the SSM agent checking in with the instance credentials, from the NAT gateway
        tr.add("ssm.amazonaws.com", "UpdateInstanceInformation", who=inst, ip=NAT_IP, ua=agent,
               req={"instanceId": iid, "agentVersion": "3.3.40.0", "agentStatus": "Active", "platformType": "Linux",
                    "platformName": "Amazon Linux", "platformVersion": "2", "iPAddress": "10.0.1.10",
                    "computerName": "ip-10-0-1-10.ec2.internal", "agentName": "amazon-ssm-agent",
                    "availabilityZone": "us-east-1a", "availabilityZoneId": "use1-az6"},
               step=300)
    tr.at(-290)
    tr.add("ssm.amazonaws.com", "DescribeInstanceInformation", ro=True,
           req={"filters": [{"key": "InstanceIds", "values": [iid]}]})
    cmd = "a3f9c1d2-5e6b-4c7d-8e9f-0a1b2c3d4e5f"
    tr.add("ssm.amazonaws.com", "SendCommand",
           req={"instanceIds": [iid], "documentName": "AWS-RunShellScript",
                "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "interactive": False},
           resp={"command": {"commandId": cmd, "documentName": "AWS-RunShellScript", "documentVersion": "$DEFAULT",
                             "comment": "", "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "instanceIds": [iid],
                             "targets": [], "requestedDateTime": "Mar 10, 2026, 10:15:13 AM", "status": "Pending",
                             "statusDetails": "Pending", "outputS3Region": REGION, "outputS3BucketName": "",
                             "outputS3KeyPrefix": "", "maxConcurrency": "50", "maxErrors": "0", "targetCount": 1,
                             "completedCount": 0, "errorCount": 0, "deliveryTimedOutCount": 0,
                             "serviceRole": "", "notificationConfig": {"notificationArn": "", "notificationEvents": [],
                                                                       "notificationType": ""},
                             "cloudWatchOutputConfig": {"cloudWatchLogGroupName": "",
                                                        "cloudWatchOutputEnabled": False},
                             "timeoutSeconds": 3600, "alarmConfiguration": {"ignorePollAlarmFailure": False,
                                                                            "alarms": []},
                             "triggeredAlarms": []}}, step=2)
    for _ in range(2):
        tr.add("ssm.amazonaws.com", "GetCommandInvocation", ro=True, req={"commandId": cmd, "instanceId": iid},
               step=3)
    # the stolen credentials, used from the attacker's machine
    tr.add("sts.amazonaws.com", "GetCallerIdentity", who=inst, ro=True)
    tr.add("ec2.amazonaws.com", "DescribeInstances", who=inst, ro=True,
           req={"instancesSet": {}, "filterSet": {}})
    return tr


@technique
def credential_access__secretsmanager_batch_retrieve_secrets(denied):
    tech = "aws.credential-access.secretsmanager-batch-retrieve-secrets"
    tr = Trail(tech, "2026-03-10T11:00:03Z")
    req = {"filters": [{"key": "tag-key", "values": ["StratusRedTeam"]}], "maxResults": 10}
    for page in range(5):
        rec = tr.add("secretsmanager.amazonaws.com", "BatchGetSecretValue", ro=True, req=copy.deepcopy(req))
        if denied:
            tr.deny(rec, "AccessDeniedException", "secretsmanager:BatchGetSecretValue")
            break
    return tr


@technique
def credential_access__secretsmanager_retrieve_secrets(denied):
    tech = "aws.credential-access.secretsmanager-retrieve-secrets"
    tr = Trail(tech, "2026-03-10T11:30:07Z")
    tr.add("secretsmanager.amazonaws.com", "ListSecrets", ro=True,
           req={"maxResults": 100, "filters": [{"key": "tag-key", "values": ["StratusRedTeam"]}]})
    for i in range(20):
        arn = f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:stratus-red-team-retrieve-secret-{i}-{hexid(6, i)}"
        rec = tr.add("secretsmanager.amazonaws.com", "GetSecretValue", ro=True, req={"secretId": arn},
                     extra={"resources": [{"ARN": arn, "accountId": ACCT}]}, step=0 if i % 4 else 1)
        if denied:
            tr.deny(rec, "AccessDeniedException", "secretsmanager:GetSecretValue", arn)
            break
    return tr


@technique
def credential_access__ssm_retrieve_securestring_parameters(denied):
    tech = "aws.credential-access.ssm-retrieve-securestring-parameters"
    tr = Trail(tech, "2026-03-10T12:00:02Z")
    names = [f"/credentials/stratus-red-team/credentials-{i}" for i in range(1, 31)]
    for page in range(3):
        req = {"maxResults": 10}
        if page:
            req["nextToken"] = "AAEAA" + hexid(60, "tok", page)
        tr.add("ssm.amazonaws.com", "DescribeParameters", ro=True, req=req)
        batch = sorted(names[page * 10:(page + 1) * 10])
        rec = tr.add("ssm.amazonaws.com", "GetParameters", ro=True, req={"names": batch, "withDecryption": True},
                     extra={"resources": [{"ARN": f"arn:aws:ssm:{REGION}:{ACCT}:parameter{n}", "accountId": ACCT}
                                          for n in batch]})
        if denied:
            tr.deny(rec, "AccessDeniedException", "ssm:GetParameters",
                    f"arn:aws:ssm:{REGION}:{ACCT}:parameter{batch[0]}")
            break
    return tr


def trail_arn(name):
    return f"arn:aws:cloudtrail:{REGION}:{ACCT}:trail/{name}"


@technique
def defense_evasion__cloudtrail_delete(denied):
    tech = "aws.defense-evasion.cloudtrail-delete"
    tr = Trail(tech, "2026-03-11T09:00:05Z")
    name = "stratus-red-team-cloudtrail-delete-trail-" + hexid(6, tech)
    rec = tr.add("cloudtrail.amazonaws.com", "DeleteTrail", req={"name": name},
                 extra={"resources": [{"ARN": trail_arn(name), "accountId": ACCT, "type": "AWS::CloudTrail::Trail"}]})
    if denied:
        tr.deny(rec, "AccessDeniedException", "cloudtrail:DeleteTrail", trail_arn(name))
    return tr


@technique
def defense_evasion__cloudtrail_event_selectors(denied):
    tech = "aws.defense-evasion.cloudtrail-event-selectors"
    tr = Trail(tech, "2026-03-11T09:30:11Z")
    name = "stratus-red-team-cloudtrail-event-selectors-trail-" + hexid(6, tech)
    sel = [{"readWriteType": "ReadOnly", "includeManagementEvents": False,
            "dataResources": [{"type": "AWS::S3::Object", "values": []},
                              {"type": "AWS::Lambda::Function", "values": []}]}]
    rec = tr.add("cloudtrail.amazonaws.com", "PutEventSelectors", req={"trailName": name, "eventSelectors": sel},
                 resp={"trailARN": trail_arn(name),
                       "eventSelectors": [dict(sel[0], excludeManagementEventSources=[])]},
                 extra={"resources": [{"ARN": trail_arn(name), "accountId": ACCT, "type": "AWS::CloudTrail::Trail"}]})
    if denied:
        tr.deny(rec, "AccessDeniedException", "cloudtrail:PutEventSelectors", trail_arn(name))
    return tr


@technique
def defense_evasion__cloudtrail_lifecycle_rule(denied):
    tech = "aws.defense-evasion.cloudtrail-lifecycle-rule"
    tr = Trail(tech, "2026-03-11T10:00:09Z")
    bucket = "stratus-red-team-cloudtrail-lifecycle-" + hexid(6, tech)
    rec = tr.add("s3.amazonaws.com", "PutBucketLifecycle", bucket=bucket,
                 req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "lifecycle": "",
                      "LifecycleConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                                                 "Rule": {"Expiration": {"Days": 1},
                                                          "Filter": {"Prefix": "*"},
                                                          "ID": "nuke-cloudtrail-logs-after-1-day",
                                                          "Status": "Enabled"}}},
                 extra=s3_extra(bucket, size_in=262))
    if denied:
        tr.deny(rec, "AccessDenied", "s3:PutLifecycleConfiguration")
    return tr


@technique
def defense_evasion__cloudtrail_stop(denied):
    tech = "aws.defense-evasion.cloudtrail-stop"
    tr = Trail(tech, "2026-03-11T10:30:02Z")
    name = "stratus-red-team-cloudtrail-stop-trail-" + hexid(6, tech)
    rec = tr.add("cloudtrail.amazonaws.com", "StopLogging", req={"name": name},
                 extra={"resources": [{"ARN": trail_arn(name), "accountId": ACCT, "type": "AWS::CloudTrail::Trail"}]})
    if denied:
        tr.deny(rec, "AccessDeniedException", "cloudtrail:StopLogging", trail_arn(name))
    return tr


@technique
def defense_evasion__dns_delete_logs(denied):
    tech = "aws.defense-evasion.dns-delete-logs"
    tr = Trail(tech, "2026-03-11T11:00:14Z")
    cfg = "rqlc-" + hexid(16, tech)
    arn = f"arn:aws:route53resolver:{REGION}:{ACCT}:resolver-query-log-config/{cfg}"
    rec = tr.add("route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig",
                 req={"resolverQueryLogConfigId": cfg},
                 resp={"resolverQueryLogConfig": {
                     "id": cfg, "ownerId": ACCT, "status": "DELETING", "shareStatus": "NOT_SHARED",
                     "associationCount": 0, "arn": arn, "name": "stratus-red-team-dns-delete-logs",
                     "destinationArn": f"arn:aws:logs:{REGION}:{ACCT}:log-group:stratus-red-team-dns-logs",
                     "creatorRequestId": "terraform-" + hexid(20, "crid"),
                     "creationTime": "2026-03-11T10:52:40.118Z"}})
    if denied:
        tr.deny(rec, "AccessDeniedException", "route53resolver:DeleteResolverQueryLogConfig", arn)
    return tr


@technique
def defense_evasion__organizations_leave(denied):
    tech = "aws.defense-evasion.organizations-leave"
    tr = Trail(tech, "2026-03-11T11:30:06Z")
    who = ALICE
    if denied:  # as Stratus detonates it: from a warm-up role without the permission
        who = assume_role(tr, "stratus-red-team-leave-org-role", "aws-go-sdk-1773228606000000000",
                          "ASIAQEXAMPLELEAVEOR1")
        tr.at(4)
    rec = tr.add("organizations.amazonaws.com", "LeaveOrganization", who=who, region="us-east-1")
    if denied:
        tr.deny(rec, "AccessDeniedException", "organizations:LeaveOrganization")
        rec["errorMessage"] = "You don't have permissions to access this resource."
    return tr


@technique
def defense_evasion__vpc_remove_flow_logs(denied):
    tech = "aws.defense-evasion.vpc-remove-flow-logs"
    tr = Trail(tech, "2026-03-11T12:00:03Z")
    fl = "fl-0" + hexid(16, tech)
    rec = tr.add("ec2.amazonaws.com", "DeleteFlowLogs",
                 req={"DeleteFlowLogsRequest": {"FlowLogId": {"content": fl, "tag": 1}}},
                 resp={"DeleteFlowLogsResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                                                  "requestId": uid("ec2req", tech), "unsuccessful": ""}})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:DeleteFlowLogs",
                f"arn:aws:ec2:{REGION}:{ACCT}:vpc-flow-log/{fl}")
    return tr


@technique
def discovery__ec2_enumerate_from_instance(denied):
    # Stratus's instance role has only AmazonSSMManagedInstanceCore: its own run is the denied one.
    tech = "aws.discovery.ec2-enumerate-from-instance"
    tr = Trail(tech, "2026-03-12T09:00:21Z")
    iid = "i-0a7d3e5c9b1f24680"
    inst = instance_identity("stratus-red-team-ec2-enumerate-role", iid, "2026-03-12T08:58:03Z")
    agent = "aws-sdk-go/1.44.327 (go1.21.6; linux; amd64) amazon-ssm-agent/3.3.40.0"
    tr.add("ssm.amazonaws.com", "UpdateInstanceInformation", who=inst, ip=NAT_IP, ua=agent,
           req={"instanceId": iid, "agentVersion": "3.3.40.0", "agentStatus": "Active", "platformType": "Linux",
                "platformName": "Amazon Linux", "platformVersion": "2", "iPAddress": "10.0.1.10",
                "computerName": "ip-10-0-1-10.ec2.internal", "agentName": "amazon-ssm-agent"}, step=60)
    tr.add("ssm.amazonaws.com", "DescribeInstanceInformation", ro=True,
           req={"filters": [{"key": "InstanceIds", "values": [iid]}]})
    cmd = "6d1e0b7a-8c2f-4e3d-9a4b-5c6d7e8f9a0b"
    tr.add("ssm.amazonaws.com", "SendCommand",
           req={"instanceIds": [iid], "documentName": "AWS-RunShellScript",
                "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "interactive": False},
           resp={"command": {"commandId": cmd, "documentName": "AWS-RunShellScript", "instanceIds": [iid],
                             "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "status": "Pending",
                             "targetCount": 1, "timeoutSeconds": 3600}}, step=2)
    cli = (f"aws-cli/1.18.147 Python/2.7.18 Linux/5.10.233-224.894.amzn2.x86_64 "
           f"exec-env/stratus-red-team_{uid('ua', tech)} botocore/1.18.6")
    calls = [("sts.amazonaws.com", "GetCallerIdentity", None, None),
             ("s3.amazonaws.com", "ListBuckets", "AccessDenied", "s3:ListAllMyBuckets"),
             ("iam.amazonaws.com", "GetAccountSummary", "AccessDenied", "iam:GetAccountSummary"),
             ("iam.amazonaws.com", "ListRoles", "AccessDenied", "iam:ListRoles"),
             ("iam.amazonaws.com", "ListUsers", "AccessDenied", "iam:ListUsers"),
             ("iam.amazonaws.com", "GetAccountAuthorizationDetails", "AccessDenied",
              "iam:GetAccountAuthorizationDetails"),
             ("ec2.amazonaws.com", "DescribeSnapshots", "Client.UnauthorizedOperation", "ec2:DescribeSnapshots"),
             ("cloudtrail.amazonaws.com", "DescribeTrails", "AccessDeniedException", "cloudtrail:DescribeTrails"),
             ("guardduty.amazonaws.com", "ListDetectors", "AccessDeniedException", "guardduty:ListDetectors")]
    for source, name, code, action in calls:
        req = None
        if name == "DescribeSnapshots":
            req = {"snapshotSet": {}, "ownersSet": {}, "restorableBySet": {}, "filterSet": {}}
        if name == "ListBuckets":
            req = {"Host": f"s3.{REGION}.amazonaws.com"}
        if name == "DescribeTrails":
            req = {"trailNameList": [], "includeShadowTrails": True}
        rec = tr.add(source, name, who=inst, ip=NAT_IP, ua=cli, ro=True, req=req, step=1)
        if denied and code:
            res = f"arn:aws:iam::{ACCT}:user/" if source == "iam.amazonaws.com" and name == "ListUsers" else None
            tr.deny(rec, code, action, res)
    tr.add("ssm.amazonaws.com", "GetCommandInvocation", ro=True, req={"commandId": cmd, "instanceId": iid})
    return tr


@technique
def discovery__ec2_download_user_data(denied):
    # Stratus's run is the denied one: a warm-up role without ec2:DescribeInstanceAttribute.
    tech = "aws.discovery.ec2-download-user-data"
    tr = Trail(tech, "2026-03-12T10:00:05Z")
    role = assume_role(tr, "stratus-red-team-get-user-data-role", "aws-go-sdk-1773309605000000000",
                       "ASIAQEXAMPLEUSERDAT1")
    tr.at(3)
    for i in range(15):
        iid = ("i-" + hexid(8, "ud", i)) if denied else ("i-0" + hexid(16, "ud", i))
        rec = tr.add("ec2.amazonaws.com", "DescribeInstanceAttribute", who=role, ro=True,
                     req={"instanceId": iid, "attribute": "userData"}, step=0 if i % 4 else 1)
        if denied:
            tr.deny(rec, "Client.UnauthorizedOperation", "ec2:DescribeInstanceAttribute",
                    f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}")
    return tr


@technique
def discovery__ses_enumerate(denied):
    tech = "aws.discovery.ses-enumerate"
    tr = Trail(tech, "2026-03-12T11:00:08Z")
    rec = tr.add("ses.amazonaws.com", "GetAccountSendingEnabled", ro=True)
    if denied:
        tr.deny(rec, "AccessDenied", "ses:GetAccountSendingEnabled")
        return tr
    tr.add("ses.amazonaws.com", "ListIdentities", ro=True)
    tr.add("ses.amazonaws.com", "GetIdentityVerificationAttributes", ro=True,
           req={"identities": ["example.com", "noreply@example.com"]})
    tr.add("ses.amazonaws.com", "GetSendQuota", ro=True)
    return tr


@technique
def execution__ec2_launch_unusual_instances(denied):
    # Stratus's run is the denied one.
    tech = "aws.execution.ec2-launch-unusual-instances"
    tr = Trail(tech, "2026-03-12T12:00:02Z")
    who = ALICE
    if denied:
        who = assume_role(tr, "stratus-red-team-ec2-unusual-instances-role", "aws-go-sdk-1773316802000000000",
                          "ASIAQEXAMPLEUNUSUAL1")
        tr.at(4)
    ami, subnet = "ami-0e2c8caa4b6378d8c", "subnet-0" + hexid(16, "subnet", tech)
    req = {"instancesSet": {"items": [{"imageId": ami, "minCount": 1, "maxCount": 10}]},
           "instanceType": "p2.xlarge", "blockDeviceMapping": {}, "monitoring": {"enabled": False},
           "subnetId": subnet, "disableApiTermination": False, "disableApiStop": False,
           "clientToken": uid("token", tech)}
    resp = {"requestId": uid("ec2req", tech), "reservationId": "r-0" + hexid(16, "res", tech), "ownerId": ACCT,
            "groupSet": {}, "instancesSet": {"items": [
                {"instanceId": "i-0" + hexid(16, "p2", i), "imageId": ami, "instanceState": {"code": 0, "name": "pending"},
                 "privateDnsName": f"ip-10-0-1-{20 + i}.ec2.internal", "amiLaunchIndex": i, "productCodes": {},
                 "instanceType": "p2.xlarge", "launchTime": 1773316806000,
                 "placement": {"availabilityZone": "us-east-1a", "tenancy": "default"},
                 "monitoring": {"state": "disabled"}, "subnetId": subnet, "privateIpAddress": f"10.0.1.{20 + i}"}
                for i in range(4)]}}
    rec = tr.add("ec2.amazonaws.com", "RunInstances", who=who, req=req, resp=resp)
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:RunInstances",
                f"arn:aws:ec2:{REGION}:{ACCT}:instance/*")
    return tr


@technique
def execution__ec2_user_data(denied):
    tech = "aws.execution.ec2-user-data"
    tr = Trail(tech, "2026-03-12T13:00:04Z")
    iid = "i-0b9f6c3e1a7d25408"
    tr.add("ec2.amazonaws.com", "StopInstances", req={"instancesSet": {"items": [{"instanceId": iid}]}, "force": True},
           resp={"requestId": uid("ec2req", tech, 1), "instancesSet": {"items": [
               {"instanceId": iid, "currentState": {"code": 64, "name": "stopping"},
                "previousState": {"code": 16, "name": "running"}}]}})
    for _ in range(3):  # the InstanceStopped waiter
        tr.add("ec2.amazonaws.com", "DescribeInstances", ro=True,
               req={"instancesSet": {"items": [{"instanceId": iid}]}, "filterSet": {}}, step=20)
    rec = tr.add("ec2.amazonaws.com", "ModifyInstanceAttribute",
                 req={"instanceId": iid, "userData": "<sensitiveDataRemoved>"},
                 resp={"requestId": uid("ec2req", tech, 2), "_return": True})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:ModifyInstanceAttribute",
                f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}")
        return tr
    tr.add("ec2.amazonaws.com", "StartInstances", req={"instancesSet": {"items": [{"instanceId": iid}]}},
           resp={"requestId": uid("ec2req", tech, 3), "instancesSet": {"items": [
               {"instanceId": iid, "currentState": {"code": 0, "name": "pending"},
                "previousState": {"code": 80, "name": "stopped"}}]}})
    for _ in range(2):
        tr.add("ec2.amazonaws.com", "DescribeInstances", ro=True,
               req={"instancesSet": {"items": [{"instanceId": iid}]}, "filterSet": {}}, step=15)
    return tr


@technique
def execution__sagemaker_update_lifecycle_config(denied):
    tech = "aws.execution.sagemaker-update-lifecycle-config"
    tr = Trail(tech, "2026-03-12T14:00:06Z")
    nb = "stratus-red-team-sagemaker-nb-" + hexid(6, tech)
    nb_arn = f"arn:aws:sagemaker:{REGION}:{ACCT}:notebook-instance/{nb}"
    lcc_arn = f"arn:aws:sagemaker:{REGION}:{ACCT}:notebook-instance-lifecycle-config/priv-esc-config"
    rec = tr.add("sagemaker.amazonaws.com", "CreateNotebookInstanceLifecycleConfig",
                 req={"notebookInstanceLifecycleConfigName": "priv-esc-config",
                      "onStart": [{"content": "HIDDEN_DUE_TO_SECURITY_REASONS"}]},
                 resp={"notebookInstanceLifecycleConfigArn": lcc_arn})
    if denied:
        tr.deny(rec, "AccessDeniedException", "sagemaker:CreateNotebookInstanceLifecycleConfig", lcc_arn)
        return tr
    tr.add("sagemaker.amazonaws.com", "StopNotebookInstance", req={"notebookInstanceName": nb})
    for _ in range(4):
        tr.add("sagemaker.amazonaws.com", "DescribeNotebookInstance", ro=True, req={"notebookInstanceName": nb},
               step=30)
    tr.add("sagemaker.amazonaws.com", "UpdateNotebookInstance",
           req={"notebookInstanceName": nb, "lifecycleConfigName": "priv-esc-config"})
    for _ in range(3):
        tr.add("sagemaker.amazonaws.com", "DescribeNotebookInstance", ro=True, req={"notebookInstanceName": nb},
               step=30)
    tr.add("sagemaker.amazonaws.com", "StartNotebookInstance", req={"notebookInstanceName": nb})
    return tr


def ssm_instances(tech, n=3):
    return ["i-0" + hexid(16, tech, "inst", i) for i in range(n)]


@technique
def execution__ssm_send_command(denied):
    tech = "aws.execution.ssm-send-command"
    tr = Trail(tech, "2026-03-12T15:00:09Z")
    ids = ssm_instances(tech)
    tr.add("ssm.amazonaws.com", "DescribeInstanceInformation", ro=True,
           req={"filters": [{"key": "InstanceIds", "values": ids}]})
    cmd = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    rec = tr.add("ssm.amazonaws.com", "SendCommand",
                 req={"instanceIds": ids, "documentName": "AWS-RunShellScript",
                      "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "interactive": False},
                 resp={"command": {"commandId": cmd, "documentName": "AWS-RunShellScript", "instanceIds": ids,
                                   "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS", "status": "Pending",
                                   "targetCount": 3, "timeoutSeconds": 3600}}, step=3)
    if denied:
        tr.deny(rec, "AccessDeniedException", "ssm:SendCommand",
                f"arn:aws:ec2:{REGION}:{ACCT}:instance/{ids[0]}")
        return tr
    for iid in ids:
        tr.add("ssm.amazonaws.com", "GetCommandInvocation", ro=True, req={"commandId": cmd, "instanceId": iid})
    return tr


@technique
def execution__ssm_start_session(denied):
    tech = "aws.execution.ssm-start-session"
    tr = Trail(tech, "2026-03-12T16:00:03Z")
    ids = ssm_instances(tech)
    tr.add("ssm.amazonaws.com", "DescribeInstanceInformation", ro=True,
           req={"filters": [{"key": "InstanceIds", "values": ids}]})
    for n, iid in enumerate(ids):
        sid = f"alice-{hexid(17, tech, n)}"
        rec = tr.add("ssm.amazonaws.com", "StartSession", req={"target": iid},
                     resp={"sessionId": sid, "tokenValue": "Value hidden due to security reasons.",
                           "streamUrl": f"wss://ssmmessages.{REGION}.amazonaws.com/v1/data-channel/{sid}"
                                        "?role=publish_subscribe&cell-number=AAEAA" + hexid(20, sid)},
                     extra={"resources": [{"accountId": ACCT, "ARN": f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}"}]})
        if denied:
            tr.deny(rec, "AccessDeniedException", "ssm:StartSession",
                    f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}")
            return tr
        tr.add("ssm.amazonaws.com", "TerminateSession", req={"sessionId": sid}, resp={"sessionId": sid})
    return tr


@technique
def exfiltration__ec2_security_group_open_port_22_ingress(denied):
    tech = "aws.exfiltration.ec2-security-group-open-port-22-ingress"
    tr = Trail(tech, "2026-03-13T09:00:07Z")
    sg = "sg-0" + hexid(16, tech)
    rec = tr.add("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
                 req={"groupId": sg, "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                      "cidrIp": "0.0.0.0/0"},
                 resp={"requestId": uid("ec2req", tech), "_return": True, "securityGroupRuleSet": {"items": [
                     {"groupOwnerId": ACCT, "groupId": sg, "securityGroupRuleId": "sgr-0" + hexid(16, "rule", tech),
                      "isEgress": False, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                      "cidrIpv4": "0.0.0.0/0"}]}})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:AuthorizeSecurityGroupIngress",
                f"arn:aws:ec2:{REGION}:{ACCT}:security-group/{sg}")
    return tr


@technique
def exfiltration__ec2_share_ami(denied):
    tech = "aws.exfiltration.ec2-share-ami"
    tr = Trail(tech, "2026-03-13T09:30:04Z")
    ami = "ami-0" + hexid(16, tech)
    rec = tr.add("ec2.amazonaws.com", "ModifyImageAttribute",
                 req={"imageId": ami, "launchPermission": {"add": {"items": [{"userId": "012345678901"}]}},
                      "attributeType": "launchPermission"},
                 resp={"requestId": uid("ec2req", tech), "_return": True})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:ModifyImageAttribute",
                f"arn:aws:ec2:{REGION}::image/{ami}")
    return tr


@technique
def exfiltration__ec2_share_ebs_snapshot(denied):
    tech = "aws.exfiltration.ec2-share-ebs-snapshot"
    tr = Trail(tech, "2026-03-13T10:00:02Z")
    snap = "snap-0" + hexid(16, tech)
    rec = tr.add("ec2.amazonaws.com", "ModifySnapshotAttribute",
                 req={"snapshotId": snap, "attributeType": "CREATE_VOLUME_PERMISSION",
                      "createVolumePermission": {"add": {"items": [{"userId": "012345678912"}]}}},
                 resp={"requestId": uid("ec2req", tech), "_return": True})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:ModifySnapshotAttribute",
                f"arn:aws:ec2:{REGION}::snapshot/{snap}")
    return tr


@technique
def exfiltration__rds_share_snapshot(denied):
    tech = "aws.exfiltration.rds-share-snapshot"
    tr = Trail(tech, "2026-03-13T10:30:08Z")
    snap = "stratus-red-team-rds-snapshot-" + hexid(6, tech)
    arn = f"arn:aws:rds:{REGION}:{ACCT}:snapshot:{snap}"
    rec = tr.add("rds.amazonaws.com", "ModifyDBSnapshotAttribute",
                 req={"dBSnapshotIdentifier": snap, "attributeName": "restore", "valuesToAdd": ["193672423079"]},
                 resp={"dBSnapshotIdentifier": snap, "dBSnapshotAttributes": [
                     {"attributeName": "restore", "attributeValues": ["193672423079"]}]})
    if denied:
        tr.deny(rec, "AccessDenied", "rds:ModifyDBSnapshotAttribute", arn)
    return tr


@technique
def exfiltration__s3_backdoor_bucket_policy(denied):
    tech = "aws.exfiltration.s3-backdoor-bucket-policy"
    tr = Trail(tech, "2026-03-13T11:00:05Z")
    bucket = "stratus-red-team-bdbp-" + hexid(6, tech)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::193672423079:root"},
        "Action": ["s3:GetObject", "s3:GetBucketLocation", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}/*", f"arn:aws:s3:::{bucket}"]}]}
    rec = tr.add("s3.amazonaws.com", "PutBucketPolicy", bucket=bucket,
                 req={"bucketPolicy": policy, "bucketName": bucket,
                      "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "policy": ""},
                 extra=s3_extra(bucket, size_in=349))
    if denied:
        tr.deny(rec, "AccessDenied", "s3:PutBucketPolicy")
    return tr


@technique
def impact__bedrock_invoke_model(denied):
    tech = "aws.impact.bedrock-invoke-model"
    tr = Trail(tech, "2026-03-14T09:00:03Z")
    tr.add("bedrock.amazonaws.com", "ListFoundationModels", ro=True)
    tr.add("bedrock.amazonaws.com", "GetFoundationModelAvailability", ro=True,
           req={"modelId": "anthropic.claude-v2"}, ua="Go-http-client/1.1")
    rec = tr.add("bedrock.amazonaws.com", "InvokeModel", ro=True,
                 req={"modelId": "anthropic.claude-v2"},
                 extra={"additionalEventData": {"inputTokenCount": 15, "outputTokenCount": 1}})
    if denied:
        tr.deny(rec, "AccessDeniedException", "bedrock:InvokeModel")
        del rec["additionalEventData"]
    return tr


@technique
def impact__ec2_deregister_ami(denied):
    tech = "aws.impact.ec2-deregister-ami"
    tr = Trail(tech, "2026-03-14T09:30:06Z")
    ami = "ami-0" + hexid(16, tech)
    rec = tr.add("ec2.amazonaws.com", "DeregisterImage", req={"imageId": ami, "deleteAssociatedSnapshots": False},
                 resp={"requestId": uid("ec2req", tech), "_return": True})
    if denied:
        tr.deny(rec, "Client.UnauthorizedOperation", "ec2:DeregisterImage", f"arn:aws:ec2:{REGION}::image/{ami}")
    return tr


@technique
def impact__s3_ransomware_batch_deletion(denied):
    if denied:
        return None  # DeleteObjects answers per key: a refused batch is logged without an errorCode
    tech = "aws.impact.s3-ransomware-batch-deletion"
    tr = Trail(tech, "2026-03-14T10:00:02Z")
    bucket = "stratus-red-team-ransomware-bucket-" + hexid(6, tech)
    ransom_prelude(tr, bucket)
    tr.add("s3.amazonaws.com", "DeleteObjects", category="Data", bucket=bucket,
           req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "delete": "",
                "x-id": "DeleteObjects"},
           extra={"resources": [{"type": "AWS::S3::Object", "ARNPrefix": f"arn:aws:s3:::{bucket}/"},
                                {"accountId": ACCT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
                  "additionalEventData": s3_extra(bucket, size_in=5611, size_out=6023)["additionalEventData"]})
    ransom_note(tr, bucket)
    return tr


@technique
def impact__s3_ransomware_client_side_encryption(denied):
    tech = "aws.impact.s3-ransomware-client-side-encryption"
    tr = Trail(tech, "2026-03-14T11:00:04Z")
    bucket = "stratus-red-team-ransomware-bucket-" + hexid(6, tech)
    ransom_prelude(tr, bucket)
    for key in RANSOM_KEYS:
        rec = tr.add("s3.amazonaws.com", "CopyObject", category="Data", bucket=bucket,
                     req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com",
                          "x-amz-server-side-encryption-customer-algorithm": "AES256",
                          "x-amz-copy-source": f"{bucket}/{key}", "key": key, "x-id": "CopyObject"},
                     resp={"x-amz-server-side-encryption-customer-algorithm": "AES256"},
                     extra=s3_extra(bucket, key), step=0)
        if denied:
            tr.deny(rec, "AccessDenied", "s3:PutObject")
            return tr
        tr.at(1)
    ransom_note(tr, bucket)
    return tr


@technique
def impact__s3_ransomware_individual_deletion(denied):
    tech = "aws.impact.s3-ransomware-individual-deletion"
    tr = Trail(tech, "2026-03-14T12:00:01Z")
    bucket = "stratus-red-team-ransomware-bucket-" + hexid(6, tech)
    ransom_prelude(tr, bucket)
    for key in RANSOM_KEYS:
        rec = tr.add("s3.amazonaws.com", "DeleteObject", category="Data", bucket=bucket,
                     req={"bucketName": bucket, "Host": f"{bucket}.s3.{REGION}.amazonaws.com", "key": key,
                          "versionId": hexid(32, "ver", key), "x-id": "DeleteObject"},
                     extra=s3_extra(bucket, key), step=0)
        if denied:
            tr.deny(rec, "AccessDenied", "s3:DeleteObjectVersion")
            return tr
        tr.at(1)
    ransom_note(tr, bucket)
    return tr


@technique
def initial_access__console_login_without_mfa(denied):
    tech = "aws.initial-access.console-login-without-mfa"
    tr = Trail(tech, "2026-03-15T09:00:04Z")
    user = "console-user-" + hexid(8, tech)
    who = {"type": "IAMUser", "principalId": "AIDAQEXAMPLECONSOLE1", "arn": f"arn:aws:iam::{ACCT}:user/{user}",
           "accountId": ACCT, "userName": user}
    if denied:  # a wrong password: CloudTrail leaves the ARN out of failed sign-ins
        who = {"type": "IAMUser", "principalId": "AIDAQEXAMPLECONSOLE1", "accountId": ACCT, "accessKeyId": "",
               "userName": user}
    rec = tr.add("signin.amazonaws.com", "ConsoleLogin", who=who, region="us-east-1",
                 resp={"ConsoleLogin": "Failure" if denied else "Success"},
                 extra={"eventType": "AwsConsoleSignIn",
                        "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home",
                                                "MobileVersion": "No", "MFAUsed": "No"}})
    rec.pop("tlsDetails")
    if denied:
        rec["errorMessage"] = "Failed authentication"
    return tr


@technique
def lateral_movement__ec2_serial_console_send_ssh_public_key(denied):
    tech = "aws.lateral-movement.ec2-serial-console-send-ssh-public-key"
    tr = Trail(tech, "2026-03-15T10:00:03Z")
    tr.add("ec2.amazonaws.com", "EnableSerialConsoleAccess", req={"EnableSerialConsoleAccessRequest": ""},
           resp={"EnableSerialConsoleAccessResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                                                       "requestId": uid("ec2req", tech),
                                                       "serialConsoleAccessEnabled": True}})
    key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC" + hexid(60, "key") + " stratus-red-team"
    for iid in ssm_instances(tech):
        rec = tr.add("ec2-instance-connect.amazonaws.com", "SendSerialConsoleSSHPublicKey",
                     req={"instanceId": iid, "serialPort": 0, "sSHPublicKey": key},
                     resp={"requestId": uid("eic", tech, iid), "success": True})
        if denied:
            tr.deny(rec, "AccessDeniedException", "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
                    f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}")
            return tr
    return tr


@technique
def lateral_movement__ec2_instance_connect(denied):
    tech = "aws.lateral-movement.ec2-instance-connect"
    tr = Trail(tech, "2026-03-15T10:30:05Z")
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + hexid(40, "ed") + " stratus-red-team"
    for iid in ssm_instances(tech):
        rec = tr.add("ec2-instance-connect.amazonaws.com", "SendSSHPublicKey",
                     req={"instanceId": iid, "instanceOSUser": "ec2-user", "sSHPublicKey": key},
                     resp={"requestId": uid("eic", tech, iid), "success": True})
        if denied:
            tr.deny(rec, "AccessDeniedException", "ec2-instance-connect:SendSSHPublicKey",
                    f"arn:aws:ec2:{REGION}:{ACCT}:instance/{iid}")
            return tr
    return tr


BACKDOOR_TRUST = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
                  '      "Principal": {\n        "Service": "ec2.amazonaws.com"\n      },\n'
                  '      "Action": "sts:AssumeRole"\n    },\n    {\n      "Effect": "Allow",\n'
                  '      "Principal": {\n        "AWS": "arn:aws:iam::193672423079:root"\n      },\n'
                  '      "Action": "sts:AssumeRole"\n    }\n  ]\n}')


@technique
def persistence__iam_backdoor_role(denied):
    tech = "aws.persistence.iam-backdoor-role"
    tr = Trail(tech, "2026-03-16T09:00:02Z")
    role = "stratus-red-team-backdoor-r-role"
    rec = tr.add("iam.amazonaws.com", "UpdateAssumeRolePolicy", region="us-east-1",
                 req={"policyDocument": BACKDOOR_TRUST, "roleName": role})
    if denied:
        tr.deny(rec, "AccessDenied", "iam:UpdateAssumeRolePolicy", f"role {role}")
    return tr


def access_key_resp(user, n):
    return {"accessKey": {"userName": user, "accessKeyId": "AKIAQEXAMPLENEW" + hexid(5, user, n).upper(),
                          "status": "Active", "createDate": "Mar 16, 2026, 9:30:04 AM"}}


@technique
def persistence__iam_backdoor_user(denied):
    tech = "aws.persistence.iam-backdoor-user"
    tr = Trail(tech, "2026-03-16T09:30:04Z")
    user = "stratus-red-team-backdoor-u-user"
    rec = tr.add("iam.amazonaws.com", "CreateAccessKey", req={"userName": user}, resp=access_key_resp(user, 1))
    if denied:
        tr.deny(rec, "AccessDenied", "iam:CreateAccessKey", f"user {user}")
    return tr


@technique
def persistence__iam_create_admin_user(denied):
    tech = "aws.persistence.iam-create-admin-user"
    tr = Trail(tech, "2026-03-16T10:00:03Z")
    user = "malicious-iam-user"
    rec = tr.add("iam.amazonaws.com", "CreateUser",
                 req={"userName": user, "tags": [{"key": "StratusRedTeam", "value": "true"}]},
                 resp={"user": {"path": "/", "userName": user, "userId": "AIDAQEXAMPLEMALUSER1",
                                "arn": f"arn:aws:iam::{ACCT}:user/{user}", "createDate": "Mar 16, 2026, 10:00:03 AM",
                                "tags": [{"key": "StratusRedTeam", "value": "true"}]}})
    if denied:
        tr.deny(rec, "AccessDenied", "iam:CreateUser", f"arn:aws:iam::{ACCT}:user/{user}")
        return tr
    tr.add("iam.amazonaws.com", "AttachUserPolicy",
           req={"userName": user, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    tr.add("iam.amazonaws.com", "CreateAccessKey", req={"userName": user}, resp=access_key_resp(user, 1))
    return tr


@technique
def persistence__iam_create_backdoor_role(denied):
    tech = "aws.persistence.iam-create-backdoor-role"
    tr = Trail(tech, "2026-03-16T10:30:07Z")
    role = "stratus-red-team-malicious-iam-role"
    rec = tr.add("iam.amazonaws.com", "CreateRole",
                 req={"roleName": role, "assumeRolePolicyDocument": BACKDOOR_TRUST,
                      "permissionsBoundary": "arn:aws:iam::aws:policy/AWSDenyAll"},
                 resp={"role": {"path": "/", "roleName": role, "roleId": "AROAQEXAMPLEMALROLE1",
                                "arn": f"arn:aws:iam::{ACCT}:role/{role}", "createDate": "Mar 16, 2026, 10:30:07 AM",
                                "assumeRolePolicyDocument": "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C...",
                                "permissionsBoundary": {"permissionsBoundaryType": "Policy",
                                                        "permissionsBoundaryArn":
                                                            "arn:aws:iam::aws:policy/AWSDenyAll"}}})
    if denied:
        tr.deny(rec, "AccessDenied", "iam:CreateRole", f"arn:aws:iam::{ACCT}:role/{role}")
        return tr
    tr.add("iam.amazonaws.com", "AttachRolePolicy",
           req={"roleName": role, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    return tr


@technique
def persistence__iam_create_user_login_profile(denied):
    tech = "aws.persistence.iam-create-user-login-profile"
    tr = Trail(tech, "2026-03-16T11:00:05Z")
    user = "stratus-red-team-login-profile-user"
    rec = tr.add("iam.amazonaws.com", "CreateLoginProfile", req={"userName": user, "passwordResetRequired": False},
                 resp={"loginProfile": {"userName": user, "createDate": "Mar 16, 2026, 11:00:05 AM",
                                        "passwordResetRequired": False}})
    if denied:
        tr.deny(rec, "AccessDenied", "iam:CreateLoginProfile", f"user {user}")
    return tr


def fn_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCT}:function:{name}"


@technique
def persistence__lambda_backdoor_function(denied):
    tech = "aws.persistence.lambda-backdoor-function"
    tr = Trail(tech, "2026-03-16T11:30:02Z")
    fn = "stratus-red-team-backdoor-f-func"
    stmt = json.dumps({"Sid": "backdoor", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                       "Resource": fn_arn(fn)}, separators=(",", ":"))
    rec = tr.add("lambda.amazonaws.com", "AddPermission20150331v2",
                 req={"functionName": fn, "statementId": "backdoor", "action": "lambda:InvokeFunction",
                      "principal": "*"},
                 resp={"statement": stmt})
    if denied:
        tr.deny(rec, "AccessDeniedException", "lambda:AddPermission", fn_arn(fn))
    return tr


@technique
def persistence__lambda_layer_extension(denied):
    tech = "aws.persistence.lambda-layer-extension"
    tr = Trail(tech, "2026-03-16T12:00:06Z")
    fn = "stratus-red-team-lambda-layer-simpleLambda"
    layer = f"arn:aws:lambda:{REGION}:{ACCT}:layer:stratus-red-team-lambda-layer-my-lambda-extension:1"
    rec = tr.add("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                 req={"functionName": fn_arn(fn), "layers": [layer], "environment": {}},
                 resp={"functionName": fn, "functionArn": fn_arn(fn), "runtime": "python3.10",
                       "role": f"arn:aws:iam::{ACCT}:role/stratus-red-team-lambda-layer-lambda-role",
                       "handler": f"{fn}.handler", "codeSize": 258, "description": "", "timeout": 20,
                       "memorySize": 128, "lastModified": "2026-03-16T12:00:06.000+0000",
                       "codeSha256": "yoqgXJ3G1ROsFXLUfkxIKHbCiKf2eKCiIkxoktNUoNE=", "version": "$LATEST",
                       "environment": {}, "tracingConfig": {"mode": "PassThrough"},
                       "revisionId": uid("rev", tech), "layers": [{"arn": layer, "codeSize": 2120,
                                                                  "uncompressedCodeSize": 2672}],
                       "state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip",
                       "architectures": ["x86_64"], "ephemeralStorage": {"size": 512}})
    if denied:
        tr.deny(rec, "AccessDeniedException", "lambda:UpdateFunctionConfiguration", fn_arn(fn))
    return tr


@technique
def persistence__lambda_overwrite_code(denied):
    tech = "aws.persistence.lambda-overwrite-code"
    tr = Trail(tech, "2026-03-16T12:30:03Z")
    fn = "stratus-red-team-overwrite-lambda-func"
    rec = tr.add("lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                 req={"functionName": fn, "publish": True, "dryRun": False},
                 resp={"functionName": fn, "functionArn": fn_arn(fn) + ":2", "runtime": "python3.12",
                       "role": f"arn:aws:iam::{ACCT}:role/stratus-red-team-overwrite-lambda-role",
                       "handler": "lambda.lambda_handler", "codeSize": 265, "timeout": 3, "memorySize": 128,
                       "lastModified": "2026-03-16T12:30:03.000+0000", "version": "2", "state": "Pending",
                       "codeSha256": "Yq0bN3nP2m8Jd4m5o7P8q9R0s1T2u3V4w5X6y7Z8a9A=", "packageType": "Zip",
                       "revisionId": uid("rev", tech), "lastUpdateStatus": "InProgress"})
    if denied:
        tr.deny(rec, "AccessDeniedException", "lambda:UpdateFunctionCode", fn_arn(fn))
    return tr


CA_CERT = ("-----BEGIN CERTIFICATE-----\nMIIE3zCCAsegAwIBAgIJAOZLUn/n7YvYMA0GCSqGSIb3DQEBCwUAMA0xCzAJBgNV\n"
           "BAYTAkVTMB4XDTIyMDcxMDIxMjgxOVoXDTMyMDcwNzIxMjgxOVowDTELMAkGA1UE\n-----END CERTIFICATE-----")


@technique
def persistence__rolesanywhere_create_trust_anchor(denied):
    tech = "aws.persistence.rolesanywhere-create-trust-anchor"
    tr = Trail(tech, "2026-03-16T13:00:09Z")
    ta_id, prof_id = uid("ta", tech), uid("profile", tech)
    tags = [{"key": "HIDDEN_DUE_TO_SECURITY_REASONS", "value": "HIDDEN_DUE_TO_SECURITY_REASONS"}]
    src = {"sourceData": {"x509CertificateData": CA_CERT}, "sourceType": "CERTIFICATE_BUNDLE"}
    rec = tr.add("rolesanywhere.amazonaws.com", "CreateTrustAnchor", extra={"eventVersion": "1.10"},
                 req={"enabled": True, "name": "malicious-rolesanywhere-trust-anchor", "source": src, "tags": tags},
                 resp={"trustAnchor": {"createdAt": "2026-03-16T13:00:09.482702201Z", "enabled": True,
                                       "name": "malicious-rolesanywhere-trust-anchor", "source": src,
                                       "trustAnchorArn": f"arn:aws:rolesanywhere:{REGION}:{ACCT}:trust-anchor/{ta_id}",
                                       "trustAnchorId": ta_id, "updatedAt": "2026-03-16T13:00:09.482702201Z"}})
    if denied:
        tr.deny(rec, "AccessDeniedException", "rolesanywhere:CreateTrustAnchor",
                f"arn:aws:rolesanywhere:{REGION}:{ACCT}:trust-anchor/*")
        return tr
    role_arn = f"arn:aws:iam::{ACCT}:role/stratus-red-team-trust-anchor-role"
    tr.add("rolesanywhere.amazonaws.com", "CreateProfile", extra={"eventVersion": "1.10"},
           req={"durationSeconds": 3600, "enabled": True, "name": "malicious-rolesanywhere-profile",
                "roleArns": [role_arn], "tags": tags},
           resp={"profile": {"acceptRoleSessionName": False, "createdAt": "2026-03-16T13:00:10.832628281Z",
                             "createdBy": ALICE["arn"], "durationSeconds": 3600, "enabled": True,
                             "name": "malicious-rolesanywhere-profile",
                             "profileArn": f"arn:aws:rolesanywhere:{REGION}:{ACCT}:profile/{prof_id}",
                             "profileId": prof_id, "roleArns": [role_arn],
                             "updatedAt": "2026-03-16T13:00:10.832628281Z"}})
    return tr


@technique
def persistence__sts_federation_token(denied):
    tech = "aws.persistence.sts-federation-token"
    tr = Trail(tech, "2026-03-16T13:30:04Z")
    user = "stratus-red-team-user-federation-user"
    who = {"type": "IAMUser", "principalId": "AIDAQEXAMPLEFEDUSER1", "arn": f"arn:aws:iam::{ACCT}:user/{user}",
           "accountId": ACCT, "accessKeyId": "AKIAQEXAMPLEFEDKEY01", "userName": user}
    ua = go_ua("sts", tech)
    policy = '{\n\t\t"Version": "2012-10-17",\n\t\t"Statement": [\n\t\t\t{\n\t\t\t\t"Effect": "Allow",\n' \
             '\t\t\t\t"Action": "*",\n\t\t\t\t"Resource": "*"\n\t\t\t}\n\t\t]\n\t}'
    rec = tr.add("sts.amazonaws.com", "GetFederationToken", who=who, ua=ua,
                 req={"name": "stratus-red-team", "policy": policy},
                 resp={"credentials": {"accessKeyId": "ASIAQEXAMPLEFEDTMP01",
                                       "expiration": "Mar 17, 2026, 1:30:04 AM",
                                       "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE" + hexid(60, "fed")},
                       "federatedUser": {"arn": f"arn:aws:sts::{ACCT}:federated-user/stratus-red-team",
                                         "federatedUserId": f"{ACCT}:stratus-red-team"},
                       "packedPolicySize": 4})
    if denied:
        tr.deny(rec, "AccessDenied", "sts:GetFederationToken",
                f"arn:aws:sts::{ACCT}:federated-user/stratus-red-team")
        return tr
    fed = {"type": "FederatedUser", "principalId": f"{ACCT}:stratus-red-team",
           "arn": f"arn:aws:sts::{ACCT}:federated-user/stratus-red-team", "accountId": ACCT,
           "accessKeyId": "ASIAQEXAMPLEFEDTMP01",
           "sessionContext": {"sessionIssuer": {"type": "IAMUser", "principalId": who["principalId"],
                                                "arn": who["arn"], "accountId": ACCT, "userName": user},
                              "webIdFederationData": {},
                              "attributes": {"creationDate": "2026-03-16T13:30:04Z", "mfaAuthenticated": "false"}}}
    tr.add("sts.amazonaws.com", "GetCallerIdentity", who=fed, ua=ua, ro=True)
    return tr


@technique
def privilege_escalation__iam_update_user_login_profile(denied):
    tech = "aws.privilege-escalation.iam-update-user-login-profile"
    tr = Trail(tech, "2026-03-16T14:00:02Z")
    user = "stratus-red-team-update-login-profile-user"
    rec = tr.add("iam.amazonaws.com", "UpdateLoginProfile", req={"userName": user})
    if denied:
        tr.deny(rec, "AccessDenied", "iam:UpdateLoginProfile", f"user {user}")
    return tr


# ---------------------------------------------------------------- not in the upstream catalogue
@technique
def x_defense_evasion__bedrock_model_invocation_logging_delete(denied):
    tech = "aws.defense-evasion.bedrock-model-invocation-logging-delete"
    tr = Trail(tech, "2026-03-17T09:00:05Z")
    rec = tr.add("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", region="ca-central-1")
    if denied:
        tr.deny(rec, "AccessDeniedException", "bedrock:DeleteModelInvocationLoggingConfiguration")
    return tr


@technique
def x_defense_evasion__bedrock_guardrail_delete(denied):
    tech = "aws.defense-evasion.bedrock-guardrail-delete"
    tr = Trail(tech, "2026-03-17T09:30:03Z")
    gid = hexid(12, tech)
    rec = tr.add("bedrock.amazonaws.com", "DeleteGuardrail", req={"guardrailIdentifier": gid},
                 extra={"resources": [{"accountId": ACCT, "type": "AWS::Bedrock::Guardrail",
                                       "ARN": f"arn:aws:bedrock:{REGION}:{ACCT}:guardrail/{gid}"}]})
    if denied:
        tr.deny(rec, "AccessDeniedException", "bedrock:DeleteGuardrail",
                f"arn:aws:bedrock:{REGION}:{ACCT}:guardrail/{gid}")
    return tr


@technique
def x_discovery__bedrock_enumerate_models_multiple_regions(denied):
    if denied:
        return None
    tech = "aws.discovery.bedrock-enumerate-models-multiple-regions"
    tr = Trail(tech, "2026-03-17T10:00:02Z")
    for region in ["us-east-1", "us-west-2", "eu-west-2", "eu-west-3", "ap-northeast-2", "ap-southeast-2"]:
        rec = tr.add("bedrock.amazonaws.com", "InvokeModel", region=region, ro=True,
                     req={"modelId": "anthropic.claude-3-sonnet-20240229-v1:0"})
        if region in ("eu-west-3", "ap-northeast-2"):
            tr.deny(rec, "AccessDeniedException", "bedrock:InvokeModel")
        else:
            rec["errorCode"] = "ValidationException"
            rec["errorMessage"] = ('"claude-3-sonnet-20240229" is not supported on this API. '
                                   'Please use the Messages API instead.')
    return tr


def main():
    written = []
    for name, fn in T.items():
        for denied in (False, True):
            tr = fn(denied)
            if tr is not None:
                written.append(tr.write(".denied" if denied else ""))
    for p in written:
        print(p)


if __name__ == "__main__":
    main()
