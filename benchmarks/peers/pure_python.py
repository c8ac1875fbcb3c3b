#!/usr/bin/env python3
"""IDT-CRED-001 in plain Python (json + dicts), the way a script would do it: per identity, a sliding
30-minute window of distinct SES / Secrets Manager probing actions. Prints the identities it finds.

    pure_python.py FILE.ndjson
"""
from __future__ import annotations

import collections
import json
import sys
from datetime import datetime, timedelta

PROBES = {"ses:GetSendQuota", "ses:ListIdentities", "ses:GetSendStatistics", "ses:ListVerifiedEmailAddresses",
          "ses:GetAccountSendingEnabled", "ses:GetAccount", "secretsmanager:ListSecrets"}


def python_cred001(path: str) -> list[str]:
    """The rule in plain Python: per identity, a sliding 30-minute window of distinct probing actions."""
    seen = collections.defaultdict(list)
    with open(path, "rb") as f:
        for line in f:
            r = json.loads(line)
            action = r.get("eventSource", "").split(".", 1)[0] + ":" + r.get("eventName", "")
            if action in PROBES:
                who = r.get("userIdentity") or {}
                t = datetime.fromisoformat(r["eventTime"].replace("Z", "+00:00"))
                seen[who.get("arn") or who.get("principalId")].append((t, action))
    found = []
    for who, calls in seen.items():
        calls.sort()
        if any(len({a for t, a in calls[i:] if t - t0 <= timedelta(minutes=30)}) >= 4 for i, (t0, _) in enumerate(calls)):
            found.append(who)
    return sorted(found)


if __name__ == "__main__":
    print("\n".join(python_cred001(sys.argv[1])))
