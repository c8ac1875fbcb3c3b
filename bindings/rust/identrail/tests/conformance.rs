//! The shared conformance corpus (tests/conformance/README.md) replayed through the Rust crate.
use std::path::{Path, PathBuf};

use identrail::{Engine, Options, Query, QueryOptions, Status};
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn corpus() -> PathBuf {
    root().join("tests/conformance")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn query_kind(name: &str) -> Query {
    match name {
        "assessment" => Query::Assessment,
        "resolution" => Query::Resolution,
        "blast_radius" => Query::BlastRadius,
        "paths" => Query::Paths,
        "where_used" => Query::WhereUsed,
        "timeline" => Query::Timeline,
        "remediation" => Query::Remediation,
        "least_privilege" => Query::LeastPrivilege,
        other => panic!("unknown query {other}"),
    }
}

fn status(name: &str) -> Status {
    match name {
        "compromised" => Status::Compromised,
        "remediated" => Status::Remediated,
        "normal" => Status::Normal,
        other => panic!("a person cannot say {other}"),
    }
}

fn query_options(q: &Value) -> QueryOptions {
    let int = |key: &str| q.get(key).and_then(Value::as_i64);
    QueryOptions {
        since_ns: int("since_ns"),
        max_depth: int("max_depth").map(|v| v as u32),
        max_paths: int("max_paths").map(|v| v as u32),
        to: q.get("to").and_then(Value::as_str).map(str::to_owned),
        now_ns: int("now_ns"),
        allow_cidrs: strings(&q["allow_cidrs"]),
        flag_time_ns: int("flag_time_ns"),
        current_policies: strings(&q["current_policies"])
            .iter()
            .map(|p| std::fs::read_to_string(root().join(p)).unwrap())
            .collect(),
        compact: q.get("compact").and_then(Value::as_bool).unwrap_or(false),
    }
}

fn answers(case: &Value) -> Value {
    let options = Options {
        rule_files: strings(&case["rules"]).iter().map(|p| root().join(p)).collect(),
        ..Options::default()
    };
    let mut engine = Engine::new(&options).expect("engine");
    for input in strings(&case["inputs"]) {
        engine.feed_path(root().join(input)).expect("input");
    }
    engine.finish().expect("finish");
    for flag in case["flags"].as_array().into_iter().flatten() {
        let since = flag.get("since_ns").and_then(Value::as_i64);
        engine
            .flag(
                flag["identity"].as_str().unwrap(),
                status(flag["status"].as_str().unwrap()),
                since,
            )
            .expect("flag");
    }
    let stats = engine.stats().expect("stats");
    let errors: Vec<Value> = engine
        .errors()
        .into_iter()
        .map(|e| {
            let file = Path::new(&e.source).file_name().unwrap().to_string_lossy().into_owned();
            json!({"source": file, "location": e.location, "reason": e.reason})
        })
        .collect();
    let mut detections: Vec<_> = engine.detections().collect();
    detections.sort_by(|a, b| a.id.cmp(&b.id));
    let detections: Vec<Value> = detections
        .into_iter()
        .map(|d| {
            json!({"id": d.id, "revision": d.revision, "rule_id": d.rule_id, "severity": d.severity,
                   "identity": d.identity, "source_ip": d.source_ip, "first_seen_ns": d.first_seen_ns,
                   "last_seen_ns": d.last_seen_ns, "count": d.count, "event_ids": d.event_ids, "follows": d.follows})
        })
        .collect();
    let mut assessments = engine.assessments().expect("assessments");
    assessments.sort_by(|a, b| a.identity.cmp(&b.identity));
    let assessments: Vec<Value> = assessments
        .into_iter()
        .map(|a| {
            json!({"identity": a.identity, "status": a.status.as_str(), "risk": a.risk.as_str(),
                   "since_ns": a.since_ns, "reasons": a.reasons, "detections": a.detections})
        })
        .collect();
    let queries: Vec<Value> = case["queries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| {
            let subject = q["subject"].as_str().unwrap();
            let answer = engine
                .query(query_kind(q["query"].as_str().unwrap()), subject, &query_options(q))
                .unwrap_or_else(|e| panic!("{} {subject}: {e}", q["query"]));
            serde_json::from_str(&answer).unwrap()
        })
        .collect();
    json!({
        "stats": {"total": stats.total, "accepted": stats.accepted, "rejected": stats.rejected,
                  "duplicates": stats.duplicates, "identities": stats.identities},
        "errors": errors, "detections": detections, "assessments": assessments, "queries": queries,
    })
}

#[test]
fn rust_answers_as_the_corpus_says() {
    let cases = read_json(&corpus().join("cases.json"));
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    let mut differences = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expected = read_json(&corpus().join("expected").join(format!("{name}.json")));
        let got = answers(case);
        for (part, value) in expected.as_object().unwrap() {
            if got.get(part) != Some(value) {
                differences.push(format!("{name}: {part} differs"));
            }
        }
        assert_eq!(
            got.as_object().unwrap().len(),
            expected.as_object().unwrap().len(),
            "{name}: parts"
        );
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
