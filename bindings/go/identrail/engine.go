package identrail

/*
#include <stdlib.h>
#include <identrail.h>

extern int identrailDetectionCallback(idt_detection *detection, void *user_data);

// The C side of the trampoline: the callback type takes a const view.
static int identrail_trampoline(const idt_detection *detection, void *user_data) {
	return identrailDetectionCallback((idt_detection *)detection, user_data);
}
static idt_status identrail_set_callback(idt_engine *engine, void *user_data, idt_error **err) {
	return idt_engine_set_detection_callback(engine, user_data ? identrail_trampoline : NULL, user_data, err);
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"time"
	"unsafe"
)

// Engine is the pipeline: it decodes, detects and correlates what it is fed.
// One goroutine at a time; Close it (a finalizer frees a forgotten one).
type Engine struct {
	handle   *C.idt_engine
	callback unsafe.Pointer // C memory holding the cgo.Handle of the OnDetection function
}

// NewEngine makes an engine; with no options it runs the built-in rule pack.
func NewEngine(opts ...Option) (*Engine, error) {
	return makeEngine(opts, func(copts *C.idt_options, out **C.idt_engine, cerr **C.idt_error) C.idt_status {
		return C.idt_engine_new(out, copts, cerr)
	})
}

// Restore makes an engine that goes on where a checkpoint left off, with the
// options it was made with (rules, state key). ErrBadState for a truncated,
// corrupt or unauthentic checkpoint; ErrIncompatibleState for one of a newer
// format or another rule set.
func Restore(checkpoint []byte, opts ...Option) (*Engine, error) {
	return makeEngine(opts, func(copts *C.idt_options, out **C.idt_engine, cerr **C.idt_error) C.idt_status {
		data, n := bytesArg(checkpoint)
		return C.idt_engine_restore(out, data, n, copts, cerr)
	})
}

// RestoreFrom restores from a checkpoint file (see Restore).
func RestoreFrom(path string, opts ...Option) (*Engine, error) {
	if err := noNUL(path); err != nil {
		return nil, err
	}
	return makeEngine(opts, func(copts *C.idt_options, out **C.idt_engine, cerr **C.idt_error) C.idt_status {
		p := C.CString(path)
		defer C.free(unsafe.Pointer(p))
		return C.idt_engine_restore_from(out, p, copts, cerr)
	})
}

// makeEngine builds the C options, makes the engine with them and wraps it.
func makeEngine(opts []Option, create func(*C.idt_options, **C.idt_engine, **C.idt_error) C.idt_status) (*Engine, error) {
	copts, err := cOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.idt_options_free(copts)
	var handle *C.idt_engine
	var cerr *C.idt_error
	if err := check(create(copts, &handle, &cerr), cerr); err != nil {
		return nil, err
	}
	return wrapEngine(handle), nil
}

func wrapEngine(handle *C.idt_engine) *Engine {
	e := &Engine{handle: handle}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e
}

// Close frees the engine; later calls fail with ErrInvalidArgument. Safe to call twice.
func (e *Engine) Close() {
	if e.handle == nil {
		return
	}
	C.idt_engine_free(e.handle)
	e.handle = nil
	e.releaseCallback()
	runtime.SetFinalizer(e, nil)
}

func (e *Engine) live() error {
	if e == nil || e.handle == nil {
		return errClosed
	}
	return nil
}

// Feed decodes bytes in any supported format (trail files, gzip, JSON lines,
// lookup-events, the exports). Bad records are not failures: they are counted
// in Stats and listed by Errors; an error means the call itself failed.
func (e *Engine) Feed(data []byte) error { return e.FeedNamed(data, "<memory>") }

// FeedNamed is Feed with the name decode errors give as their source.
func (e *Engine) FeedNamed(data []byte, source string) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	defer e.repanic()
	return withCString(source, func(name *C.char) error {
		var cerr *C.idt_error
		p, n := bytesArg(data)
		return check(C.idt_engine_feed(e.handle, p, n, name, &cerr), cerr)
	})
}

// withPath makes one call that takes the engine and a path.
func (e *Engine) withPath(path string, call func(*C.idt_engine, *C.char, **C.idt_error) C.idt_status) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	return withCString(path, func(p *C.char) error {
		var cerr *C.idt_error
		return check(call(e.handle, p, &cerr), cerr)
	})
}

// FeedPath reads a file, or every log file under a directory.
func (e *Engine) FeedPath(path string) error {
	defer e.repanic()
	return e.withPath(path, func(h *C.idt_engine, p *C.char, err **C.idt_error) C.idt_status {
		return C.idt_engine_feed_path(h, p, err)
	})
}

// FeedPaths reads files and directories as one input, their files in CloudTrail delivery order.
func (e *Engine) FeedPaths(paths ...string) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	defer e.repanic()
	array, free, err := cStrings(paths)
	if err != nil {
		return err
	}
	defer free()
	var cerr *C.idt_error
	return check(C.idt_engine_feed_paths(e.handle, array, C.size_t(len(paths)), &cerr), cerr)
}

// Finish ends the input: absences that are due fire, bursts get their final figures. Feeding afterwards still works.
func (e *Engine) Finish() error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	defer e.repanic()
	var cerr *C.idt_error
	return check(C.idt_engine_finish(e.handle, &cerr), cerr)
}

// AdvanceTo tells the engine event time has reached now without events (a quiet live source).
func (e *Engine) AdvanceTo(now time.Time) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	defer e.repanic()
	var cerr *C.idt_error
	return check(C.idt_engine_advance_to(e.handle, C.int64_t(now.UnixNano()), &cerr), cerr)
}

// Stats counts the records read.
type Stats struct {
	Total, Accepted, Rejected, Duplicates, Identities, PossiblyRepeated uint64
}

// Stats returns the counts so far.
func (e *Engine) Stats() (Stats, error) {
	if err := e.live(); err != nil {
		return Stats{}, err
	}
	defer runtime.KeepAlive(e)
	var s Stats
	for _, f := range []struct {
		key C.idt_stat
		to  *uint64
	}{{C.IDT_STAT_TOTAL, &s.Total}, {C.IDT_STAT_ACCEPTED, &s.Accepted}, {C.IDT_STAT_REJECTED, &s.Rejected},
		{C.IDT_STAT_DUPLICATES, &s.Duplicates}, {C.IDT_STAT_IDENTITIES, &s.Identities},
		{C.IDT_STAT_POSSIBLY_REPEATED, &s.PossiblyRepeated}} {
		var v C.uint64_t
		var cerr *C.idt_error
		if err := check(C.idt_engine_get_stat(e.handle, f.key, &v, &cerr), cerr); err != nil {
			return Stats{}, err
		}
		*f.to = uint64(v)
	}
	return s, nil
}

// DecodeError is a record that was rejected: the file, where in it, and why.
type DecodeError struct {
	Source, Location, Reason string
}

// Errors lists the rejected records (up to WithMaxErrors).
func (e *Engine) Errors() []DecodeError {
	if e.live() != nil {
		return nil
	}
	defer runtime.KeepAlive(e)
	n := int(C.idt_engine_error_count(e.handle))
	out := make([]DecodeError, n)
	for i := range out {
		at := C.size_t(i)
		out[i] = DecodeError{goString(C.idt_engine_error_source(e.handle, at)),
			goString(C.idt_engine_error_location(e.handle, at)), goString(C.idt_engine_error_reason(e.handle, at))}
	}
	return out
}

// RuleRejections lists, with WithSkipInvalidRules, the rules refused: "file:line: rule id: reason".
func (e *Engine) RuleRejections() []string {
	if e.live() != nil {
		return nil
	}
	defer runtime.KeepAlive(e)
	out := make([]string, int(C.idt_engine_rule_rejection_count(e.handle)))
	for i := range out {
		out[i] = goString(C.idt_engine_rule_rejection_at(e.handle, C.size_t(i)))
	}
	return out
}

// Checkpoint returns everything that changes later answers, versioned and checksummed.
func (e *Engine) Checkpoint() ([]byte, error) {
	if err := e.live(); err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(e)
	var buf *C.idt_buffer
	var cerr *C.idt_error
	if err := check(C.idt_engine_checkpoint(e.handle, &buf, &cerr), cerr); err != nil {
		return nil, err
	}
	return takeBuffer(buf), nil
}

// CheckpointTo writes a checkpoint atomically, mode 0600.
func (e *Engine) CheckpointTo(path string) error {
	return e.withPath(path, func(h *C.idt_engine, p *C.char, err **C.idt_error) C.idt_status {
		return C.idt_engine_checkpoint_to(h, p, err)
	})
}

// ReportJSON is the `identrail analyze --json` report.
func (e *Engine) ReportJSON() ([]byte, error) {
	return e.buffer(func(h *C.idt_engine, b **C.idt_buffer, err **C.idt_error) C.idt_status {
		return C.idt_engine_report_json(h, b, err)
	})
}

// ReportText is the readable report.
func (e *Engine) ReportText() (string, error) {
	b, err := e.buffer(func(h *C.idt_engine, b **C.idt_buffer, err **C.idt_error) C.idt_status {
		return C.idt_engine_report_text(h, b, err)
	})
	return string(b), err
}

func (e *Engine) buffer(call func(*C.idt_engine, **C.idt_buffer, **C.idt_error) C.idt_status) ([]byte, error) {
	if err := e.live(); err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(e)
	var buf *C.idt_buffer
	var cerr *C.idt_error
	if err := check(call(e.handle, &buf, &cerr), cerr); err != nil {
		return nil, err
	}
	return takeBuffer(buf), nil
}

// OnDetection calls f for each detection the moment its evidence is complete,
// and again for each revision (same ID, higher Revision; Withdrawn on the last
// when a late event undoes it). nil removes it. See the package documentation
// for the goroutine it runs on. A panic in f stops further calls and is raised
// again when the feeding call returns; f must not call runtime.Goexit (t.Fatal).
func (e *Engine) OnDetection(f func(Detection)) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	var userData unsafe.Pointer
	if f != nil {
		userData = C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
		*(*C.uintptr_t)(userData) = C.uintptr_t(cgo.NewHandle(&callbackState{f: f}))
	}
	var cerr *C.idt_error
	if err := check(C.identrail_set_callback(e.handle, userData, &cerr), cerr); err != nil {
		if userData != nil {
			cgo.Handle(*(*C.uintptr_t)(userData)).Delete()
			C.free(userData)
		}
		return err
	}
	e.releaseCallback()
	e.callback = userData
	return nil
}

// repanic raises, on the caller's goroutine, a panic the callback raised inside the library.
func (e *Engine) repanic() {
	if e.callback == nil {
		return
	}
	state := cgo.Handle(*(*C.uintptr_t)(e.callback)).Value().(*callbackState)
	if r := state.panicked; r != nil {
		state.panicked = nil
		panic(r)
	}
}

func (e *Engine) releaseCallback() {
	if e.callback == nil {
		return
	}
	cgo.Handle(*(*C.uintptr_t)(e.callback)).Delete()
	C.free(e.callback)
	e.callback = nil
}
