use identrail_sys as sys;

use crate::ffi::{string, string_n};
use crate::UnixNanos;

/// One accepted CloudTrail record in identrail's event model.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub id: String,
    pub time_ns: UnixNanos,
    pub account: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    pub event_type: String,
    /// "ses:GetSendQuota".
    pub action: String,
    /// IAMUser, AssumedRole, Root, AWSService, ...
    pub actor_type: String,
    pub actor_arn: String,
    pub principal_id: String,
    pub actor_account_id: String,
    pub access_key_id: String,
    pub user_name: String,
    pub issuer_arn: String,
    pub session_name: String,
    pub instance_id: String,
    pub invoked_by: String,
    pub source_identity: String,
    /// The source address or service, as logged.
    pub source: String,
    pub user_agent: String,
    pub success: bool,
    pub error_code: String,
    pub error_message: String,
    /// ARNs.
    pub resources: Vec<String>,
}

unsafe fn field(e: *const sys::idt_event, key: sys::idt_field) -> String {
    let mut value = std::ptr::null();
    let mut len = 0usize;
    if sys::idt_event_get(e, key, &mut value, &mut len, std::ptr::null_mut()) != sys::IDT_OK as i32 {
        return String::new();
    }
    string_n(value, len)
}

impl Event {
    /// Copies a view.
    ///
    /// # Safety
    /// `e` is a valid event view of a live engine or normalizer.
    pub(crate) unsafe fn from_raw(e: *const sys::idt_event) -> Event {
        Event {
            id: field(e, sys::IDT_FIELD_ID),
            time_ns: sys::idt_event_time_ns(e),
            account: field(e, sys::IDT_FIELD_ACCOUNT),
            region: field(e, sys::IDT_FIELD_REGION),
            event_source: field(e, sys::IDT_FIELD_EVENT_SOURCE),
            event_name: field(e, sys::IDT_FIELD_EVENT_NAME),
            event_type: field(e, sys::IDT_FIELD_EVENT_TYPE),
            action: field(e, sys::IDT_FIELD_ACTION),
            actor_type: field(e, sys::IDT_FIELD_ACTOR_TYPE),
            actor_arn: field(e, sys::IDT_FIELD_ACTOR_ARN),
            principal_id: field(e, sys::IDT_FIELD_ACTOR_PRINCIPAL_ID),
            actor_account_id: field(e, sys::IDT_FIELD_ACTOR_ACCOUNT_ID),
            access_key_id: field(e, sys::IDT_FIELD_ACCESS_KEY_ID),
            user_name: field(e, sys::IDT_FIELD_USER_NAME),
            issuer_arn: field(e, sys::IDT_FIELD_ISSUER_ARN),
            session_name: field(e, sys::IDT_FIELD_SESSION_NAME),
            instance_id: field(e, sys::IDT_FIELD_INSTANCE_ID),
            invoked_by: field(e, sys::IDT_FIELD_INVOKED_BY),
            source_identity: field(e, sys::IDT_FIELD_SOURCE_IDENTITY),
            source: field(e, sys::IDT_FIELD_SOURCE),
            user_agent: field(e, sys::IDT_FIELD_USER_AGENT),
            success: sys::idt_event_success(e) != 0,
            error_code: field(e, sys::IDT_FIELD_ERROR_CODE),
            error_message: field(e, sys::IDT_FIELD_ERROR_MESSAGE),
            resources: (0..sys::idt_event_resource_count(e))
                .map(|i| string(sys::idt_event_resource_at(e, i)))
                .collect(),
        }
    }
}

/// The engine's retained events, copied one at a time.
pub type Events<'a> = crate::indexed::Indexed<'a, Event>;

/// The item at `index` of a live engine (index below its count).
pub(crate) unsafe fn event_at(engine: *const sys::idt_engine, index: usize) -> Event {
    Event::from_raw(sys::idt_engine_event_at(engine, index))
}
