use identrail_sys as sys;

use crate::answers::{LeastPrivilege, RemediationPlan, Resolution};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ffi::{call, ptr_len, string, take_buffer, NO_TIME};
use crate::UnixNanos;

/// An identity's compromise status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Normal,
    /// Set by the evidence only.
    PotentiallyCompromised,
    Compromised,
    Remediated,
}

impl Status {
    fn of(raw: sys::idt_identity_status) -> Status {
        match raw {
            sys::IDT_STATUS_POTENTIALLY_COMPROMISED => Status::PotentiallyCompromised,
            sys::IDT_STATUS_COMPROMISED => Status::Compromised,
            sys::IDT_STATUS_REMEDIATED => Status::Remediated,
            _ => Status::Normal,
        }
    }
    fn raw(self) -> sys::idt_identity_status {
        match self {
            Status::Normal => sys::IDT_STATUS_NORMAL,
            Status::PotentiallyCompromised => sys::IDT_STATUS_POTENTIALLY_COMPROMISED,
            Status::Compromised => sys::IDT_STATUS_COMPROMISED,
            Status::Remediated => sys::IDT_STATUS_REMEDIATED,
        }
    }
    /// "normal", "potentially_compromised", "compromised", "remediated".
    pub fn as_str(self) -> &'static str {
        ["normal", "potentially_compromised", "compromised", "remediated"][self as usize]
    }
}

/// An identity's risk level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Risk {
    fn of(raw: sys::idt_risk) -> Risk {
        match raw {
            sys::IDT_RISK_LOW => Risk::Low,
            sys::IDT_RISK_MEDIUM => Risk::Medium,
            sys::IDT_RISK_HIGH => Risk::High,
            sys::IDT_RISK_CRITICAL => Risk::Critical,
            _ => Risk::None,
        }
    }
    /// "none", "low", "medium", "high", "critical".
    pub fn as_str(self) -> &'static str {
        ["none", "low", "medium", "high", "critical"][self as usize]
    }
}

/// What the engine knows about one identity the logs name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    /// ARN, else principal id.
    pub key: String,
    /// IAMUser, AssumedRole, Root, ...
    pub kind: String,
    pub first_seen_ns: UnixNanos,
    pub last_seen_ns: UnixNanos,
    pub events: u64,
    pub failed: u64,
    /// Distinct, first-seen order, capped.
    pub source_ips: Vec<String>,
}

/// An identity's risk and status, with the reasons.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    pub identity: String,
    pub status: Status,
    pub risk: Risk,
    /// When the status began, where known.
    pub since_ns: Option<UnixNanos>,
    /// Most important first.
    pub reasons: Vec<String>,
    /// The identity's own detections.
    pub detections: usize,
}

/// A JSON answer of the library (`idt_query`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Query {
    Assessment,
    Resolution,
    BlastRadius,
    Paths,
    WhereUsed,
    Timeline,
    Remediation,
    LeastPrivilege,
}

impl Query {
    fn raw(self) -> sys::idt_query {
        match self {
            Query::Assessment => sys::IDT_QUERY_ASSESSMENT,
            Query::Resolution => sys::IDT_QUERY_RESOLUTION,
            Query::BlastRadius => sys::IDT_QUERY_BLAST_RADIUS,
            Query::Paths => sys::IDT_QUERY_PATHS,
            Query::WhereUsed => sys::IDT_QUERY_WHERE_USED,
            Query::Timeline => sys::IDT_QUERY_TIMELINE,
            Query::Remediation => sys::IDT_QUERY_REMEDIATION,
            Query::LeastPrivilege => sys::IDT_QUERY_LEAST_PRIVILEGE,
        }
    }
}

/// A query's options. A query refuses an option it does not read
/// (`ErrorKind::InvalidArgument`), so a misplaced one is never silently ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// BlastRadius, Timeline: only what happened from then on.
    pub since_ns: Option<UnixNanos>,
    /// Paths: edges per path (default 8) and paths at most (default 32).
    pub max_depth: Option<u32>,
    pub max_paths: Option<u32>,
    /// Paths: the target, a resource or identity.
    pub to: Option<String>,
    /// Remediation: the session-revocation cut-off (default: the clock).
    pub now_ns: Option<UnixNanos>,
    /// Remediation: networks the identity may still be used from.
    pub allow_cidrs: Vec<String>,
    /// LeastPrivilege: default when the identity's status began.
    pub flag_time_ns: Option<UnixNanos>,
    /// LeastPrivilege: the identity's policies as JSON; the result never grants what they do not.
    pub current_policies: Vec<String>,
    /// LeastPrivilege: fold actions into wildcards that admit no unused action.
    pub compact: bool,
}

struct CQueryOptions(*mut sys::idt_query_options);

impl Drop for CQueryOptions {
    fn drop(&mut self) {
        // SAFETY: made by idt_query_options_new, freed once.
        unsafe { sys::idt_query_options_free(self.0) }
    }
}

impl QueryOptions {
    fn to_c(&self) -> Result<CQueryOptions> {
        let mut raw = std::ptr::null_mut();
        // SAFETY: an out-pointer to a local.
        call(|err| unsafe { sys::idt_query_options_new(&mut raw, err) })?;
        let q = CQueryOptions(raw);
        let mut ints: Vec<(sys::idt_query_option, i64)> = Vec::new();
        ints.extend(self.since_ns.map(|v| (sys::IDT_QOPT_SINCE_NS, v)));
        ints.extend(self.max_depth.map(|v| (sys::IDT_QOPT_MAX_DEPTH, i64::from(v))));
        ints.extend(self.max_paths.map(|v| (sys::IDT_QOPT_MAX_PATHS, i64::from(v))));
        ints.extend(self.now_ns.map(|v| (sys::IDT_QOPT_NOW_NS, v)));
        ints.extend(self.flag_time_ns.map(|v| (sys::IDT_QOPT_FLAG_TIME_NS, v)));
        if self.compact {
            ints.push((sys::IDT_QOPT_COMPACT, 1));
        }
        for (key, value) in ints {
            // SAFETY: a live handle.
            call(|err| unsafe { sys::idt_query_options_set_int(q.0, key, value, err) })?;
        }
        let mut strings: Vec<(sys::idt_query_string_option, &str)> = Vec::new();
        strings.extend(self.to.as_deref().map(|v| (sys::IDT_QOPT_TO, v)));
        strings.extend(self.allow_cidrs.iter().map(|v| (sys::IDT_QOPT_ALLOW_CIDR, v.as_str())));
        strings.extend(
            self.current_policies
                .iter()
                .map(|v| (sys::IDT_QOPT_CURRENT_POLICY, v.as_str())),
        );
        for (key, value) in strings {
            let (p, n) = ptr_len(value.as_bytes());
            // SAFETY: a live handle; the text outlives the call.
            call(|err| unsafe { sys::idt_query_options_set_string(q.0, key, p, n, err) })?;
        }
        Ok(q)
    }
}

impl Engine {
    /// A person's statement: compromised from `since_ns`, remediated at
    /// `since_ns` (None: as of everything read), or normal to clear earlier flags.
    pub fn flag(&mut self, identity: &str, status: Status, since_ns: Option<UnixNanos>) -> Result<()> {
        let (p, n) = ptr_len(identity.as_bytes());
        // SAFETY: a live engine; the name outlives the call.
        call(|err| unsafe { sys::idt_engine_flag(self.raw, p, n, status.raw(), since_ns.unwrap_or(NO_TIME), err) })
    }

    /// Every identity the logs name, in order of first appearance.
    pub fn identities(&self) -> Result<Vec<Identity>> {
        let mut list = std::ptr::null_mut();
        // SAFETY: a live engine; the list is read, copied and freed here.
        call(|err| unsafe { sys::idt_engine_identities(self.raw, &mut list, err) })?;
        let rows = unsafe {
            (0..sys::idt_identity_list_count(list))
                .map(|i| {
                    let row = sys::idt_identity_list_at(list, i);
                    Identity {
                        key: string(sys::idt_identity_key(row)),
                        kind: string(sys::idt_identity_type(row)),
                        first_seen_ns: sys::idt_identity_first_seen_ns(row),
                        last_seen_ns: sys::idt_identity_last_seen_ns(row),
                        events: sys::idt_identity_event_count(row),
                        failed: sys::idt_identity_failed_count(row),
                        source_ips: (0..sys::idt_identity_source_ip_count(row))
                            .map(|j| string(sys::idt_identity_source_ip_at(row, j)))
                            .collect(),
                    }
                })
                .collect()
        };
        unsafe { sys::idt_identity_list_free(list) };
        Ok(rows)
    }

    /// Risk and status of every identity.
    pub fn assessments(&self) -> Result<Vec<Assessment>> {
        let mut list = std::ptr::null_mut();
        // SAFETY: a live engine; the list is read, copied and freed here.
        call(|err| unsafe { sys::idt_engine_assessments(self.raw, &mut list, err) })?;
        let rows = unsafe {
            (0..sys::idt_assessment_list_count(list))
                .map(|i| {
                    let a = sys::idt_assessment_list_at(list, i);
                    let since = sys::idt_assessment_since_ns(a);
                    Assessment {
                        identity: string(sys::idt_assessment_identity(a)),
                        status: Status::of(sys::idt_assessment_status(a)),
                        risk: Risk::of(sys::idt_assessment_risk(a)),
                        since_ns: (since != NO_TIME).then_some(since),
                        reasons: (0..sys::idt_assessment_reason_count(a))
                            .map(|j| string(sys::idt_assessment_reason_at(a, j)))
                            .collect(),
                        detections: sys::idt_assessment_detection_count(a),
                    }
                })
                .collect()
        };
        unsafe { sys::idt_assessment_list_free(list) };
        Ok(rows)
    }

    /// The library's JSON answer about `subject` (an identity; for
    /// [`Query::Paths`] an entry point), starting with "schema_version".
    /// `ErrorKind::NotFound` when the logs do not name the subject.
    pub fn query(&self, query: Query, subject: &str, options: &QueryOptions) -> Result<String> {
        let q = options.to_c()?;
        let (p, n) = ptr_len(subject.as_bytes());
        let mut buf = std::ptr::null_mut();
        // SAFETY: live handles; the subject outlives the call; the buffer is ours.
        call(|err| unsafe { sys::idt_engine_query(self.raw, query.raw(), p, n, q.0, &mut buf, err) })?;
        String::from_utf8(unsafe { take_buffer(buf) }).map_err(|e| Error::invalid(e.to_string()))
    }

    /// The chain behind a session, back to the principal really behind it.
    pub fn resolve(&self, identity: &str) -> Result<Resolution> {
        Ok(serde_json::from_str(&self.query(
            Query::Resolution,
            identity,
            &QueryOptions::default(),
        )?)?)
    }

    /// What to do about an identity; `options` may set `now_ns` and `allow_cidrs`. Plans are data: no AWS calls.
    pub fn remediation(&self, identity: &str, options: &QueryOptions) -> Result<RemediationPlan> {
        Ok(serde_json::from_str(&self.query(
            Query::Remediation,
            identity,
            options,
        )?)?)
    }

    /// A policy from what the identity used before it was flagged; `options`
    /// may set `flag_time_ns`, `current_policies` and `compact`.
    pub fn least_privilege(&self, identity: &str, options: &QueryOptions) -> Result<LeastPrivilege> {
        Ok(serde_json::from_str(&self.query(
            Query::LeastPrivilege,
            identity,
            options,
        )?)?)
    }
}
