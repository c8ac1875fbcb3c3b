/* The stage handles, typed enumeration and per-call options of the C ABI
 * (0.2), from C99: rule sets shared by engines and threads, the normalizer and
 * the policy evaluator alone, invalid keys as errors. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "identrail.h"

static const char *ADMIN = "arn:aws:iam::111122223333:user/ops-admin";
static const char *maybe = "{\"Statement\":{\"Effect\":\"Maybe\"}}"; /* not an effect IAM knows */

static int contains(const idt_buffer *buf, const char *needle) {
  return buf != NULL && strstr(idt_buffer_data(buf), needle) != NULL;
}

static size_t occurrences(const char *text, const char *needle) {
  size_t n = 0;
  const char *at = text;
  while ((at = strstr(at, needle)) != NULL) {
    ++n;
    at += strlen(needle);
  }
  return n;
}

static idt_engine *sample_engine(const idt_options *opts) {
  idt_engine *engine = NULL;
  CHECK(idt_engine_new(&engine, opts, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_engine_finish(engine, NULL) == IDT_OK);
  return engine;
}

static uint64_t stat(const idt_engine *engine, idt_stat key) {
  uint64_t value = 0;
  CHECK(idt_engine_get_stat(engine, key, &value, NULL) == IDT_OK);
  return value;
}

static void expect_error(idt_status status, idt_error *err, idt_status code, const char *mentions) {
  CHECK(status == code);
  CHECK(err != NULL && idt_error_code(err) == code);
  if (status != code) fprintf(stderr, "  status %d, expected %d: %s\n", (int)status, (int)code, idt_error_message(err));
  if (err && mentions) {
    CHECK(strstr(idt_error_message(err), mentions) != NULL);
    if (!strstr(idt_error_message(err), mentions)) fprintf(stderr, "  message: %s\n", idt_error_message(err));
  }
  idt_error_free(err);
}

/* The call writes the error into `err`, a local of the test, read only after it returns. */
#define EXPECT_ERROR(call, code, mentions)     \
  do {                                         \
    idt_status status_ = (call);               \
    expect_error(status_, err, code, mentions); \
    err = NULL;                                \
  } while (0)

static void test_invalid_keys_are_errors(void) {
  idt_engine *engine = sample_engine(NULL);
  const idt_event *ev = idt_engine_event_at(engine, 0);
  const idt_detection *d = idt_engine_detection_at(engine, 0);
  const char *value = NULL;
  size_t len = 99;
  uint64_t count = 7;
  idt_error *err = NULL;
  idt_query_options *q = NULL;
  idt_buffer *buf = NULL;
  CHECK(ev != NULL && d != NULL);
  CHECK(idt_event_get(ev, IDT_FIELD_ID, &value, &len, NULL) == IDT_OK && value != NULL && strlen(value) == len);
  EXPECT_ERROR(idt_event_get(ev, (idt_field)0, &value, &len, &err), IDT_E_INVALID_ARGUMENT, "unknown field 0");
  EXPECT_ERROR(idt_event_get(ev, (idt_field)999, &value, NULL, &err), IDT_E_INVALID_ARGUMENT, "999");
  EXPECT_ERROR(idt_engine_get_stat(engine, (idt_stat)0, &count, &err), IDT_E_INVALID_ARGUMENT, "unknown stat");
  CHECK(count == 7); /* untouched on error */
  EXPECT_ERROR(idt_detection_get_string(d, (idt_detection_field)0, &value, NULL, &err), IDT_E_INVALID_ARGUMENT,
               "unknown field");
  CHECK(idt_detection_get_string(d, IDT_DET_RULE_ID, &value, &len, NULL) == IDT_OK && strncmp(value, "IDT-", 4) == 0);
  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  EXPECT_ERROR(idt_query_options_set_int(q, (idt_query_option)0, 1, &err), IDT_E_INVALID_ARGUMENT, "unknown option");
  EXPECT_ERROR(idt_query_options_set_string(q, (idt_query_string_option)9, "x", 1, &err), IDT_E_INVALID_ARGUMENT,
               "unknown option");
  EXPECT_ERROR(idt_engine_query(engine, (idt_query)0, ADMIN, strlen(ADMIN), q, &buf, &err), IDT_E_INVALID_ARGUMENT,
               "unknown query");
  CHECK(buf == NULL);
  idt_query_options_free(q);
  idt_engine_free(engine);
}

struct shared_run {
  const idt_rule_set *rules;
  size_t detections;
  idt_status status;
};

static void *run_with_rules(void *arg) {
  struct shared_run *run = (struct shared_run *)arg;
  idt_options *opts = NULL;
  idt_engine *engine = NULL;
  run->status = idt_options_new(&opts, NULL);
  if (run->status == IDT_OK) run->status = idt_options_set_rule_set(opts, run->rules, NULL);
  if (run->status == IDT_OK) run->status = idt_engine_new(&engine, opts, NULL);
  if (run->status == IDT_OK) run->status = idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL);
  if (run->status == IDT_OK) run->status = idt_engine_finish(engine, NULL);
  run->detections = idt_engine_detection_count(engine);
  idt_engine_free(engine);
  idt_options_free(opts);
  return NULL;
}

static void test_a_rule_set_is_shared_by_engines_and_threads(void) {
  idt_rule_set *builtin = NULL, *files = NULL, *text = NULL;
  idt_options *opts = NULL;
  idt_engine *engine = NULL, *reference = sample_engine(NULL);
  idt_error *err = NULL;
  struct shared_run runs[2];
  pthread_t threads[2];
  const char *paths[] = {IDENTRAIL_SAMPLE_DIR "/../../rules/geo.yaml"};
  size_t failed = 99, i;
  idt_buffer *report = NULL;
  CHECK(idt_rule_set_builtin(&builtin, NULL) == IDT_OK);
  CHECK(idt_rule_set_count(builtin) > 50);
  CHECK(strncmp(idt_rule_set_rule_id(builtin, 0), "IDT-", 4) == 0);
  CHECK(strcmp(idt_rule_set_rule_id(builtin, 100000), "") == 0);
  CHECK(idt_rule_set_run_tests(builtin, &failed, &report, NULL) == IDT_OK);
  CHECK(failed == 0 && report != NULL && idt_buffer_size(report) == 0);
  idt_buffer_free(report);

  for (i = 0; i < 2; ++i) {
    runs[i].rules = builtin;
    runs[i].detections = 0;
    CHECK(pthread_create(&threads[i], NULL, run_with_rules, &runs[i]) == 0);
  }
  for (i = 0; i < 2; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(runs[i].status == IDT_OK);
    CHECK(runs[i].detections == idt_engine_detection_count(reference) && runs[i].detections > 0);
  }

  /* The options hold the rules, not the handle: freeing it first is fine. */
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_rule_set(opts, builtin, NULL) == IDT_OK);
  idt_rule_set_free(builtin);
  CHECK(idt_engine_new(&engine, opts, NULL) == IDT_OK);
  idt_engine_free(engine);
  CHECK(idt_options_set_int(opts, IDT_OPT_BUILTIN_RULES, 1, NULL) == IDT_OK); /* a flag for files it has none of */
  EXPECT_ERROR(idt_engine_new(&engine, opts, &err), IDT_E_INVALID_ARGUMENT, "both given");
  CHECK(idt_options_set_int(opts, IDT_OPT_BUILTIN_RULES, 0, NULL) == IDT_OK);
  CHECK(idt_options_set_string(opts, IDT_OPT_RULES_PATH, paths[0], NULL) == IDT_OK);
  EXPECT_ERROR(idt_engine_new(&engine, opts, &err), IDT_E_INVALID_ARGUMENT, "both given");
  idt_options_free(opts);

  EXPECT_ERROR(idt_rule_set_load(&files, paths, 1, 4u, &err), IDT_E_INVALID_ARGUMENT, "unknown flags");
  CHECK(idt_rule_set_load(&files, paths, 1, 0, NULL) == IDT_OK);
  CHECK(idt_rule_set_count(files) >= 1 && idt_rule_set_count(files) < 10);
  idt_rule_set_free(files);
  CHECK(idt_rule_set_load(&files, paths, 1, IDT_RULES_KEEP_BUILTIN, NULL) == IDT_OK);
  CHECK(idt_rule_set_count(files) > 50);
  idt_rule_set_free(files);
  EXPECT_ERROR(idt_rule_set_parse(&text, "- id: X-1\n  severity: dire\n", 27, "inline.yaml", &err),
               IDT_E_INVALID_ARGUMENT, "inline.yaml:1: rule X-1");
  CHECK(text == NULL);
  idt_engine_free(reference);
}

static void test_the_normalizer_alone(void) {
  idt_normalizer *n = NULL;
  idt_options *opts = NULL;
  idt_engine *engine = sample_engine(NULL);
  idt_error *err = NULL;
  uint64_t accepted = 0, total = 0;
  const char *mine = "", *theirs = "";
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_int(opts, IDT_OPT_DEDUP_HORIZON_SECONDS, 0, NULL) == IDT_OK);
  EXPECT_ERROR(idt_normalizer_new(&n, opts, &err), IDT_E_INVALID_ARGUMENT, "dedup_horizon");
  idt_options_free(opts);

  CHECK(idt_normalizer_new(&n, NULL, NULL) == IDT_OK);
  CHECK(idt_normalizer_feed_path(n, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_normalizer_get_stat(n, IDT_STAT_ACCEPTED, &accepted, NULL) == IDT_OK);
  CHECK(accepted == stat(engine, IDT_STAT_ACCEPTED) && accepted > 0);
  CHECK(idt_normalizer_event_count(n) == accepted);
  CHECK(idt_event_get(idt_normalizer_event_at(n, 0), IDT_FIELD_ID, &mine, NULL, NULL) == IDT_OK);
  CHECK(idt_event_get(idt_engine_event_at(engine, 0), IDT_FIELD_ID, &theirs, NULL, NULL) == IDT_OK);
  CHECK(strcmp(mine, theirs) == 0);
  EXPECT_ERROR(idt_normalizer_get_stat(n, IDT_STAT_IDENTITIES, &total, &err), IDT_E_INVALID_ARGUMENT, NULL);

  /* Batch by batch: clearing drops the events, not the counts or the duplicate filter. */
  idt_normalizer_clear_events(n);
  CHECK(idt_normalizer_event_count(n) == 0 && idt_normalizer_event_at(n, 0) == NULL);
  CHECK(idt_normalizer_feed_path(n, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_normalizer_event_count(n) == 0); /* all repeats */
  CHECK(idt_normalizer_feed(n, "{\"eventTime\": 12}\n", 18, "bad.json", NULL) == IDT_OK);
  CHECK(idt_normalizer_error_count(n) >= 1);
  CHECK(strcmp(idt_normalizer_error_source(n, idt_normalizer_error_count(n) - 1), "bad.json") == 0);
  CHECK(idt_normalizer_get_stat(n, IDT_STAT_TOTAL, &total, NULL) == IDT_OK && total > 2 * accepted);
  idt_normalizer_free(n);
  idt_normalizer_free(NULL);
  idt_engine_free(engine);
}

static void test_typed_enumeration(void) {
  idt_engine *engine = sample_engine(NULL);
  idt_identity_list *ids = NULL;
  idt_assessment_list *all = NULL;
  size_t i, n, flagged = 0;
  const idt_identity *admin = NULL;
  const idt_assessment *admin_status = NULL;
  CHECK(idt_engine_identities(engine, &ids, NULL) == IDT_OK);
  n = idt_identity_list_count(ids);
  CHECK(n == stat(engine, IDT_STAT_IDENTITIES) && n > 3);
  for (i = 0; i < n; ++i)
    if (strcmp(idt_identity_key(idt_identity_list_at(ids, i)), ADMIN) == 0) admin = idt_identity_list_at(ids, i);
  CHECK(admin != NULL);
  if (admin) {
    CHECK(strcmp(idt_identity_type(admin), "IAMUser") == 0);
    CHECK(idt_identity_event_count(admin) > 0);
    CHECK(idt_identity_first_seen_ns(admin) <= idt_identity_last_seen_ns(admin));
    CHECK(idt_identity_source_ip_count(admin) >= 2);
    CHECK(strcmp(idt_identity_source_ip_at(admin, 1000), "") == 0);
  }
  CHECK(idt_identity_list_at(ids, n) == NULL);

  CHECK(idt_engine_assessments(engine, &all, NULL) == IDT_OK);
  CHECK(idt_assessment_list_count(all) >= n);
  for (i = 0; i < idt_assessment_list_count(all); ++i) {
    const idt_assessment *a = idt_assessment_list_at(all, i);
    if (idt_assessment_status(a) != IDT_STATUS_NORMAL) {
      ++flagged;
      CHECK(idt_assessment_reason_count(a) > 0);
    }
    if (strcmp(idt_assessment_identity(a), ADMIN) == 0) admin_status = a;
  }
  CHECK(flagged >= 2);
  CHECK(admin_status != NULL);
  if (admin_status) {
    CHECK(idt_assessment_status(admin_status) == IDT_STATUS_POTENTIALLY_COMPROMISED);
    CHECK(idt_assessment_risk(admin_status) >= IDT_RISK_HIGH);
    CHECK(idt_assessment_since_ns(admin_status) != IDT_NO_TIME);
    CHECK(idt_assessment_detection_count(admin_status) > 0);
  }

  /* A snapshot: a later flag changes the engine's answer, not the list in hand. */
  CHECK(idt_engine_flag(engine, ADMIN, strlen(ADMIN), IDT_STATUS_REMEDIATED, IDT_NO_TIME, NULL) == IDT_OK);
  if (admin_status) CHECK(idt_assessment_status(admin_status) == IDT_STATUS_POTENTIALLY_COMPROMISED);
  idt_assessment_list_free(all);
  CHECK(idt_engine_assessments(engine, &all, NULL) == IDT_OK);
  for (i = 0; i < idt_assessment_list_count(all); ++i)
    if (strcmp(idt_assessment_identity(idt_assessment_list_at(all, i)), ADMIN) == 0)
      CHECK(idt_assessment_status(idt_assessment_list_at(all, i)) == IDT_STATUS_REMEDIATED);
  idt_assessment_list_free(all);
  idt_identity_list_free(ids);
  idt_engine_free(engine);
}

static idt_status query(const idt_engine *engine, idt_query what, const char *subject, const idt_query_options *q,
                        idt_buffer **out, idt_error **err) {
  return idt_engine_query(engine, what, subject, strlen(subject), q, out, err);
}

static void test_per_call_options(void) {
  idt_engine *engine = sample_engine(NULL);
  idt_query_options *q = NULL;
  idt_buffer *all = NULL, *one = NULL, *buf = NULL;
  idt_error *err = NULL;
  const char *ip = "45.137.21.9";
  const char *bucket = "arn:aws:s3:::acme-finance-reports"; /* four paths lead there from the attacker's address */
  const char *current = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";

  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  EXPECT_ERROR(query(engine, IDT_QUERY_PATHS, ip, q, &buf, &err), IDT_E_INVALID_ARGUMENT, "IDT_QOPT_TO");
  CHECK(idt_query_options_set_string(q, IDT_QOPT_TO, bucket, strlen(bucket), NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_PATHS, ip, q, &all, NULL) == IDT_OK);
  EXPECT_ERROR(idt_query_options_set_int(q, IDT_QOPT_MAX_PATHS, 0, &err), IDT_E_INVALID_ARGUMENT, "1 to 10000");
  CHECK(idt_query_options_set_int(q, IDT_QOPT_MAX_PATHS, 1, NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_PATHS, ip, q, &one, NULL) == IDT_OK);
  CHECK(all != NULL && one != NULL);
  if (all && one) {
    CHECK(occurrences(idt_buffer_data(one), "[{\"kind\"") == 1);
    CHECK(occurrences(idt_buffer_data(all), "[{\"kind\"") > 1);
  }
  /* An option the query does not read is refused, naming it. */
  EXPECT_ERROR(query(engine, IDT_QUERY_REMEDIATION, ADMIN, q, &buf, &err), IDT_E_INVALID_ARGUMENT, "IDT_QUERY_REMEDIATION does not read IDT_QOPT_");
  CHECK(buf == NULL);
  idt_query_options_free(q);

  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  EXPECT_ERROR(idt_query_options_set_string(q, IDT_QOPT_CURRENT_POLICY, maybe, strlen(maybe), &err), IDT_E_INVALID_ARGUMENT, "IDT_QOPT_CURRENT_POLICY[0]");
  CHECK(idt_query_options_set_string(q, IDT_QOPT_CURRENT_POLICY, current, strlen(current), NULL) == IDT_OK);
  CHECK(idt_query_options_set_int(q, IDT_QOPT_FLAG_TIME_NS, 1772371200000000000LL /* 13:20 */, NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_LEAST_PRIVILEGE, ADMIN, q, &buf, NULL) == IDT_OK);
  CHECK(contains(buf, "\"flag_time\":\"2026-03-01T13:20:00Z\""));
  CHECK(contains(buf, "\"ec2:CreateSnapshot\""));
  CHECK(contains(buf, "\"unused_permissions\":[\"*: "));
  idt_buffer_free(buf);
  idt_query_options_free(q);

  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_string(q, IDT_QOPT_ALLOW_CIDR, "198.51.100.0/99", 15, NULL) == IDT_OK);
  EXPECT_ERROR(query(engine, IDT_QUERY_REMEDIATION, ADMIN, q, &buf, &err), IDT_E_INVALID_ARGUMENT,
               "198.51.100.0/99");
  idt_query_options_free(q);
  EXPECT_ERROR(query(engine, IDT_QUERY_TIMELINE, "arn:aws:iam::1:user/nobody", NULL, &buf, &err),
               IDT_E_NOT_FOUND, "nobody");
  idt_buffer_free(all);
  idt_buffer_free(one);
  idt_engine_free(engine);
}

static void test_answers_carry_a_schema(void) {
  idt_engine *engine = sample_engine(NULL);
  const idt_query queries[] = {IDT_QUERY_ASSESSMENT, IDT_QUERY_RESOLUTION, IDT_QUERY_BLAST_RADIUS, IDT_QUERY_WHERE_USED,
                               IDT_QUERY_TIMELINE, IDT_QUERY_REMEDIATION, IDT_QUERY_LEAST_PRIVILEGE};
  idt_buffer *mine = NULL;
  idt_query_options *q = NULL;
  size_t i;
  for (i = 0; i < sizeof queries / sizeof queries[0]; ++i) {
    CHECK(query(engine, queries[i], ADMIN, NULL, &mine, NULL) == IDT_OK);
    CHECK(mine != NULL && strncmp(idt_buffer_data(mine), "{\"schema_version\":1,", 20) == 0);
    idt_buffer_free(mine);
  }
  /* Paths need a target. */
  CHECK(idt_query_options_new(&q, NULL) == IDT_OK);
  CHECK(idt_query_options_set_string(q, IDT_QOPT_TO, ADMIN, strlen(ADMIN), NULL) == IDT_OK);
  CHECK(query(engine, IDT_QUERY_PATHS, "185.220.101.45", q, &mine, NULL) == IDT_OK);
  CHECK(mine != NULL && strncmp(idt_buffer_data(mine), "{\"schema_version\":1,", 20) == 0);
  idt_buffer_free(mine);
  idt_query_options_free(q);
  idt_engine_free(engine);
}

static void test_the_policy_evaluator_alone(void) {
  const char *identity = "{\"Statement\":[{\"Sid\":\"Reads\",\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";
  const char *scp =
      "{\"Statement\":[{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
      "{\"Sid\":\"OnlyFromOffice\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
      "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"198.51.100.0/24\"}}}]}";
  idt_policy *p_identity = NULL, *p_scp = NULL, *broken = NULL;
  idt_policy_set *set = NULL;
  idt_policy_request *inside = NULL, *outside = NULL, *write = NULL;
  idt_evaluation *e = NULL;
  idt_error *err = NULL;
  idt_buffer *json = NULL;
  CHECK(idt_policy_parse(&p_identity, identity, strlen(identity), "identity.json", NULL) == IDT_OK);
  CHECK(idt_policy_parse(&p_scp, scp, strlen(scp), "scp.json", NULL) == IDT_OK);
  CHECK(idt_policy_statement_count(p_scp) == 2);
  CHECK(idt_policy_to_json(p_identity, &json, NULL) == IDT_OK && contains(json, "s3:Get*"));
  idt_buffer_free(json);
  EXPECT_ERROR(idt_policy_parse(&broken, maybe, strlen(maybe), "bad.json", &err),
               IDT_E_INVALID_ARGUMENT, "bad.json");
  CHECK(broken == NULL);

  CHECK(idt_policy_set_new(&set, NULL) == IDT_OK);
  CHECK(idt_policy_set_add(set, IDT_POLICY_IDENTITY, p_identity, NULL) == IDT_OK);
  CHECK(idt_policy_set_add(set, IDT_POLICY_SCP, p_scp, NULL) == IDT_OK);
  EXPECT_ERROR(idt_policy_set_add(set, IDT_POLICY_NONE, p_scp, &err), IDT_E_INVALID_ARGUMENT, "kind");
  idt_policy_free(p_identity); /* the set holds copies */
  idt_policy_free(p_scp);

  CHECK(idt_policy_request_new(&inside, ADMIN, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", NULL) == IDT_OK);
  CHECK(idt_policy_request_add_context(inside, "aws:SourceIp", "198.51.100.7", NULL) == IDT_OK);
  CHECK(idt_policy_evaluate(set, inside, &e, NULL) == IDT_OK);
  CHECK(idt_evaluation_decision(e) == IDT_DECISION_ALLOW);
  CHECK(idt_evaluation_decided_by(e) == IDT_POLICY_IDENTITY && strcmp(idt_evaluation_sid(e), "Reads") == 0);
  idt_evaluation_free(e);

  CHECK(idt_policy_request_new(&outside, ADMIN, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", NULL) == IDT_OK);
  CHECK(idt_policy_request_add_context(outside, "aws:SourceIp", "203.0.113.9", NULL) == IDT_OK);
  CHECK(idt_policy_evaluate(set, outside, &e, NULL) == IDT_OK);
  CHECK(idt_evaluation_decision(e) == IDT_DECISION_EXPLICIT_DENY);
  CHECK(idt_evaluation_decided_by(e) == IDT_POLICY_SCP && idt_evaluation_policy_index(e) == 0);
  CHECK(idt_evaluation_statement_index(e) == 1 && strcmp(idt_evaluation_sid(e), "OnlyFromOffice") == 0);
  CHECK(strstr(idt_evaluation_reason(e), "OnlyFromOffice") != NULL);
  idt_evaluation_free(e);

  CHECK(idt_policy_request_new(&write, ADMIN, "s3:PutObject", "*", NULL) == IDT_OK);
  CHECK(idt_policy_request_add_context(write, "aws:SourceIp", "198.51.100.7", NULL) == IDT_OK);
  CHECK(idt_policy_evaluate(set, write, &e, NULL) == IDT_OK);
  CHECK(idt_evaluation_decision(e) == IDT_DECISION_IMPLICIT_DENY && idt_evaluation_decided_by(e) == IDT_POLICY_NONE);
  idt_evaluation_free(e);
  idt_policy_request_free(write);
  EXPECT_ERROR(idt_policy_request_new(&write, ADMIN, "", "*", &err), IDT_E_INVALID_ARGUMENT, "action");
  CHECK(write == NULL);
  idt_policy_request_free(inside);
  idt_policy_request_free(outside);
  idt_policy_set_free(set);
}

/* Strings handed out stay valid while the engine grows (ASan would see a read of freed memory). */
static void test_strings_outlive_later_input(void) {
  idt_engine *engine = NULL;
  idt_options *opts = NULL;
  const char *id = NULL, *message = NULL, *source;
  char id_copy[128], message_copy[256];
  size_t i, len = 0;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  CHECK(idt_options_set_int(opts, IDT_OPT_DEDUPLICATE, 0, NULL) == IDT_OK); /* every feed appends */
  CHECK(idt_engine_new(&engine, opts, NULL) == IDT_OK);
  idt_options_free(opts);
  CHECK(idt_engine_feed(engine, "[1]\n", 4, "first.json", NULL) == IDT_OK);
  source = idt_engine_error_source(engine, 0);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  for (i = 0; i < idt_engine_event_count(engine) && !message; ++i) {
    const idt_event *ev = idt_engine_event_at(engine, i);
    const char *m = NULL;
    if (idt_event_get(ev, IDT_FIELD_ERROR_MESSAGE, &m, &len, NULL) == IDT_OK && len > 0 && len < sizeof message_copy) {
      message = m;
      CHECK(idt_event_get(ev, IDT_FIELD_ID, &id, NULL, NULL) == IDT_OK);
    }
  }
  CHECK(message != NULL && id != NULL);
  if (!message || !id) return;
  strcpy(message_copy, message);
  strcpy(id_copy, id);
  for (i = 0; i < 4; ++i) CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(strcmp(message, message_copy) == 0 && strcmp(id, id_copy) == 0);
  CHECK(strcmp(source, "first.json") == 0);
  idt_engine_free(engine);
}

/* IDT_OPT_CORRELATE=0: the rules alone, and the report says the graph was not built. */
static void test_rules_alone_build_no_graph(void) {
  const char *const expected[2] = {"\"correlated\":true", "\"correlated\":false"};
  for (int i = 0; i < 2; ++i) {
    idt_options *opts = NULL;
    idt_buffer *report = NULL;
    CHECK(idt_options_new(&opts, NULL) == IDT_OK);
    CHECK(idt_options_set_int(opts, IDT_OPT_CORRELATE, i == 0, NULL) == IDT_OK);
    idt_engine *engine = sample_engine(opts);
    CHECK(idt_engine_detection_count(engine) > 0);
    CHECK(idt_engine_report_json(engine, &report, NULL) == IDT_OK);
    CHECK(strstr((const char *)idt_buffer_data(report), expected[i]) != NULL);
    idt_buffer_free(report);
    idt_engine_free(engine);
    idt_options_free(opts);
  }
}

/* Decoding threads change the speed, never the answer. */
static void test_decode_threads_give_the_same_report(void) {
  idt_error *err = NULL;
  idt_buffer *reports[2] = {NULL, NULL};
  for (int i = 0; i < 2; ++i) {
    idt_options *opts = NULL;
    CHECK(idt_options_new(&opts, NULL) == IDT_OK);
    CHECK(idt_options_set_int(opts, IDT_OPT_DECODE_THREADS, i == 0 ? 1 : 3, NULL) == IDT_OK);
    idt_engine *engine = sample_engine(opts);
    CHECK(idt_engine_report_json(engine, &reports[i], NULL) == IDT_OK);
    idt_engine_free(engine);
    idt_options_free(opts);
  }
  CHECK(idt_buffer_size(reports[0]) == idt_buffer_size(reports[1]));
  CHECK(memcmp(idt_buffer_data(reports[0]), idt_buffer_data(reports[1]), idt_buffer_size(reports[0])) == 0);
  idt_buffer_free(reports[0]);
  idt_buffer_free(reports[1]);
  idt_options *opts = NULL;
  CHECK(idt_options_new(&opts, NULL) == IDT_OK);
  EXPECT_ERROR(idt_options_set_int(opts, IDT_OPT_DECODE_THREADS, 0, &err), IDT_E_INVALID_ARGUMENT, "1 to 256");
  idt_options_free(opts);
}

int main(void) {
  test_decode_threads_give_the_same_report();
  test_rules_alone_build_no_graph();
  test_invalid_keys_are_errors();
  test_a_rule_set_is_shared_by_engines_and_threads();
  test_the_normalizer_alone();
  test_typed_enumeration();
  test_per_call_options();
  test_answers_carry_a_schema();
  test_the_policy_evaluator_alone();
  test_strings_outlive_later_input();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
