//! The JSON answers with a fixed shape, as serde types (the others stay JSON text).
use serde::{Deserialize, Serialize};

/// The chain behind a session, back to the principal really behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub schema_version: u32,
    pub identity: String,
    pub root_principal: String,
    pub complete: bool,
    pub chain: Vec<String>,
}

/// One AWS API call of a plan, with its AWS CLI form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemediationStep {
    pub service: String,
    pub operation: String,
    /// The request: {"UserName": "ops-admin", ...}.
    pub parameters: serde_json::Value,
    pub cli: String,
}

/// One way to contain an identity, as ordered steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemediationStrategy {
    pub id: String,
    pub title: String,
    pub steps: Vec<RemediationStep>,
    /// The policy document the steps attach, when there is one.
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
    pub warnings: Vec<String>,
}

/// What to do about an identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemediationPlan {
    pub schema_version: u32,
    pub identity: String,
    pub identity_kind: String,
    pub root_principal: String,
    pub strategies: Vec<RemediationStrategy>,
    pub notes: Vec<String>,
}

/// An action the identity used, where and how often.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsedAction {
    pub action: String,
    pub resources: Vec<String>,
    pub count: u64,
    pub first_seen: String,
    pub last_seen: String,
}

/// A least-privilege policy and what it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeastPrivilege {
    pub schema_version: u32,
    pub identity: String,
    pub flag_time: Option<String>,
    pub policy: serde_json::Value,
    pub used_actions: Vec<UsedAction>,
    pub excluded_actions: Vec<UsedAction>,
    pub unused_permissions: Vec<String>,
    pub not_granted: Vec<String>,
    pub notes: Vec<String>,
}
