//! The safe interface: errors with the library's code, the callback, rule sets
//! across threads, checkpoints, typed answers, the policy evaluator and the normalizer.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use identrail::{
    Decision, Engine, ErrorKind, Normalizer, Options, Policies, Policy, PolicyKind, Query, QueryOptions, Request, Risk,
    RuleSet, Status,
};

const ADMIN: &str = "arn:aws:iam::111122223333:user/ops-admin";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../examples/data/sample")
}

fn sample_engine(options: &Options) -> Engine {
    let mut engine = Engine::new(options).expect("engine");
    engine.feed_path(sample()).expect("sample");
    engine.finish().expect("finish");
    engine
}

fn assert_send<T: Send>() {}
fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn engines_move_between_threads_and_rule_sets_are_shared() {
    assert_send::<Engine>();
    assert_send::<Normalizer>();
    assert_send_sync::<RuleSet>();
    assert_send_sync::<Policy>();
    let rules = RuleSet::builtin().unwrap();
    assert!(rules.len() > 50 && rules.ids()[0].starts_with("IDT-"));
    assert_eq!(rules.run_tests().unwrap(), Vec::<String>::new());
    let want = sample_engine(&Options::default()).detections().len();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let rules = rules.clone();
            std::thread::spawn(move || {
                sample_engine(&Options {
                    rules: Some(rules),
                    ..Options::default()
                })
                .detections()
                .len()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), want);
    }
    let engine = sample_engine(&Options::default());
    let moved = std::thread::spawn(move || engine.stats().unwrap().accepted)
        .join()
        .unwrap();
    assert!(moved > 1000);
}

#[test]
fn errors_carry_the_librarys_code_and_name_the_culprit() {
    let late = Engine::new(&Options {
        allowed_lateness: Some(Duration::from_secs(8 * 86400)),
        ..Options::default()
    });
    let e = late.err().expect("a lateness of 8 days is refused");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("allowed_lateness"), "{e}");

    let both = Options {
        rules: Some(RuleSet::builtin().unwrap()),
        rule_files: vec![sample()],
        ..Options::default()
    };
    assert_eq!(Engine::new(&both).err().unwrap().kind(), ErrorKind::InvalidArgument);

    let mut engine = sample_engine(&Options::default());
    assert_eq!(
        engine.feed_path("/no/such/dir").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        engine.resolve("arn:aws:iam::1:user/nobody").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let stray = QueryOptions {
        max_paths: Some(2),
        ..QueryOptions::default()
    };
    let e = engine.query(Query::Remediation, ADMIN, &stray).unwrap_err();
    assert!(
        e.kind() == ErrorKind::InvalidArgument && e.message().contains("IDT_QOPT_MAX_PATHS"),
        "{e}"
    );
    assert_eq!(
        Engine::restore(b"not a checkpoint", &Options::default())
            .err()
            .unwrap()
            .kind(),
        ErrorKind::BadState
    );
    let e = RuleSet::parse("- id: X-1\n  severity: dire\n", "inline.yaml").unwrap_err();
    assert!(e.message().contains("inline.yaml:1"), "{e}");
    assert!(engine.feed_named(b"x", "a\0b").is_err());
}

#[test]
fn bad_records_are_counted_not_failures() {
    let mut engine = Engine::new(&Options::default()).unwrap();
    engine.feed_named(b"{\"eventTime\": 12}\n[1]\n", "pipe").unwrap();
    let stats = engine.stats().unwrap();
    assert_eq!((stats.accepted, stats.rejected), (0, 2));
    let errors = engine.errors();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].source, "pipe");
}

#[test]
fn the_callback_sees_every_revision() {
    let seen = Arc::new(Mutex::new(
        std::collections::HashMap::<String, identrail::Detection>::new(),
    ));
    let mut engine = Engine::new(&Options::default()).unwrap();
    let sink = Arc::clone(&seen);
    engine
        .on_detection(move |d| {
            let mut seen = sink.lock().unwrap();
            if let Some(previous) = seen.get(&d.id) {
                assert!(previous.revision < d.revision);
            }
            seen.insert(d.id.clone(), d.clone());
        })
        .unwrap();
    engine.feed_path(sample()).unwrap();
    engine.finish().unwrap();
    let seen = seen.lock().unwrap();
    let standing: Vec<_> = engine.detections().collect();
    assert!(!standing.is_empty());
    for d in &standing {
        assert_eq!(
            seen.get(&d.id),
            Some(d),
            "the callback's last revision is the standing one"
        );
    }
}

#[test]
#[should_panic(expected = "the caller's bug")]
fn a_panic_in_the_callback_comes_back_after_the_call() {
    let mut engine = Engine::new(&Options::default()).unwrap();
    engine.on_detection(|_| panic!("the caller's bug")).unwrap();
    engine.feed_path(sample()).unwrap();
    engine.finish().unwrap();
}

#[test]
fn checkpoints_restore_the_same_answers() {
    let engine = sample_engine(&Options::default());
    let restored = Engine::restore(&engine.checkpoint().unwrap(), &Options::default()).unwrap();
    assert_eq!(restored.assessments().unwrap(), engine.assessments().unwrap());
    assert_eq!(
        restored.detections().collect::<Vec<_>>(),
        engine.detections().collect::<Vec<_>>()
    );
}

#[test]
fn typed_answers() {
    let engine = sample_engine(&Options::default());
    let identities = engine.identities().unwrap();
    let admin = identities.iter().find(|i| i.key == ADMIN).expect("the admin");
    assert_eq!(admin.kind, "IAMUser");
    assert!(admin.events > 0 && admin.first_seen_ns <= admin.last_seen_ns);
    let assessed = engine.assessments().unwrap();
    let status = assessed.iter().find(|a| a.identity == ADMIN).unwrap();
    assert_eq!(status.status, Status::PotentiallyCompromised);
    assert!(status.risk >= Risk::High && status.since_ns.is_some());
    let plan = engine
        .remediation(
            ADMIN,
            &QueryOptions {
                now_ns: Some(1_772_449_200_000_000_000),
                ..QueryOptions::default()
            },
        )
        .unwrap();
    assert_eq!(plan.schema_version, 1);
    assert!(plan.strategies.iter().any(|s| s.id == "deactivate_user"));
    assert!(plan.strategies[0].steps[0].parameters.is_object());
    let least = engine.least_privilege(ADMIN, &QueryOptions::default()).unwrap();
    assert!(least.flag_time.is_some() && !least.used_actions.is_empty() && !least.excluded_actions.is_empty());
    assert!(least.used_actions.iter().all(|u| u.action != "cloudtrail:StopLogging"));
    let chain = engine
        .resolve("arn:aws:sts::111122223333:assumed-role/ops-break-glass/maint-ab0894")
        .unwrap();
    assert_eq!(chain.root_principal, ADMIN);
    let events: Vec<_> = engine.events().collect();
    assert_eq!(events.len() as u64, engine.stats().unwrap().accepted);
    assert!(events.iter().all(|e| !e.id.is_empty() && e.time_ns > 0));
}

#[test]
fn the_policy_evaluator_alone() {
    let allow = Policy::parse(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        "id.json",
    )
    .unwrap();
    let scp = Policy::parse(
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"KeepLogs","Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}"#,
        "scp.json",
    )
    .unwrap();
    let policies = Policies {
        identity: vec![allow],
        scps: vec![scp],
        ..Policies::default()
    };
    let request = Request {
        principal: ADMIN.into(),
        action: "cloudtrail:StopLogging".into(),
        ..Request::default()
    };
    let e = policies.evaluate(&request).unwrap();
    assert_eq!(
        (e.decision, e.decided_by, e.statement_index),
        (Decision::ExplicitDeny, PolicyKind::Scp, 1)
    );
    assert_eq!(e.sid, "KeepLogs");
    let read = Request {
        action: "s3:GetObject".into(),
        ..request
    };
    assert_eq!(policies.evaluate(&read).unwrap().decision, Decision::Allow);
    let e = Policy::parse(r#"{"Statement":{"Effect":"Maybe"}}"#, "bad.json").unwrap_err();
    assert!(e.message().contains("bad.json"), "{e}");
}

#[test]
fn the_normalizer_alone() {
    let mut n = Normalizer::new(&Options::default()).unwrap();
    n.feed_path(sample()).unwrap();
    let events = n.take_events();
    assert_eq!(events.len() as u64, n.accepted().unwrap());
    assert!(n.take_events().is_empty());
    assert_eq!(events[0].action, "sts:AssumeRole");
    n.feed_path(sample()).unwrap();
    assert!(n.take_events().is_empty(), "all repeats");
}

#[test]
fn rules_alone_build_no_graph() {
    for on in [true, false] {
        let e = sample_engine(&Options {
            correlate: Some(on),
            ..Options::default()
        });
        let report = e.report_json().expect("report");
        assert!(report.contains(&format!("\"correlated\":{on}")), "correlate {on}");
        assert!(e.detections().next().is_some());
    }
}

#[test]
fn decode_threads_give_the_same_report() {
    let one = sample_engine(&Options::default()).report_json().expect("report");
    let three = sample_engine(&Options {
        decode_threads: Some(3),
        ..Options::default()
    })
    .report_json()
    .expect("report");
    assert_eq!(one, three);
    let refused = Engine::new(&Options {
        decode_threads: Some(0),
        ..Options::default()
    });
    assert_eq!(refused.err().unwrap().kind(), ErrorKind::InvalidArgument);
}
