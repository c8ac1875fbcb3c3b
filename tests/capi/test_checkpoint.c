/* Checkpoints through the C ABI: restore and finish gives the report of the
 * run that was never stopped; bad bytes are refused with a status and reason;
 * revisions reach the callback with their id. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "identrail.h"

static idt_buffer *report_of(const idt_engine *engine) {
  idt_buffer *out = NULL;
  CHECK(idt_engine_report_json(engine, &out, NULL) == IDT_OK);
  return out;
}

static int same(const idt_buffer *a, const idt_buffer *b) {
  return a && b && idt_buffer_size(a) == idt_buffer_size(b) &&
         memcmp(idt_buffer_data(a), idt_buffer_data(b), idt_buffer_size(a)) == 0;
}

static void test_restore_then_finish_is_the_whole_run(void) {
  idt_engine *whole = NULL, *first = NULL, *second = NULL;
  idt_buffer *state = NULL, *expected, *got;
  idt_error *err = NULL;
  CHECK(idt_engine_new(&whole, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(whole, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_engine_finish(whole, NULL) == IDT_OK);
  expected = report_of(whole);

  CHECK(idt_engine_new(&first, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(first, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_engine_set_cursor(first, "files: 1-228", 12, NULL) == IDT_OK);
  CHECK(idt_engine_checkpoint(first, &state, &err) == IDT_OK);
  CHECK(idt_engine_restore(&second, idt_buffer_data(state), idt_buffer_size(state), NULL, &err) == IDT_OK);
  CHECK(idt_engine_detection_count(second) == idt_engine_detection_count(first));
  CHECK(idt_engine_restored_rule_count(second, IDT_RULE_KEPT) > 30);
  CHECK(idt_engine_restored_rule_count(second, IDT_RULE_STARTED) == 0);
  CHECK(strcmp(idt_engine_restored_rule_at(second, IDT_RULE_KEPT, 999), "") == 0);
  CHECK(idt_engine_finish(second, NULL) == IDT_OK);
  got = report_of(second);
  {
    size_t len = 0;
    CHECK(strcmp(idt_engine_cursor(second, &len), "files: 1-228") == 0 && len == 12);
  }
  CHECK(same(got, expected));

  idt_buffer_free(got);
  idt_buffer_free(expected);
  idt_buffer_free(state);
  idt_engine_free(second);
  idt_engine_free(first);
  idt_engine_free(whole);
}

static void test_bad_checkpoints_are_refused(void) {
  idt_engine *engine = NULL, *back = NULL;
  idt_buffer *state = NULL;
  idt_error *err = NULL;
  char *copy;
  CHECK(idt_engine_new(&engine, NULL, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_engine_checkpoint(engine, &state, NULL) == IDT_OK);
  copy = malloc(idt_buffer_size(state));
  memcpy(copy, idt_buffer_data(state), idt_buffer_size(state));
  copy[idt_buffer_size(state) / 2] ^= 0x5a;
  CHECK(idt_engine_restore(&back, copy, idt_buffer_size(state), NULL, &err) == IDT_E_BAD_STATE);
  CHECK(back == NULL);
  CHECK(err && strstr(idt_error_message(err), "checksum") != NULL);
  idt_error_free(err);
  err = NULL;
  CHECK(idt_engine_restore(&back, copy, 10, NULL, &err) == IDT_E_BAD_STATE);
  CHECK(err && strstr(idt_error_message(err), "truncated") != NULL);
  idt_error_free(err);
  err = NULL;
  CHECK(idt_engine_restore_from(&back, "/no/such/identrail/state", NULL, &err) == IDT_E_NOT_FOUND ||
        idt_error_code(err) == IDT_E_IO);
  CHECK(err && strstr(idt_error_message(err), "/no/such/identrail/state") != NULL);
  idt_error_free(err);
  CHECK(idt_engine_restore(NULL, copy, 10, NULL, NULL) == IDT_E_INVALID_ARGUMENT);
  free(copy);
  idt_buffer_free(state);
  idt_engine_free(engine);
}

static void test_keyed_checkpoints(void) {
  idt_options *keyed = NULL;
  idt_engine *engine = NULL, *back = NULL;
  idt_error *err = NULL;
  const char *path = "identrail-capi-state";
  CHECK(idt_options_new(&keyed, NULL) == IDT_OK);
  CHECK(idt_options_set_string(keyed, IDT_OPT_STATE_KEY, "s3cret", NULL) == IDT_OK);
  CHECK(idt_engine_new(&engine, keyed, NULL) == IDT_OK);
  CHECK(idt_engine_feed_path(engine, IDENTRAIL_SAMPLE_DIR, NULL) == IDT_OK);
  CHECK(idt_engine_checkpoint_to(engine, path, NULL) == IDT_OK);
  CHECK(idt_engine_restore_from(&back, path, NULL, &err) == IDT_E_BAD_STATE);
  CHECK(err && strstr(idt_error_message(err), "key") != NULL);
  idt_error_free(err);
  CHECK(idt_engine_restore_from(&back, path, keyed, NULL) == IDT_OK);
  CHECK(back && idt_engine_detection_count(back) == idt_engine_detection_count(engine));
  remove(path);
  idt_engine_free(back);
  idt_engine_free(engine);
  idt_options_free(keyed);
}

int main(void) {
  test_restore_then_finish_is_the_whole_run();
  test_bad_checkpoints_are_refused();
  test_keyed_checkpoints();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
