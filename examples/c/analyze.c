/* Reads CloudTrail files or directories through the C ABI and prints the
 * counts, the decode errors, the detections, the first events, every identity
 * that is not normal, and the blast radius and remediation plan of the identity
 * named by IDT_IDENTITY (default: the sample's ops-admin).
 *   analyze_c PATH...                                                        */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identrail.h"

static uint64_t stat(const idt_engine *engine, idt_stat key) {
  uint64_t value = 0;
  (void)idt_engine_get_stat(engine, key, &value, NULL);
  return value;
}

static const char *event_field(const idt_event *ev, idt_field key) {
  const char *value = "";
  (void)idt_event_get(ev, key, &value, NULL, NULL);
  return value;
}

static const char *detection_field(const idt_detection *d, idt_detection_field key) {
  const char *value = "";
  (void)idt_detection_get_string(d, key, &value, NULL, NULL);
  return value;
}

static int fail(idt_error *err) {
  fprintf(stderr, "identrail: %s\n", idt_error_message(err));
  idt_error_free(err);
  return 1;
}

static void print_query(const idt_engine *engine, idt_query query, const char *label, const char *identity) {
  idt_buffer *answer = NULL;
  idt_error *err = NULL;
  if (idt_engine_query(engine, query, identity, strlen(identity), NULL, &answer, &err) == IDT_OK)
    printf("%s: %s\n", label, idt_buffer_data(answer));
  else
    printf("%s: %s\n", label, idt_error_message(err));
  idt_buffer_free(answer);
  idt_error_free(err);
}

static void print_assessments(const idt_engine *engine) {
  static const char *const statuses[] = {"normal", "potentially compromised", "compromised", "remediated"};
  static const char *const risks[] = {"none", "low", "medium", "high", "critical"};
  idt_assessment_list *list = NULL;
  size_t i, n;
  if (idt_engine_assessments(engine, &list, NULL) != IDT_OK) return;
  for (i = 0, n = idt_assessment_list_count(list); i < n; ++i) {
    const idt_assessment *a = idt_assessment_list_at(list, i);
    if (idt_assessment_status(a) == IDT_STATUS_NORMAL) continue;
    printf("  %s: %s, risk %s", idt_assessment_identity(a), statuses[idt_assessment_status(a)],
           risks[idt_assessment_risk(a)]);
    if (idt_assessment_reason_count(a) > 0) printf(" (%s)", idt_assessment_reason_at(a, 0));
    printf("\n");
  }
  idt_assessment_list_free(list);
}

int main(int argc, char **argv) {
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  size_t i, n;
  int a;
  const char *identity = getenv("IDT_IDENTITY") ? getenv("IDT_IDENTITY") : "arn:aws:iam::111122223333:user/ops-admin";
  if (argc < 2) {
    fprintf(stderr, "usage: %s PATH...\n", argv[0]);
    return 2;
  }
  if (idt_engine_new(&engine, NULL, &err) != IDT_OK) return fail(err);
  for (a = 1; a < argc; ++a) {
    if (idt_engine_feed_path(engine, argv[a], &err) != IDT_OK) {
      idt_engine_free(engine);
      return fail(err);
    }
  }
  printf("identrail %s: %" PRIu64 " read, %" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64 " duplicates\n",
         idt_version(), stat(engine, IDT_STAT_TOTAL), stat(engine, IDT_STAT_ACCEPTED), stat(engine, IDT_STAT_REJECTED),
         stat(engine, IDT_STAT_DUPLICATES));
  for (i = 0, n = idt_engine_error_count(engine); i < n; ++i)
    printf("  rejected %s: %s: %s\n", idt_engine_error_source(engine, i), idt_engine_error_location(engine, i),
           idt_engine_error_reason(engine, i));
  /* End of input: events held back for late arrivals are evaluated now. */
  if (idt_engine_finish(engine, &err) != IDT_OK) (void)fail(err);
  printf("%zu detections\n", idt_engine_detection_count(engine));
  for (i = 0, n = idt_engine_detection_count(engine); i < n; ++i) {
    const idt_detection *d = idt_engine_detection_at(engine, i);
    printf("  %-8s %-13s %s\n", detection_field(d, IDT_DET_SEVERITY), detection_field(d, IDT_DET_RULE_ID),
           detection_field(d, IDT_DET_SUMMARY));
  }
  for (i = 0, n = idt_engine_event_count(engine); i < n && i < 5; ++i) {
    const idt_event *ev = idt_engine_event_at(engine, i);
    printf("  %s  %-32s %s from %s\n", event_field(ev, IDT_FIELD_ID), event_field(ev, IDT_FIELD_ACTION),
           event_field(ev, IDT_FIELD_ACTOR_ARN), event_field(ev, IDT_FIELD_SOURCE));
  }
  printf("identities that are not normal:\n");
  print_assessments(engine);
  print_query(engine, IDT_QUERY_BLAST_RADIUS, "blast radius", identity);
  print_query(engine, IDT_QUERY_REMEDIATION, "remediation", identity);
  idt_engine_free(engine);
  return 0;
}
