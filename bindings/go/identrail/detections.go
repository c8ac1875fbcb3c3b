package identrail

// #include <identrail.h>
import "C"

import (
	"runtime"
	"time"
)

// Detection is a rule's finding about one identity, at one revision.
type Detection struct {
	ID         string // stable: the same evidence gives the same id in any delivery order
	Revision   uint32 // 0 when first found, one more per change
	Withdrawn  bool   // the last revision of a detection a late event undid
	RuleID     string
	Name       string
	Severity   string // info, low, medium, high, critical
	Identity   string
	GroupKey   string
	Summary    string
	SourceIP   string // the source address of its first event, as logged
	FirstSeen  time.Time
	LastSeen   time.Time
	Count      uint64   // events, distinct values or steps
	EventIDs   []string // the evidence (at most 20)
	Follows    []string // ids of the detections that put the identity under suspicion (context rules)
	Tactics    []string // ATT&CK tactic ids
	Techniques []string // ATT&CK technique ids
}

func detectionField(d *C.idt_detection, key C.idt_detection_field) string {
	var value *C.char
	var n C.size_t
	if C.idt_detection_get_string(d, key, &value, &n, nil) != C.IDT_OK {
		return ""
	}
	return goStringN(value, n)
}

func detectionList(d *C.idt_detection, count func(*C.idt_detection) C.size_t,
	at func(*C.idt_detection, C.size_t) *C.char) []string {
	out := make([]string, int(count(d)))
	for i := range out {
		out[i] = goString(at(d, C.size_t(i)))
	}
	return out
}

// detectionOf copies a detection view into Go memory.
func detectionOf(d *C.idt_detection) Detection {
	return Detection{
		ID:        detectionField(d, C.IDT_DET_ID),
		Revision:  uint32(C.idt_detection_revision(d)),
		Withdrawn: C.idt_detection_withdrawn(d) != 0,
		RuleID:    detectionField(d, C.IDT_DET_RULE_ID),
		Name:      detectionField(d, C.IDT_DET_NAME),
		Severity:  detectionField(d, C.IDT_DET_SEVERITY),
		Identity:  detectionField(d, C.IDT_DET_IDENTITY),
		GroupKey:  detectionField(d, C.IDT_DET_GROUP_KEY),
		Summary:   detectionField(d, C.IDT_DET_SUMMARY),
		SourceIP:  detectionField(d, C.IDT_DET_SOURCE),
		FirstSeen: fromNanos(int64(C.idt_detection_first_seen_ns(d))),
		LastSeen:  fromNanos(int64(C.idt_detection_last_seen_ns(d))),
		Count:     uint64(C.idt_detection_count(d)),
		EventIDs: detectionList(d, func(d *C.idt_detection) C.size_t { return C.idt_detection_event_id_count(d) },
			func(d *C.idt_detection, i C.size_t) *C.char { return C.idt_detection_event_id_at(d, i) }),
		Follows: detectionList(d, func(d *C.idt_detection) C.size_t { return C.idt_detection_follows_count(d) },
			func(d *C.idt_detection, i C.size_t) *C.char { return C.idt_detection_follows_at(d, i) }),
		Tactics: detectionList(d, func(d *C.idt_detection) C.size_t { return C.idt_detection_tactic_count(d) },
			func(d *C.idt_detection, i C.size_t) *C.char { return C.idt_detection_tactic_at(d, i) }),
		Techniques: detectionList(d, func(d *C.idt_detection) C.size_t { return C.idt_detection_technique_count(d) },
			func(d *C.idt_detection, i C.size_t) *C.char { return C.idt_detection_technique_at(d, i) }),
	}
}

// Detections are the detections as they are now (latest revision, withdrawn
// ones left out), in the order first found.
func (e *Engine) Detections() []Detection {
	if e.live() != nil {
		return nil
	}
	defer runtime.KeepAlive(e)
	out := make([]Detection, int(C.idt_engine_detection_count(e.handle)))
	for i := range out {
		out[i] = detectionOf((*C.idt_detection)(C.idt_engine_detection_at(e.handle, C.size_t(i))))
	}
	return out
}
