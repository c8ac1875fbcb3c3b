/*
 * identrail C ABI: a stable interface for Go, Rust and C callers.
 *
 * Conventions
 *  - Handles are opaque. idt_x_new(&out, ..., &err) returns an idt_status: 0 on
 *    success, a negative error code otherwise (the same numbers as the C++
 *    identrail::errc and Python's identrail.Error.code, negated).
 *  - Every call that can fail takes an optional `idt_error **err`. Pass NULL to
 *    ignore details; otherwise, on failure *err receives an error object to be
 *    read with idt_error_code/idt_error_message and freed with idt_error_free.
 *  - idt_x_free(NULL) is a no-op. Strings returned as `const char *` are owned
 *    by the handle they came from and stay valid until it is freed.
 *  - Bytes the library allocates for the caller come in an idt_buffer, freed with
 *    idt_buffer_free, never with free().
 *  - No exception crosses this boundary: the library's errors, running out of
 *    memory and anything else are all a status.
 *  - Keys (options, fields, stats, queries) start at 1, so a zeroed or guessed
 *    key is never a real one: calls that take a key return IDT_E_INVALID_ARGUMENT
 *    for one they do not know. Values that mirror the C++ enums (status, risk,
 *    decision) keep the C++ numbers.
 *  - Threads: a handle is used by one thread at a time, except an idt_rule_set,
 *    an idt_policy and an idt_policy_set, which are immutable once made and may be
 *    shared by any number of threads and engines.
 *  - An idt_event stays valid while its engine (or normalizer, until
 *    idt_normalizer_clear_events) lives; its strings too. So do decode errors'
 *    strings. A detection's view stays valid too, but shows the latest
 *    revision: the strings an earlier revision gave out last until the next
 *    call that reads input (feed, finish, advance_to) on its engine; copy what
 *    you keep.
 *
 * ABI policy (0.x): a minor release may change the ABI, and then raises the
 * soname (libidentrail_c.so.0.2, .0.3, ...); a function it replaces stays for
 * one minor release, marked IDT_DEPRECATED, before it goes. A patch release
 * never changes the ABI. Check IDT_VERSION_* at build time and idt_version()
 * at run time when loading the library dynamically.
 */
#ifndef IDENTRAIL_H
#define IDENTRAIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(IDT_STATIC)
#define IDT_API
#elif defined(_WIN32) && defined(IDT_BUILDING)
#define IDT_API __declspec(dllexport)
#elif defined(_WIN32)
#define IDT_API __declspec(dllimport)
#elif defined(__GNUC__)
#define IDT_API __attribute__((visibility("default")))
#else
#define IDT_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define IDT_DEPRECATED(replacement) __attribute__((deprecated("use " replacement)))
#else
#define IDT_DEPRECATED(replacement)
#endif

#define IDT_VERSION_MAJOR 0
#define IDT_VERSION_MINOR 3
#define IDT_VERSION_PATCH 0

typedef int32_t idt_status;
#define IDT_OK 0
#define IDT_E_INVALID_ARGUMENT (-1)
#define IDT_E_IO (-2)
#define IDT_E_PARSE (-3)
#define IDT_E_DECOMPRESS (-4)
#define IDT_E_UNSUPPORTED_FORMAT (-5)
#define IDT_E_INVALID_RECORD (-6)
#define IDT_E_LIMIT_EXCEEDED (-7)
#define IDT_E_NOT_FOUND (-8)
#define IDT_E_OUT_OF_MEMORY (-9)
#define IDT_E_INTERNAL (-10)
#define IDT_E_BAD_STATE (-11)          /* a checkpoint truncated, corrupt or not authentic */
#define IDT_E_INCOMPATIBLE_STATE (-12) /* a checkpoint of a newer format or another rule set */

typedef struct idt_error idt_error;
typedef struct idt_options idt_options;
typedef struct idt_engine idt_engine;
typedef struct idt_event idt_event;
typedef struct idt_buffer idt_buffer;
typedef struct idt_detection idt_detection;
typedef struct idt_rule_set idt_rule_set;
typedef struct idt_normalizer idt_normalizer;
typedef struct idt_identity_list idt_identity_list;
typedef struct idt_identity idt_identity;
typedef struct idt_assessment_list idt_assessment_list;
typedef struct idt_assessment idt_assessment;
typedef struct idt_query_options idt_query_options;
typedef struct idt_policy idt_policy;
typedef struct idt_policy_set idt_policy_set;
typedef struct idt_policy_request idt_policy_request;
typedef struct idt_evaluation idt_evaluation;

/* "0.3.0" */
IDT_API const char *idt_version(void);

IDT_API int32_t idt_error_code(const idt_error *err);
IDT_API const char *idt_error_message(const idt_error *err);
IDT_API void idt_error_free(idt_error *err);

IDT_API const char *idt_buffer_data(const idt_buffer *buf);
IDT_API size_t idt_buffer_size(const idt_buffer *buf);
IDT_API void idt_buffer_free(idt_buffer *buf);

/* Options: typed setters on keys, so adding an option never changes a layout. */
typedef enum idt_option {
  IDT_OPT_DEDUPLICATE = 1,            /* bool, default 1 */
  IDT_OPT_KEEP_RAW = 2,               /* bool, default 1: keep raw records for idt_event_raw_field */
  IDT_OPT_GZIP_BACKEND = 3,           /* IDT_GZIP_LIBDEFLATE (default) or IDT_GZIP_ZLIB */
  IDT_OPT_MAX_ERRORS = 4,             /* decode errors kept, default 1000 */
  IDT_OPT_RETAIN_EVENTS = 5,          /* bool, default 1: keep events for idt_engine_event_at */
  IDT_OPT_MAX_DECOMPRESSED_BYTES = 6, /* largest input read at once (after gzip), default 1 GiB */
  IDT_OPT_DEDUP_HORIZON_SECONDS = 7,  /* duplicates are caught within this much event time of the newest event,
                                         default 86400, at most 30 days; older records count as possibly repeated */
  IDT_OPT_DEDUP_WINDOW_SECONDS = IDT_OPT_DEDUP_HORIZON_SECONDS, /* its name before 0.2 */
  IDT_OPT_DETECT = 8,                 /* bool, default 1: run the rules */
  IDT_OPT_ALLOWED_LATENESS_SECONDS = 9, /* default 900, at most 7 days */
  IDT_OPT_BUILTIN_RULES = 10,         /* bool: keep the built-in pack next to IDT_OPT_RULES_PATH rules */
  IDT_OPT_SKIP_INVALID_RULES = 11,    /* bool, default 0: load the valid rules of IDT_OPT_RULES_PATH and list the
                                         others (idt_engine_rule_rejection_at); by default one fails the engine */
  IDT_OPT_DECODE_THREADS = 12,        /* files (and buffers) decoded at once by idt_engine_feed_paths, 1 to 256,
                                         default 1; events still reach the rules in order: the answers are the same */
  IDT_OPT_CORRELATE = 13,             /* bool, default 1: build the identity graph; 0 runs the rules alone (faster),
                                         and a status then stays with the identity its detections name */
  IDT_OPT_FORCE_INT32_ = 0x7fffffff   /* keeps any int a valid value, as C callers may pass one */
} idt_option;

#define IDT_GZIP_LIBDEFLATE 0
#define IDT_GZIP_ZLIB 1

IDT_API idt_status idt_options_new(idt_options **out, idt_error **err);
IDT_API idt_status idt_options_set_int(idt_options *opts, idt_option key, int64_t value, idt_error **err);
/* String options. IDT_OPT_RULES_PATH adds a rule file or directory; once one
 * is given, those rules replace the built-in pack (IDT_OPT_BUILTIN_RULES=1
 * keeps it as well). Rules are compiled by idt_engine_new, which reports
 * their errors (file, line, rule); to compile them once for many engines, use
 * an idt_rule_set. Values out of range (a lateness over 7 days, say) are
 * refused by idt_engine_new, naming the option. */
typedef enum idt_string_option {
  IDT_OPT_RULES_PATH = 1,
  IDT_OPT_GEO_DATABASE = 2, /* a MaxMind-format .mmdb (City, Country or ASN); may be given more than once */
  IDT_OPT_STATE_KEY = 3,    /* a secret: checkpoints are authenticated (HMAC-SHA256) with it, and must be to restore */
  IDT_OPT_INPUT_FORMAT = 4, /* auto (default), cloudtrail, cloudtrail-lake, elasticsearch, datadog, ocsf */
  IDT_STRING_OPT_FORCE_INT32_ = 0x7fffffff
} idt_string_option;
IDT_API idt_status idt_options_set_string(idt_options *opts, idt_string_option key, const char *value, idt_error **err);
/* The engine runs these compiled rules (shared, not copied; the rule set may be
 * freed afterwards). Not together with IDT_OPT_RULES_PATH. */
IDT_API idt_status idt_options_set_rule_set(idt_options *opts, const idt_rule_set *rules, idt_error **err);
IDT_API void idt_options_free(idt_options *opts);

/* ---- Rule sets: compiled once, shared by engines and threads ------------- */
#define IDT_RULES_KEEP_BUILTIN 1u /* the built-in pack as well as the files' rules */
#define IDT_RULES_SKIP_INVALID 2u /* load the valid rules, list the others (idt_rule_set_rejection_at) */
/* The pack built into the library. */
IDT_API idt_status idt_rule_set_builtin(idt_rule_set **out, idt_error **err);
/* YAML rule files or directories. flags: IDT_RULES_* or 0; another bit is an error. */
IDT_API idt_status idt_rule_set_load(idt_rule_set **out, const char *const *paths, size_t count, uint32_t flags,
                                     idt_error **err);
/* Rules from YAML text; source_name (may be NULL) names it in errors. */
IDT_API idt_status idt_rule_set_parse(idt_rule_set **out, const char *yaml, size_t len, const char *source_name,
                                      idt_error **err);
IDT_API size_t idt_rule_set_count(const idt_rule_set *rules);
/* "" past the end. */
IDT_API const char *idt_rule_set_rule_id(const idt_rule_set *rules, size_t index);
IDT_API const char *idt_rule_set_rule_name(const idt_rule_set *rules, size_t index);
/* With IDT_RULES_SKIP_INVALID: the rules refused, "file:line: rule id: reason" each. */
IDT_API size_t idt_rule_set_rejection_count(const idt_rule_set *rules);
IDT_API const char *idt_rule_set_rejection_at(const idt_rule_set *rules, size_t index);
/* Runs the tests the rules carry; *failed receives how many failed, and
 * *report (when not NULL) one line per failure: "source: rule id: test: reason". */
IDT_API idt_status idt_rule_set_run_tests(const idt_rule_set *rules, size_t *failed, idt_buffer **report,
                                          idt_error **err);
IDT_API void idt_rule_set_free(idt_rule_set *rules);

/* opts may be NULL for defaults; the engine copies what it needs. */
IDT_API idt_status idt_engine_new(idt_engine **out, const idt_options *opts, idt_error **err);

/* Checkpoints: everything that changes later answers (rule state, the
 * duplicate filter, held-back events, the graph, statuses and flags, counts
 * and errors; not the retained events), versioned and checksummed. Restoring
 * with the same options and rules and feeding the rest gives the answers of one
 * uninterrupted run. A truncated, corrupt or unauthentic checkpoint is
 * IDT_E_BAD_STATE; one of a newer format or of another rule set
 * IDT_E_INCOMPATIBLE_STATE; nothing is half restored. */
IDT_API idt_status idt_engine_checkpoint(const idt_engine *engine, idt_buffer **out, idt_error **err);
/* Written atomically (temporary file, fsync, rename, directory fsync), mode 0600. */
IDT_API idt_status idt_engine_checkpoint_to(const idt_engine *engine, const char *path, idt_error **err);
IDT_API idt_status idt_engine_restore(idt_engine **out, const char *data, size_t len, const idt_options *opts,
                                      idt_error **err);
IDT_API idt_status idt_engine_restore_from(idt_engine **out, const char *path, const idt_options *opts, idt_error **err);
/* After a restore: the rules that kept their state (same id and definition),
 * those that start empty (new or changed) and those the rule set no longer has. */
typedef enum idt_rule_restore {
  IDT_RULE_KEPT = 1,
  IDT_RULE_STARTED = 2,
  IDT_RULE_DROPPED = 3,
  IDT_RULE_RESTORE_FORCE_INT32_ = 0x7fffffff
} idt_rule_restore;
/* Event time has moved on without events (a quiet live source): absences due
 * by now_ns (Unix nanoseconds) fire. */
IDT_API idt_status idt_engine_advance_to(idt_engine *engine, int64_t now_ns, idt_error **err);
/* Where the application's sources got to: bytes the engine keeps in its
 * checkpoints and gives back after a restore. Never NULL; valid until the next
 * idt_engine_set_cursor. */
IDT_API idt_status idt_engine_set_cursor(idt_engine *engine, const char *data, size_t len, idt_error **err);
IDT_API const char *idt_engine_cursor(const idt_engine *engine, size_t *len);
/* With IDT_OPT_SKIP_INVALID_RULES: the rules refused, "file:line: rule id: reason" each. */
IDT_API size_t idt_engine_rule_rejection_count(const idt_engine *engine);
IDT_API const char *idt_engine_rule_rejection_at(const idt_engine *engine, size_t index);
IDT_API size_t idt_engine_restored_rule_count(const idt_engine *engine, idt_rule_restore what);
IDT_API const char *idt_engine_restored_rule_at(const idt_engine *engine, idt_rule_restore what, size_t index);
IDT_API void idt_engine_free(idt_engine *engine);

/* Detections are announced through the callback on the thread that feeds,
 * inside idt_engine_feed*, idt_engine_finish and idt_engine_advance_to. */

/* Decodes bytes in any supported format. Bad records are not call failures:
 * they are counted (IDT_STAT_REJECTED) and listed (idt_engine_error_*). */
IDT_API idt_status idt_engine_feed(idt_engine *engine, const char *data, size_t len, const char *source_name,
                                   idt_error **err);
/* A file, or every log file under a directory. */
IDT_API idt_status idt_engine_feed_path(idt_engine *engine, const char *path, idt_error **err);
/* Files and directories as one input, their files merged in CloudTrail
 * delivery order (a shell glob, region by region, reads like its directory). */
IDT_API idt_status idt_engine_feed_paths(idt_engine *engine, const char *const *paths, size_t count, idt_error **err);

typedef enum idt_stat {
  IDT_STAT_TOTAL = 1,
  IDT_STAT_ACCEPTED = 2,
  IDT_STAT_REJECTED = 3,
  IDT_STAT_DUPLICATES = 4,
  IDT_STAT_IDENTITIES = 5,
  IDT_STAT_POSSIBLY_REPEATED = 6, /* accepted records older than the duplicate horizon */
  IDT_STAT_FORCE_INT32_ = 0x7fffffff
} idt_stat;
IDT_API idt_status idt_engine_get_stat(const idt_engine *engine, idt_stat key, uint64_t *value, idt_error **err);

/* Decode errors: source (file), location (record, line, byte) and reason. */
IDT_API size_t idt_engine_error_count(const idt_engine *engine);
IDT_API const char *idt_engine_error_source(const idt_engine *engine, size_t index);
IDT_API const char *idt_engine_error_location(const idt_engine *engine, size_t index);
IDT_API const char *idt_engine_error_reason(const idt_engine *engine, size_t index);

/* Events, in the order accepted (needs IDT_OPT_RETAIN_EVENTS). A view stays
 * valid until its engine is freed. */
IDT_API size_t idt_engine_event_count(const idt_engine *engine);
IDT_API const idt_event *idt_engine_event_at(const idt_engine *engine, size_t index);

typedef enum idt_field {
  IDT_FIELD_ID = 1,
  IDT_FIELD_ACCOUNT = 2,
  IDT_FIELD_REGION = 3,
  IDT_FIELD_EVENT_SOURCE = 4,
  IDT_FIELD_EVENT_NAME = 5,
  IDT_FIELD_ACTION = 6,
  IDT_FIELD_ACTOR_TYPE = 7,
  IDT_FIELD_ACTOR_ARN = 8,
  IDT_FIELD_ACTOR_PRINCIPAL_ID = 9,
  IDT_FIELD_ACTOR_ACCOUNT_ID = 10,
  IDT_FIELD_ACCESS_KEY_ID = 11,
  IDT_FIELD_USER_NAME = 12,
  IDT_FIELD_ISSUER_ARN = 13,
  IDT_FIELD_SESSION_NAME = 14,
  IDT_FIELD_INSTANCE_ID = 15,
  IDT_FIELD_SOURCE = 16,
  IDT_FIELD_USER_AGENT = 17,
  IDT_FIELD_ERROR_CODE = 18,
  IDT_FIELD_ERROR_MESSAGE = 19,
  IDT_FIELD_EVENT_TYPE = 20,
  IDT_FIELD_INVOKED_BY = 21,
  IDT_FIELD_SOURCE_IDENTITY = 22,
  IDT_FIELD_FORCE_INT32_ = 0x7fffffff
} idt_field;

/* *value receives the field ("" when the record has none; never NULL) and *len
 * (may be NULL) its length; an unknown key is IDT_E_INVALID_ARGUMENT. */
IDT_API idt_status idt_event_get(const idt_event *event, idt_field key, const char **value, size_t *len,
                                 idt_error **err);
/* Event time, nanoseconds since the Unix epoch (UTC). */
IDT_API int64_t idt_event_time_ns(const idt_event *event);
/* 1 when the call succeeded, 0 when CloudTrail logged an errorCode. */
IDT_API int idt_event_success(const idt_event *event);
IDT_API size_t idt_event_resource_count(const idt_event *event);
IDT_API const char *idt_event_resource_at(const idt_event *event, size_t index);

typedef enum idt_json_form { IDT_JSON_FLAT = 0, IDT_JSON_OCSF = 1, IDT_JSON_FORCE_INT32_ = 0x7fffffff } idt_json_form;
IDT_API idt_status idt_event_json(const idt_event *event, idt_json_form form, idt_buffer **out, idt_error **err);
/* The raw record's value at a dotted path ("requestParameters.bucketName"): a
 * string unescaped, anything else as JSON text. IDT_E_NOT_FOUND if absent. */
IDT_API idt_status idt_event_raw_field(const idt_event *event, const char *path, idt_buffer **out, idt_error **err);

/* ---- Normalizer: decoding alone, without rules or a graph -----------------
 * Reads the normalize options of opts (deduplication, raw records, gzip, input
 * format, limits; NULL for defaults) and keeps the events it accepts. */
IDT_API idt_status idt_normalizer_new(idt_normalizer **out, const idt_options *opts, idt_error **err);
IDT_API idt_status idt_normalizer_feed(idt_normalizer *normalizer, const char *data, size_t len,
                                       const char *source_name, idt_error **err);
IDT_API idt_status idt_normalizer_feed_path(idt_normalizer *normalizer, const char *path, idt_error **err);
IDT_API size_t idt_normalizer_event_count(const idt_normalizer *normalizer);
IDT_API const idt_event *idt_normalizer_event_at(const idt_normalizer *normalizer, size_t index);
/* Drops the events kept so far (their views become invalid); the duplicate
 * filter and the counts go on. For a caller that takes events batch by batch. */
IDT_API void idt_normalizer_clear_events(idt_normalizer *normalizer);
/* IDT_STAT_TOTAL .. IDT_STAT_POSSIBLY_REPEATED but IDT_STAT_IDENTITIES. */
IDT_API idt_status idt_normalizer_get_stat(const idt_normalizer *normalizer, idt_stat key, uint64_t *value,
                                           idt_error **err);
IDT_API size_t idt_normalizer_error_count(const idt_normalizer *normalizer);
IDT_API const char *idt_normalizer_error_source(const idt_normalizer *normalizer, size_t index);
IDT_API const char *idt_normalizer_error_location(const idt_normalizer *normalizer, size_t index);
IDT_API const char *idt_normalizer_error_reason(const idt_normalizer *normalizer, size_t index);
IDT_API void idt_normalizer_free(idt_normalizer *normalizer);

/* End of input: fires the absences that are due and gives growing bursts their final figures. */
IDT_API idt_status idt_engine_finish(idt_engine *engine, idt_error **err);

/* Detections as they are now (latest revision, withdrawn ones left out), in
 * the order first found. A view stays valid while the engine lives and always
 * shows its detection's latest revision (its strings: see the conventions). */
IDT_API size_t idt_engine_detection_count(const idt_engine *engine);
IDT_API const idt_detection *idt_engine_detection_at(const idt_engine *engine, size_t index);

/* Called on the feeding thread for each detection the moment its evidence is
 * complete, and again for each revision: more evidence (idt_detection_revision
 * > 0) or undone by a late event (idt_detection_withdrawn). A consumer keeps
 * the highest revision per IDT_DET_ID. A non-zero return stops further calls.
 * Pass NULL to remove it.
 * Thread rules: the callback runs inside idt_engine_feed*, idt_engine_finish or
 * idt_engine_advance_to, on the calling thread, before that call returns. It
 * may read the detection and copy what it needs (the view stays valid, at its
 * latest revision, while the engine lives) but must not call into the same
 * engine. user_data is passed through untouched and must outlive the engine or
 * the next idt_engine_set_detection_callback (from Go, a cgo.Handle). */
typedef int (*idt_detection_callback)(const idt_detection *detection, void *user_data);
IDT_API idt_status idt_engine_set_detection_callback(idt_engine *engine, idt_detection_callback callback,
                                                     void *user_data, idt_error **err);

typedef enum idt_detection_field {
  IDT_DET_RULE_ID = 1,
  IDT_DET_NAME = 2,
  IDT_DET_SEVERITY = 3, /* info, low, medium, high, critical */
  IDT_DET_IDENTITY = 4,
  IDT_DET_GROUP_KEY = 5,
  IDT_DET_SUMMARY = 6,
  IDT_DET_ID = 7, /* stable: the same evidence gives the same id in any delivery order */
  IDT_DET_SOURCE = 8, /* the source address of its first event, as logged ("" when none) */
  IDT_DET_FORCE_INT32_ = 0x7fffffff
} idt_detection_field;
/* *value receives the field (never NULL) and *len (may be NULL) its length; an
 * unknown key is IDT_E_INVALID_ARGUMENT. */
IDT_API idt_status idt_detection_get_string(const idt_detection *detection, idt_detection_field key,
                                            const char **value, size_t *len, idt_error **err);
IDT_API int64_t idt_detection_first_seen_ns(const idt_detection *detection);
IDT_API int64_t idt_detection_last_seen_ns(const idt_detection *detection);
/* 0 when first found, one more per change. */
IDT_API uint32_t idt_detection_revision(const idt_detection *detection);
/* 1 on the last revision of a detection a late event undid. */
IDT_API int idt_detection_withdrawn(const idt_detection *detection);
/* Events (count rules), values (distinct) or steps (sequence, all_of). */
IDT_API uint64_t idt_detection_count(const idt_detection *detection);
IDT_API size_t idt_detection_event_id_count(const idt_detection *detection);
IDT_API const char *idt_detection_event_id_at(const idt_detection *detection, size_t index);
/* A rule judged in context: the ids of the detections that put its identity
   under suspicion, earliest first (one attack sequence with them). */
IDT_API size_t idt_detection_follows_count(const idt_detection *detection);
IDT_API const char *idt_detection_follows_at(const idt_detection *detection, size_t index);
/* ATT&CK ids: tactics ("TA0007") then techniques ("T1580"). */
IDT_API size_t idt_detection_tactic_count(const idt_detection *detection);
IDT_API const char *idt_detection_tactic_at(const idt_detection *detection, size_t index);
IDT_API size_t idt_detection_technique_count(const idt_detection *detection);
IDT_API const char *idt_detection_technique_at(const idt_detection *detection, size_t index);

/* The `identrail analyze --json` report, and its readable form. */
IDT_API idt_status idt_engine_report_json(const idt_engine *engine, idt_buffer **out, idt_error **err);
IDT_API idt_status idt_engine_report_text(const idt_engine *engine, idt_buffer **out, idt_error **err);

/* ---- Correlation: the identity graph, risk and status --------------------
 * Identities are named by ARN (or principal id); instances by their ARN. */

#define IDT_NO_TIME INT64_MIN /* "no time given" for the *_ns arguments and results below */

typedef enum idt_identity_status {
  IDT_STATUS_NORMAL = 0,
  IDT_STATUS_POTENTIALLY_COMPROMISED = 1, /* set by the evidence only */
  IDT_STATUS_COMPROMISED = 2,
  IDT_STATUS_REMEDIATED = 3,
  IDT_STATUS_FORCE_INT32_ = 0x7fffffff
} idt_identity_status;

typedef enum idt_risk {
  IDT_RISK_NONE = 0,
  IDT_RISK_LOW = 1,
  IDT_RISK_MEDIUM = 2,
  IDT_RISK_HIGH = 3,
  IDT_RISK_CRITICAL = 4,
  IDT_RISK_FORCE_INT32_ = 0x7fffffff
} idt_risk;

/* A person's statement: compromised from since_ns, remediated at since_ns, or
 * normal to clear earlier flags. since_ns may be IDT_NO_TIME. */
IDT_API idt_status idt_engine_flag(idt_engine *engine, const char *identity, size_t len, idt_identity_status status,
                                   int64_t since_ns, idt_error **err);
IDT_API idt_status idt_engine_assessment(const idt_engine *engine, const char *identity, size_t len,
                                         idt_identity_status *status, idt_risk *risk, idt_error **err);

/* Enumeration. A list is a snapshot, owned by the caller and freed with its
 * _free function; its rows and their strings stay valid until then, whatever
 * the engine reads afterwards. */

/* Every identity the logs name, in order of first appearance. */
IDT_API idt_status idt_engine_identities(const idt_engine *engine, idt_identity_list **out, idt_error **err);
IDT_API size_t idt_identity_list_count(const idt_identity_list *list);
IDT_API const idt_identity *idt_identity_list_at(const idt_identity_list *list, size_t index);
IDT_API void idt_identity_list_free(idt_identity_list *list);
IDT_API const char *idt_identity_key(const idt_identity *identity);  /* ARN, else principal id */
IDT_API const char *idt_identity_type(const idt_identity *identity); /* as IDT_FIELD_ACTOR_TYPE */
IDT_API int64_t idt_identity_first_seen_ns(const idt_identity *identity);
IDT_API int64_t idt_identity_last_seen_ns(const idt_identity *identity);
IDT_API uint64_t idt_identity_event_count(const idt_identity *identity);
IDT_API uint64_t idt_identity_failed_count(const idt_identity *identity);
IDT_API size_t idt_identity_source_ip_count(const idt_identity *identity); /* distinct, first-seen order, capped */
IDT_API const char *idt_identity_source_ip_at(const idt_identity *identity, size_t index);

/* Risk and status of every identity (the identities' order, then those known
 * only from flags or detections). */
IDT_API idt_status idt_engine_assessments(const idt_engine *engine, idt_assessment_list **out, idt_error **err);
IDT_API size_t idt_assessment_list_count(const idt_assessment_list *list);
IDT_API const idt_assessment *idt_assessment_list_at(const idt_assessment_list *list, size_t index);
IDT_API void idt_assessment_list_free(idt_assessment_list *list);
IDT_API const char *idt_assessment_identity(const idt_assessment *assessment);
IDT_API idt_identity_status idt_assessment_status(const idt_assessment *assessment);
IDT_API idt_risk idt_assessment_risk(const idt_assessment *assessment);
IDT_API int64_t idt_assessment_since_ns(const idt_assessment *assessment); /* IDT_NO_TIME when not known */
IDT_API size_t idt_assessment_reason_count(const idt_assessment *assessment); /* most important first */
IDT_API const char *idt_assessment_reason_at(const idt_assessment *assessment, size_t index);
IDT_API size_t idt_assessment_detection_count(const idt_assessment *assessment); /* the identity's own */

/* Queries with nested answers, as JSON in a library-owned buffer: the shapes
 * the C++ query_json and to_json functions and the Python layer give, each
 * starting with "schema_version". IDT_E_NOT_FOUND when the logs do not name
 * the subject. */
typedef enum idt_query {
  IDT_QUERY_ASSESSMENT = 1,   /* {"identity","status","risk","since","reasons":[...],"detections"} */
  IDT_QUERY_RESOLUTION = 2,   /* the chain behind a session: {"identity","root_principal","complete","chain"} */
  IDT_QUERY_BLAST_RADIUS = 3, /* resources and actions touched by the identity and every session it created,
                                 directly or through chains; reads IDT_QOPT_SINCE_NS */
  IDT_QUERY_PATHS = 4,        /* subject: an entry point (IP, key id, instance or identity ARN); paths to
                                 IDT_QOPT_TO (required); reads IDT_QOPT_MAX_DEPTH, IDT_QOPT_MAX_PATHS */
  IDT_QUERY_WHERE_USED = 5,   /* addresses (with locations), user agents, keys */
  IDT_QUERY_TIMELINE = 6,     /* its events (when retained) and detections in time order; reads IDT_QOPT_SINCE_NS */
  IDT_QUERY_REMEDIATION = 7,  /* {"identity","identity_kind","root_principal","strategies":[{"id","title","steps":
                                 [{"service","operation","parameters","cli"}],"policy","warnings"}],"notes"};
                                 reads IDT_QOPT_ALLOW_CIDR, IDT_QOPT_NOW_NS. No network calls: plans are data. */
  IDT_QUERY_LEAST_PRIVILEGE = 8, /* a policy from what the identity used successfully before the flag time:
                                    {"identity","flag_time","policy","used_actions","excluded_actions",
                                    "unused_permissions","not_granted","notes"}; reads IDT_QOPT_FLAG_TIME_NS,
                                    IDT_QOPT_CURRENT_POLICY, IDT_QOPT_COMPACT */
  IDT_QUERY_FORCE_INT32_ = 0x7fffffff
} idt_query;

/* Per-call options: typed setters on keys, so a new option never changes a
 * signature. A time option set to IDT_NO_TIME is unset again. A query refuses an option it does not read (IDT_E_INVALID_ARGUMENT
 * naming both), so a misplaced option is never silently ignored. */
typedef enum idt_query_option {
  IDT_QOPT_SINCE_NS = 1,      /* only what happened from then on (Unix nanoseconds) */
  IDT_QOPT_MAX_DEPTH = 2,     /* edges per path, default 8, 1 to 64 */
  IDT_QOPT_MAX_PATHS = 3,     /* paths at most, default 32, 1 to 10000 */
  IDT_QOPT_NOW_NS = 4,        /* the session-revocation cut-off; default the clock */
  IDT_QOPT_FLAG_TIME_NS = 5,  /* default: when the identity's status began, or all use if it has none */
  IDT_QOPT_COMPACT = 6,       /* bool: fold actions into wildcards that admit no unused action */
  IDT_QOPT_FORCE_INT32_ = 0x7fffffff
} idt_query_option;
typedef enum idt_query_string_option {
  IDT_QOPT_TO = 1,             /* the target of IDT_QUERY_PATHS: a resource or identity */
  IDT_QOPT_ALLOW_CIDR = 2,     /* a network the identity may still be used from; repeatable */
  IDT_QOPT_CURRENT_POLICY = 3, /* one of the identity's policies as JSON (checked here); repeatable: the result
                                  never grants what they do not */
  IDT_QSTR_FORCE_INT32_ = 0x7fffffff
} idt_query_string_option;
IDT_API idt_status idt_query_options_new(idt_query_options **out, idt_error **err);
IDT_API idt_status idt_query_options_set_int(idt_query_options *opts, idt_query_option key, int64_t value,
                                             idt_error **err);
IDT_API idt_status idt_query_options_set_string(idt_query_options *opts, idt_query_string_option key,
                                                const char *value, size_t len, idt_error **err);
IDT_API void idt_query_options_free(idt_query_options *opts);

/* opts may be NULL for defaults. */
IDT_API idt_status idt_engine_query(const idt_engine *engine, idt_query query, const char *subject, size_t len,
                                    const idt_query_options *opts, idt_buffer **out, idt_error **err);

typedef enum idt_graph_format {
  IDT_GRAPH_JSON = 0,      /* node-link JSON (networkx) */
  IDT_GRAPH_CYTOSCAPE = 1, /* Cytoscape elements JSON */
  IDT_GRAPH_DOT = 2,       /* GraphViz */
  IDT_GRAPH_GRAPHML = 3,
  IDT_GRAPH_FORCE_INT32_ = 0x7fffffff
} idt_graph_format;
IDT_API idt_status idt_engine_graph_export(const idt_engine *engine, idt_graph_format format, idt_buffer **out,
                                           idt_error **err);

/* ---- Policies: parsing and evaluation, alone -----------------------------
 * Evaluation as AWS documents it: an explicit deny in any policy wins; then
 * the service control policies and a permissions boundary must allow; then
 * an identity or resource policy must allow; otherwise the request is
 * implicitly denied. The answer names the statement that decided. */
typedef enum idt_policy_kind {
  IDT_POLICY_IDENTITY = 0, /* attached to the principal */
  IDT_POLICY_BOUNDARY = 1, /* its permissions boundary */
  IDT_POLICY_SCP = 2,      /* service control policies of one level of the organization: one must allow */
  IDT_POLICY_RESOURCE = 3, /* the resource's own policy */
  IDT_POLICY_NONE = 4,     /* decided by: nothing allowed the request */
  IDT_POLICY_KIND_FORCE_INT32_ = 0x7fffffff
} idt_policy_kind;
typedef enum idt_decision {
  IDT_DECISION_ALLOW = 0,
  IDT_DECISION_EXPLICIT_DENY = 1,
  IDT_DECISION_IMPLICIT_DENY = 2,
  IDT_DECISION_FORCE_INT32_ = 0x7fffffff
} idt_decision;

/* An IAM policy document; errors name source_name (may be NULL), the path and the reason. */
IDT_API idt_status idt_policy_parse(idt_policy **out, const char *json, size_t len, const char *source_name,
                                    idt_error **err);
/* The document as identrail reads it (normalised JSON). */
IDT_API idt_status idt_policy_to_json(const idt_policy *policy, idt_buffer **out, idt_error **err);
IDT_API size_t idt_policy_statement_count(const idt_policy *policy);
IDT_API void idt_policy_free(idt_policy *policy);

/* The policies that apply to one request, by kind; each added policy is copied. */
IDT_API idt_status idt_policy_set_new(idt_policy_set **out, idt_error **err);
IDT_API idt_status idt_policy_set_add(idt_policy_set *set, idt_policy_kind kind, const idt_policy *policy,
                                      idt_error **err);
IDT_API void idt_policy_set_free(idt_policy_set *set);

/* principal: the caller's ARN (may be ""); action: "s3:GetObject"; resource: an ARN or "*". */
IDT_API idt_status idt_policy_request_new(idt_policy_request **out, const char *principal, const char *action,
                                          const char *resource, idt_error **err);
/* A context key (aws:SourceIp, aws:CurrentTime, aws:MultiFactorAuthPresent, ...);
 * adding a key again gives it another value. */
IDT_API idt_status idt_policy_request_add_context(idt_policy_request *request, const char *key, const char *value,
                                                  idt_error **err);
IDT_API void idt_policy_request_free(idt_policy_request *request);

IDT_API idt_status idt_policy_evaluate(const idt_policy_set *set, const idt_policy_request *request,
                                       idt_evaluation **out, idt_error **err);
IDT_API idt_decision idt_evaluation_decision(const idt_evaluation *evaluation);
IDT_API idt_policy_kind idt_evaluation_decided_by(const idt_evaluation *evaluation);
IDT_API size_t idt_evaluation_policy_index(const idt_evaluation *evaluation);    /* within its kind */
IDT_API size_t idt_evaluation_statement_index(const idt_evaluation *evaluation); /* within its policy */
IDT_API const char *idt_evaluation_sid(const idt_evaluation *evaluation);        /* "" when the statement has none */
/* One line: "denied by scp[0] Statement[2] (DenyRegions)". */
IDT_API const char *idt_evaluation_reason(const idt_evaluation *evaluation);
IDT_API void idt_evaluation_free(idt_evaluation *evaluation);

#ifdef __cplusplus
}
#endif

#endif /* IDENTRAIL_H */
