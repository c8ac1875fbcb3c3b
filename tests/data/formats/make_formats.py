#!/usr/bin/env python3
"""Writes the CloudTrail export-format fixtures in this directory.

The same four CloudTrail records (an IAM user, alice, in 111122223333, calling
sts:GetCallerIdentity, s3:ListBuckets, iam:CreateAccessKey (AccessDenied) and
ec2:DescribeInstances on 2026-03-01) are written in every shape a responder is
likely to be handed, so a test can check that each decoder yields the same
normalized events (expected.json). Each <format>.bad.* holds one good record and
one record malformed in that format's own way. FORMATS.md describes the shapes
and where each detail comes from.

Deterministic, standard library only. Usage: make_formats.py [--out DIR]
"""
from __future__ import annotations

import argparse
import copy
import json
from datetime import datetime, timezone
from pathlib import Path

ACCOUNT = "111122223333"
ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
KEY = "AKIAIOSFODNN7EXAMPLE"
PRINCIPAL = "AIDACKCEVSQ6C2EXAMPLE"
IP = "203.0.113.10"


def ua(command: str) -> str:
    return f"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/{command}"


def identity() -> dict:
    return {
        "type": "IAMUser",
        "principalId": PRINCIPAL,
        "arn": ARN,
        "accountId": ACCOUNT,
        "accessKeyId": KEY,
        "userName": "alice",
    }


def record(time, source, name, region, command, request_id, event_id, host,
           read_only, request=None, response=None, additional=None, error=None):
    r = {
        "eventVersion": "1.10",
        "userIdentity": identity(),
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": IP,
        "userAgent": ua(command),
    }
    if error:
        r["errorCode"], r["errorMessage"] = error
    r["requestParameters"] = request
    r["responseElements"] = response
    if additional is not None:
        r["additionalEventData"] = additional
    r.update({
        "requestID": request_id,
        "eventID": event_id,
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host,
        },
    })
    return r


RECORDS = [
    record("2026-03-01T10:15:30Z", "sts.amazonaws.com", "GetCallerIdentity", "us-east-1",
           "sts.get-caller-identity", "4b1c7a52-9e3f-4d0a-8c61-2f5e8d9a0b11",
           "6f2d8c3e-1a4b-4c5d-9e7f-0a1b2c3d4e51", "sts.us-east-1.amazonaws.com", True),
    record("2026-03-01T10:16:02Z", "s3.amazonaws.com", "ListBuckets", "us-east-1",
           "s3.ls", "8XJ2K4QW9PZC3M7T", "0c9e4a1b-7d2f-4e8a-b5c6-3d4e5f6a7b82",
           "s3.us-east-1.amazonaws.com", True,
           request={"Host": "s3.us-east-1.amazonaws.com"},
           additional={
               "SignatureVersion": "SigV4",
               "CipherSuite": "TLS_AES_128_GCM_SHA256",
               "bytesTransferredIn": 0,
               "AuthenticationMethod": "AuthHeader",
               "x-amz-id-2": "Zk9vQmFyRXhhbXBsZUlkMkZvckNsb3VkVHJhaWxUZXN0cw==",
               "bytesTransferredOut": 1187,
           }),
    record("2026-03-01T10:17:45Z", "iam.amazonaws.com", "CreateAccessKey", "us-east-1",
           "iam.create-access-key", "d3e4f5a6-b7c8-4d9e-8f01-a2b3c4d5e6f7",
           "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c03", "iam.amazonaws.com", False,
           request={"userName": "bob"},
           error=("AccessDenied",
                  f"User: {ARN} is not authorized to perform: iam:CreateAccessKey on resource: "
                  "user bob because no identity-based policy allows the iam:CreateAccessKey action")),
    record("2026-03-01T10:18:20Z", "ec2.amazonaws.com", "DescribeInstances", "eu-west-1",
           "ec2.describe-instances", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
           "e1f2a3b4-c5d6-4e7f-9a8b-0c1d2e3f4a94", "ec2.eu-west-1.amazonaws.com", True,
           request={"instancesSet": {}, "filterSet": {}}),
]

# Malformed CloudTrail records reused by the *.bad files.
NO_EVENT_TIME = {k: v for k, v in RECORDS[1].items() if k != "eventTime"}


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def epoch_ms(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def iso_ms(iso: str) -> str:
    return iso[:-1] + ".000Z"


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


def write_ndjson(path: Path, values) -> None:
    path.write_text("".join(compact(v) + "\n" for v in values), encoding="utf-8")


# ---------------------------------------------------------------- CloudTrail Lake

def lake_response(rows) -> dict:
    return {
        "QueryStatus": "FINISHED",
        "QueryStatistics": {"ResultsCount": len(rows), "TotalResultsCount": len(rows), "BytesScanned": 41873},
        "QueryResultRows": rows,
    }


def presto_value(v) -> str:
    """A value as Presto/Trino renders it inside a ROW or MAP text (Java toString style)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={presto_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(presto_value(x) for x in v) + "]"
    return str(v)


def lake_map(d) -> str | None:
    """map<string,string>: nested JSON values are stored as JSON text."""
    if d is None:
        return None
    return "{" + ", ".join(
        f"{k}={compact(v) if isinstance(v, (dict, list)) else presto_value(v)}" for k, v in d.items()) + "}"


def lake_identity(u) -> str:
    row = {
        "type": u.get("type"),
        "principalid": u.get("principalId"),
        "arn": u.get("arn"),
        "accountid": u.get("accountId"),
        "accesskeyid": u.get("accessKeyId"),
        "username": u.get("userName"),
        "sessioncontext": None,
        "onbehalfof": None,
        "inscopeof": None,
        "invokedby": u.get("invokedBy"),
        "identityprovider": u.get("identityProvider"),
    }
    return presto_value(row)


def lake_star_row(r) -> list:
    """One SELECT * row: the documented event data store columns, in schema order.
    A null cell is left out (its rendering is undocumented; see FORMATS.md)."""
    t = r["tlsDetails"]
    cells = [
        ("eventversion", r["eventVersion"]),
        ("useridentity", lake_identity(r["userIdentity"])),
        ("eventtime", r["eventTime"].replace("T", " ").replace("Z", ".000")),
        ("eventsource", r["eventSource"]),
        ("eventname", r["eventName"]),
        ("awsregion", r["awsRegion"]),
        ("sourceipaddress", r["sourceIPAddress"]),
        ("useragent", r["userAgent"]),
        ("errorcode", r.get("errorCode")),
        ("errormessage", r.get("errorMessage")),
        ("requestparameters", lake_map(r.get("requestParameters"))),
        ("responseelements", lake_map(r.get("responseElements"))),
        ("additionaleventdata", lake_map(r.get("additionalEventData"))),
        ("requestid", r["requestID"]),
        ("eventid", r["eventID"]),
        ("readonly", presto_value(r["readOnly"])),
        ("eventtype", r["eventType"]),
        ("managementevent", presto_value(r["managementEvent"])),
        ("recipientaccountid", r["recipientAccountId"]),
        ("eventcategory", r["eventCategory"]),
        ("tlsdetails", presto_value({"tlsversion": t["tlsVersion"], "ciphersuite": t["cipherSuite"],
                                     "clientprovidedhostheader": t["clientProvidedHostHeader"]})),
    ]
    return [{k: v} for k, v in cells if v is not None]


def lake_files(out: Path) -> None:
    write_json(out / "cloudtrail-lake.json", lake_response([[{"eventJson": compact(r)}] for r in RECORDS]))
    write_json(out / "cloudtrail-lake-select-star.json", lake_response([lake_star_row(r) for r in RECORDS]))
    # A row from an aggregate query (no eventJson, no event columns; Presto names
    # an unaliased expression _col1), after one good row.
    write_json(out / "cloudtrail-lake.bad.json", lake_response([
        [{"eventJson": compact(RECORDS[0])}],
        [{"eventName": "ListBuckets"}, {"_col1": "12"}],
    ]))


# ---------------------------------------------------------------- Elasticsearch

def search_response(index, docs, ids) -> dict:
    hits = [{"_index": index, "_id": i, "_score": None, "_source": d,
             "sort": [epoch_ms(t)]} for d, i, t in docs_with_ids(docs, ids)]
    return {
        "took": 7,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": None, "hits": hits},
    }


def docs_with_ids(docs, ids):
    for (doc, time), i in zip(docs, ids):
        yield doc, i, time


def logstash_codec_doc(r) -> dict:
    """logstash-codec-cloudtrail: each record of Records, eventTime moved to @timestamp."""
    d = copy.deepcopy(r)
    d["@timestamp"] = iso_ms(d.pop("eventTime"))
    d["@version"] = "1"
    return d


def logstash_cloudwatch_doc(r, n, when=None) -> dict:
    """logstash-input-cloudwatch_logs with the default plain codec: the CloudWatch Logs
    event's message (one CloudTrail record as JSON text) in message."""
    region = r["awsRegion"]
    log_ms = epoch_ms(when or r["eventTime"]) + 61_000
    ts = datetime.fromtimestamp(log_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    ingest = datetime.fromtimestamp((log_ms + 412) / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.412Z")
    return {
        "@timestamp": ts,
        "@version": "1",
        "message": compact(r),
        "cloudwatch_logs": {
            "ingestion_time": ingest,
            "log_group": "aws-cloudtrail-logs-111122223333-org",
            "log_stream": f"{ACCOUNT}_CloudTrail_{region}",
            "event_id": str(38102715841290000000000000000000000000000000000000000000 + 7 * n + 1),
        },
    }


LOGSTASH_IDS = ["kq3Xd44BcT1sJ6eWb0aA", "lK3Xd44BcT1sJ6eWb0aB", "la3Xd44BcT1sJ6eWb0aC", "lq3Xd44BcT1sJ6eWb0aD"]
ELASTIC_IDS = ["Yp2kd44B0y7k3sVqLm1a", "Y52kd44B0y7k3sVqLm1b", "ZJ2kd44B0y7k3sVqLm1c", "ZZ2kd44B0y7k3sVqLm1d"]

ECS_CATEGORY = {"CreateAccessKey": (["iam"], ["user", "change"])}


def java_map(v) -> str:
    """Painless Map.toString(), as the integration stores request_parameters and friends."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={java_map(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(java_map(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def drop_empty(v):
    """The integration's first script: drop null and "" values, then maps and lists left empty."""
    if isinstance(v, dict):
        for k in list(v):
            v[k] = drop_empty(v[k])
            if v[k] is None:
                del v[k]
        return v or None
    if isinstance(v, list):
        v = [x for x in (drop_empty(e) for e in v) if x is not None]
        return v or None
    return None if v is None or v == "" else v


def ecs_doc(r, n, preserve) -> dict:
    """The Elastic AWS integration's cloudtrail data stream (ingest pipeline default.yml)."""
    u = r["userIdentity"]
    t = r["tlsDetails"]
    ct = {
        "event_version": r["eventVersion"],
        "user_identity": {"type": u["type"], "arn": u["arn"], "access_key_id": u["accessKeyId"]},
        "event_category": r["eventCategory"],
    }
    if "errorCode" in r:
        ct["error_code"] = r["errorCode"]
        ct["error_message"] = r["errorMessage"]
    flattened = {}
    dropped = drop_empty(copy.deepcopy(r))  # the pipeline drops null and empty values first
    for raw, key in (("requestParameters", "request_parameters"), ("responseElements", "response_elements"),
                     ("additionalEventData", "additional_eventdata")):
        v = dropped.get(raw)
        if v is not None:
            ct[key] = java_map(v)
            flattened[key] = v
    if flattened:
        ct["flattened"] = flattened
    ct.update({
        "request_id": r["requestID"],
        "event_type": r["eventType"],
        "management_event": r["managementEvent"],
        "read_only": r["readOnly"],
        "recipient_account_id": r["recipientAccountId"],
    })
    region = r["awsRegion"]
    key = (f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/2026/03/01/"
           f"{ACCOUNT}_CloudTrail_{region}_20260301T10{20 + n}Z_Q2xvdWRUcmFpbA{n}.json.gz")
    created = f"2026-03-01T10:2{n}:07.{412 + n}Z"
    event = {
        "action": r["eventName"],
        "created": created,
        "dataset": "aws.cloudtrail",
        "id": r["eventID"],
        "ingested": f"2026-03-01T10:2{n}:09Z",
        "kind": "event",
        "outcome": "failure" if "errorCode" in r else "success",
        "provider": r["eventSource"],
        "type": ["info"],
    }
    if r["eventName"] in ECS_CATEGORY:
        event["category"], event["type"] = ECS_CATEGORY[r["eventName"]]
    if preserve:
        event["original"] = compact(r)
    related = ["alice"]
    user = {"id": u["principalId"], "name": u["userName"]}
    req = r.get("requestParameters") or {}
    if "userName" in req:
        related.append(req["userName"])
        user["target"] = {"name": req["userName"]}
    bucket = f"aws-cloudtrail-logs-{ACCOUNT}-org"
    d = {
        "@timestamp": iso_ms(r["eventTime"]),
        "agent": {"type": "filebeat", "version": "8.17.0", "name": "elastic-agent-cloudtrail",
                  "id": "0b6c7e1e-2f4a-4c83-9a51-6d7e8f9a0b1c",
                  "ephemeral_id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"},
        "aws": {"cloudtrail": ct,
                "s3": {"bucket": {"arn": f"arn:aws:s3:::{bucket}", "name": bucket}, "object": {"key": key}}},
        "cloud": {"account": {"id": u["accountId"]}, "region": region},
        "data_stream": {"dataset": "aws.cloudtrail", "namespace": "default", "type": "logs"},
        "ecs": {"version": "8.11.0"},
        "event": event,
        "input": {"type": "aws-s3"},
        "log": {"file": {"path": f"https://{bucket}.s3.us-east-1.amazonaws.com/{key}"}, "offset": 0},
        "related": {"user": related},
        "source": {"address": r["sourceIPAddress"], "ip": r["sourceIPAddress"]},
        "tls": {"version": t["tlsVersion"][4:], "version_protocol": "tls", "cipher": t["cipherSuite"],
                "client": {"server_name": t["clientProvidedHostHeader"]}},
        "user": user,
        "user_agent": {"device": {"name": "Other"}, "name": "Other", "original": r["userAgent"]},
    }
    if preserve:
        d["tags"] = ["preserve_original_event"]
    return d


def elastic_files(out: Path) -> None:
    write_json(out / "logstash-search.json", search_response(
        "logstash-2026.03.01", [(logstash_codec_doc(r), r["eventTime"]) for r in RECORDS], LOGSTASH_IDS))
    write_ndjson(out / "logstash-cloudwatch.ndjson", [logstash_cloudwatch_doc(r, n) for n, r in enumerate(RECORDS)])
    ecs_index = ".ds-logs-aws.cloudtrail-default-2026.03.01-000001"
    write_json(out / "elastic-ecs-search.json", search_response(
        ecs_index, [(ecs_doc(r, n, False), r["eventTime"]) for n, r in enumerate(RECORDS)], ELASTIC_IDS))
    write_ndjson(out / "elastic-ecs.ndjson", [ecs_doc(r, n, True) for n, r in enumerate(RECORDS)])

    # Logstash json filter/codec that could not parse its input: the event keeps the
    # raw text in message and is tagged _jsonparsefailure.
    truncated = compact(RECORDS[1])[:180]
    bad_logstash = {"@timestamp": "2026-03-01T10:21:03.118Z", "@version": "1", "message": truncated,
                    "tags": ["_jsonparsefailure"]}
    write_json(out / "logstash-search.bad.json", search_response(
        "logstash-2026.03.01",
        [(logstash_codec_doc(RECORDS[0]), RECORDS[0]["eventTime"]), (bad_logstash, "2026-03-01T10:21:03Z")],
        LOGSTASH_IDS[:2]))
    write_ndjson(out / "logstash-cloudwatch.bad.ndjson", [
        logstash_cloudwatch_doc(RECORDS[0], 0),
        logstash_cloudwatch_doc(NO_EVENT_TIME, 1, RECORDS[1]["eventTime"]),
    ])

    # The integration's pipeline failed (json processor on a cut event.original):
    # on_failure sets error.message and nothing was mapped.
    failed = {
        "@timestamp": "2026-03-01T10:21:07.413Z",
        "data_stream": {"dataset": "aws.cloudtrail", "namespace": "default", "type": "logs"},
        "ecs": {"version": "8.11.0"},
        "error": {"message": "Processor \"json\" with tag \"\" in pipeline \"logs-aws.cloudtrail-2.17.0\" "
                             "failed with message \"Unexpected end-of-input: expected close marker for "
                             "Object\""},
        "event": {"created": "2026-03-01T10:21:07.413Z", "dataset": "aws.cloudtrail",
                  "original": truncated},
        "input": {"type": "aws-s3"},
        "tags": ["preserve_original_event"],
    }
    write_json(out / "elastic-ecs-search.bad.json", search_response(
        ecs_index, [(ecs_doc(RECORDS[0], 0, False), RECORDS[0]["eventTime"]), (failed, "2026-03-01T10:21:07Z")],
        ELASTIC_IDS[:2]))
    write_ndjson(out / "elastic-ecs.bad.ndjson", [ecs_doc(RECORDS[0], 0, True), failed])


# ---------------------------------------------------------------- Datadog

DD_IDS = ["AwAAAZ1xQ2xvdWRUcmFpbEdldENhbGxlcklkZW50aXR5AAA",
          "AwAAAZ1xQ2xvdWRUcmFpbExpc3RCdWNrZXRzAAAAAAAAAAA",
          "AwAAAZ1xQ2xvdWRUcmFpbENyZWF0ZUFjY2Vzc0tleQAAAAA",
          "AwAAAZ1xQ2xvdWRUcmFpbERlc2NyaWJlSW5zdGFuY2VzAAA"]


def datadog_attributes(r) -> dict:
    """The CloudTrail record as Datadog's cloudtrail pipeline leaves it: the record's
    own fields, with eventName, sourceIPAddress and userAgent remapped to the
    standard attributes evt.name, network.client.ip and http.useragent (see FORMATS.md
    for what is documented and what is inferred)."""
    a = {k: v for k, v in r.items() if k not in ("eventName", "sourceIPAddress", "userAgent")}
    a["evt"] = {"name": r["eventName"], "outcome": "failure" if "errorCode" in r else "success"}
    a["network"] = {"client": {"ip": r["sourceIPAddress"]}}
    a["http"] = {"useragent": r["userAgent"]}
    a["usr"] = {"name": r["userIdentity"]["userName"], "account_id": r["userIdentity"]["accountId"]}
    return a


def datadog_entry(r, i, attrs=None) -> dict:
    region = r["awsRegion"] if "awsRegion" in r else "us-east-1"
    return {
        "attributes": {
            "attributes": datadog_attributes(r) if attrs is None else attrs,
            "service": "cloudtrail",
            "status": "info",
            "tags": ["source:cloudtrail", "service:cloudtrail", f"aws_account:{ACCOUNT}", f"region:{region}",
                     "forwardername:datadogforwarder-forwarder", "forwarder_version:4.9.0"],
            "timestamp": iso_ms(r["eventTime"]) if "eventTime" in r else "2026-03-01T10:21:00.000Z",
        },
        "id": i,
        "type": "log",
    }


def datadog_response(entries) -> dict:
    return {
        "data": entries,
        "links": {},
        "meta": {"elapsed": 87, "page": {}, "request_id": "pddv1ChZDbG91ZFRyYWlsRXhwb3J0VGVzdA", "status": "done"},
    }


def datadog_files(out: Path) -> None:
    write_json(out / "datadog-logs.json",
               datadog_response([datadog_entry(r, i) for r, i in zip(RECORDS, DD_IDS)]))
    # A log in the same export that is not CloudTrail at all (an application log).
    app_log = {
        "attributes": {
            "attributes": {"duration": 2345, "http": {"method": "GET", "status_code": 200, "url": "/healthz"},
                           "network": {"client": {"ip": "10.0.4.17"}}},
            "host": "i-0abc1234def567890",
            "message": "GET /healthz 200",
            "service": "web-app",
            "status": "info",
            "tags": ["source:nginx", "env:prod"],
            "timestamp": "2026-03-01T10:16:40.117Z",
        },
        "id": "AwAAAZ1xTm90Q2xvdWRUcmFpbEF0QWxsAAAAAAAAAAAAAAA",
        "type": "log",
    }
    write_json(out / "datadog-logs.bad.json", datadog_response([datadog_entry(RECORDS[0], DD_IDS[0]), app_log]))


# ---------------------------------------------------------------- Security Lake (OCSF)

def flatten(prefix, v, out):
    if isinstance(v, dict) and v:
        for k, x in v.items():
            flatten(f"{prefix}.{k}" if prefix else k, x, out)
    elif v is not None:
        out[prefix] = v if isinstance(v, str) else compact(v)


ACCOUNT_CHANGE = {"CreateAccessKey"}  # ocsf/examples cloudtrail.yml selector


def ocsf_event(r) -> dict:
    """A CloudTrail management event as Security Lake source version 2 (OCSF 1.1.0) writes it."""
    u = r["userIdentity"]
    name = r["eventName"]
    failed = "errorCode" in r
    if name in ACCOUNT_CHANGE:
        cls = {"class_uid": 3001, "class_name": "Account Change", "category_uid": 3,
               "category_name": "Identity & Access Management", "activity_id": 1, "activity_name": "Create"}
    else:
        act = (2, "Read") if name.startswith(("Get", "List", "Describe")) else (99, "Other")
        cls = {"class_uid": 6003, "class_name": "API Activity", "category_uid": 6,
               "category_name": "Application Activity", "activity_id": act[0], "activity_name": act[1]}
    api = {"operation": name, "request": {"uid": r["requestID"]}, "response": {},
           "service": {"name": r["eventSource"]}}
    if r.get("requestParameters"):
        api["request"]["data"] = compact(r["requestParameters"])
    if r.get("responseElements"):
        api["response"]["data"] = compact(r["responseElements"])
    if failed:
        api["response"]["error"] = r["errorCode"]
        api["response"]["message"] = r["errorMessage"]
    unmapped = {}
    for k in ("recipientAccountId", "readOnly", "managementEvent", "tlsDetails", "additionalEventData"):
        if k in r:
            flatten(k, r[k], unmapped)
    e = {
        "accountid": r["recipientAccountId"],
        "region": r["awsRegion"],
        **{k: cls[k] for k in ("activity_id", "activity_name")},
        "actor": {"user": {"type": u["type"], "name": u["userName"], "uid": u["arn"], "uid_alt": u["principalId"],
                           "account": {"uid": u["accountId"]}, "credential_uid": u["accessKeyId"]}},
        "api": api,
        **{k: cls[k] for k in ("category_name", "category_uid", "class_name", "class_uid")},
        "cloud": {"provider": "AWS", "region": r["awsRegion"]},
        "http_request": {"user_agent": r["userAgent"]},
        "metadata": {"event_code": r["eventType"],
                     "product": {"feature": {"name": "Management"}, "name": "CloudTrail", "vendor_name": "AWS",
                                 "version": r["eventVersion"]},
                     "profiles": ["cloud", "datetime"], "uid": r["eventID"], "version": "1.1.0"},
        "observables": [{"name": "src_endpoint.ip", "type": "IP Address", "type_id": 2, "value": r["sourceIPAddress"]},
                        {"name": "actor.user.name", "type": "User Name", "type_id": 4, "value": u["userName"]}],
        "severity": "Informational",
        "severity_id": 1,
        "src_endpoint": {"ip": r["sourceIPAddress"]},
        "status": "Failure" if failed else "Success",
        "status_id": 2 if failed else 1,
        "time": epoch_ms(r["eventTime"]),
        "time_dt": iso_ms(r["eventTime"]),
        "type_name": f"{cls['class_name']}: {cls['activity_name']}",
        "type_uid": cls["class_uid"] * 100 + cls["activity_id"],
        "unmapped": unmapped,
    }
    if name in ACCOUNT_CHANGE and r.get("requestParameters", {}).get("userName"):
        e["user"] = {"name": r["requestParameters"]["userName"]}
    return e


def security_lake_files(out: Path) -> None:
    write_ndjson(out / "security-lake-ocsf.ndjson", [ocsf_event(r) for r in RECORDS])
    # An EKS audit event from the same lake: the same class (API Activity, 6003), not CloudTrail.
    eks = {
        "accountid": ACCOUNT, "region": "us-east-1",
        "activity_id": 2, "activity_name": "Read",
        "actor": {"user": {"name": "system:serviceaccount:kube-system:coredns",
                           "uid": "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"}},
        "api": {"operation": "list", "request": {"uid": "2f4c6e8a-0b1d-4f3a-9c5e-7d9f1b3c5e7a"},
                "response": {"code": 200}},
        "category_name": "Application Activity", "category_uid": 6, "class_name": "API Activity", "class_uid": 6003,
        "cloud": {"provider": "AWS", "region": "us-east-1"},
        "http_request": {"url": {"path": "/api/v1/endpointslices"}, "user_agent": "coredns/v1.11.1"},
        "metadata": {"product": {"feature": {"name": "Elastic Kubernetes Service"}, "name": "Amazon EKS",
                                 "vendor_name": "AWS", "version": "audit.k8s.io/v1"},
                     "profiles": ["cloud", "datetime"], "uid": "2f4c6e8a-0b1d-4f3a-9c5e-7d9f1b3c5e7a",
                     "version": "1.1.0"},
        "severity": "Informational", "severity_id": 1,
        "src_endpoint": {"ip": "10.0.97.167"},
        "status": "Success", "status_id": 1,
        "time": epoch_ms("2026-03-01T10:16:10Z"), "time_dt": "2026-03-01T10:16:10.000Z",
        "type_name": "API Activity: Read", "type_uid": 600302,
        "unmapped": {},
    }
    write_ndjson(out / "security-lake-ocsf.bad.ndjson", [ocsf_event(RECORDS[0]), eks])


# ---------------------------------------------------------------- expected

def expected(out: Path) -> None:
    events = [{
        "eventID": r["eventID"],
        "eventTime": r["eventTime"],
        "eventName": r["eventName"],
        "eventSource": r["eventSource"],
        "awsRegion": r["awsRegion"],
        "sourceIPAddress": r["sourceIPAddress"],
        "userAgent": r["userAgent"],
        "userIdentity.arn": r["userIdentity"]["arn"],
        "userIdentity.accessKeyId": r["userIdentity"]["accessKeyId"],
        "errorCode": r.get("errorCode"),
        "recipientAccountId": r["recipientAccountId"],
    } for r in RECORDS]
    good = {
        "cloudtrail.json": "cloudtrail",
        "cloudtrail-lake.json": "cloudtrail-lake",
        "cloudtrail-lake-select-star.json": "cloudtrail-lake",
        "logstash-search.json": "elasticsearch",
        "logstash-cloudwatch.ndjson": "elasticsearch",
        "elastic-ecs-search.json": "elasticsearch",
        "elastic-ecs.ndjson": "elasticsearch",
        "datadog-logs.json": "datadog",
        "security-lake-ocsf.ndjson": "ocsf",
    }
    bad = {
        "cloudtrail.bad.json": {"format": "cloudtrail", "events": [events[0]["eventID"]], "rejected": 1,
                                "error": "missing eventTime"},
        "cloudtrail-lake.bad.json": {"format": "cloudtrail-lake", "events": [events[0]["eventID"]], "rejected": 1,
                                     "error": "no eventJson column"},
        "logstash-search.bad.json": {"format": "elasticsearch", "events": [events[0]["eventID"]], "rejected": 1,
                                     "error": "_jsonparsefailure"},
        "logstash-cloudwatch.bad.ndjson": {"format": "elasticsearch", "events": [events[0]["eventID"]],
                                           "rejected": 1, "error": "missing eventTime"},
        "elastic-ecs-search.bad.json": {"format": "elasticsearch", "events": [events[0]["eventID"]], "rejected": 1,
                                        "error": "error.message"},
        "elastic-ecs.bad.ndjson": {"format": "elasticsearch", "events": [events[0]["eventID"]], "rejected": 1,
                                   "error": "error.message"},
        "datadog-logs.bad.json": {"format": "datadog", "events": [events[0]["eventID"]], "rejected": 1,
                                  "error": "no CloudTrail fields"},
        "security-lake-ocsf.bad.ndjson": {"format": "ocsf", "events": [events[0]["eventID"]], "rejected": 1,
                                          "error": "not a CloudTrail event"},
    }
    write_json(out / "expected.json", {"events": events, "good": good, "bad": bad})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    out = p.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "cloudtrail.json", {"Records": RECORDS})
    write_json(out / "cloudtrail.bad.json", {"Records": [RECORDS[0], NO_EVENT_TIME]})
    lake_files(out)
    elastic_files(out)
    datadog_files(out)
    security_lake_files(out)
    expected(out)


if __name__ == "__main__":
    main()
