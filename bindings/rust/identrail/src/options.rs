use std::path::PathBuf;
use std::time::Duration;

use identrail_sys as sys;

use crate::error::Result;
use crate::ffi::{call, cpath, cstring};
use crate::rules::RuleSet;

/// How an [`Engine`](crate::Engine) (or a [`Normalizer`](crate::Normalizer),
/// which reads the decoding options only) is made. `None` and empty mean the
/// library's default. Values it cannot run with (a lateness over 7 days, a
/// missing rule file) are refused when the engine is made, naming the option.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Compiled rules, shared (not copied); else `rule_files`; else the built-in pack.
    pub rules: Option<RuleSet>,
    /// YAML rule files or directories; they replace the built-in pack unless `keep_builtin_rules`.
    pub rule_files: Vec<PathBuf>,
    pub keep_builtin_rules: bool,
    /// Load the valid rules of `rule_files` and list the others ([`Engine::rule_rejections`](crate::Engine::rule_rejections)).
    pub skip_invalid_rules: bool,
    /// How far behind the newest event time a record may arrive and still count (default 15 minutes).
    pub allowed_lateness: Option<Duration>,
    /// The duplicate filter (default on) and its horizon of event time (default 24 hours, at most 30 days).
    pub deduplicate: Option<bool>,
    pub dedup_horizon: Option<Duration>,
    /// Keep accepted events for [`Engine::events`](crate::Engine::events) (default on).
    pub retain_events: Option<bool>,
    /// Keep each record's raw JSON (default on).
    pub keep_raw: Option<bool>,
    /// Run the rules (default on).
    pub detect: Option<bool>,
    /// Decode errors kept (default 1000); later ones are counted.
    pub max_errors: Option<usize>,
    /// The largest input read at once, after gzip (default 1 GiB).
    pub max_input_bytes: Option<u64>,
    /// MaxMind-format databases (City, Country, ASN) for locations and the geo rules.
    pub geo_databases: Vec<PathBuf>,
    /// Authenticates checkpoints (HMAC-SHA256); the same key is needed to restore them.
    pub state_key: Option<String>,
    /// auto (default), cloudtrail, cloudtrail-lake, elasticsearch, datadog, ocsf.
    pub input_format: Option<String>,
    /// Files decoded at once by `feed_paths` (1 to 256, default 1); events still reach the rules in
    /// delivery order, so the answers are the same for every count.
    pub decode_threads: Option<u32>,
    /// Build the identity graph (default true); false runs the rules alone, faster, and a status
    /// then stays with the identity its detections name.
    pub correlate: Option<bool>,
}

/// C options, freed on drop.
pub(crate) struct COptions(pub(crate) *mut sys::idt_options);

impl Drop for COptions {
    fn drop(&mut self) {
        // SAFETY: made by idt_options_new, freed once.
        unsafe { sys::idt_options_free(self.0) }
    }
}

impl Options {
    pub(crate) fn to_c(&self) -> Result<COptions> {
        let mut raw = std::ptr::null_mut();
        // SAFETY: out-pointer to a local.
        call(|err| unsafe { sys::idt_options_new(&mut raw, err) })?;
        let opts = COptions(raw);
        let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        let mut ints: Vec<(sys::idt_option, i64)> = Vec::new();
        if self.keep_builtin_rules {
            ints.push((sys::IDT_OPT_BUILTIN_RULES, 1));
        }
        if self.skip_invalid_rules {
            ints.push((sys::IDT_OPT_SKIP_INVALID_RULES, 1));
        }
        if let Some(d) = self.allowed_lateness {
            ints.push((sys::IDT_OPT_ALLOWED_LATENESS_SECONDS, seconds(d)));
        }
        if let Some(on) = self.deduplicate {
            ints.push((sys::IDT_OPT_DEDUPLICATE, on.into()));
        }
        if let Some(d) = self.dedup_horizon {
            ints.push((sys::IDT_OPT_DEDUP_HORIZON_SECONDS, seconds(d)));
        }
        if let Some(on) = self.retain_events {
            ints.push((sys::IDT_OPT_RETAIN_EVENTS, on.into()));
        }
        if let Some(on) = self.keep_raw {
            ints.push((sys::IDT_OPT_KEEP_RAW, on.into()));
        }
        if let Some(on) = self.detect {
            ints.push((sys::IDT_OPT_DETECT, on.into()));
        }
        if let Some(n) = self.decode_threads {
            ints.push((sys::IDT_OPT_DECODE_THREADS, i64::from(n)));
        }
        if let Some(on) = self.correlate {
            ints.push((sys::IDT_OPT_CORRELATE, on.into()));
        }
        if let Some(n) = self.max_errors {
            ints.push((sys::IDT_OPT_MAX_ERRORS, i64::try_from(n).unwrap_or(i64::MAX)));
        }
        if let Some(n) = self.max_input_bytes {
            ints.push((
                sys::IDT_OPT_MAX_DECOMPRESSED_BYTES,
                i64::try_from(n).unwrap_or(i64::MAX),
            ));
        }
        for (key, value) in ints {
            // SAFETY: a live options handle.
            call(|err| unsafe { sys::idt_options_set_int(opts.0, key, value, err) })?;
        }
        let mut strings = Vec::new();
        for path in &self.rule_files {
            strings.push((sys::IDT_OPT_RULES_PATH, cpath(path)?));
        }
        for path in &self.geo_databases {
            strings.push((sys::IDT_OPT_GEO_DATABASE, cpath(path)?));
        }
        if let Some(key) = &self.state_key {
            strings.push((sys::IDT_OPT_STATE_KEY, cstring(key)?));
        }
        if let Some(format) = &self.input_format {
            strings.push((sys::IDT_OPT_INPUT_FORMAT, cstring(format)?));
        }
        for (key, value) in strings {
            // SAFETY: a live handle and a NUL-terminated string that outlives the call.
            call(|err| unsafe { sys::idt_options_set_string(opts.0, key, value.as_ptr(), err) })?;
        }
        if let Some(rules) = &self.rules {
            // SAFETY: both handles live; the options take their own reference to the rules.
            call(|err| unsafe { sys::idt_options_set_rule_set(opts.0, rules.raw(), err) })?;
        }
        Ok(opts)
    }
}
