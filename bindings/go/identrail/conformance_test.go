package identrail_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/identrail/identrail/bindings/go/identrail"
)

// The repository root, from this package's directory (bindings/go/identrail).
var root = filepath.Join("..", "..", "..")

type corpusCase struct {
	Name   string   `json:"name"`
	Inputs []string `json:"inputs"`
	Rules  []string `json:"rules"`
	Flags  []struct {
		Identity string `json:"identity"`
		Status   string `json:"status"`
		SinceNs  *int64 `json:"since_ns"`
	} `json:"flags"`
	Queries []struct {
		Query           string   `json:"query"`
		Subject         string   `json:"subject"`
		SinceNs         *int64   `json:"since_ns"`
		To              string   `json:"to"`
		MaxDepth        int      `json:"max_depth"`
		MaxPaths        int      `json:"max_paths"`
		NowNs           *int64   `json:"now_ns"`
		AllowCIDRs      []string `json:"allow_cidrs"`
		FlagTimeNs      *int64   `json:"flag_time_ns"`
		CurrentPolicies []string `json:"current_policies"`
		Compact         bool     `json:"compact"`
	} `json:"queries"`
}

func loadCases(t *testing.T) []corpusCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "tests", "conformance", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Cases []corpusCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &corpus); err != nil {
		t.Fatal(err)
	}
	return corpus.Cases
}

func at(ns *int64) time.Time {
	if ns == nil {
		return time.Time{}
	}
	return time.Unix(0, *ns)
}

func nsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

var queryKinds = map[string]identrail.Query{
	"assessment": identrail.QueryAssessment, "resolution": identrail.QueryResolution,
	"blast_radius": identrail.QueryBlastRadius, "paths": identrail.QueryPaths, "where_used": identrail.QueryWhereUsed,
	"timeline": identrail.QueryTimeline, "remediation": identrail.QueryRemediation,
	"least_privilege": identrail.QueryLeastPrivilege,
}

var statuses = map[string]identrail.Status{"normal": identrail.Normal, "compromised": identrail.Compromised,
	"remediated": identrail.Remediated}

// answers replays one case: the document tests/conformance/README.md describes.
func answers(t *testing.T, c corpusCase) map[string]any {
	t.Helper()
	var opts []identrail.Option
	for _, r := range c.Rules {
		opts = append(opts, identrail.WithRuleFiles(filepath.Join(root, r)))
	}
	engine, err := identrail.NewEngine(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	for _, in := range c.Inputs {
		if err := engine.FeedPath(filepath.Join(root, in)); err != nil {
			t.Fatal(err)
		}
	}
	if err := engine.Finish(); err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Flags {
		if err := engine.Flag(f.Identity, statuses[f.Status], at(f.SinceNs)); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := engine.Stats()
	if err != nil {
		t.Fatal(err)
	}
	var errs []any
	for _, e := range engine.Errors() {
		errs = append(errs, map[string]any{"source": filepath.Base(e.Source), "location": e.Location, "reason": e.Reason})
	}
	found := engine.Detections()
	sort.Slice(found, func(i, j int) bool { return found[i].ID < found[j].ID })
	var detections []any
	for _, d := range found {
		detections = append(detections, map[string]any{"id": d.ID, "revision": d.Revision, "rule_id": d.RuleID,
			"severity": d.Severity, "identity": d.Identity, "source_ip": d.SourceIP,
			"first_seen_ns": d.FirstSeen.UnixNano(), "last_seen_ns": d.LastSeen.UnixNano(), "count": d.Count,
			"event_ids": d.EventIDs, "follows": d.Follows})
	}
	assessed, err := engine.Assessments()
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(assessed, func(i, j int) bool { return assessed[i].Identity < assessed[j].Identity })
	var assessments []any
	for _, a := range assessed {
		assessments = append(assessments, map[string]any{"identity": a.Identity, "status": a.Status.String(),
			"risk": a.Risk.String(), "since_ns": nsOrNil(a.Since), "reasons": a.Reasons, "detections": a.Detections})
	}
	queries := []any{}
	for _, q := range c.Queries {
		options := &identrail.QueryOptions{Since: at(q.SinceNs), To: q.To, MaxDepth: q.MaxDepth, MaxPaths: q.MaxPaths,
			Now: at(q.NowNs), AllowCIDRs: q.AllowCIDRs, FlagTime: at(q.FlagTimeNs), Compact: q.Compact}
		for _, p := range q.CurrentPolicies {
			text, err := os.ReadFile(filepath.Join(root, p))
			if err != nil {
				t.Fatal(err)
			}
			options.CurrentPolicies = append(options.CurrentPolicies, string(text))
		}
		answer, err := engine.Query(queryKinds[q.Query], q.Subject, options)
		if err != nil {
			t.Fatalf("%s %s: %v", q.Query, q.Subject, err)
		}
		queries = append(queries, answer)
	}
	return map[string]any{
		"stats": map[string]any{"total": stats.Total, "accepted": stats.Accepted, "rejected": stats.Rejected,
			"duplicates": stats.Duplicates, "identities": stats.Identities},
		"errors": orEmpty(errs), "detections": orEmpty(detections), "assessments": orEmpty(assessments),
		"queries": queries,
	}
}

func orEmpty(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}

// asJSON decodes a document with exact numbers, so values compare as JSON values.
func asJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var out map[string]any
	if err := decoder.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGoAnswersAsTheCorpusSays(t *testing.T) {
	cases := loadCases(t)
	if len(cases) < 4 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			expectedText, err := os.ReadFile(filepath.Join(root, "tests", "conformance", "expected", c.Name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			gotText, err := json.Marshal(answers(t, c))
			if err != nil {
				t.Fatal(err)
			}
			got, expected := asJSON(t, gotText), asJSON(t, expectedText)
			for part := range expected {
				if !reflect.DeepEqual(got[part], expected[part]) {
					mine, _ := json.Marshal(got[part])
					theirs, _ := json.Marshal(expected[part])
					t.Errorf("%s differs:\n got      %.300s\n expected %.300s", part, mine, theirs)
				}
			}
			if len(got) != len(expected) {
				t.Errorf("parts: got %d, expected %d", len(got), len(expected))
			}
		})
	}
}

func TestNoCaseNeedsAnOptionTheReplayerIgnores(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "tests", "conformance", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	known := "query subject since_ns to max_depth max_paths now_ns allow_cidrs flag_time_ns current_policies compact"
	var corpus struct {
		Cases []struct {
			Queries []map[string]any `json:"queries"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &corpus); err != nil {
		t.Fatal(err)
	}
	for _, c := range corpus.Cases {
		for _, q := range c.Queries {
			for key := range q {
				if !strings.Contains(" "+known+" ", " "+key+" ") {
					t.Errorf("query option %q is not replayed by Go", key)
				}
			}
		}
	}
}
