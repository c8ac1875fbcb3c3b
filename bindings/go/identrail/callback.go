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
//export identrailDetectionCallback
func identrailDetectionCallback(d *C.idt_detection, userData unsafe.Pointer) C.int {
	f := cgo.Handle(*(*C.uintptr_t)(userData)).Value().(func(Detection))
	f(detectionOf(d))
	return 0
}
