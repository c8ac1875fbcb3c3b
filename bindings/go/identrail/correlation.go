package identrail

// #include <identrail.h>
import "C"

import (
	"encoding/json"
	"runtime"
	"time"
)

// Status is an identity's compromise status.
type Status int

// The statuses; PotentiallyCompromised is set by the evidence only.
const (
	Normal                 Status = C.IDT_STATUS_NORMAL
	PotentiallyCompromised Status = C.IDT_STATUS_POTENTIALLY_COMPROMISED
	Compromised            Status = C.IDT_STATUS_COMPROMISED
	Remediated             Status = C.IDT_STATUS_REMEDIATED
)

func (s Status) String() string {
	switch s {
	case Normal:
		return "normal"
	case PotentiallyCompromised:
		return "potentially_compromised"
	case Compromised:
		return "compromised"
	case Remediated:
		return "remediated"
	}
	return "unknown"
}

// Risk is an identity's risk level.
type Risk int

// The risk levels.
const (
	RiskNone     Risk = C.IDT_RISK_NONE
	RiskLow      Risk = C.IDT_RISK_LOW
	RiskMedium   Risk = C.IDT_RISK_MEDIUM
	RiskHigh     Risk = C.IDT_RISK_HIGH
	RiskCritical Risk = C.IDT_RISK_CRITICAL
)

func (r Risk) String() string {
	return [...]string{"none", "low", "medium", "high", "critical"}[r]
}

// Flag records a person's statement about an identity: Compromised from since,
// Remediated at since (zero: as of everything read), or Normal to clear earlier flags.
func (e *Engine) Flag(identity string, status Status, since time.Time) error {
	if err := e.live(); err != nil {
		return err
	}
	defer runtime.KeepAlive(e)
	p, n := text(identity)
	var cerr *C.idt_error
	return check(C.idt_engine_flag(e.handle, p, n, C.idt_identity_status(status), C.int64_t(nanos(since)), &cerr), cerr)
}

// Identity is what the engine knows about one identity the logs name.
type Identity struct {
	Key       string // ARN, else principal id
	Type      string // IAMUser, AssumedRole, Root, ...
	FirstSeen time.Time
	LastSeen  time.Time
	Events    uint64
	Failed    uint64
	SourceIPs []string // distinct, first-seen order, capped
}

// Identities lists every identity in order of first appearance.
func (e *Engine) Identities() ([]Identity, error) {
	if err := e.live(); err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(e)
	var list *C.idt_identity_list
	var cerr *C.idt_error
	if err := check(C.idt_engine_identities(e.handle, &list, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.idt_identity_list_free(list)
	out := make([]Identity, int(C.idt_identity_list_count(list)))
	for i := range out {
		row := C.idt_identity_list_at(list, C.size_t(i))
		ips := make([]string, int(C.idt_identity_source_ip_count(row)))
		for j := range ips {
			ips[j] = goString(C.idt_identity_source_ip_at(row, C.size_t(j)))
		}
		out[i] = Identity{goString(C.idt_identity_key(row)), goString(C.idt_identity_type(row)),
			fromNanos(int64(C.idt_identity_first_seen_ns(row))), fromNanos(int64(C.idt_identity_last_seen_ns(row))),
			uint64(C.idt_identity_event_count(row)), uint64(C.idt_identity_failed_count(row)), ips}
	}
	return out, nil
}

// Assessment is an identity's risk and status, with the reasons.
type Assessment struct {
	Identity   string
	Status     Status
	Risk       Risk
	Since      time.Time // when the status began; zero when not known
	Reasons    []string  // most important first
	Detections int       // the identity's own
}

// Assessments gives the risk and status of every identity.
func (e *Engine) Assessments() ([]Assessment, error) {
	if err := e.live(); err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(e)
	var list *C.idt_assessment_list
	var cerr *C.idt_error
	if err := check(C.idt_engine_assessments(e.handle, &list, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.idt_assessment_list_free(list)
	out := make([]Assessment, int(C.idt_assessment_list_count(list)))
	for i := range out {
		a := C.idt_assessment_list_at(list, C.size_t(i))
		reasons := make([]string, int(C.idt_assessment_reason_count(a)))
		for j := range reasons {
			reasons[j] = goString(C.idt_assessment_reason_at(a, C.size_t(j)))
		}
		out[i] = Assessment{goString(C.idt_assessment_identity(a)), Status(C.idt_assessment_status(a)),
			Risk(C.idt_assessment_risk(a)), fromNanos(int64(C.idt_assessment_since_ns(a))), reasons,
			int(C.idt_assessment_detection_count(a))}
	}
	return out, nil
}

// Query names a JSON answer of the library (see identrail.h, idt_query).
type Query int

// The queries.
const (
	QueryAssessment     Query = C.IDT_QUERY_ASSESSMENT
	QueryResolution     Query = C.IDT_QUERY_RESOLUTION
	QueryBlastRadius    Query = C.IDT_QUERY_BLAST_RADIUS
	QueryPaths          Query = C.IDT_QUERY_PATHS
	QueryWhereUsed      Query = C.IDT_QUERY_WHERE_USED
	QueryTimeline       Query = C.IDT_QUERY_TIMELINE
	QueryRemediation    Query = C.IDT_QUERY_REMEDIATION
	QueryLeastPrivilege Query = C.IDT_QUERY_LEAST_PRIVILEGE
)

// QueryOptions are a query's options; a query refuses one it does not read
// (ErrInvalidArgument), so a misplaced option is never silently ignored.
type QueryOptions struct {
	Since           time.Time // BlastRadius, Timeline
	MaxDepth        int       // Paths: edges per path (default 8)
	MaxPaths        int       // Paths: paths at most (default 32)
	To              string    // Paths: the target, a resource or identity
	Now             time.Time // Remediation: the session-revocation cut-off (default: the clock)
	AllowCIDRs      []string  // Remediation: networks the identity may still be used from
	FlagTime        time.Time // LeastPrivilege: default when the identity's status began
	CurrentPolicies []string  // LeastPrivilege: the identity's policies as JSON
	Compact         bool      // LeastPrivilege: fold actions into wildcards that admit no unused action
}

func (o *QueryOptions) apply(q *C.idt_query_options) error {
	var cerr *C.idt_error
	setInt := func(key C.idt_query_option, v int64) error {
		return check(C.idt_query_options_set_int(q, key, C.int64_t(v), &cerr), cerr)
	}
	setString := func(key C.idt_query_string_option, v string) error {
		p, n := text(v)
		return check(C.idt_query_options_set_string(q, key, p, n, &cerr), cerr)
	}
	var steps []func() error
	if !o.Since.IsZero() {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_SINCE_NS, o.Since.UnixNano()) })
	}
	if o.MaxDepth != 0 {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_MAX_DEPTH, int64(o.MaxDepth)) })
	}
	if o.MaxPaths != 0 {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_MAX_PATHS, int64(o.MaxPaths)) })
	}
	if o.To != "" {
		steps = append(steps, func() error { return setString(C.IDT_QOPT_TO, o.To) })
	}
	if !o.Now.IsZero() {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_NOW_NS, o.Now.UnixNano()) })
	}
	for _, cidr := range o.AllowCIDRs {
		cidr := cidr
		steps = append(steps, func() error { return setString(C.IDT_QOPT_ALLOW_CIDR, cidr) })
	}
	if !o.FlagTime.IsZero() {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_FLAG_TIME_NS, o.FlagTime.UnixNano()) })
	}
	for _, policy := range o.CurrentPolicies {
		policy := policy
		steps = append(steps, func() error { return setString(C.IDT_QOPT_CURRENT_POLICY, policy) })
	}
	if o.Compact {
		steps = append(steps, func() error { return setInt(C.IDT_QOPT_COMPACT, 1) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// Query returns the library's JSON answer about subject (an identity; for
// QueryPaths an entry point); every answer starts with "schema_version".
// ErrNotFound when the logs do not name the subject. opts may be nil.
func (e *Engine) Query(query Query, subject string, opts *QueryOptions) (json.RawMessage, error) {
	if err := e.live(); err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(e)
	var q *C.idt_query_options
	var cerr *C.idt_error
	if err := check(C.idt_query_options_new(&q, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.idt_query_options_free(q)
	if opts != nil {
		if err := opts.apply(q); err != nil {
			return nil, err
		}
	}
	p, n := text(subject)
	var buf *C.idt_buffer
	if err := check(C.idt_engine_query(e.handle, C.idt_query(query), p, n, q, &buf, &cerr), cerr); err != nil {
		return nil, err
	}
	return takeBuffer(buf), nil
}

func (e *Engine) queryInto(query Query, subject string, opts *QueryOptions, into any) error {
	answer, err := e.Query(query, subject, opts)
	if err != nil {
		return err
	}
	return json.Unmarshal(answer, into)
}

// Resolution is the chain behind a session, back to the principal really behind it.
type Resolution struct {
	SchemaVersion int      `json:"schema_version"`
	Identity      string   `json:"identity"`
	RootPrincipal string   `json:"root_principal"`
	Complete      bool     `json:"complete"`
	Chain         []string `json:"chain"`
}

// Resolve gives the chain behind an identity.
func (e *Engine) Resolve(identity string) (Resolution, error) {
	var r Resolution
	err := e.queryInto(QueryResolution, identity, nil, &r)
	return r, err
}

// RemediationStep is one AWS API call of a plan, with its AWS CLI form.
type RemediationStep struct {
	Service    string          `json:"service"`
	Operation  string          `json:"operation"`
	Parameters json.RawMessage `json:"parameters"`
	CLI        string          `json:"cli"`
}

// RemediationStrategy is one way to contain an identity, as ordered steps.
type RemediationStrategy struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Steps    []RemediationStep `json:"steps"`
	Policy   json.RawMessage   `json:"policy,omitempty"`
	Warnings []string          `json:"warnings"`
}

// RemediationPlan is what to do about an identity. Plans are data: the library makes no AWS calls.
type RemediationPlan struct {
	SchemaVersion int                   `json:"schema_version"`
	Identity      string                `json:"identity"`
	IdentityKind  string                `json:"identity_kind"`
	RootPrincipal string                `json:"root_principal"`
	Strategies    []RemediationStrategy `json:"strategies"`
	Notes         []string              `json:"notes"`
}

// Remediation plans the containment of an identity; opts may set Now and AllowCIDRs.
func (e *Engine) Remediation(identity string, opts *QueryOptions) (RemediationPlan, error) {
	var p RemediationPlan
	err := e.queryInto(QueryRemediation, identity, opts, &p)
	return p, err
}

// UsedAction is an action the identity used, where and how often.
type UsedAction struct {
	Action    string   `json:"action"`
	Resources []string `json:"resources"`
	Count     uint64   `json:"count"`
	FirstSeen string   `json:"first_seen"`
	LastSeen  string   `json:"last_seen"`
}

// LeastPrivilege is a policy built from what an identity used before it was flagged.
type LeastPrivilege struct {
	SchemaVersion     int             `json:"schema_version"`
	Identity          string          `json:"identity"`
	FlagTime          *string         `json:"flag_time"`
	Policy            json.RawMessage `json:"policy"`
	UsedActions       []UsedAction    `json:"used_actions"`
	ExcludedActions   []UsedAction    `json:"excluded_actions"`
	UnusedPermissions []string        `json:"unused_permissions"`
	NotGranted        []string        `json:"not_granted"`
	Notes             []string        `json:"notes"`
}

// LeastPrivilegePolicy builds the policy; opts may set FlagTime, CurrentPolicies and Compact.
func (e *Engine) LeastPrivilegePolicy(identity string, opts *QueryOptions) (LeastPrivilege, error) {
	var r LeastPrivilege
	err := e.queryInto(QueryLeastPrivilege, identity, opts, &r)
	return r, err
}
