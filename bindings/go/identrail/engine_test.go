package identrail_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/identrail/identrail/bindings/go/identrail"
)

var sample = filepath.Join(root, "examples", "data", "sample")

const admin = "arn:aws:iam::111122223333:user/ops-admin"

func sampleEngine(t *testing.T, opts ...identrail.Option) *identrail.Engine {
	t.Helper()
	e, err := identrail.NewEngine(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	if err := e.FeedPath(sample); err != nil {
		t.Fatal(err)
	}
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestErrorsCarryTheLibrarysCode(t *testing.T) {
	_, err := identrail.NewEngine(identrail.WithAllowedLateness(8 * 24 * time.Hour))
	if !errors.Is(err, identrail.ErrInvalidArgument) || !strings.Contains(err.Error(), "allowed_lateness") {
		t.Fatalf("lateness of 8 days: %v", err)
	}
	_, err = identrail.NewEngine(identrail.WithRuleFiles(filepath.Join(root, "no-such-rules.yaml")))
	if !errors.Is(err, identrail.ErrNotFound) || !strings.Contains(err.Error(), "no-such-rules.yaml") {
		t.Fatalf("missing rule file: %v", err)
	}
	e := sampleEngine(t)
	if err := e.FeedPath(filepath.Join(root, "no-such-dir")); !errors.Is(err, identrail.ErrNotFound) {
		t.Fatalf("missing input: %v", err)
	}
	if _, err := e.Resolve("arn:aws:iam::1:user/nobody"); !errors.Is(err, identrail.ErrNotFound) {
		t.Fatalf("unknown identity: %v", err)
	}
	var typed *identrail.Error
	_, err = e.Query(identrail.QueryRemediation, admin, &identrail.QueryOptions{MaxPaths: 3})
	if !errors.As(err, &typed) || typed.Code != identrail.ErrInvalidArgument.Code ||
		!strings.Contains(typed.Message, "does not read IDT_QOPT_MAX_PATHS") {
		t.Fatalf("a misplaced option: %v", err)
	}
	if _, err := identrail.Restore([]byte("not a checkpoint")); !errors.Is(err, identrail.ErrBadState) {
		t.Fatalf("a corrupt checkpoint: %v", err)
	}
}

func TestBadRecordsAreCountedNotFailures(t *testing.T) {
	e, err := identrail.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.FeedNamed([]byte("{\"eventTime\": 12}\n[1]\n"), "pipe"); err != nil {
		t.Fatal(err)
	}
	stats, _ := e.Stats()
	if stats.Rejected != 2 || stats.Accepted != 0 || len(e.Errors()) != 2 || e.Errors()[0].Source != "pipe" {
		t.Fatalf("stats %+v errors %+v", stats, e.Errors())
	}
}

func TestTheCallbackSeesEveryRevisionAndCloseIsFinal(t *testing.T) {
	e, err := identrail.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	latest := map[string]identrail.Detection{}
	calls := 0
	if err := e.OnDetection(func(d identrail.Detection) {
		calls++
		if previous, seen := latest[d.ID]; seen && previous.Revision >= d.Revision {
			t.Errorf("%s: revision %d after %d", d.ID, d.Revision, previous.Revision)
		}
		latest[d.ID] = d
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.FeedPath(sample); err != nil {
		t.Fatal(err)
	}
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	standing := e.Detections()
	if len(standing) == 0 || calls < len(standing) {
		t.Fatalf("%d calls for %d detections", calls, len(standing))
	}
	for _, d := range standing {
		if got := latest[d.ID]; got.Revision != d.Revision || got.Summary != d.Summary || got.FirstSeen != d.FirstSeen {
			t.Errorf("%s: the callback's last revision %+v is not the standing one %+v", d.ID, got, d)
		}
	}
	e.Close()
	e.Close()
	if err := e.Feed([]byte("{}")); err == nil {
		t.Fatal("Feed after Close succeeded")
	}
	if e.Detections() != nil {
		t.Fatal("Detections after Close")
	}
}

func TestARuleSetIsSharedAcrossGoroutines(t *testing.T) {
	rules, err := identrail.BuiltinRules()
	if err != nil {
		t.Fatal(err)
	}
	if failures, err := rules.RunTests(); err != nil || len(failures) != 0 {
		t.Fatalf("built-in rule tests: %v %v", failures, err)
	}
	want := len(sampleEngine(t).Detections())
	var wg sync.WaitGroup
	got := make([]int, 4)
	for i := range got {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e, err := identrail.NewEngine(identrail.WithRuleSet(rules))
			if err != nil {
				t.Error(err)
				return
			}
			defer e.Close()
			if err := e.FeedPath(sample); err != nil {
				t.Error(err)
			}
			_ = e.Finish()
			got[i] = len(e.Detections())
		}(i)
	}
	wg.Wait()
	for i, n := range got {
		if n != want {
			t.Errorf("goroutine %d: %d detections, want %d", i, n, want)
		}
	}
	if _, err := identrail.ParseRules([]byte("- id: X-1\n  severity: dire\n"), "inline.yaml"); err == nil ||
		!strings.Contains(err.Error(), "inline.yaml:1") {
		t.Fatalf("a bad rule: %v", err)
	}
	rules.Close()
	if _, err := identrail.NewEngine(identrail.WithRuleSet(rules)); !errors.Is(err, identrail.ErrInvalidArgument) {
		t.Fatalf("a closed rule set: %v", err)
	}
}

func TestCheckpointRestoreGoesOn(t *testing.T) {
	e := sampleEngine(t)
	state, err := e.Checkpoint()
	if err != nil {
		t.Fatal(err)
	}
	again, err := identrail.Restore(state)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	a, _ := e.Assessments()
	b, _ := again.Assessments()
	if len(a) != len(b) || len(again.Detections()) != len(e.Detections()) {
		t.Fatalf("restored: %d assessments and %d detections, want %d and %d", len(b), len(again.Detections()),
			len(a), len(e.Detections()))
	}
}

func TestTypedAnswers(t *testing.T) {
	e := sampleEngine(t)
	ids, err := e.Identities()
	if err != nil || len(ids) < 4 {
		t.Fatalf("identities: %d %v", len(ids), err)
	}
	assessed, _ := e.Assessments()
	var flagged identrail.Assessment
	for _, a := range assessed {
		if a.Identity == admin {
			flagged = a
		}
	}
	if flagged.Status != identrail.PotentiallyCompromised || flagged.Risk < identrail.RiskHigh || flagged.Since.IsZero() {
		t.Fatalf("admin: %+v", flagged)
	}
	plan, err := e.Remediation(admin, &identrail.QueryOptions{Now: time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC)})
	if err != nil || plan.SchemaVersion != 1 || len(plan.Strategies) == 0 || plan.Strategies[0].Steps[0].CLI == "" {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	least, err := e.LeastPrivilegePolicy(admin, nil)
	if err != nil || least.FlagTime == nil || len(least.UsedActions) == 0 || len(least.ExcludedActions) == 0 {
		t.Fatalf("least privilege: %+v %v", least, err)
	}
	for _, used := range least.UsedActions {
		if used.Action == "cloudtrail:StopLogging" {
			t.Fatal("the attacker's StopLogging is in the policy")
		}
	}
	first, err := e.Event(0)
	if err != nil || first.ID == "" || first.Time.IsZero() || e.EventCount() == 0 {
		t.Fatalf("event 0: %+v %v", first, err)
	}
	if _, err := e.Event(e.EventCount()); !errors.Is(err, identrail.ErrInvalidArgument) {
		t.Fatalf("past the end: %v", err)
	}
}

func TestThePolicyEvaluatorAlone(t *testing.T) {
	allow, err := identrail.ParsePolicy([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`), "id.json")
	if err != nil {
		t.Fatal(err)
	}
	scp, err := identrail.ParsePolicy([]byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},`+
		`{"Sid":"KeepLogs","Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}`), "scp.json")
	if err != nil {
		t.Fatal(err)
	}
	decided, err := identrail.Evaluate(identrail.Policies{Identity: []*identrail.Policy{allow}, SCPs: []*identrail.Policy{scp}},
		identrail.Request{Principal: admin, Action: "cloudtrail:StopLogging"})
	if err != nil || decided.Decision != identrail.ExplicitDeny || decided.DecidedBy != identrail.KindSCP ||
		decided.StatementIndex != 1 || decided.Sid != "KeepLogs" {
		t.Fatalf("%+v %v", decided, err)
	}
	if _, err := identrail.ParsePolicy([]byte(`{"Statement":{"Effect":"Maybe"}}`), "bad.json"); err == nil ||
		!strings.Contains(err.Error(), "bad.json") {
		t.Fatalf("a bad policy: %v", err)
	}
}

func TestTheNormalizerAlone(t *testing.T) {
	n, err := identrail.NewNormalizer()
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.FeedPath(sample); err != nil {
		t.Fatal(err)
	}
	events := n.TakeEvents()
	accepted, _ := n.Accepted()
	if len(events) == 0 || uint64(len(events)) != accepted || len(n.TakeEvents()) != 0 {
		t.Fatalf("%d events, %d accepted", len(events), accepted)
	}
	if events[0].Action != "sts:AssumeRole" || events[0].InvokedBy != "ec2.amazonaws.com" || len(events[0].Resources) != 1 {
		t.Fatalf("first event: %+v", events[0])
	}
}

func TestAPanicInTheCallbackComesBackAfterTheCall(t *testing.T) {
	e, err := identrail.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	calls := 0
	if err := e.OnDetection(func(identrail.Detection) {
		calls++
		panic("the caller's bug")
	}); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if r := recover(); r != "the caller's bug" {
				t.Fatalf("recovered %v", r)
			}
		}()
		_ = e.FeedPath(sample)
		_ = e.Finish()
		t.Fatal("no panic reached the caller")
	}()
	if calls != 1 {
		t.Fatalf("%d calls after a panic stopped them", calls)
	}
	// The engine is whole: the library returned normally.
	if err := e.Finish(); err != nil || len(e.Detections()) == 0 {
		t.Fatalf("after the panic: %v, %d detections", err, len(e.Detections()))
	}
}

func TestANulInsideAStringIsRefused(t *testing.T) {
	_, err := identrail.NewEngine(identrail.WithStateKey("\x00secret"))
	if !errors.Is(err, identrail.ErrInvalidArgument) || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("a state key with a NUL: %v", err)
	}
}

func TestRulesAloneBuildNoGraph(t *testing.T) {
	for _, on := range []bool{true, false} {
		e := sampleEngine(t, identrail.WithCorrelation(on))
		report, err := e.ReportJSON()
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`"correlated":%v`, on)
		if !strings.Contains(string(report), want) || len(e.Detections()) == 0 {
			t.Fatalf("correlation %v: want %s and detections in the report", on, want)
		}
	}
}

func TestDecodeThreadsGiveTheSameReport(t *testing.T) {
	one, err := sampleEngine(t).ReportJSON()
	if err != nil {
		t.Fatal(err)
	}
	three, err := sampleEngine(t, identrail.WithDecodeThreads(3)).ReportJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(one) != string(three) {
		t.Fatal("the report on 3 decoding threads differs from the one on 1")
	}
	if _, err := identrail.NewEngine(identrail.WithDecodeThreads(0)); !errors.Is(err, identrail.ErrInvalidArgument) {
		t.Fatalf("0 threads: got %v, want ErrInvalidArgument", err)
	}
}
