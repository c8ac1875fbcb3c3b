/* Reads CloudTrail files or directories through the C ABI and prints the
 * counts, the decode errors, the detections, the first events, and the status,
 * blast radius and remediation plan of the identity named by IDT_IDENTITY
 * (default: the sample's ops-admin).
 *   analyze_c PATH...                                                        */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identrail.h"

int main(int argc, char **argv) {
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  size_t i, n;
  int a;
  if (argc < 2) {
    fprintf(stderr, "usage: %s PATH...\n", argv[0]);
    return 2;
  }
  if (idt_engine_new(&engine, NULL, &err) != IDT_OK) {
    fprintf(stderr, "identrail: %s\n", idt_error_message(err));
    idt_error_free(err);
    return 1;
  }
  for (a = 1; a < argc; ++a) {
    if (idt_engine_feed_path(engine, argv[a], &err) != IDT_OK) {
      fprintf(stderr, "identrail: %s\n", idt_error_message(err));
      idt_error_free(err);
      idt_engine_free(engine);
      return 1;
    }
  }
  printf("identrail %s: %" PRIu64 " read, %" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64 " duplicates\n",
         idt_version(), idt_engine_stat(engine, IDT_STAT_TOTAL), idt_engine_stat(engine, IDT_STAT_ACCEPTED),
         idt_engine_stat(engine, IDT_STAT_REJECTED), idt_engine_stat(engine, IDT_STAT_DUPLICATES));
  for (i = 0, n = idt_engine_error_count(engine); i < n; ++i)
    printf("  rejected %s: %s: %s\n", idt_engine_error_source(engine, i), idt_engine_error_location(engine, i),
           idt_engine_error_reason(engine, i));
  /* End of input: events held back for late arrivals are evaluated now. */
  if (idt_engine_finish(engine, &err) != IDT_OK) {
    fprintf(stderr, "identrail: %s\n", idt_error_message(err));
    idt_error_free(err);
  }
  printf("%zu detections\n", idt_engine_detection_count(engine));
  for (i = 0, n = idt_engine_detection_count(engine); i < n; ++i) {
    const idt_detection *d = idt_engine_detection_at(engine, i);
    printf("  %-8s %-13s %s\n", idt_detection_get(d, IDT_DET_SEVERITY), idt_detection_get(d, IDT_DET_RULE_ID),
           idt_detection_get(d, IDT_DET_SUMMARY));
  }
  for (i = 0, n = idt_engine_event_count(engine); i < n && i < 5; ++i) {
    const idt_event *ev = idt_engine_event_at(engine, i);
    printf("  %s  %-32s %s from %s\n", idt_event_field(ev, IDT_FIELD_ID), idt_event_field(ev, IDT_FIELD_ACTION),
           idt_event_field(ev, IDT_FIELD_ACTOR_ARN), idt_event_field(ev, IDT_FIELD_SOURCE));
  }
  {
    static const char *const statuses[] = {"normal", "potentially compromised", "compromised", "remediated"};
    static const char *const risks[] = {"none", "low", "medium", "high", "critical"};
    const char *identity = getenv("IDT_IDENTITY") ? getenv("IDT_IDENTITY") : "arn:aws:iam::111122223333:user/ops-admin";
    idt_identity_status status;
    idt_risk risk;
    idt_buffer *answer = NULL;
    if (idt_engine_assessment(engine, identity, strlen(identity), &status, &risk, &err) == IDT_OK) {
      printf("%s: %s, risk %s\n", identity, statuses[status], risks[risk]);
      if (idt_engine_blast_radius_json(engine, identity, strlen(identity), IDT_NO_TIME, &answer, NULL) == IDT_OK)
        printf("blast radius: %s\n", idt_buffer_data(answer));
      idt_buffer_free(answer);
      answer = NULL;
      if (idt_engine_remediation_json(engine, identity, strlen(identity), NULL, 0, IDT_NO_TIME, &answer, NULL) == IDT_OK)
        printf("remediation: %s\n", idt_buffer_data(answer));
      idt_buffer_free(answer);
    } else {
      printf("%s: %s\n", identity, idt_error_message(err));
      idt_error_free(err);
    }
  }
  idt_engine_free(engine);
  return 0;
}
