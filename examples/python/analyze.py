"""Notebook-style use of identrail: events and detections into pandas, then the
questions a responder asks: which identities were used from more than one
network, which are compromised, what did they touch, and what do we do now?

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

print("\nIdentities needing attention:")
assessed = identrail.assessments_to_pandas(engine)
print(assessed[assessed["status"] != "normal"][["identity", "status", "risk", "since"]].to_string(index=False))

admin = "arn:aws:iam::111122223333:user/ops-admin"
if any(row["identity"] == admin for row in engine.assessments()):
    radius = engine.blast_radius(admin, since=engine.assessment(admin).get("since"))
    print(f"\n{admin} touched since it was flagged:")
    for resource in radius["resources"]:
        print(f"  {resource['arn']}  ({', '.join(a['action'] for a in resource['actions'])})")
    plan = engine.remediation(admin)
    print("\nRemediation strategies:", ", ".join(s["id"] for s in plan["strategies"]))

try:
    import networkx as nx
except ImportError:  # the graph is optional in a notebook
    nx = None
if nx is not None:
    graph = identrail.to_networkx(engine)
    print(f"\nIdentity graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
