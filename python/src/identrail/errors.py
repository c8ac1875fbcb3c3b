"""identrail's exceptions. Every one is an ``identrail.Error`` with a ``.code``
equal to the C++ ``identrail::errc`` value (the C ABI returns it negated)."""
from __future__ import annotations


class Error(Exception):
    """Base of identrail's exceptions; ``code`` is the stable error number."""

    code = 10

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidArgument(Error, ValueError):
    code = 1


class InputError(Error, OSError):
    code = 2


class ParseError(Error, ValueError):
    code = 3


class DecompressError(ParseError):
    code = 4


class UnsupportedFormat(Error, ValueError):
    code = 5


class InvalidRecord(ParseError):
    code = 6


class LimitExceeded(Error):
    code = 7


class NotFoundError(Error, FileNotFoundError):
    code = 8


class OutOfMemory(Error, MemoryError):
    code = 9


class InternalError(Error):
    code = 10


class BadState(Error, ValueError):
    """A checkpoint that is truncated, corrupt or not authentic."""
    code = 11


class IncompatibleState(Error, ValueError):
    """A checkpoint of a newer format, or made with another rule set."""
    code = 12


_BY_CODE = {cls.code: cls for cls in (InvalidArgument, InputError, ParseError, DecompressError, UnsupportedFormat,
                                      InvalidRecord, LimitExceeded, NotFoundError, OutOfMemory, InternalError,
                                      BadState, IncompatibleState)}


def from_code(code: int, message: str) -> Error:
    """The exception for an error code (used by the compiled core)."""
    cls = _BY_CODE.get(code, Error)
    return cls(message, code)
