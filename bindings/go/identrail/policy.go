package identrail

// #include <stdlib.h>
// #include <identrail.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// Policy is an IAM policy document, parsed once: immutable, safe to share across goroutines.
type Policy struct {
	handle *C.idt_policy
}

// ParsePolicy checks an IAM policy document; errors name source, the JSON path and the reason.
func ParsePolicy(document []byte, source string) (*Policy, error) {
	var handle *C.idt_policy
	err := withCString(source, func(name *C.char) error {
		var cerr *C.idt_error
		p, n := bytesArg(document)
		return check(C.idt_policy_parse(&handle, p, n, name, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	policy := &Policy{handle: handle}
	runtime.SetFinalizer(policy, (*Policy).Close)
	return policy, nil
}

// Close frees the policy. Safe to call twice.
func (p *Policy) Close() {
	if p.handle == nil {
		return
	}
	C.idt_policy_free(p.handle)
	p.handle = nil
	runtime.SetFinalizer(p, nil)
}

// JSON is the document as identrail reads it (normalised).
func (p *Policy) JSON() ([]byte, error) {
	if p.handle == nil {
		return nil, errClosed
	}
	defer runtime.KeepAlive(p)
	var buf *C.idt_buffer
	var cerr *C.idt_error
	if err := check(C.idt_policy_to_json(p.handle, &buf, &cerr), cerr); err != nil {
		return nil, err
	}
	return takeBuffer(buf), nil
}

// Policies are those that apply to one request, by kind.
type Policies struct {
	Identity []*Policy // attached to the principal
	Boundary []*Policy // its permissions boundary
	SCPs     []*Policy // service control policies of one level of the organization: one must allow
	Resource []*Policy // the resource's own policy
}

// Request is what is asked: who, which action, on what, with which context keys.
type Request struct {
	Principal string              // the caller's ARN
	Action    string              // "s3:GetObject"
	Resource  string              // an ARN, or "*" (the default)
	Context   map[string][]string // aws:SourceIp, aws:CurrentTime, aws:MultiFactorAuthPresent, ...
}

// Decision is the outcome of an evaluation.
type Decision int

// The decisions.
const (
	Allow        Decision = C.IDT_DECISION_ALLOW
	ExplicitDeny Decision = C.IDT_DECISION_EXPLICIT_DENY
	ImplicitDeny Decision = C.IDT_DECISION_IMPLICIT_DENY
)

func (d Decision) String() string { return [...]string{"allow", "explicit_deny", "implicit_deny"}[d] }

// PolicyKind names a kind of policy; DecidedBy is KindNone when nothing allowed the request.
type PolicyKind int

// The policy kinds.
const (
	KindIdentity PolicyKind = C.IDT_POLICY_IDENTITY
	KindBoundary PolicyKind = C.IDT_POLICY_BOUNDARY
	KindSCP      PolicyKind = C.IDT_POLICY_SCP
	KindResource PolicyKind = C.IDT_POLICY_RESOURCE
	KindNone     PolicyKind = C.IDT_POLICY_NONE
)

// Evaluation is the decision and the statement that made it.
type Evaluation struct {
	Decision       Decision
	DecidedBy      PolicyKind
	PolicyIndex    int // within its kind
	StatementIndex int
	Sid            string
	Reason         string // "denied by scp[0] Statement[2] (DenyRegions)"
}

// Evaluate decides a request as AWS does: an explicit deny wins; then the SCPs
// and the boundary must allow; then an identity or resource policy must allow.
func Evaluate(policies Policies, request Request) (Evaluation, error) {
	var set *C.idt_policy_set
	var cerr *C.idt_error
	if err := check(C.idt_policy_set_new(&set, &cerr), cerr); err != nil {
		return Evaluation{}, err
	}
	defer C.idt_policy_set_free(set)
	for _, group := range []struct {
		kind C.idt_policy_kind
		list []*Policy
	}{{C.IDT_POLICY_IDENTITY, policies.Identity}, {C.IDT_POLICY_BOUNDARY, policies.Boundary},
		{C.IDT_POLICY_SCP, policies.SCPs}, {C.IDT_POLICY_RESOURCE, policies.Resource}} {
		for _, p := range group.list {
			if p == nil || p.handle == nil {
				return Evaluation{}, errClosed
			}
			err := check(C.idt_policy_set_add(set, group.kind, p.handle, &cerr), cerr)
			runtime.KeepAlive(p)
			if err != nil {
				return Evaluation{}, err
			}
		}
	}
	req, err := cRequest(request)
	if err != nil {
		return Evaluation{}, err
	}
	defer C.idt_policy_request_free(req)
	var e *C.idt_evaluation
	if err := check(C.idt_policy_evaluate(set, req, &e, &cerr), cerr); err != nil {
		return Evaluation{}, err
	}
	defer C.idt_evaluation_free(e)
	return Evaluation{Decision(C.idt_evaluation_decision(e)), PolicyKind(C.idt_evaluation_decided_by(e)),
		int(C.idt_evaluation_policy_index(e)), int(C.idt_evaluation_statement_index(e)),
		goString(C.idt_evaluation_sid(e)), goString(C.idt_evaluation_reason(e))}, nil
}

func cRequest(r Request) (*C.idt_policy_request, error) {
	resource := r.Resource
	if resource == "" {
		resource = "*"
	}
	principal, action, res := C.CString(r.Principal), C.CString(r.Action), C.CString(resource)
	defer C.free(unsafe.Pointer(principal))
	defer C.free(unsafe.Pointer(action))
	defer C.free(unsafe.Pointer(res))
	var req *C.idt_policy_request
	var cerr *C.idt_error
	if err := check(C.idt_policy_request_new(&req, principal, action, res, &cerr), cerr); err != nil {
		return nil, err
	}
	for key, values := range r.Context {
		for _, value := range values {
			k, v := C.CString(key), C.CString(value)
			err := check(C.idt_policy_request_add_context(req, k, v, &cerr), cerr)
			C.free(unsafe.Pointer(k))
			C.free(unsafe.Pointer(v))
			if err != nil {
				C.idt_policy_request_free(req)
				return nil, err
			}
		}
	}
	return req, nil
}
