"""Notebook-style use of identrail: events and detections into pandas, then a
question a responder asks: which identities were used from more than one network?

    python examples/python/analyze.py [PATH ...]
"""
import sys

import identrail

engine = identrail.Engine()
for path in sys.argv[1:] or [str(identrail.sample_path())]:
    engine.feed_path(path)
print(engine.stats)
for err in engine.errors:
    print(f"rejected {err.source}: {err.location}: {err.reason}")

frame = identrail.to_pandas(engine)
ips = frame[frame["source"].str.match(r"^\d+\.\d+\.\d+\.\d+$")].groupby("identity")["source"].nunique()
print("Identities seen from more than one IP address:")
print(ips[ips > 1].sort_values(ascending=False).to_string())

engine.finish()
detections = identrail.detections_to_pandas(engine)
print(f"\n{len(detections)} detections; by severity:")
print(detections.groupby("severity").size().to_string())
print(detections[detections["severity"].isin(["high", "critical"])][["first_seen", "rule_id", "identity"]].to_string(index=False))
