//! identrail finds compromised cloud identities in AWS CloudTrail logs: it
//! decodes the logs, runs the detection rules, builds the identity graph and
//! answers with risk, status, remediation plans and least-privilege policies.
//! This crate is a safe interface to its C library (`identrail-sys`).
//!
//! ```no_run
//! let mut engine = identrail::Engine::new(&identrail::Options::default())?;
//! engine.feed_path("AWSLogs/")?;
//! engine.finish()?;
//! for d in engine.detections() {
//!     println!("{} {} {}", d.severity, d.rule_id, d.summary);
//! }
//! for a in engine.assessments()? {
//!     if a.status != identrail::Status::Normal {
//!         let plan = engine.remediation(&a.identity, &identrail::QueryOptions::default())?;
//!         println!("{}: {} strategies", a.identity, plan.strategies.len());
//!     }
//! }
//! # Ok::<(), identrail::Error>(())
//! ```
//!
//! # Building
//! `identrail-sys` finds the library through pkg-config: install it
//! (`cmake --install build/release --prefix PREFIX`) and set
//! `PKG_CONFIG_PATH=PREFIX/lib/pkgconfig`. The `static` feature links
//! `libidentrail_c.a`, whose only global symbols are the API's, so its RE2,
//! zlib and OpenSSL cannot clash with a program's own; the binary still needs
//! libsimdjson, libstdc++ and libc from the system.
//!
//! # Threads
//! An [`Engine`] or [`Normalizer`] is `Send` but not `Sync`: one thread at a
//! time. A [`RuleSet`] and a [`Policy`] are immutable and `Send + Sync`.

mod answers;
mod correlation;
mod detection;
mod engine;
mod error;
mod event;
mod ffi;
mod indexed;
mod normalizer;
mod options;
mod policy;
mod rules;

pub use answers::{LeastPrivilege, RemediationPlan, RemediationStep, RemediationStrategy, Resolution, UsedAction};
pub use correlation::{Assessment, Identity, Query, QueryOptions, Risk, Status};
pub use detection::{Detection, Detections};
pub use engine::{DecodeError, Engine, Stats};
pub use error::{Error, ErrorKind, Result};
pub use event::{Event, Events};
pub use normalizer::Normalizer;
pub use options::Options;
pub use policy::{Decision, Evaluation, Policies, Policy, PolicyKind, Request};
pub use rules::{RuleFlags, RuleSet};

/// A time as identrail gives it: nanoseconds since the Unix epoch (UTC).
pub type UnixNanos = i64;
