/* The C ABI, exercised from C99: feeding, events, detections, correlation and
 * the JSON queries (test_stages.c covers the stage handles and per-call options). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "identrail.h"

static const char *RECORDS =
    "{\"eventTime\":\"2026-03-01T10:00:00Z\",\"eventSource\":\"lambda.amazonaws.com\","
    "\"eventName\":\"ListFunctions20150331\",\"eventID\":\"c1\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.9\",\"userIdentity\":{\"type\":\"IAMUser\","
    "\"arn\":\"arn:aws:iam::111122223333:user/ops-admin\",\"accessKeyId\":\"AKIAEXAMPLE\"},"
    "\"requestParameters\":{\"maxItems\":50}}\n"
    "{\"eventTime\": 12}\n"
    "{\"eventTime\":\"2026-03-01T10:00:00Z\",\"eventSource\":\"lambda.amazonaws.com\","
    "\"eventName\":\"ListFunctions20150331\",\"eventID\":\"c1\"}\n";

/* A count; the call must succeed. */
static uint64_t stat_of(const idt_engine *engine, idt_stat key) {
  uint64_t value = 0;
  CHECK(idt_engine_get_stat(engine, key, &value, NULL) == IDT_OK);
  return value;
}

/* An event's field; the call must succeed ("" if it does not). */
static const char *field_of(const idt_event *ev, idt_field key) {
  const char *value = "";
  CHECK(idt_event_get(ev, key, &value, NULL, NULL) == IDT_OK);
  return value;
}

/* A detection's field; the call must succeed ("" if it does not). */
static const char *detection_field(const idt_detection *d, idt_detection_field key) {
  const char *value = "";
  CHECK(idt_detection_get_string(d, key, &value, NULL, NULL) == IDT_OK);
  return value;
}

/* A JSON query on a NUL-terminated subject; q may be NULL for defaults. */
static idt_status query(const idt_engine *engine, idt_query what, const char *subject, const idt_query_options *q,
                        idt_buffer **out, idt_error **err) {
  return idt_engine_query(engine, what, subject, strlen(subject), q, out, err);
}

static void test_errors_and_options(void) {
  idt_error *err = NULL;
  idt_options *opts = NULL;
  CHECK(idt_options_new(&opts, &err) == IDT_OK && err == NULL);
  CHECK(idt_options_set_int(opts, IDT_OPT_GZIP_BACKEND, 7, &err) == IDT_E_INVALID_ARGUMENT);
  CHECK(err != NULL && idt_error_code(err) == IDT_E_INVALID_ARGUMENT);
  CHECK(strstr(idt_error_message(err), "IDT_OPT_GZIP_BACKEND") != NULL);
  idt_error_free(err);
  CHECK(idt_options_set_int(opts, (idt_option)999, 1, NULL) == IDT_E_INVALID_ARGUMENT);
  CHECK(idt_options_set_int(opts, IDT_OPT_GZIP_BACKEND, IDT_GZIP_ZLIB, NULL) == IDT_OK);
  /* A value out of range is refused where the options are checked: by the engine. */
  CHECK(idt_options_set_int(opts, IDT_OPT_DEDUP_HORIZON_SECONDS, 0, NULL) == IDT_OK);
  {
    idt_engine *refused = NULL;
    CHECK(idt_engine_new(&refused, opts, &err) == IDT_E_INVALID_ARGUMENT && refused == NULL);
    CHECK(err != NULL && strstr(idt_error_message(err), "dedup_horizon") != NULL);
    idt_error_free(err);
    err = NULL;
  }
  CHECK(idt_options_set_int(opts, IDT_OPT_DEDUP_HORIZON_SECONDS, 86400, NULL) == IDT_OK);
  CHECK(IDT_OPT_DEDUP_WINDOW_SECONDS == IDT_OPT_DEDUP_HORIZON_SECONDS); /* the old name still compiles */
  CHECK(idt_engine_new(NULL, opts, &err) == IDT_E_INVALID_ARGUMENT);
  idt_error_free(err);
  idt_options_free(opts);
  /* Freeing NULL is a no-op everywhere. */
  idt_options_free(NULL);
  idt_engine_free(NULL);
  idt_error_free(NULL);
  idt_buffer_free(NULL);
}

/* A record older than the duplicate horizon is read and counted as possibly repeated. */
static void test_duplicate_horizon(void) {
  static const char *LATE =
      "{\"eventTime\":\"2026-03-01T12:00:00Z\",\"eventName\":\"GetSendQuota\",\"eventID\":\"n\"}\n"
      "{\"eventTime\":\"2026-03-01T10:00:00Z\",\"eventName\":\"GetSendQuota\",\"eventID\":\"o\"}\n"
      "{\"eventTime\":\"2026-03-01T10:00:00Z\",\"eventName\":\"GetSendQuota\",\"eventID\":\"o\"}\n";
  idt_options *opts = NULL;
  idt_engine *narrow = NULL, *wide = NULL;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_int(opts, IDT_OPT_DEDUP_HORIZON_SECONDS, 3600, NULL) == IDT_OK);
  CHECK(idt_engine_new(&narrow, opts, NULL) == IDT_OK);
  CHECK(idt_engine_new(&wide, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed(narrow, LATE, strlen(LATE), "late", NULL) == IDT_OK);
  CHECK(idt_engine_feed(wide, LATE, strlen(LATE), "late", NULL) == IDT_OK);
  CHECK(stat_of(narrow, IDT_STAT_ACCEPTED) == 3 && stat_of(narrow, IDT_STAT_POSSIBLY_REPEATED) == 2);
  CHECK(stat_of(wide, IDT_STAT_ACCEPTED) == 2 && stat_of(wide, IDT_STAT_DUPLICATES) == 1);
  CHECK(stat_of(wide, IDT_STAT_POSSIBLY_REPEATED) == 0);
  idt_engine_free(narrow);
  idt_engine_free(wide);
  idt_options_free(opts);
}

static void test_feed_and_iterate(void) {
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  idt_buffer *buf = NULL;
  const idt_event *ev;
  const char *value = "";
  CHECK(idt_engine_new(&engine, NULL, &err) == IDT_OK);
  CHECK(idt_engine_feed(engine, RECORDS, strlen(RECORDS), "inline", &err) == IDT_OK);
  CHECK(stat_of(engine, IDT_STAT_TOTAL) == 3);
  CHECK(stat_of(engine, IDT_STAT_ACCEPTED) == 1);
  CHECK(stat_of(engine, IDT_STAT_REJECTED) == 1);
  CHECK(stat_of(engine, IDT_STAT_DUPLICATES) == 1);
  CHECK(idt_engine_error_count(engine) == 1);
  CHECK(strcmp(idt_engine_error_source(engine, 0), "inline") == 0);
  CHECK(strncmp(idt_engine_error_location(engine, 0), "line 2", 6) == 0);
  CHECK(strstr(idt_engine_error_reason(engine, 0), "eventTime") != NULL);
  CHECK(strcmp(idt_engine_error_reason(engine, 5), "") == 0);

  CHECK(idt_engine_event_count(engine) == 1);
  ev = idt_engine_event_at(engine, 0);
  CHECK(ev != NULL);
  CHECK(idt_engine_event_at(engine, 1) == NULL);
  CHECK(strcmp(field_of(ev, IDT_FIELD_ACTION), "lambda:ListFunctions") == 0);
  CHECK(strcmp(field_of(ev, IDT_FIELD_ACTOR_ARN), "arn:aws:iam::111122223333:user/ops-admin") == 0);
  CHECK(strcmp(field_of(ev, IDT_FIELD_ACTOR_TYPE), "IAMUser") == 0);
  CHECK(strcmp(field_of(ev, IDT_FIELD_SOURCE), "203.0.113.9") == 0);
  CHECK(strcmp(field_of(ev, IDT_FIELD_ERROR_CODE), "") == 0);
  CHECK(idt_event_get(ev, (idt_field)999, &value, NULL, NULL) == IDT_E_INVALID_ARGUMENT);
  CHECK(idt_event_time_ns(ev) == 1772359200LL * 1000000000LL);
  CHECK(idt_event_success(ev) == 1);

  CHECK(idt_event_raw_field(ev, "requestParameters.maxItems", &buf, &err) == IDT_OK);
  CHECK(strcmp(idt_buffer_data(buf), "50") == 0);
  idt_buffer_free(buf);
  CHECK(idt_event_raw_field(ev, "requestParameters.nothing", &buf, &err) == IDT_E_NOT_FOUND);
  CHECK(strstr(idt_error_message(err), "requestParameters.nothing") != NULL);
  idt_error_free(err);

  CHECK(idt_event_json(ev, IDT_JSON_OCSF, &buf, NULL) == IDT_OK);
  CHECK(strstr(idt_buffer_data(buf), "\"class_uid\":6003") != NULL);
  idt_buffer_free(buf);

  /* A view handed out before later feeds stays valid while the engine lives, and so do its strings: they
   * are the kept event's own (ASan finds a string that moved as the events grew). */
  {
    int i;
    const char *first_id = field_of(ev, IDT_FIELD_ID);
    for (i = 0; i < 50; ++i) {
      char rec[256];
      snprintf(rec, sizeof rec,
               "{\"eventTime\":\"2026-03-01T11:00:00Z\",\"eventName\":\"ListUsers\",\"eventSource\":\"iam.amazonaws.com\",\"eventID\":\"more-%d\"}",
               i);
      CHECK(idt_engine_feed(engine, rec, strlen(rec), "more", NULL) == IDT_OK);
    }
    CHECK(idt_engine_event_count(engine) == 51);
    CHECK(strcmp(field_of(ev, IDT_FIELD_ACTION), "lambda:ListFunctions") == 0);
    CHECK(strcmp(first_id, "c1") == 0 && field_of(ev, IDT_FIELD_ID) == first_id);
    CHECK(strcmp(field_of(idt_engine_event_at(engine, 50), IDT_FIELD_ID), "more-49") == 0);
  }

  CHECK(idt_engine_report_json(engine, &buf, NULL) == IDT_OK);
  CHECK(strstr(idt_buffer_data(buf), "\"accepted\":51") != NULL);
  CHECK(idt_buffer_size(buf) == strlen(idt_buffer_data(buf)));
  idt_buffer_free(buf);
  idt_engine_free(engine);
}

static void test_paths(void) {
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  CHECK(idt_engine_new(&engine, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, "/no/such/identrail/file", &err) == IDT_E_NOT_FOUND);
  CHECK(err && strstr(idt_error_message(err), "/no/such/identrail/file") != NULL);
  idt_error_free(err);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_DATASETS "/aws-cloudtrail-processing-library", &err) == IDT_OK);
  CHECK(stat_of(engine, IDT_STAT_ACCEPTED) == 37);
  CHECK(stat_of(engine, IDT_STAT_REJECTED) == 5);
  CHECK(idt_engine_feed(engine, NULL, 5, "x", NULL) == IDT_E_INVALID_ARGUMENT);
  idt_engine_free(engine);
}

/* Region folders named one by one, as a shell glob lists them, read like their parent directory. */
static void test_paths_in_delivery_order(void) {
#define REGION(r) IDENTRAIL_SAMPLE_DIR "/AWSLogs/111122223333/CloudTrail/" r
  static const char *const regions[] = {REGION("ap-northeast-1"), REGION("ap-southeast-1"), REGION("eu-central-1"),
                                        REGION("eu-west-1"),      REGION("sa-east-1"),      REGION("us-east-1"),
                                        REGION("us-west-2")};
#undef REGION
  static const char *const missing[] = {IDENTRAIL_SAMPLE_DIR, "/no/such/identrail/dir"};
  idt_engine *globbed = NULL, *whole = NULL;
  idt_error *err = NULL;
  CHECK(idt_engine_new(&globbed, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_new(&whole, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed_paths(globbed, regions, sizeof regions / sizeof regions[0], &err) == IDT_OK);
  CHECK(idt_engine_feed_path(whole, IDENTRAIL_SAMPLE_DIR, &err) == IDT_OK);
  CHECK(idt_engine_finish(globbed, NULL) == IDT_OK && idt_engine_finish(whole, NULL) == IDT_OK);
  CHECK(stat_of(globbed, IDT_STAT_ACCEPTED) == stat_of(whole, IDT_STAT_ACCEPTED));
  CHECK(idt_engine_detection_count(globbed) == idt_engine_detection_count(whole));
  {
    /* The same detections: ids, revisions and evidence, whichever way the files were named. */
    size_t i, j, n = idt_engine_detection_count(whole);
    for (i = 0; i < n; ++i) {
      const idt_detection *d = idt_engine_detection_at(whole, i);
      int found = 0;
      for (j = 0; j < n && !found; ++j) {
        const idt_detection *g = idt_engine_detection_at(globbed, j);
        found = strcmp(detection_field(d, IDT_DET_ID), detection_field(g, IDT_DET_ID)) == 0 &&
                idt_detection_count(d) == idt_detection_count(g) &&
                idt_detection_first_seen_ns(d) == idt_detection_first_seen_ns(g) &&
                idt_detection_last_seen_ns(d) == idt_detection_last_seen_ns(g) &&
                strcmp(idt_detection_event_id_at(d, 0), idt_detection_event_id_at(g, 0)) == 0;
      }
      CHECK(found);
    }
  }
  /* Every path is checked before any is read. */
  CHECK(idt_engine_feed_paths(globbed, missing, 2, &err) == IDT_E_NOT_FOUND);
  CHECK(err && strstr(idt_error_message(err), "/no/such/identrail/dir") != NULL);
  idt_error_free(err);
  CHECK(idt_engine_feed_paths(globbed, NULL, 1, NULL) == IDT_E_INVALID_ARGUMENT);
  idt_engine_free(globbed);
  idt_engine_free(whole);
}

/* What a consumer of the callback keeps: the latest revision per id. */
struct revision_log {
  char ids[512][17];
  unsigned revision[512];
  int withdrawn[512];
  size_t size;
};

static int count_detection(const idt_detection *d, void *user_data) {
  struct revision_log *log = (struct revision_log *)user_data;
  const char *id = detection_field(d, IDT_DET_ID);
  size_t i;
  CHECK(strlen(detection_field(d, IDT_DET_RULE_ID)) > 0);
  CHECK(strlen(id) == 16);
  for (i = 0; i < log->size && strcmp(log->ids[i], id) != 0; ++i) {
  }
  if (i == log->size) {
    if (log->size == 512) return 1;
    strcpy(log->ids[log->size++], id);
  } else {
    CHECK(idt_detection_revision(d) > log->revision[i]); /* revisions only go up */
  }
  log->revision[i] = idt_detection_revision(d);
  log->withdrawn[i] = idt_detection_withdrawn(d);
  return 0;
}

static size_t standing_in(const struct revision_log *log) {
  size_t i, n = 0;
  for (i = 0; i < log->size; ++i) n += !log->withdrawn[i];
  return n;
}

static void test_detections(void) {
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  static struct revision_log seen;
  int stopped_logging = 0;
  size_t i, n;
  CHECK(idt_engine_new(&engine, NULL, &err) == IDT_OK);
  CHECK(idt_engine_set_detection_callback(engine, count_detection, &seen, &err) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, &err) == IDT_OK);
  CHECK(idt_engine_finish(engine, &err) == IDT_OK);
  n = idt_engine_detection_count(engine);
  CHECK(n > 0);
  CHECK(standing_in(&seen) == n);
  CHECK(idt_engine_detection_at(engine, n) == NULL);
  for (i = 0; i < n; ++i) {
    const idt_detection *d = idt_engine_detection_at(engine, i);
    size_t j;
    for (j = 0; j < seen.size && strcmp(seen.ids[j], detection_field(d, IDT_DET_ID)) != 0; ++j) {
    }
    CHECK(j < seen.size && seen.revision[j] == idt_detection_revision(d) && !idt_detection_withdrawn(d));
    CHECK(idt_detection_count(d) >= 1);
    CHECK(idt_detection_first_seen_ns(d) <= idt_detection_last_seen_ns(d));
    CHECK(idt_detection_event_id_count(d) > 0);
    CHECK(strlen(idt_detection_event_id_at(d, 0)) > 0);
    CHECK(strcmp(idt_detection_event_id_at(d, 999), "") == 0);
    if (strcmp(detection_field(d, IDT_DET_RULE_ID), "IDT-DE-001") == 0) {
      ++stopped_logging;
      CHECK(strcmp(detection_field(d, IDT_DET_IDENTITY), "arn:aws:iam::111122223333:user/ops-admin") == 0);
      CHECK(strcmp(detection_field(d, IDT_DET_SEVERITY), "critical") == 0);
      CHECK(idt_detection_tactic_count(d) == 1 && strcmp(idt_detection_tactic_at(d, 0), "TA0005") == 0);
      CHECK(strcmp(idt_detection_technique_at(d, 0), "T1562.008") == 0);
    }
  }
  CHECK(stopped_logging == 1);
  {
    /* The sample's stages, by rule and identity. */
    static const char *const stages[][2] = {
        {"IDT-IA-001", "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890"},
        {"IDT-DISC-001", "arn:aws:iam::111122223333:user/ops-admin"},
        {"IDT-CRED-001", "arn:aws:iam::111122223333:user/ops-admin"},
        {"IDT-EXF-001", "arn:aws:iam::111122223333:user/ops-admin"},
        {"IDT-CTX-002", "arn:aws:iam::111122223333:user/ops-admin"},
        {"IDT-PERS-003", "arn:aws:iam::111122223333:user/ops-admin"}};
    size_t s;
    for (s = 0; s < sizeof stages / sizeof stages[0]; ++s) {
      int found = 0;
      for (i = 0; i < n; ++i) {
        const idt_detection *d = idt_engine_detection_at(engine, i);
        found |= strcmp(detection_field(d, IDT_DET_RULE_ID), stages[s][0]) == 0 &&
                 strcmp(detection_field(d, IDT_DET_IDENTITY), stages[s][1]) == 0;
      }
      if (!found) fprintf(stderr, "missing stage %s for %s\n", stages[s][0], stages[s][1]);
      CHECK(found);
    }
  }
  idt_engine_free(engine);
}

static void test_rule_errors(void) {
  idt_options *opts = NULL;
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_string(opts, IDT_OPT_RULES_PATH, IDENTRAIL_TEST_DATA "/bad_rule.yaml", NULL) == IDT_OK);
  CHECK(idt_engine_new(&engine, opts, &err) == IDT_E_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(err && strstr(idt_error_message(err), "bad_rule.yaml:4") != NULL);
  CHECK(err && strstr(idt_error_message(err), "TEST-BAD") != NULL);
  idt_error_free(err);
  idt_options_free(opts);
}

/* A query's answer as a NUL-terminated string the caller frees with idt_buffer_free. */
static int contains(const idt_buffer *buf, const char *needle) {
  return buf != NULL && strstr(idt_buffer_data(buf), needle) != NULL;
}

static void test_correlation_and_response(void) {
  static const char admin[] = "arn:aws:iam::111122223333:user/ops-admin";
  static const char instance_session[] = "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890";
  static const char backdoor[] = "arn:aws:iam::111122223333:user/svc-backup";
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  idt_buffer *buf = NULL;
  idt_identity_status status = IDT_STATUS_NORMAL;
  idt_risk risk = IDT_RISK_NONE;
  idt_query_options *q = NULL;
  const char *cidr = "198.51.100.0/24";
  const char *bad_cidr = "198.51.100.0/99";
  const char *session;
  const char *end;
  char session_arn[256];

  {
    /* A geolocation database that is not one is an error naming it. */
    idt_options *opts = NULL;
    CHECK(idt_options_new(&opts, NULL) == IDT_OK);
    CHECK(idt_options_set_string(opts, IDT_OPT_GEO_DATABASE, IDENTRAIL_TEST_DATA "/../../data/not_a_maxmind_db.txt", NULL) ==
          IDT_OK);
    CHECK(idt_engine_new(&engine, opts, &err) != IDT_OK);
    CHECK(engine == NULL && err != NULL && strstr(idt_error_message(err), "not_a_maxmind_db.txt") != NULL);
    idt_error_free(err);
    err = NULL;
    idt_options_free(opts);
  }
  CHECK(idt_engine_new(&engine, NULL, &err) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, &err) == IDT_OK);
  CHECK(idt_engine_finish(engine, &err) == IDT_OK);

  CHECK(idt_engine_assessment(engine, admin, strlen(admin), &status, &risk, &err) == IDT_OK);
  CHECK(status == IDT_STATUS_POTENTIALLY_COMPROMISED);
  CHECK(risk >= IDT_RISK_HIGH);
  CHECK(idt_engine_assessment(engine, instance_session, strlen(instance_session), &status, &risk, NULL) == IDT_OK);
  CHECK(status == IDT_STATUS_POTENTIALLY_COMPROMISED);
  CHECK(query(engine, IDT_QUERY_ASSESSMENT, instance_session, NULL, &buf, NULL) == IDT_OK);
  CHECK(contains(buf, "instance credentials used outside the instance"));
  idt_buffer_free(buf);

  /* The attacker's break-glass session, found through the admin's blast radius, resolves to the admin. */
  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_int(q, IDT_QOPT_SINCE_NS, 1772371200000000000LL /* 13:20 */, NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_BLAST_RADIUS, admin, q, &buf, &err) == IDT_OK);
  idt_query_options_free(q);
  CHECK(contains(buf, "\"arn:aws:s3:::acme-finance-reports\""));
  CHECK(contains(buf, "secret:prod/db/master-password"));
  CHECK(contains(buf, "secret:prod/payments/stripe-key"));
  session = buf ? strstr(idt_buffer_data(buf), "arn:aws:sts::111122223333:assumed-role/ops-break-glass/") : NULL;
  CHECK(session != NULL);
  end = session ? strchr(session, '"') : NULL;
  CHECK(end != NULL && (size_t)(end - session) < sizeof session_arn);
  if (session && end && (size_t)(end - session) < sizeof session_arn) {
    memcpy(session_arn, session, (size_t)(end - session));
    session_arn[end - session] = '\0';
  } else {
    session_arn[0] = '\0';
  }
  idt_buffer_free(buf);
  CHECK(query(engine, IDT_QUERY_RESOLUTION, session_arn, NULL, &buf, &err) == IDT_OK);
  CHECK(contains(buf, "\"root_principal\":\"arn:aws:iam::111122223333:user/ops-admin\""));
  idt_buffer_free(buf);

  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_string(q, IDT_QOPT_TO, session_arn, strlen(session_arn), NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_PATHS, "45.137.21.9", q, &buf, &err) == IDT_OK);
  idt_query_options_free(q);
  CHECK(contains(buf, "\"kind\":\"ip\""));
  idt_buffer_free(buf);
  CHECK(query(engine, IDT_QUERY_WHERE_USED, admin, NULL, &buf, &err) == IDT_OK);
  CHECK(contains(buf, "\"ip\":\"185.220.101.45\""));
  idt_buffer_free(buf);
  CHECK(query(engine, IDT_QUERY_TIMELINE, admin, NULL, &buf, &err) == IDT_OK);
  CHECK(contains(buf, "\"type\":\"detection\""));
  idt_buffer_free(buf);
  CHECK(idt_engine_graph_export(engine, IDT_GRAPH_DOT, &buf, &err) == IDT_OK);
  CHECK(buf != NULL && strncmp(idt_buffer_data(buf), "digraph", 7) == 0);
  idt_buffer_free(buf);
  CHECK(idt_engine_graph_export(engine, (idt_graph_format)42, &buf, &err) == IDT_E_INVALID_ARGUMENT);
  idt_error_free(err);
  err = NULL;

  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_string(q, IDT_QOPT_ALLOW_CIDR, cidr, strlen(cidr), NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_REMEDIATION, admin, q, &buf, &err) == IDT_OK);
  idt_query_options_free(q);
  CHECK(contains(buf, "\"id\":\"delete_user\""));
  CHECK(contains(buf, "\"id\":\"deactivate_user\""));
  CHECK(contains(buf, "198.51.100.0/24"));
  idt_buffer_free(buf);
  buf = NULL;
  /* A network that is not one is accepted as an option and refused by the query, naming it. */
  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_string(q, IDT_QOPT_ALLOW_CIDR, bad_cidr, strlen(bad_cidr), NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_REMEDIATION, admin, q, &buf, &err) == IDT_E_INVALID_ARGUMENT);
  idt_query_options_free(q);
  CHECK(buf == NULL && err != NULL && strstr(idt_error_message(err), "198.51.100.0/99") != NULL);
  idt_error_free(err);
  err = NULL;
  CHECK(query(engine, IDT_QUERY_REMEDIATION, "arn:aws:iam::1:user/nobody", NULL, &buf, &err) == IDT_E_NOT_FOUND);
  idt_error_free(err);
  err = NULL;

  /* Least privilege: the admin's nightly job, none of the attack. */
  {
    const char *current = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
    const char *broken = "{\"Statement\":{\"Effect\":\"Maybe\",\"Action\":\"*\"}}";
    CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
    CHECK(idt_query_options_set_int(q, IDT_QOPT_FLAG_TIME_NS, 1772371200000000000LL, NULL) == IDT_OK);
    CHECK(idt_query_options_set_string(q, IDT_QOPT_CURRENT_POLICY, current, strlen(current), NULL) == IDT_OK);
    CHECK(query(engine, IDT_QUERY_LEAST_PRIVILEGE, admin, q, &buf, &err) == IDT_OK);
    idt_query_options_free(q);
    CHECK(contains(buf, "\"ec2:CreateSnapshot\""));
    CHECK(contains(buf, "\"flag_time\":\"2026-03-01T13:20:00Z\""));
    {
      /* StopLogging is among the excluded actions, never inside the policy. */
      const char *policy = buf ? strstr(idt_buffer_data(buf), "\"policy\":") : NULL;
      const char *used = buf ? strstr(idt_buffer_data(buf), ",\"used_actions\"") : NULL;
      const char *stop = buf ? strstr(idt_buffer_data(buf), "cloudtrail:StopLogging") : NULL;
      CHECK(policy != NULL && used != NULL && stop != NULL && policy < used && stop > used);
    }
    CHECK(contains(buf, "\"unused_permissions\":[\"*: "));
    idt_buffer_free(buf);
    buf = NULL;
    /* A policy that is not one is refused where it is given, naming it and the path. */
    CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
    CHECK(idt_query_options_set_string(q, IDT_QOPT_CURRENT_POLICY, broken, strlen(broken), &err) ==
          IDT_E_INVALID_ARGUMENT);
    CHECK(err != NULL && strstr(idt_error_message(err), "IDT_QOPT_CURRENT_POLICY[0]: Statement.Effect") != NULL);
    idt_query_options_free(q);
    idt_error_free(err);
    err = NULL;
  }

  /* A person's word. */
  CHECK(idt_engine_flag(engine, backdoor, strlen(backdoor), IDT_STATUS_COMPROMISED, IDT_NO_TIME, &err) == IDT_OK);
  CHECK(idt_engine_assessment(engine, backdoor, strlen(backdoor), &status, &risk, NULL) == IDT_OK);
  CHECK(status == IDT_STATUS_COMPROMISED);
  CHECK(idt_engine_flag(engine, backdoor, strlen(backdoor), IDT_STATUS_POTENTIALLY_COMPROMISED, IDT_NO_TIME, &err) ==
        IDT_E_INVALID_ARGUMENT);
  idt_error_free(err);
  idt_engine_free(engine);
}

static void test_skip_invalid_rules(void) {
  idt_options *opts = NULL;
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_string(opts, IDT_OPT_RULES_PATH, IDENTRAIL_DATASETS "/sigmahq-aws", NULL) == IDT_OK);
  CHECK(idt_engine_new(&engine, opts, &err) == IDT_E_INVALID_ARGUMENT);
  CHECK(err && strstr(idt_error_message(err), "aws_delete_saml_provider.yml") != NULL);
  idt_error_free(err);
  CHECK(idt_options_set_int(opts, IDT_OPT_SKIP_INVALID_RULES, 1, NULL) == IDT_OK);
  CHECK(idt_engine_new(&engine, opts, NULL) == IDT_OK);
  CHECK(idt_engine_rule_rejection_count(engine) == 1);
  CHECK(strstr(idt_engine_rule_rejection_at(engine, 0), "not a field of a CloudTrail record") != NULL);
  CHECK(strcmp(idt_engine_rule_rejection_at(engine, 1), "") == 0);
  idt_engine_free(engine);
  idt_options_free(opts);
}

/* Exports read back as events; an unknown format name is refused with its reason. */
static void test_input_formats(void) {
  idt_options *opts = NULL;
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_string(opts, IDT_OPT_INPUT_FORMAT, "datadgo", &err) == IDT_E_INVALID_ARGUMENT);
  CHECK(err && strstr(idt_error_message(err), "unknown input format \"datadgo\"") != NULL);
  idt_error_free(err);
  CHECK(idt_options_set_string(opts, IDT_OPT_INPUT_FORMAT, "datadog", NULL) == IDT_OK);
  CHECK(idt_engine_new(&engine, opts, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_TEST_DATA "/../../data/formats/datadog-logs.json", NULL) == IDT_OK);
  CHECK(idt_engine_event_count(engine) == 4);
  /* Forced to Datadog, an OCSF file is refused, not guessed at. */
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_TEST_DATA "/../../data/formats/security-lake-ocsf.ndjson", NULL) == IDT_OK);
  CHECK(idt_engine_event_count(engine) == 4);
  idt_engine_free(engine);
  idt_options_free(opts);
}

int main(void) {
  CHECK(strcmp(idt_version(), "0.3.0") == 0);
  test_errors_and_options();
  test_feed_and_iterate();
  test_duplicate_horizon();
  test_paths();
  test_paths_in_delivery_order();
  test_detections();
  test_skip_invalid_rules();
  test_input_formats();
  test_rule_errors();
  test_correlation_and_response();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi: all checks passed\n");
  return 0;
}
