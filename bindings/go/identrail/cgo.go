package identrail

// #include <stdlib.h>
// #include <identrail.h>
import "C"

import (
	"fmt"
	"strings"
	"time"
	"unsafe"
)

// noTime is IDT_NO_TIME: a time not given.
const noTime = int64(-1 << 63)

// text hands a Go string to C for the length of one call, without copying.
func text(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

// bytesArg hands a Go byte slice to C for the length of one call, without copying.
func bytesArg(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// withCString runs f with a NUL-terminated copy of s in C memory. A NUL inside
// s is refused: C would read a shorter string (a state key cut to nothing).
func withCString(s string, f func(*C.char) error) error {
	if err := noNUL(s); err != nil {
		return err
	}
	c := C.CString(s)
	defer C.free(unsafe.Pointer(c))
	return f(c)
}

// takeBuffer copies an idt_buffer into Go memory and frees it.
func takeBuffer(b *C.idt_buffer) []byte {
	defer C.idt_buffer_free(b)
	n := int(C.idt_buffer_size(b))
	if n == 0 {
		return []byte{}
	}
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(C.idt_buffer_data(b))), n)...)
}

// goString copies a NUL-terminated C string owned by the library.
func goString(s *C.char) string { return C.GoString(s) }

// goStringN copies a C string of known length.
func goStringN(s *C.char, n C.size_t) string {
	if n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(s)), int(n)))
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func fromNanos(ns int64) time.Time {
	if ns == noTime {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// noNUL refuses a string C would read shorter than Go holds it.
func noNUL(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return &Error{Code: ErrInvalidArgument.Code, Message: fmt.Sprintf("%q: contains a NUL byte", s)}
	}
	return nil
}

// cStrings copies Go strings into a C array of C strings; free releases all of it.
func cStrings(list []string) (array **C.char, free func(), err error) {
	for _, s := range list {
		if err := noNUL(s); err != nil {
			return nil, nil, err
		}
	}
	if len(list) == 0 {
		return nil, func() {}, nil
	}
	size := C.size_t(len(list)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))
	raw := (**C.char)(C.malloc(size))
	items := unsafe.Slice(raw, len(list))
	for i, s := range list {
		items[i] = C.CString(s)
	}
	return raw, func() {
		for _, item := range items {
			C.free(unsafe.Pointer(item))
		}
		C.free(unsafe.Pointer(raw))
	}, nil
}
