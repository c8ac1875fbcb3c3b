use std::any::Any;
use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::Path;

use identrail_sys as sys;

use crate::detection::{detection_at, Detection, Detections};
use crate::error::{Error, Result};
use crate::event::{event_at, Events};
use crate::ffi::{call, cpath, cstring, ptr_len, string, take_buffer};
use crate::indexed::Indexed;
use crate::options::Options;

/// The pipeline: decodes, detects and correlates what it is fed. `Send`, not
/// `Sync`: one thread at a time.
pub struct Engine {
    pub(crate) raw: *mut sys::idt_engine,
    // From Box::into_raw and reached only through this pointer (the library
    // holds a copy), so no borrow of a Box invalidates what the library calls.
    callback: *mut Callback,
}

// SAFETY: the library allows an engine to move between threads as long as one
// thread uses it at a time, which `&mut self` and the absence of Sync ensure;
// the callback it holds is Send.
unsafe impl Send for Engine {}

type DetectionFn = dyn FnMut(&Detection) + Send;

struct Callback {
    f: Box<DetectionFn>,
    panic: Option<Box<dyn Any + Send>>,
}

unsafe extern "C" fn trampoline(detection: *const sys::idt_detection, user_data: *mut c_void) -> c_int {
    // SAFETY: user_data is the Box<Callback> the engine owns for as long as it is registered.
    let state = unsafe { &mut *user_data.cast::<Callback>() };
    if state.panic.is_some() {
        return 1;
    }
    // SAFETY: the library passes a valid view for the length of the call.
    let copied = unsafe { Detection::from_raw(detection) };
    // A panic must not unwind into C: kept, and raised again once the library has returned.
    match catch_unwind(AssertUnwindSafe(|| (state.f)(&copied))) {
        Ok(()) => 0,
        Err(payload) => {
            state.panic = Some(payload);
            1
        }
    }
}

/// Counts of the records read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub total: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub identities: u64,
    /// Accepted records older than the duplicate horizon, whose repeats cannot be recognised.
    pub possibly_repeated: u64,
}

/// A record that was rejected: the file, where in it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub source: String,
    pub location: String,
    pub reason: String,
}

impl Engine {
    fn made(f: impl FnOnce(*mut *mut sys::idt_engine, *mut *mut sys::idt_error) -> sys::idt_status) -> Result<Engine> {
        let mut raw = std::ptr::null_mut();
        call(|err| f(&mut raw, err))?;
        Ok(Engine {
            raw,
            callback: std::ptr::null_mut(),
        })
    }

    /// An engine; with default options it runs the built-in rule pack.
    pub fn new(options: &Options) -> Result<Engine> {
        let c = options.to_c()?;
        // SAFETY: live options, an out-pointer to a local.
        Engine::made(|out, err| unsafe { sys::idt_engine_new(out, c.0, err) })
    }

    /// An engine that goes on where a checkpoint left off, with the options it
    /// was made with. `ErrorKind::BadState` for a truncated, corrupt or
    /// unauthentic checkpoint; `IncompatibleState` for a newer format or another rule set.
    pub fn restore(checkpoint: &[u8], options: &Options) -> Result<Engine> {
        let c = options.to_c()?;
        let (p, n) = ptr_len(checkpoint);
        // SAFETY: the bytes and options outlive the call.
        Engine::made(|out, err| unsafe { sys::idt_engine_restore(out, p, n, c.0, err) })
    }

    /// [`Engine::restore`] from a checkpoint file.
    pub fn restore_from(path: impl AsRef<Path>, options: &Options) -> Result<Engine> {
        let c = options.to_c()?;
        let path = cpath(path.as_ref())?;
        // SAFETY: the path and options outlive the call.
        Engine::made(|out, err| unsafe { sys::idt_engine_restore_from(out, path.as_ptr(), c.0, err) })
    }

    fn after_input(&mut self, read: Result<()>) -> Result<()> {
        // SAFETY: null or the live callback state this engine owns; the library is not running it now.
        if let Some(payload) = unsafe { self.callback.as_mut() }.and_then(|c| c.panic.take()) {
            resume_unwind(payload);
        }
        read
    }

    /// Decodes bytes in any supported format. Bad records are not failures:
    /// they are counted in [`Engine::stats`] and listed by [`Engine::errors`].
    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        self.feed_named(bytes, "<memory>")
    }

    /// [`Engine::feed`] with the name decode errors give as their source.
    pub fn feed_named(&mut self, bytes: &[u8], source: &str) -> Result<()> {
        let name = cstring(source)?;
        let (p, n) = ptr_len(bytes);
        // SAFETY: a live engine; the bytes and the name outlive the call.
        let read = call(|err| unsafe { sys::idt_engine_feed(self.raw, p, n, name.as_ptr(), err) });
        self.after_input(read)
    }

    /// A file, or every log file under a directory.
    pub fn feed_path(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = cpath(path.as_ref())?;
        // SAFETY: a live engine; the path outlives the call.
        let read = call(|err| unsafe { sys::idt_engine_feed_path(self.raw, path.as_ptr(), err) });
        self.after_input(read)
    }

    /// Files and directories as one input, their files in CloudTrail delivery order.
    pub fn feed_paths<P: AsRef<Path>>(&mut self, paths: &[P]) -> Result<()> {
        let owned = paths.iter().map(|p| cpath(p.as_ref())).collect::<Result<Vec<_>>>()?;
        let pointers: Vec<_> = owned.iter().map(|c| c.as_ptr()).collect();
        // SAFETY: a live engine; the array and its strings outlive the call.
        let read = call(|err| unsafe { sys::idt_engine_feed_paths(self.raw, pointers.as_ptr(), pointers.len(), err) });
        self.after_input(read)
    }

    /// End of input: due absences fire, bursts get their final figures. Feeding afterwards still works.
    pub fn finish(&mut self) -> Result<()> {
        // SAFETY: a live engine.
        let done = call(|err| unsafe { sys::idt_engine_finish(self.raw, err) });
        self.after_input(done)
    }

    /// Event time has reached `now_ns` without events (a quiet live source).
    pub fn advance_to(&mut self, now_ns: crate::UnixNanos) -> Result<()> {
        // SAFETY: a live engine.
        let done = call(|err| unsafe { sys::idt_engine_advance_to(self.raw, now_ns, err) });
        self.after_input(done)
    }

    /// Calls `f` for each detection the moment its evidence is complete, and
    /// again for each revision (same id, higher revision; `withdrawn` on the
    /// last when a late event undoes it), on the thread that feeds, inside
    /// the feeding call. A panic in `f` stops further calls and is raised
    /// again when that call returns.
    pub fn on_detection<F: FnMut(&Detection) + Send + 'static>(&mut self, f: F) -> Result<()> {
        let state = Box::into_raw(Box::new(Callback {
            f: Box::new(f),
            panic: None,
        }));
        // SAFETY: a live engine; the state lives until replaced or the engine is dropped.
        let set = call(|err| unsafe {
            sys::idt_engine_set_detection_callback(self.raw, Some(trampoline), state.cast::<c_void>(), err)
        });
        if let Err(e) = set {
            // SAFETY: never registered, so ours alone.
            drop(unsafe { Box::from_raw(state) });
            return Err(e);
        }
        let previous = std::mem::replace(&mut self.callback, state);
        if !previous.is_null() {
            // SAFETY: the library no longer holds it: the new registration replaced it.
            drop(unsafe { Box::from_raw(previous) });
        }
        Ok(())
    }

    pub fn stats(&self) -> Result<Stats> {
        let get = |key| {
            let mut value = 0u64;
            // SAFETY: a live engine, an out-pointer to a local.
            call(|err| unsafe { sys::idt_engine_get_stat(self.raw, key, &mut value, err) }).map(|()| value)
        };
        Ok(Stats {
            total: get(sys::IDT_STAT_TOTAL)?,
            accepted: get(sys::IDT_STAT_ACCEPTED)?,
            rejected: get(sys::IDT_STAT_REJECTED)?,
            duplicates: get(sys::IDT_STAT_DUPLICATES)?,
            identities: get(sys::IDT_STAT_IDENTITIES)?,
            possibly_repeated: get(sys::IDT_STAT_POSSIBLY_REPEATED)?,
        })
    }

    /// The rejected records (up to `max_errors`), in input order.
    pub fn errors(&self) -> Vec<DecodeError> {
        // SAFETY: a live engine; the strings are copied.
        unsafe {
            (0..sys::idt_engine_error_count(self.raw))
                .map(|i| DecodeError {
                    source: string(sys::idt_engine_error_source(self.raw, i)),
                    location: string(sys::idt_engine_error_location(self.raw, i)),
                    reason: string(sys::idt_engine_error_reason(self.raw, i)),
                })
                .collect()
        }
    }

    /// With `skip_invalid_rules`: the rules refused, "file:line: rule id: reason" each.
    pub fn rule_rejections(&self) -> Vec<String> {
        // SAFETY: a live engine; the strings are copied.
        unsafe {
            (0..sys::idt_engine_rule_rejection_count(self.raw))
                .map(|i| string(sys::idt_engine_rule_rejection_at(self.raw, i)))
                .collect()
        }
    }

    /// The detections as they are now (latest revision, withdrawn ones left out), in the order first found.
    pub fn detections(&self) -> Detections<'_> {
        // SAFETY: &self keeps the engine alive and unchanged while the iterator lives.
        unsafe { Indexed::new(self.raw, sys::idt_engine_detection_count(self.raw), detection_at) }
    }

    /// The accepted events (when `retain_events`), in the order accepted.
    pub fn events(&self) -> Events<'_> {
        // SAFETY: as detections.
        unsafe { Indexed::new(self.raw, sys::idt_engine_event_count(self.raw), event_at) }
    }

    /// Everything that changes later answers, versioned and checksummed.
    pub fn checkpoint(&self) -> Result<Vec<u8>> {
        let mut buf = std::ptr::null_mut();
        // SAFETY: a live engine, an out-pointer; the buffer is ours.
        call(|err| unsafe { sys::idt_engine_checkpoint(self.raw, &mut buf, err) })?;
        Ok(unsafe { take_buffer(buf) })
    }

    /// A checkpoint written atomically, mode 0600.
    pub fn checkpoint_to(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = cpath(path.as_ref())?;
        // SAFETY: a live engine; the path outlives the call.
        call(|err| unsafe { sys::idt_engine_checkpoint_to(self.raw, path.as_ptr(), err) })
    }

    /// The `identrail analyze --json` report.
    pub fn report_json(&self) -> Result<String> {
        let mut buf = std::ptr::null_mut();
        // SAFETY: as checkpoint.
        call(|err| unsafe { sys::idt_engine_report_json(self.raw, &mut buf, err) })?;
        String::from_utf8(unsafe { take_buffer(buf) }).map_err(|e| Error::invalid(e.to_string()))
    }

    /// The readable report.
    pub fn report_text(&self) -> Result<String> {
        let mut buf = std::ptr::null_mut();
        // SAFETY: as checkpoint.
        call(|err| unsafe { sys::idt_engine_report_text(self.raw, &mut buf, err) })?;
        Ok(String::from_utf8_lossy(&unsafe { take_buffer(buf) }).into_owned())
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: made by the library, freed once; the callback state goes after the engine that calls it.
        unsafe {
            sys::idt_engine_free(self.raw);
            if !self.callback.is_null() {
                drop(Box::from_raw(self.callback));
            }
        }
    }
}
