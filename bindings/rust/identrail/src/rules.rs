use std::path::Path;
use std::sync::Arc;

use identrail_sys as sys;

use crate::error::Result;
use crate::ffi::{call, cpath, cstring, ptr_len, string, take_buffer};

/// Flags for [`RuleSet::load`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleFlags {
    /// The built-in pack as well as the files' rules.
    pub keep_builtin: bool,
    /// Load the valid rules, list the others ([`RuleSet::rejections`]).
    pub skip_invalid: bool,
}

struct Handle(*mut sys::idt_rule_set);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: made by the library, freed once when the last clone goes.
        unsafe { sys::idt_rule_set_free(self.0) }
    }
}

// SAFETY: a rule set is immutable once made; the library documents it as
// shareable by any number of threads and engines.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

/// Compiled rules: immutable, shared by every engine given them, `Send + Sync`.
/// Cloning is cheap (a reference).
#[derive(Clone)]
pub struct RuleSet(Arc<Handle>);

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RuleSet({} rules)", self.len())
    }
}

impl RuleSet {
    fn made(
        f: impl FnOnce(*mut *mut sys::idt_rule_set, *mut *mut sys::idt_error) -> sys::idt_status,
    ) -> Result<RuleSet> {
        let mut raw = std::ptr::null_mut();
        call(|err| f(&mut raw, err))?;
        Ok(RuleSet(Arc::new(Handle(raw))))
    }

    /// The pack built into the library.
    pub fn builtin() -> Result<RuleSet> {
        // SAFETY: out-pointers to locals.
        RuleSet::made(|out, err| unsafe { sys::idt_rule_set_builtin(out, err) })
    }

    /// YAML rule files or directories; errors name the file, line and rule.
    pub fn load<P: AsRef<Path>>(paths: &[P], flags: RuleFlags) -> Result<RuleSet> {
        let owned = paths.iter().map(|p| cpath(p.as_ref())).collect::<Result<Vec<_>>>()?;
        let pointers: Vec<_> = owned.iter().map(|c| c.as_ptr()).collect();
        let bits = if flags.keep_builtin {
            sys::IDT_RULES_KEEP_BUILTIN
        } else {
            0
        } | if flags.skip_invalid {
            sys::IDT_RULES_SKIP_INVALID
        } else {
            0
        };
        // SAFETY: the array and its strings outlive the call.
        RuleSet::made(|out, err| unsafe { sys::idt_rule_set_load(out, pointers.as_ptr(), pointers.len(), bits, err) })
    }

    /// Rules from YAML text; `source` names it in errors.
    pub fn parse(yaml: &str, source: &str) -> Result<RuleSet> {
        let name = cstring(source)?;
        let (p, n) = ptr_len(yaml.as_bytes());
        // SAFETY: the text and the name outlive the call.
        RuleSet::made(|out, err| unsafe { sys::idt_rule_set_parse(out, p, n, name.as_ptr(), err) })
    }

    pub(crate) fn raw(&self) -> *const sys::idt_rule_set {
        self.0 .0
    }

    pub fn len(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { sys::idt_rule_set_count(self.raw()) }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rule ids, in load order.
    pub fn ids(&self) -> Vec<String> {
        // SAFETY: a live handle; the strings are copied.
        (0..self.len())
            .map(|i| unsafe { string(sys::idt_rule_set_rule_id(self.raw(), i)) })
            .collect()
    }

    /// With `skip_invalid`: the rules refused, "file:line: rule id: reason" each.
    pub fn rejections(&self) -> Vec<String> {
        // SAFETY: a live handle; the strings are copied.
        unsafe {
            (0..sys::idt_rule_set_rejection_count(self.raw()))
                .map(|i| string(sys::idt_rule_set_rejection_at(self.raw(), i)))
                .collect()
        }
    }

    /// Runs the tests the rules carry: one line per failure, none when all pass.
    pub fn run_tests(&self) -> Result<Vec<String>> {
        let mut failed = 0usize;
        let mut report = std::ptr::null_mut();
        // SAFETY: a live handle and out-pointers to locals.
        call(|err| unsafe { sys::idt_rule_set_run_tests(self.raw(), &mut failed, &mut report, err) })?;
        // SAFETY: the report buffer is ours.
        let text = String::from_utf8_lossy(&unsafe { take_buffer(report) }).into_owned();
        Ok(text.lines().map(str::to_owned).collect())
    }
}
