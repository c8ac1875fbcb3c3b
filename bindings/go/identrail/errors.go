package identrail

// #include <identrail.h>
import "C"

import "fmt"

// Error is a failure the library reported: its code (a negative idt_status)
// and a message that names the file, line, option or identity at fault.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("identrail: error %d", e.Code)
	}
	return "identrail: " + e.Message
}

// Is matches the Err values by code: errors.Is(err, identrail.ErrNotFound).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// The library's error codes, for errors.Is.
var (
	ErrInvalidArgument   = &Error{Code: int(C.IDT_E_INVALID_ARGUMENT)}
	ErrIO                = &Error{Code: int(C.IDT_E_IO)}
	ErrParse             = &Error{Code: int(C.IDT_E_PARSE)}
	ErrDecompress        = &Error{Code: int(C.IDT_E_DECOMPRESS)}
	ErrUnsupportedFormat = &Error{Code: int(C.IDT_E_UNSUPPORTED_FORMAT)}
	ErrInvalidRecord     = &Error{Code: int(C.IDT_E_INVALID_RECORD)}
	ErrLimitExceeded     = &Error{Code: int(C.IDT_E_LIMIT_EXCEEDED)}
	ErrNotFound          = &Error{Code: int(C.IDT_E_NOT_FOUND)}
	ErrOutOfMemory       = &Error{Code: int(C.IDT_E_OUT_OF_MEMORY)}
	ErrInternal          = &Error{Code: int(C.IDT_E_INTERNAL)}
	ErrBadState          = &Error{Code: int(C.IDT_E_BAD_STATE)}
	ErrIncompatibleState = &Error{Code: int(C.IDT_E_INCOMPATIBLE_STATE)}
	errClosed            = &Error{Code: int(C.IDT_E_INVALID_ARGUMENT), Message: "used after Close"}
)

// check turns a status and its error object into a Go error, freeing the object.
func check(status C.idt_status, err *C.idt_error) error {
	if status == C.IDT_OK {
		return nil
	}
	e := &Error{Code: int(status)}
	if err != nil {
		e.Message = C.GoString(C.idt_error_message(err))
		C.idt_error_free(err)
	}
	return e
}
