use identrail_sys as sys;

use crate::ffi::{string, string_n};
use crate::UnixNanos;

/// A rule's finding about one identity, at one revision.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Detection {
    /// Stable: the same evidence gives the same id in any delivery order.
    pub id: String,
    /// 0 when first found, one more per change.
    pub revision: u32,
    /// The last revision of a detection a late event undid.
    pub withdrawn: bool,
    pub rule_id: String,
    pub name: String,
    /// info, low, medium, high, critical.
    pub severity: String,
    pub identity: String,
    pub group_key: String,
    pub summary: String,
    /// The source address of its first event, as logged ("" when none).
    pub source_ip: String,
    pub first_seen_ns: UnixNanos,
    pub last_seen_ns: UnixNanos,
    /// Events (count rules), distinct values, or steps (sequences).
    pub count: u64,
    /// The evidence (at most 20 ids).
    pub event_ids: Vec<String>,
    /// Ids of the detections that put the identity under suspicion (context rules).
    pub follows: Vec<String>,
    pub tactics: Vec<String>,
    pub techniques: Vec<String>,
}

unsafe fn field(d: *const sys::idt_detection, key: sys::idt_detection_field) -> String {
    let mut value = std::ptr::null();
    let mut len = 0usize;
    if sys::idt_detection_get_string(d, key, &mut value, &mut len, std::ptr::null_mut()) != sys::IDT_OK as i32 {
        return String::new();
    }
    string_n(value, len)
}

unsafe fn list(
    d: *const sys::idt_detection,
    count: unsafe extern "C" fn(*const sys::idt_detection) -> usize,
    at: unsafe extern "C" fn(*const sys::idt_detection, usize) -> *const std::ffi::c_char,
) -> Vec<String> {
    (0..count(d)).map(|i| string(at(d, i))).collect()
}

impl Detection {
    /// Copies a view.
    ///
    /// # Safety
    /// `d` is a valid detection view of a live engine.
    pub(crate) unsafe fn from_raw(d: *const sys::idt_detection) -> Detection {
        Detection {
            id: field(d, sys::IDT_DET_ID),
            revision: sys::idt_detection_revision(d),
            withdrawn: sys::idt_detection_withdrawn(d) != 0,
            rule_id: field(d, sys::IDT_DET_RULE_ID),
            name: field(d, sys::IDT_DET_NAME),
            severity: field(d, sys::IDT_DET_SEVERITY),
            identity: field(d, sys::IDT_DET_IDENTITY),
            group_key: field(d, sys::IDT_DET_GROUP_KEY),
            summary: field(d, sys::IDT_DET_SUMMARY),
            source_ip: field(d, sys::IDT_DET_SOURCE),
            first_seen_ns: sys::idt_detection_first_seen_ns(d),
            last_seen_ns: sys::idt_detection_last_seen_ns(d),
            count: sys::idt_detection_count(d),
            event_ids: list(d, sys::idt_detection_event_id_count, sys::idt_detection_event_id_at),
            follows: list(d, sys::idt_detection_follows_count, sys::idt_detection_follows_at),
            tactics: list(d, sys::idt_detection_tactic_count, sys::idt_detection_tactic_at),
            techniques: list(d, sys::idt_detection_technique_count, sys::idt_detection_technique_at),
        }
    }
}

/// The engine's standing detections, copied one at a time.
pub type Detections<'a> = crate::indexed::Indexed<'a, Detection>;

/// The item at `index` of a live engine (index below its count).
pub(crate) unsafe fn detection_at(engine: *const sys::idt_engine, index: usize) -> Detection {
    Detection::from_raw(sys::idt_engine_detection_at(engine, index))
}
