/* The conformance corpus replayed through the C ABI: compare.py turns one case
 * of tests/conformance/cases.json into the arguments below, runs this program
 * and compares the answers document it prints with the expected one.
 *   conformance_c ROOT [input PATH | rules PATH | flag IDENTITY STATUS SINCE_NS |
 *                       query KIND SUBJECT N (OPTION VALUE){N}]...
 * STATUS is an idt_identity_status, KIND an idt_query, SINCE_NS "none" or a
 * number; OPTION is an idt_query_option or idt_query_string_option name
 * (current_policy takes a file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identrail.h"

static void die(const char *what, idt_error *err) {
  fprintf(stderr, "conformance_c: %s: %s\n", what, err ? idt_error_message(err) : "");
  exit(2);
}

static void put_string(const char *s) {
  putchar('"');
  for (; *s; ++s) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *data;
  long size;
  if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) die(path, NULL);
  data = malloc((size_t)size + 1);
  if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) die(path, NULL);
  fclose(f);
  data[size] = '\0';
  *len = (size_t)size;
  return data;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static const char *status_name(idt_identity_status s) {
  static const char *const names[] = {"normal", "potentially_compromised", "compromised", "remediated"};
  return s >= 0 && s <= IDT_STATUS_REMEDIATED ? names[s] : "?";
}

static const char *risk_name(idt_risk r) {
  static const char *const names[] = {"none", "low", "medium", "high", "critical"};
  return r >= 0 && r <= IDT_RISK_CRITICAL ? names[r] : "?";
}

static void put_ns(int64_t ns) {
  if (ns == IDT_NO_TIME) printf("null");
  else printf("%lld", (long long)ns);
}

static const char *det(const idt_detection *d, idt_detection_field key) {
  const char *value = "";
  if (idt_detection_get_string(d, key, &value, NULL, NULL) != IDT_OK) die("idt_detection_get_string", NULL);
  return value;
}

static void put_list(size_t n, const char *(*at)(const idt_detection *, size_t), const idt_detection *d) {
  size_t i;
  putchar('[');
  for (i = 0; i < n; ++i) {
    if (i) putchar(',');
    put_string(at(d, i));
  }
  putchar(']');
}

static const idt_engine *sorting_engine;
static int by_id(const void *a, const void *b) {
  const idt_detection *x = idt_engine_detection_at(sorting_engine, *(const size_t *)a);
  const idt_detection *y = idt_engine_detection_at(sorting_engine, *(const size_t *)b);
  return strcmp(det(x, IDT_DET_ID), det(y, IDT_DET_ID));
}

static void put_detections(const idt_engine *engine) {
  const size_t n = idt_engine_detection_count(engine);
  size_t *order = malloc((n ? n : 1) * sizeof *order), i;
  if (!order) die("out of memory", NULL);
  for (i = 0; i < n; ++i) order[i] = i;
  sorting_engine = engine;
  qsort(order, n, sizeof *order, by_id);
  printf(",\"detections\":[");
  for (i = 0; i < n; ++i) {
    const idt_detection *d = idt_engine_detection_at(engine, order[i]);
    if (i) putchar(',');
    printf("{\"id\":");
    put_string(det(d, IDT_DET_ID));
    printf(",\"revision\":%u,\"rule_id\":", (unsigned)idt_detection_revision(d));
    put_string(det(d, IDT_DET_RULE_ID));
    printf(",\"severity\":");
    put_string(det(d, IDT_DET_SEVERITY));
    printf(",\"identity\":");
    put_string(det(d, IDT_DET_IDENTITY));
    printf(",\"source_ip\":");
    put_string(det(d, IDT_DET_SOURCE));
    printf(",\"first_seen_ns\":%lld,\"last_seen_ns\":%lld,\"count\":%llu,\"event_ids\":",
           (long long)idt_detection_first_seen_ns(d), (long long)idt_detection_last_seen_ns(d),
           (unsigned long long)idt_detection_count(d));
    put_list(idt_detection_event_id_count(d), idt_detection_event_id_at, d);
    printf(",\"follows\":");
    put_list(idt_detection_follows_count(d), idt_detection_follows_at, d);
    putchar('}');
  }
  putchar(']');
  free(order);
}

static int by_identity(const void *a, const void *b) {
  return strcmp(idt_assessment_identity(*(const idt_assessment *const *)a),
                idt_assessment_identity(*(const idt_assessment *const *)b));
}

static void put_assessments(const idt_engine *engine) {
  idt_assessment_list *list = NULL;
  idt_error *err = NULL;
  size_t i, j, n;
  const idt_assessment **rows;
  if (idt_engine_assessments(engine, &list, &err) != IDT_OK) die("idt_engine_assessments", err);
  n = idt_assessment_list_count(list);
  rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows) die("out of memory", NULL);
  for (i = 0; i < n; ++i) rows[i] = idt_assessment_list_at(list, i);
  qsort(rows, n, sizeof *rows, by_identity);
  printf(",\"assessments\":[");
  for (i = 0; i < n; ++i) {
    const idt_assessment *a = rows[i];
    if (i) putchar(',');
    printf("{\"identity\":");
    put_string(idt_assessment_identity(a));
    printf(",\"status\":\"%s\",\"risk\":\"%s\",\"since_ns\":", status_name(idt_assessment_status(a)),
           risk_name(idt_assessment_risk(a)));
    put_ns(idt_assessment_since_ns(a));
    printf(",\"reasons\":[");
    for (j = 0; j < idt_assessment_reason_count(a); ++j) {
      if (j) putchar(',');
      put_string(idt_assessment_reason_at(a, j));
    }
    printf("],\"detections\":%zu}", idt_assessment_detection_count(a));
  }
  putchar(']');
  free((void *)rows);
  idt_assessment_list_free(list);
}

static void set_option(idt_query_options *q, const char *root, const char *name, const char *value) {
  static const char *const ints[] = {"", "since_ns", "max_depth", "max_paths", "now_ns", "flag_time_ns", "compact"};
  static const char *const strings[] = {"", "to", "allow_cidr", "current_policy"};
  idt_error *err = NULL;
  int k;
  for (k = 1; k < 7; ++k)
    if (strcmp(name, ints[k]) == 0) {
      if (idt_query_options_set_int(q, (idt_query_option)k, strtoll(value, NULL, 10), &err) != IDT_OK) die(name, err);
      return;
    }
  for (k = 1; k < 4; ++k)
    if (strcmp(name, strings[k]) == 0) {
      if (k == IDT_QOPT_CURRENT_POLICY) {
        char path[4096];
        size_t len;
        char *text;
        snprintf(path, sizeof path, "%s/%s", root, value);
        text = read_file(path, &len);
        if (idt_query_options_set_string(q, IDT_QOPT_CURRENT_POLICY, text, len, &err) != IDT_OK) die(path, err);
        free(text);
      } else if (idt_query_options_set_string(q, (idt_query_string_option)k, value, strlen(value), &err) != IDT_OK) {
        die(name, err);
      }
      return;
    }
  die(name, NULL);
}

/* How many arguments the step at argv[i] takes, its name included. */
static int arity(int argc, char **argv, int i) {
  int n = 2;
  if (strcmp(argv[i], "flag") == 0) n = 4;
  else if (strcmp(argv[i], "query") == 0) n = i + 3 < argc ? 4 + 2 * atoi(argv[i + 3]) : argc;
  else if (strcmp(argv[i], "input") != 0 && strcmp(argv[i], "rules") != 0) die(argv[i], NULL);
  if (i + n > argc) die("missing arguments", NULL);
  return n;
}

static void put_stats(const idt_engine *engine) {
  static const idt_stat keys[] = {IDT_STAT_TOTAL, IDT_STAT_ACCEPTED, IDT_STAT_REJECTED, IDT_STAT_DUPLICATES,
                                  IDT_STAT_IDENTITIES};
  static const char *const names[] = {"total", "accepted", "rejected", "duplicates", "identities"};
  idt_error *err = NULL;
  size_t k;
  printf("{\"stats\":{");
  for (k = 0; k < 5; ++k) {
    uint64_t value = 0;
    if (idt_engine_get_stat(engine, keys[k], &value, &err) != IDT_OK) die("idt_engine_get_stat", err);
    printf("%s\"%s\":%llu", k ? "," : "", names[k], (unsigned long long)value);
  }
  putchar('}');
}

static void put_errors(const idt_engine *engine) {
  size_t e;
  printf(",\"errors\":[");
  for (e = 0; e < idt_engine_error_count(engine); ++e) {
    if (e) putchar(',');
    printf("{\"source\":");
    put_string(base_name(idt_engine_error_source(engine, e)));
    printf(",\"location\":");
    put_string(idt_engine_error_location(engine, e));
    printf(",\"reason\":");
    put_string(idt_engine_error_reason(engine, e));
    putchar('}');
  }
  putchar(']');
}

static void put_query(const idt_engine *engine, const char *root, char **step, int *first) {
  const int n = atoi(step[3]);
  idt_query_options *q = NULL;
  idt_buffer *answer = NULL;
  idt_error *err = NULL;
  int k;
  if (idt_query_options_new(&q, &err) != IDT_OK) die("idt_query_options_new", err);
  for (k = 0; k < n; ++k) set_option(q, root, step[4 + 2 * k], step[5 + 2 * k]);
  if (idt_engine_query(engine, (idt_query)atoi(step[1]), step[2], strlen(step[2]), q, &answer, &err) != IDT_OK)
    die(step[2], err);
  if (!*first) putchar(',');
  *first = 0;
  fwrite(idt_buffer_data(answer), 1, idt_buffer_size(answer), stdout);
  idt_buffer_free(answer);
  idt_query_options_free(q);
}

int main(int argc, char **argv) {
  idt_options *opts = NULL;
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  char path[4096];
  const char *root;
  int i, first = 1;
  if (argc < 2) die("usage: conformance_c ROOT [input|rules|flag|query ...]...", NULL);
  root = argv[1];
  if (idt_options_new(&opts, &err) != IDT_OK) die("idt_options_new", err);
  for (i = 2; i < argc; i += arity(argc, argv, i))
    if (strcmp(argv[i], "rules") == 0) {
      snprintf(path, sizeof path, "%s/%s", root, argv[i + 1]);
      if (idt_options_set_string(opts, IDT_OPT_RULES_PATH, path, &err) != IDT_OK) die(path, err);
    }
  if (idt_engine_new(&engine, opts, &err) != IDT_OK) die("idt_engine_new", err);
  idt_options_free(opts);
  for (i = 2; i < argc; i += arity(argc, argv, i))
    if (strcmp(argv[i], "input") == 0) {
      snprintf(path, sizeof path, "%s/%s", root, argv[i + 1]);
      if (idt_engine_feed_path(engine, path, &err) != IDT_OK) die(path, err);
    }
  if (idt_engine_finish(engine, &err) != IDT_OK) die("idt_engine_finish", err);
  for (i = 2; i < argc; i += arity(argc, argv, i))
    if (strcmp(argv[i], "flag") == 0) {
      const int64_t since = strcmp(argv[i + 3], "none") == 0 ? IDT_NO_TIME : strtoll(argv[i + 3], NULL, 10);
      if (idt_engine_flag(engine, argv[i + 1], strlen(argv[i + 1]), (idt_identity_status)atoi(argv[i + 2]), since,
                          &err) != IDT_OK)
        die("idt_engine_flag", err);
    }
  put_stats(engine);
  put_errors(engine);
  put_detections(engine);
  put_assessments(engine);
  printf(",\"queries\":[");
  for (i = 2; i < argc; i += arity(argc, argv, i))
    if (strcmp(argv[i], "query") == 0) put_query(engine, root, argv + i, &first);
  printf("]}\n");
  idt_engine_free(engine);
  return 0;
}
