from __future__ import annotations

import gzip
import json
import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?$")


def valid_cloudtrail(record: dict) -> bool:
    """Independent oracle: a record identrail must accept (eventTime and eventName usable)."""
    time, name = record.get("eventTime"), record.get("eventName")
    return isinstance(time, str) and bool(TIME.match(time)) and isinstance(name, str) and bool(name)


@pytest.fixture(scope="session")
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.fail(f"the shared datasets are missing: {DATASETS}")
    return DATASETS


@pytest.fixture(scope="session")
def datadog_dir(datasets: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("datadog")
    with zipfile.ZipFile(datasets / "cloudtrail2sightings" / "cloudtrail.zip") as archive:
        archive.extractall(out)
    return out


def record(event_id: str, name: str = "GetSendQuota", time: str = "2026-03-01T10:00:00Z", **extra) -> dict:
    rec = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE",
                         "arn": "arn:aws:iam::111122223333:user/ops-admin", "accountId": "111122223333",
                         "accessKeyId": "AKIAEXAMPLE", "userName": "ops-admin"},
        "eventTime": time, "eventSource": "ses.amazonaws.com", "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15.0", "requestParameters": None,
        "responseElements": None, "eventID": event_id, "readOnly": True, "eventType": "AwsApiCall",
        "recipientAccountId": "111122223333",
    }
    rec.update(extra)
    return rec


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def lines(records: list[dict]) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()
