//! Reads CloudTrail files or directories through identrail's Rust crate and
//! prints each detection as it is found, the identities that are not normal,
//! and the first step of each one's remediation plan.
//!
//!     PKG_CONFIG_PATH=PREFIX/lib/pkgconfig cargo run -p identrail-example -- PATH...
use std::process::ExitCode;

use identrail::{Engine, Options, QueryOptions, Status};

fn analyze(paths: &[String]) -> identrail::Result<()> {
    let mut engine = Engine::new(&Options::default())?;
    // Live: each detection the moment its evidence is complete (revisions follow with the same id).
    engine.on_detection(|d| {
        if d.revision == 0 {
            println!("detected  {:<8} {:<13} {}", d.severity, d.rule_id, d.summary);
        }
    })?;
    engine.feed_paths(paths)?;
    engine.finish()?;
    let stats = engine.stats()?;
    println!(
        "identrail: {} records, {} accepted, {} rejected, {} identities, {} detections",
        stats.total,
        stats.accepted,
        stats.rejected,
        stats.identities,
        engine.detections().len()
    );
    for e in engine.errors() {
        println!("rejected  {}: {}: {}", e.source, e.location, e.reason);
    }
    for a in engine.assessments()? {
        if a.status == Status::Normal {
            continue;
        }
        println!("{}: {}, risk {}", a.identity, a.status.as_str(), a.risk.as_str());
        let plan = engine.remediation(&a.identity, &QueryOptions::default())?;
        if let Some(step) = plan.strategies.first().and_then(|s| s.steps.first()) {
            println!("  first step: {}", step.cli);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: analyze PATH...");
        return ExitCode::from(2);
    }
    match analyze(&paths) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
