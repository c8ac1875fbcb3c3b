//! Helpers at the boundary: statuses to results, strings and buffers across.
use std::ffi::{c_char, CStr, CString};
use std::path::Path;

use identrail_sys as sys;

use crate::error::{Error, Result};

/// `IDT_NO_TIME`: a time not given (bindgen cannot read INT64_MIN from the header).
pub(crate) const NO_TIME: i64 = i64::MIN;

/// Runs a C call that reports through `idt_error **`, turning its status into a Result.
pub(crate) fn call(f: impl FnOnce(*mut *mut sys::idt_error) -> sys::idt_status) -> Result<()> {
    let mut err: *mut sys::idt_error = std::ptr::null_mut();
    let status = f(&mut err);
    if status == sys::IDT_OK as sys::idt_status {
        return Ok(());
    }
    let message = if err.is_null() {
        format!("error {status}")
    } else {
        // SAFETY: the library hands a valid error object, which we own and free once.
        unsafe {
            let text = string(sys::idt_error_message(err));
            sys::idt_error_free(err);
            text
        }
    };
    Err(Error::new(status, message))
}

/// Copies a NUL-terminated string the library owns.
///
/// # Safety
/// `s` is null or a valid NUL-terminated string.
pub(crate) unsafe fn string(s: *const c_char) -> String {
    if s.is_null() {
        return String::new();
    }
    CStr::from_ptr(s).to_string_lossy().into_owned()
}

/// Copies a string of known length the library owns.
///
/// # Safety
/// `s` points to `len` readable bytes (or `len` is 0).
pub(crate) unsafe fn string_n(s: *const c_char, len: usize) -> String {
    if len == 0 || s.is_null() {
        return String::new();
    }
    String::from_utf8_lossy(std::slice::from_raw_parts(s.cast::<u8>(), len)).into_owned()
}

/// Copies a buffer the library allocated and frees it.
///
/// # Safety
/// `b` came from the library and is freed here, once.
pub(crate) unsafe fn take_buffer(b: *mut sys::idt_buffer) -> Vec<u8> {
    let size = sys::idt_buffer_size(b);
    let out = if size == 0 {
        Vec::new()
    } else {
        std::slice::from_raw_parts(sys::idt_buffer_data(b).cast::<u8>(), size).to_vec()
    };
    sys::idt_buffer_free(b);
    out
}

pub(crate) fn cstring(s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::invalid(format!("{s:?}: contains a NUL byte")))
}

pub(crate) fn cpath(path: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| Error::invalid(format!("{}: contains a NUL byte", path.display())))
}

pub(crate) fn ptr_len(bytes: &[u8]) -> (*const c_char, usize) {
    (bytes.as_ptr().cast::<c_char>(), bytes.len())
}
