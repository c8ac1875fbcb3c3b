use std::fmt;

use identrail_sys as sys;

/// What kind of failure the library reported (its code, a negative `idt_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    InvalidArgument,
    Io,
    Parse,
    Decompress,
    UnsupportedFormat,
    InvalidRecord,
    LimitExceeded,
    NotFound,
    OutOfMemory,
    Internal,
    BadState,
    IncompatibleState,
    Other(i32),
}

impl ErrorKind {
    fn of(code: i32) -> ErrorKind {
        match code {
            sys::IDT_E_INVALID_ARGUMENT => ErrorKind::InvalidArgument,
            sys::IDT_E_IO => ErrorKind::Io,
            sys::IDT_E_PARSE => ErrorKind::Parse,
            sys::IDT_E_DECOMPRESS => ErrorKind::Decompress,
            sys::IDT_E_UNSUPPORTED_FORMAT => ErrorKind::UnsupportedFormat,
            sys::IDT_E_INVALID_RECORD => ErrorKind::InvalidRecord,
            sys::IDT_E_LIMIT_EXCEEDED => ErrorKind::LimitExceeded,
            sys::IDT_E_NOT_FOUND => ErrorKind::NotFound,
            sys::IDT_E_OUT_OF_MEMORY => ErrorKind::OutOfMemory,
            sys::IDT_E_INTERNAL => ErrorKind::Internal,
            sys::IDT_E_BAD_STATE => ErrorKind::BadState,
            sys::IDT_E_INCOMPATIBLE_STATE => ErrorKind::IncompatibleState,
            other => ErrorKind::Other(other),
        }
    }
}

/// A failure the library reported: its code and a message naming the file,
/// line, option or identity at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: i32,
    message: String,
}

/// `Result` with identrail's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(sys::IDT_E_INVALID_ARGUMENT, message)
    }
    /// The library's code: the C `idt_status`, negative.
    pub fn code(&self) -> i32 {
        self.code
    }
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::of(self.code)
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "identrail: {}", self.message)
    }
}

impl std::error::Error for Error {}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::new(
            sys::IDT_E_INTERNAL,
            format!("an answer the library gave does not parse: {e}"),
        )
    }
}
