package identrail

// #include <identrail.h>
import "C"

import (
	"runtime"
	"time"
)

// Event is one accepted CloudTrail record in identrail's event model.
type Event struct {
	ID             string
	Time           time.Time
	Account        string
	Region         string
	EventSource    string
	EventName      string
	EventType      string
	Action         string // "ses:GetSendQuota"
	ActorType      string // IAMUser, AssumedRole, Root, AWSService, ...
	ActorARN       string
	PrincipalID    string
	ActorAccountID string
	AccessKeyID    string
	UserName       string
	IssuerARN      string
	SessionName    string
	InstanceID     string
	InvokedBy      string
	SourceIdentity string
	Source         string // the source address or service, as logged
	UserAgent      string
	Success        bool
	ErrorCode      string
	ErrorMessage   string
	Resources      []string // ARNs
}

func eventField(e *C.idt_event, key C.idt_field) string {
	var value *C.char
	var n C.size_t
	if C.idt_event_get(e, key, &value, &n, nil) != C.IDT_OK {
		return ""
	}
	return goStringN(value, n)
}

func eventOf(e *C.idt_event) Event {
	resources := make([]string, int(C.idt_event_resource_count(e)))
	for i := range resources {
		resources[i] = goString(C.idt_event_resource_at(e, C.size_t(i)))
	}
	return Event{
		ID: eventField(e, C.IDT_FIELD_ID), Time: fromNanos(int64(C.idt_event_time_ns(e))),
		Account: eventField(e, C.IDT_FIELD_ACCOUNT), Region: eventField(e, C.IDT_FIELD_REGION),
		EventSource: eventField(e, C.IDT_FIELD_EVENT_SOURCE), EventName: eventField(e, C.IDT_FIELD_EVENT_NAME),
		EventType: eventField(e, C.IDT_FIELD_EVENT_TYPE), Action: eventField(e, C.IDT_FIELD_ACTION),
		ActorType: eventField(e, C.IDT_FIELD_ACTOR_TYPE), ActorARN: eventField(e, C.IDT_FIELD_ACTOR_ARN),
		PrincipalID: eventField(e, C.IDT_FIELD_ACTOR_PRINCIPAL_ID), ActorAccountID: eventField(e, C.IDT_FIELD_ACTOR_ACCOUNT_ID),
		AccessKeyID: eventField(e, C.IDT_FIELD_ACCESS_KEY_ID), UserName: eventField(e, C.IDT_FIELD_USER_NAME),
		IssuerARN: eventField(e, C.IDT_FIELD_ISSUER_ARN), SessionName: eventField(e, C.IDT_FIELD_SESSION_NAME),
		InstanceID: eventField(e, C.IDT_FIELD_INSTANCE_ID), InvokedBy: eventField(e, C.IDT_FIELD_INVOKED_BY),
		SourceIdentity: eventField(e, C.IDT_FIELD_SOURCE_IDENTITY), Source: eventField(e, C.IDT_FIELD_SOURCE),
		UserAgent: eventField(e, C.IDT_FIELD_USER_AGENT), Success: C.idt_event_success(e) != 0,
		ErrorCode: eventField(e, C.IDT_FIELD_ERROR_CODE), ErrorMessage: eventField(e, C.IDT_FIELD_ERROR_MESSAGE),
		Resources: resources,
	}
}

// EventCount is the number of events kept (WithRetainEvents, the default).
func (e *Engine) EventCount() int {
	if e.live() != nil {
		return 0
	}
	defer runtime.KeepAlive(e)
	return int(C.idt_engine_event_count(e.handle))
}

// Event copies the event at index (0 <= index < EventCount).
func (e *Engine) Event(index int) (Event, error) {
	if err := e.live(); err != nil {
		return Event{}, err
	}
	defer runtime.KeepAlive(e)
	view := C.idt_engine_event_at(e.handle, C.size_t(index))
	if index < 0 || view == nil {
		return Event{}, &Error{Code: ErrInvalidArgument.Code, Message: "event index out of range"}
	}
	return eventOf((*C.idt_event)(view)), nil
}

// Normalizer decodes CloudTrail without rules or a graph, keeping the events it accepts.
// One goroutine at a time; Close it (a finalizer frees a forgotten one).
type Normalizer struct {
	handle *C.idt_normalizer
}

// NewNormalizer makes a normalizer; it reads the decoding options only
// (WithDeduplication, WithDedupHorizon, WithKeepRaw, WithInputFormat, WithMaxErrors, WithMaxInputBytes).
func NewNormalizer(opts ...Option) (*Normalizer, error) {
	copts, err := cOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.idt_options_free(copts)
	var handle *C.idt_normalizer
	var cerr *C.idt_error
	if err := check(C.idt_normalizer_new(&handle, copts, &cerr), cerr); err != nil {
		return nil, err
	}
	n := &Normalizer{handle: handle}
	runtime.SetFinalizer(n, (*Normalizer).Close)
	return n, nil
}

// Close frees the normalizer. Safe to call twice.
func (n *Normalizer) Close() {
	if n.handle == nil {
		return
	}
	C.idt_normalizer_free(n.handle)
	n.handle = nil
	runtime.SetFinalizer(n, nil)
}

// Feed decodes bytes; bad records are counted and listed, not failures.
func (n *Normalizer) Feed(data []byte, source string) error {
	if n.handle == nil {
		return errClosed
	}
	defer runtime.KeepAlive(n)
	return withCString(source, func(name *C.char) error {
		var cerr *C.idt_error
		p, size := bytesArg(data)
		return check(C.idt_normalizer_feed(n.handle, p, size, name, &cerr), cerr)
	})
}

// FeedPath reads a file, or every log file under a directory.
func (n *Normalizer) FeedPath(path string) error {
	if n.handle == nil {
		return errClosed
	}
	defer runtime.KeepAlive(n)
	return withCString(path, func(p *C.char) error {
		var cerr *C.idt_error
		return check(C.idt_normalizer_feed_path(n.handle, p, &cerr), cerr)
	})
}

// TakeEvents returns the events accepted since the last call and drops them
// from the normalizer (the duplicate filter and the counts go on).
func (n *Normalizer) TakeEvents() []Event {
	if n.handle == nil {
		return nil
	}
	defer runtime.KeepAlive(n)
	out := make([]Event, int(C.idt_normalizer_event_count(n.handle)))
	for i := range out {
		out[i] = eventOf((*C.idt_event)(C.idt_normalizer_event_at(n.handle, C.size_t(i))))
	}
	C.idt_normalizer_clear_events(n.handle)
	return out
}

// Accepted is the number of records accepted so far.
func (n *Normalizer) Accepted() (uint64, error) {
	if n.handle == nil {
		return 0, errClosed
	}
	defer runtime.KeepAlive(n)
	var v C.uint64_t
	var cerr *C.idt_error
	if err := check(C.idt_normalizer_get_stat(n.handle, C.IDT_STAT_ACCEPTED, &v, &cerr), cerr); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// Errors lists the rejected records.
func (n *Normalizer) Errors() []DecodeError {
	if n.handle == nil {
		return nil
	}
	defer runtime.KeepAlive(n)
	out := make([]DecodeError, int(C.idt_normalizer_error_count(n.handle)))
	for i := range out {
		at := C.size_t(i)
		out[i] = DecodeError{goString(C.idt_normalizer_error_source(n.handle, at)),
			goString(C.idt_normalizer_error_location(n.handle, at)), goString(C.idt_normalizer_error_reason(n.handle, at))}
	}
	return out
}
