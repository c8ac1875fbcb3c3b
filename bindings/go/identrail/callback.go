package identrail

// #include <stdint.h>
// #include <identrail.h>
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// The C library calls this for each detection; user_data is C memory holding
// the cgo.Handle of the engine's OnDetection function (kept in its own file:
// a preamble next to //export may hold declarations only).
//
// callbackState is what the handle holds: the function, and a panic it raised.
type callbackState struct {
	f        func(Detection)
	panicked any
}

//export identrailDetectionCallback
func identrailDetectionCallback(d *C.idt_detection, userData unsafe.Pointer) (stop C.int) {
	state := cgo.Handle(*(*C.uintptr_t)(userData)).Value().(*callbackState)
	// A panic must not unwind through the library's C++ frames: kept, the
	// library told to stop calling, and raised again once it has returned.
	defer func() {
		if r := recover(); r != nil {
			state.panicked = r
			stop = 1
		}
	}()
	state.f(detectionOf(d))
	return 0
}
