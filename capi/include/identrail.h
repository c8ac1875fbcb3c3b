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
 *  - No exception crosses this boundary. A handle is used by one thread at a time.
 *  - An idt_event stays valid while its engine lives; its strings too.
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

#define IDT_VERSION_MAJOR 0
#define IDT_VERSION_MINOR 2
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

/* "0.2.0" */
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
  IDT_OPT_FORCE_INT32_ = 0x7fffffff   /* keeps any int a valid value, as C callers may pass one */
} idt_option;

#define IDT_GZIP_LIBDEFLATE 0
#define IDT_GZIP_ZLIB 1

IDT_API idt_status idt_options_new(idt_options **out, idt_error **err);
IDT_API idt_status idt_options_set_int(idt_options *opts, idt_option key, int64_t value, idt_error **err);
/* String options. IDT_OPT_RULES_PATH adds a rule file or directory; once one
 * is given, those rules replace the built-in pack (IDT_OPT_BUILTIN_RULES=1
 * keeps it as well). Rules are compiled by idt_engine_new, which reports
 * their errors (file, line, rule). */
typedef enum idt_string_option {
  IDT_OPT_RULES_PATH = 1,
  IDT_OPT_GEO_DATABASE = 2, /* a MaxMind-format .mmdb (City, Country or ASN); may be given more than once */
  IDT_OPT_STATE_KEY = 3,    /* a secret: checkpoints are authenticated (HMAC-SHA256) with it, and must be to restore */
  IDT_OPT_INPUT_FORMAT = 4, /* auto (default), cloudtrail, cloudtrail-lake, elasticsearch, datadog, ocsf */
  IDT_STRING_OPT_FORCE_INT32_ = 0x7fffffff
} idt_string_option;
IDT_API idt_status idt_options_set_string(idt_options *opts, idt_string_option key, const char *value, idt_error **err);
IDT_API void idt_options_free(idt_options *opts);

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
IDT_API uint64_t idt_engine_stat(const idt_engine *engine, idt_stat key);

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

/* Never NULL: "" when the field is absent or the key unknown. */
IDT_API const char *idt_event_field(const idt_event *event, idt_field key);
/* Event time, nanoseconds since the Unix epoch (UTC). */
IDT_API int64_t idt_event_time_ns(const idt_event *event);
/* 1 when the call succeeded, 0 when CloudTrail logged an errorCode. */
IDT_API int idt_event_success(const idt_event *event);
IDT_API size_t idt_event_resource_count(const idt_event *event);
IDT_API const char *idt_event_resource_at(const idt_event *event, size_t index);

typedef enum idt_json_form { IDT_JSON_FLAT = 0, IDT_JSON_OCSF = 1, IDT_JSON_FORCE_INT32_ = 0x7fffffff } idt_json_form;
IDT_API idt_status idt_event_to_json(const idt_engine *engine, const idt_event *event, idt_json_form form,
                                     idt_buffer **out, idt_error **err);
/* The raw record's value at a dotted path ("requestParameters.bucketName"): a
 * string unescaped, anything else as JSON text. IDT_E_NOT_FOUND if absent. */
IDT_API idt_status idt_event_raw_field(const idt_event *event, const char *path, idt_buffer **out, idt_error **err);

/* End of input: fires the absences that are due and gives growing bursts their final figures. */
IDT_API idt_status idt_engine_finish(idt_engine *engine, idt_error **err);

/* Detections as they are now (latest revision, withdrawn ones left out), in
 * the order first found. A view stays valid while the engine lives and always
 * shows its detection's latest revision. */
IDT_API size_t idt_engine_detection_count(const idt_engine *engine);
IDT_API const idt_detection *idt_engine_detection_at(const idt_engine *engine, size_t index);

/* Called on the feeding thread for each detection the moment its evidence is
 * complete, and again for each revision: more evidence (idt_detection_revision
 * > 0) or undone by a late event (idt_detection_withdrawn). A consumer keeps
 * the highest revision per IDT_DET_ID. A non-zero return stops further calls.
 * Pass NULL to remove it. */
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
/* Never NULL. */
IDT_API const char *idt_detection_get(const idt_detection *detection, idt_detection_field key);
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
 * Identities are named by ARN (or principal id); instances by their ARN.
 * Query answers are JSON in a library-owned buffer, the same shapes the C++
 * query_json functions and the Python layer give. IDT_E_NOT_FOUND when the
 * logs do not name the identity. */

#define IDT_NO_TIME INT64_MIN /* "no time given" for the *_ns arguments below */

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
/* {"identity","status","risk","since","reasons":[...],"detections"} */
IDT_API idt_status idt_engine_assessment_json(const idt_engine *engine, const char *identity, size_t len,
                                              idt_buffer **out, idt_error **err);
/* The chain behind a session: {"identity","root_principal","complete","chain":[...]} */
IDT_API idt_status idt_engine_resolve_json(const idt_engine *engine, const char *identity, size_t len,
                                           idt_buffer **out, idt_error **err);
/* Resources and actions touched since since_ns (IDT_NO_TIME: all) by the
 * identity and every session it created, directly or through chains. */
IDT_API idt_status idt_engine_blast_radius_json(const idt_engine *engine, const char *identity, size_t len,
                                                int64_t since_ns, idt_buffer **out, idt_error **err);
/* Paths from an entry point (an IP, a key id, an instance or identity ARN) to a resource or identity. */
IDT_API idt_status idt_engine_paths_json(const idt_engine *engine, const char *from, size_t from_len, const char *to,
                                         size_t to_len, idt_buffer **out, idt_error **err);
/* Where an identity was used from: addresses (with locations), user agents, keys. */
IDT_API idt_status idt_engine_where_used_json(const idt_engine *engine, const char *identity, size_t len,
                                              idt_buffer **out, idt_error **err);
/* Its events (when retained) and detections since since_ns, in time order. */
IDT_API idt_status idt_engine_timeline_json(const idt_engine *engine, const char *identity, size_t len,
                                            int64_t since_ns, idt_buffer **out, idt_error **err);

typedef enum idt_graph_format {
  IDT_GRAPH_JSON = 0,      /* node-link JSON (networkx) */
  IDT_GRAPH_CYTOSCAPE = 1, /* Cytoscape elements JSON */
  IDT_GRAPH_DOT = 2,       /* GraphViz */
  IDT_GRAPH_GRAPHML = 3,
  IDT_GRAPH_FORCE_INT32_ = 0x7fffffff
} idt_graph_format;
IDT_API idt_status idt_engine_graph_export(const idt_engine *engine, idt_graph_format format, idt_buffer **out,
                                           idt_error **err);

/* ---- Response ------------------------------------------------------------ */
/* Remediation strategies for an identity as JSON: {"identity","identity_kind",
 * "root_principal","strategies":[{"id","title","steps":[{"service","operation",
 * "parameters","cli"}],"policy","warnings"}],"notes"}. allow_cidrs may be NULL
 * when cidr_count is 0; now_ns is the session-revocation cut-off (IDT_NO_TIME:
 * the clock). The library makes no network calls. */
IDT_API idt_status idt_engine_remediation_json(const idt_engine *engine, const char *identity, size_t len,
                                               const char *const *allow_cidrs, size_t cidr_count, int64_t now_ns,
                                               idt_buffer **out, idt_error **err);

/* ---- Least privilege ------------------------------------------------------- */
/* A policy built from what the identity used successfully before flag_time_ns
 * (IDT_NO_TIME: when its status began, or all use if it has none), as JSON:
 * {"identity","flag_time","policy","used_actions","excluded_actions",
 * "unused_permissions","not_granted","notes"}. current_policies are the
 * identity's policies as JSON texts (may be NULL when count is 0): the result
 * never grants what they do not. compact folds actions into wildcards that
 * admit no unused action. */
IDT_API idt_status idt_engine_least_privilege_json(const idt_engine *engine, const char *identity, size_t len,
                                                   int64_t flag_time_ns, const char *const *current_policies,
                                                   size_t policy_count, int compact, idt_buffer **out, idt_error **err);

#ifdef __cplusplus
}
#endif

#endif /* IDENTRAIL_H */
