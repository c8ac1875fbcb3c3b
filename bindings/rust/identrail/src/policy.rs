use std::collections::BTreeMap;
use std::sync::Arc;

use identrail_sys as sys;

use crate::error::Result;
use crate::ffi::{call, cstring, ptr_len, string, take_buffer};

struct Handle(*mut sys::idt_policy);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: made by the library, freed once when the last clone goes.
        unsafe { sys::idt_policy_free(self.0) }
    }
}

// SAFETY: a parsed policy is immutable; the library documents it as shareable across threads.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

/// An IAM policy document, parsed once: immutable, `Send + Sync`, cheap to clone.
#[derive(Clone)]
pub struct Policy(Arc<Handle>);

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Policy")
    }
}

impl Policy {
    /// Checks a document; errors name `source`, the JSON path and the reason.
    pub fn parse(json: &str, source: &str) -> Result<Policy> {
        let name = cstring(source)?;
        let (p, n) = ptr_len(json.as_bytes());
        let mut raw = std::ptr::null_mut();
        // SAFETY: the text and name outlive the call; an out-pointer to a local.
        call(|err| unsafe { sys::idt_policy_parse(&mut raw, p, n, name.as_ptr(), err) })?;
        Ok(Policy(Arc::new(Handle(raw))))
    }

    /// The document as identrail reads it (normalised JSON).
    pub fn to_json(&self) -> Result<String> {
        let mut buf = std::ptr::null_mut();
        // SAFETY: a live handle; the buffer is ours.
        call(|err| unsafe { sys::idt_policy_to_json(self.0 .0, &mut buf, err) })?;
        Ok(String::from_utf8_lossy(&unsafe { take_buffer(buf) }).into_owned())
    }
}

/// The policies that apply to one request, by kind.
#[derive(Clone, Debug, Default)]
pub struct Policies {
    /// Attached to the principal.
    pub identity: Vec<Policy>,
    /// Its permissions boundary.
    pub boundary: Vec<Policy>,
    /// Service control policies of one level of the organization: one must allow.
    pub scps: Vec<Policy>,
    /// The resource's own policy.
    pub resource: Vec<Policy>,
}

/// What is asked: who, which action, on what, with which context keys.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub principal: String,
    /// "s3:GetObject".
    pub action: String,
    /// An ARN; empty means "*".
    pub resource: String,
    /// aws:SourceIp, aws:CurrentTime, aws:MultiFactorAuthPresent, ...
    pub context: BTreeMap<String, Vec<String>>,
}

/// The outcome of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// The kind of policy that decided; `None` when nothing allowed the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Identity,
    Boundary,
    Scp,
    Resource,
    None,
}

/// The decision and the statement that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub decided_by: PolicyKind,
    /// Within its kind.
    pub policy_index: usize,
    pub statement_index: usize,
    pub sid: String,
    /// "denied by scp[0] Statement[2] (DenyRegions)".
    pub reason: String,
}

struct Guard<T>(*mut T, unsafe extern "C" fn(*mut T));

impl<T> Drop for Guard<T> {
    fn drop(&mut self) {
        // SAFETY: made by the library, freed once.
        unsafe { (self.1)(self.0) }
    }
}

impl Policies {
    /// Decides a request as AWS does: an explicit deny wins; then the SCPs and
    /// the boundary must allow; then an identity or resource policy must allow.
    pub fn evaluate(&self, request: &Request) -> Result<Evaluation> {
        let mut set = std::ptr::null_mut();
        // SAFETY: out-pointers to locals; every handle lives through its call.
        call(|err| unsafe { sys::idt_policy_set_new(&mut set, err) })?;
        let set = Guard(set, sys::idt_policy_set_free);
        for (kind, list) in [
            (sys::IDT_POLICY_IDENTITY, &self.identity),
            (sys::IDT_POLICY_BOUNDARY, &self.boundary),
            (sys::IDT_POLICY_SCP, &self.scps),
            (sys::IDT_POLICY_RESOURCE, &self.resource),
        ] {
            for policy in list {
                call(|err| unsafe { sys::idt_policy_set_add(set.0, kind, policy.0 .0, err) })?;
            }
        }
        let resource = if request.resource.is_empty() {
            "*"
        } else {
            &request.resource
        };
        let (principal, action, resource) = (
            cstring(&request.principal)?,
            cstring(&request.action)?,
            cstring(resource)?,
        );
        let mut req = std::ptr::null_mut();
        call(|err| unsafe {
            sys::idt_policy_request_new(&mut req, principal.as_ptr(), action.as_ptr(), resource.as_ptr(), err)
        })?;
        let req = Guard(req, sys::idt_policy_request_free);
        for (key, values) in &request.context {
            let key = cstring(key)?;
            for value in values {
                let value = cstring(value)?;
                call(|err| unsafe { sys::idt_policy_request_add_context(req.0, key.as_ptr(), value.as_ptr(), err) })?;
            }
        }
        let mut e = std::ptr::null_mut();
        call(|err| unsafe { sys::idt_policy_evaluate(set.0, req.0, &mut e, err) })?;
        let e = Guard(e, sys::idt_evaluation_free);
        // SAFETY: a live evaluation; strings copied.
        unsafe {
            Ok(Evaluation {
                decision: match sys::idt_evaluation_decision(e.0) {
                    sys::IDT_DECISION_ALLOW => Decision::Allow,
                    sys::IDT_DECISION_EXPLICIT_DENY => Decision::ExplicitDeny,
                    _ => Decision::ImplicitDeny,
                },
                decided_by: match sys::idt_evaluation_decided_by(e.0) {
                    sys::IDT_POLICY_IDENTITY => PolicyKind::Identity,
                    sys::IDT_POLICY_BOUNDARY => PolicyKind::Boundary,
                    sys::IDT_POLICY_SCP => PolicyKind::Scp,
                    sys::IDT_POLICY_RESOURCE => PolicyKind::Resource,
                    _ => PolicyKind::None,
                },
                policy_index: sys::idt_evaluation_policy_index(e.0),
                statement_index: sys::idt_evaluation_statement_index(e.0),
                sid: string(sys::idt_evaluation_sid(e.0)),
                reason: string(sys::idt_evaluation_reason(e.0)),
            })
        }
    }
}
