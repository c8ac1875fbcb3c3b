package identrail

// #include <identrail.h>
import "C"

import "runtime"

// RuleSet is compiled rules: immutable, shared (not copied) by every engine
// made WithRuleSet, and safe to use from any number of goroutines.
type RuleSet struct {
	handle *C.idt_rule_set
}

// RuleFlags adjust LoadRules.
type RuleFlags uint32

// The rule flags.
const (
	KeepBuiltinRules RuleFlags = C.IDT_RULES_KEEP_BUILTIN // the built-in pack as well as the files' rules
	SkipInvalidRules RuleFlags = C.IDT_RULES_SKIP_INVALID // load the valid rules, list the others (Rejections)
)

func wrapRules(status C.idt_status, handle *C.idt_rule_set, cerr *C.idt_error) (*RuleSet, error) {
	if err := check(status, cerr); err != nil {
		return nil, err
	}
	r := &RuleSet{handle: handle}
	runtime.SetFinalizer(r, (*RuleSet).Close)
	return r, nil
}

// BuiltinRules is the pack built into the library.
func BuiltinRules() (*RuleSet, error) {
	var handle *C.idt_rule_set
	var cerr *C.idt_error
	return wrapRules(C.idt_rule_set_builtin(&handle, &cerr), handle, cerr)
}

// LoadRules compiles YAML rule files or directories; errors name the file, line and rule.
func LoadRules(paths []string, flags RuleFlags) (*RuleSet, error) {
	array, free, err := cStrings(paths)
	if err != nil {
		return nil, err
	}
	defer free()
	var handle *C.idt_rule_set
	var cerr *C.idt_error
	return wrapRules(C.idt_rule_set_load(&handle, array, C.size_t(len(paths)), C.uint32_t(flags), &cerr), handle, cerr)
}

// ParseRules compiles rules from YAML text; source names it in errors.
func ParseRules(yaml []byte, source string) (*RuleSet, error) {
	var handle *C.idt_rule_set
	var result *RuleSet
	err := withCString(source, func(name *C.char) error {
		var cerr *C.idt_error
		p, n := bytesArg(yaml)
		var err error
		result, err = wrapRules(C.idt_rule_set_parse(&handle, p, n, name, &cerr), handle, cerr)
		return err
	})
	return result, err
}

// Close frees the rule set; engines made with it keep their own reference.
func (r *RuleSet) Close() {
	if r.handle == nil {
		return
	}
	C.idt_rule_set_free(r.handle)
	r.handle = nil
	runtime.SetFinalizer(r, nil)
}

// Len is the number of rules.
func (r *RuleSet) Len() int {
	defer runtime.KeepAlive(r)
	return int(C.idt_rule_set_count(r.handle))
}

// IDs are the rule ids in load order.
func (r *RuleSet) IDs() []string {
	defer runtime.KeepAlive(r)
	out := make([]string, r.Len())
	for i := range out {
		out[i] = goString(C.idt_rule_set_rule_id(r.handle, C.size_t(i)))
	}
	return out
}

// Rejections lists, with SkipInvalidRules, the rules refused: "file:line: rule id: reason".
func (r *RuleSet) Rejections() []string {
	defer runtime.KeepAlive(r)
	out := make([]string, int(C.idt_rule_set_rejection_count(r.handle)))
	for i := range out {
		out[i] = goString(C.idt_rule_set_rejection_at(r.handle, C.size_t(i)))
	}
	return out
}

// RunTests runs the tests the rules carry and returns one line per failure (none when all pass).
func (r *RuleSet) RunTests() ([]string, error) {
	if r.handle == nil {
		return nil, errClosed
	}
	defer runtime.KeepAlive(r)
	var failed C.size_t
	var report *C.idt_buffer
	var cerr *C.idt_error
	if err := check(C.idt_rule_set_run_tests(r.handle, &failed, &report, &cerr), cerr); err != nil {
		return nil, err
	}
	lines := splitLines(string(takeBuffer(report)))
	return lines, nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
