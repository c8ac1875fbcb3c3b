package identrail

// #include <identrail.h>
import "C"

import (
	"fmt"
	"runtime"
	"time"
)

// Option configures NewEngine, Restore and NewNormalizer. Values the library
// cannot run with (a lateness over 7 days, a missing rule file) are refused by
// the constructor with ErrInvalidArgument or ErrNotFound, naming the option.
type Option func(*config)

type config struct {
	ints    []intOption
	strings []stringOption
	rules   *RuleSet
}

type intOption struct {
	key   C.idt_option
	value int64
}

type stringOption struct {
	key   C.idt_string_option
	value string
}

func (c *config) setInt(key C.idt_option, value int64) {
	c.ints = append(c.ints, intOption{key, value})
}
func (c *config) setString(key C.idt_string_option, value string) {
	c.strings = append(c.strings, stringOption{key, value})
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// WithRuleSet runs these compiled rules (shared, not copied) instead of the built-in pack.
func WithRuleSet(rules *RuleSet) Option { return func(c *config) { c.rules = rules } }

// WithRuleFiles reads YAML rule files or directories; they replace the built-in
// pack unless WithBuiltinRules(true) keeps it as well.
func WithRuleFiles(paths ...string) Option {
	return func(c *config) {
		for _, p := range paths {
			c.setString(C.IDT_OPT_RULES_PATH, p)
		}
	}
}

// WithBuiltinRules keeps the built-in pack next to WithRuleFiles' rules.
func WithBuiltinRules(keep bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_BUILTIN_RULES, boolInt(keep)) }
}

// WithSkipInvalidRules loads the valid rules of WithRuleFiles and lists the others (Engine.RuleRejections).
func WithSkipInvalidRules(skip bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_SKIP_INVALID_RULES, boolInt(skip)) }
}

// WithAllowedLateness sets how far behind the newest event time a record may arrive and still count (default 15 minutes).
func WithAllowedLateness(d time.Duration) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_ALLOWED_LATENESS_SECONDS, int64(d/time.Second)) }
}

// WithDeduplication turns the duplicate filter on (the default) or off.
func WithDeduplication(on bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_DEDUPLICATE, boolInt(on)) }
}

// WithDedupHorizon sets the event-time span within which repeats are caught (default 24 hours, at most 30 days).
func WithDedupHorizon(d time.Duration) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_DEDUP_HORIZON_SECONDS, int64(d/time.Second)) }
}

// WithRetainEvents keeps accepted events for Engine.Events (the default); off for pure streaming.
func WithRetainEvents(keep bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_RETAIN_EVENTS, boolInt(keep)) }
}

// WithKeepRaw keeps each record's raw JSON for Event.RawField (the default).
func WithKeepRaw(keep bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_KEEP_RAW, boolInt(keep)) }
}

// WithDetection runs the rules (the default); off to decode and correlate only.
func WithDetection(on bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_DETECT, boolInt(on)) }
}

// WithCorrelation builds the identity graph (the default); off runs the rules alone, faster, and a status then
// stays with the identity its detections name.
func WithCorrelation(on bool) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_CORRELATE, boolInt(on)) }
}

// WithDecodeThreads decodes this many files at once in FeedPaths (1 to 256, default 1); events still reach the
// rules in delivery order, so the answers are the same for every count.
func WithDecodeThreads(n int) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_DECODE_THREADS, int64(n)) }
}

// WithMaxErrors sets how many decode errors are kept (later ones are counted).
func WithMaxErrors(n int) Option { return func(c *config) { c.setInt(C.IDT_OPT_MAX_ERRORS, int64(n)) } }

// WithMaxInputBytes sets the largest input read at once, after gzip (default 1 GiB).
func WithMaxInputBytes(n int64) Option {
	return func(c *config) { c.setInt(C.IDT_OPT_MAX_DECOMPRESSED_BYTES, n) }
}

// WithGeoDatabases opens MaxMind-format databases (City, Country, ASN) for locations and the geo rules.
func WithGeoDatabases(paths ...string) Option {
	return func(c *config) {
		for _, p := range paths {
			c.setString(C.IDT_OPT_GEO_DATABASE, p)
		}
	}
}

// WithStateKey authenticates checkpoints (HMAC-SHA256); the same key is needed to restore them.
func WithStateKey(key string) Option {
	return func(c *config) { c.setString(C.IDT_OPT_STATE_KEY, key) }
}

// WithInputFormat reads one format only: auto (default), cloudtrail, cloudtrail-lake, elasticsearch, datadog, ocsf.
func WithInputFormat(name string) Option {
	return func(c *config) { c.setString(C.IDT_OPT_INPUT_FORMAT, name) }
}

// cOptions builds the C options; the caller frees them with C.idt_options_free.
func cOptions(opts []Option) (*C.idt_options, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	var out *C.idt_options
	var cerr *C.idt_error
	if err := check(C.idt_options_new(&out, &cerr), cerr); err != nil {
		return nil, err
	}
	for _, o := range c.ints {
		if err := check(C.idt_options_set_int(out, o.key, C.int64_t(o.value), &cerr), cerr); err != nil {
			C.idt_options_free(out)
			return nil, err
		}
	}
	for _, o := range c.strings {
		err := withCString(o.value, func(v *C.char) error {
			return check(C.idt_options_set_string(out, o.key, v, &cerr), cerr)
		})
		if err != nil {
			C.idt_options_free(out)
			return nil, err
		}
	}
	if c.rules != nil {
		if c.rules.handle == nil {
			C.idt_options_free(out)
			return nil, fmt.Errorf("identrail: WithRuleSet: %w", errClosed)
		}
		err := check(C.idt_options_set_rule_set(out, c.rules.handle, &cerr), cerr)
		runtime.KeepAlive(c.rules)
		if err != nil {
			C.idt_options_free(out)
			return nil, err
		}
	}
	return out, nil
}
