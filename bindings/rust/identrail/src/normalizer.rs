use std::path::Path;

use identrail_sys as sys;

use crate::engine::DecodeError;
use crate::error::Result;
use crate::event::Event;
use crate::ffi::{call, cpath, cstring, ptr_len, string};
use crate::options::Options;

/// Decoding alone, without rules or a graph: keeps the events it accepts until
/// [`Normalizer::take_events`]. `Send`, not `Sync`.
pub struct Normalizer {
    raw: *mut sys::idt_normalizer,
}

// SAFETY: one thread at a time (&mut self, no Sync), as the library requires.
unsafe impl Send for Normalizer {}

impl Normalizer {
    /// Reads the decoding options only (deduplication, raw records, input format, limits).
    pub fn new(options: &Options) -> Result<Normalizer> {
        let c = options.to_c()?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: live options, an out-pointer to a local.
        call(|err| unsafe { sys::idt_normalizer_new(&mut raw, c.0, err) })?;
        Ok(Normalizer { raw })
    }

    /// Decodes bytes; bad records are counted and listed, not failures.
    pub fn feed(&mut self, bytes: &[u8], source: &str) -> Result<()> {
        let name = cstring(source)?;
        let (p, n) = ptr_len(bytes);
        // SAFETY: a live handle; the bytes and name outlive the call.
        call(|err| unsafe { sys::idt_normalizer_feed(self.raw, p, n, name.as_ptr(), err) })
    }

    /// A file, or every log file under a directory.
    pub fn feed_path(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = cpath(path.as_ref())?;
        // SAFETY: a live handle; the path outlives the call.
        call(|err| unsafe { sys::idt_normalizer_feed_path(self.raw, path.as_ptr(), err) })
    }

    /// The events accepted since the last call; the duplicate filter and the counts go on.
    pub fn take_events(&mut self) -> Vec<Event> {
        // SAFETY: indexes below the count of a live handle; copied before the clear.
        unsafe {
            let events = (0..sys::idt_normalizer_event_count(self.raw))
                .map(|i| Event::from_raw(sys::idt_normalizer_event_at(self.raw, i)))
                .collect();
            sys::idt_normalizer_clear_events(self.raw);
            events
        }
    }

    /// Records accepted so far.
    pub fn accepted(&self) -> Result<u64> {
        let mut value = 0u64;
        // SAFETY: a live handle, an out-pointer to a local.
        call(|err| unsafe { sys::idt_normalizer_get_stat(self.raw, sys::IDT_STAT_ACCEPTED, &mut value, err) })?;
        Ok(value)
    }

    /// The rejected records, in input order.
    pub fn errors(&self) -> Vec<DecodeError> {
        // SAFETY: a live handle; the strings are copied.
        unsafe {
            (0..sys::idt_normalizer_error_count(self.raw))
                .map(|i| DecodeError {
                    source: string(sys::idt_normalizer_error_source(self.raw, i)),
                    location: string(sys::idt_normalizer_error_location(self.raw, i)),
                    reason: string(sys::idt_normalizer_error_reason(self.raw, i)),
                })
                .collect()
        }
    }
}

impl Drop for Normalizer {
    fn drop(&mut self) {
        // SAFETY: made by the library, freed once.
        unsafe { sys::idt_normalizer_free(self.raw) }
    }
}
