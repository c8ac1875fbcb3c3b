/* Malformed records through the C ABI (issue 9): the input that once crashed
 * the JSON lines reader, with every request parameter the resource inference
 * reads, in JSON lines, an array and a Records file, plain and gzipped. The
 * bad record is refused with its place and reason; the good ones are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "identrail.h"

static const char *const KEYS[] = {"bucketName", "key",        "secretId",  "name",         "trailName",
                                   "roleArn",    "userName",   "roleName",  "groupName",    "policyArn",
                                   "functionName", "tableName", "keyId",    "instanceId",   "logGroupName",
                                   "topicArn",   "repositoryName"};

static const char *GOOD =
    "{\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventName\":\"ListBuckets\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventID\":\"e1\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/x\"}}";
static const char *GOOD_AFTER =
    "{\"eventTime\":\"2026-01-01T00:00:01Z\",\"eventName\":\"ListBuckets\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventID\":\"e3\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/x\"}}";

enum format { JSON_LINES, JSON_ARRAY, RECORDS_FILE };

static size_t build(char *out, size_t size, enum format format, const char *key) {
  char bad[256];
  snprintf(bad, sizeof bad, "{\"a\":1,\"requestParameters\":{\"%s\":\"x\":[\"\"{}", key);
  switch (format) {
    case JSON_LINES: return (size_t)snprintf(out, size, "%s\n%s\n%s\n", GOOD, bad, GOOD_AFTER);
    case JSON_ARRAY: return (size_t)snprintf(out, size, "[\n%s,\n%s\n]", GOOD, bad);
    default: return (size_t)snprintf(out, size, "{\"Records\":[%s,%s]}", GOOD, bad);
  }
}

static size_t gzip(const char *in, size_t len, char *out, size_t size) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
  z.next_in = (Bytef *)(size_t)in;
  z.avail_in = (uInt)len;
  z.next_out = (Bytef *)out;
  z.avail_out = (uInt)size;
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) len = 0;
  else len = z.total_out;
  deflateEnd(&z);
  return len;
}

static void check_one(enum format format, const char *key, int gzipped) {
  char plain[1024], packed[1024];
  const size_t plain_len = build(plain, sizeof plain, format, key);
  const char *bytes = plain;
  size_t len = plain_len;
  idt_engine *engine = NULL;
  idt_error *err = NULL;
  const uint64_t kept = format == JSON_LINES ? 2 : 1;
  uint64_t count = 0;
  const char *id = "";
  if (gzipped) {
    len = gzip(plain, plain_len, packed, sizeof packed);
    bytes = packed;
    CHECK(len > 0);
  }
  CHECK(idt_engine_new(&engine, NULL, &err) == IDT_OK);
  CHECK(idt_engine_feed(engine, bytes, len, "bad.json", &err) == IDT_OK);
  CHECK(err == NULL);
  CHECK(idt_engine_get_stat(engine, IDT_STAT_ACCEPTED, &count, NULL) == IDT_OK && count == kept);
  CHECK(idt_engine_get_stat(engine, IDT_STAT_REJECTED, &count, NULL) == IDT_OK && count == 1);
  CHECK(idt_engine_event_count(engine) == kept);
  CHECK(idt_event_get(idt_engine_event_at(engine, 0), IDT_FIELD_ID, &id, NULL, NULL) == IDT_OK && strcmp(id, "e1") == 0);
  CHECK(idt_engine_error_count(engine) == 1);
  CHECK(strcmp(idt_engine_error_source(engine, 0), "bad.json") == 0);
  CHECK(strncmp(idt_engine_error_location(engine, 0), format == JSON_LINES ? "line 2" : "record 1", 6) == 0);
  CHECK(strstr(idt_engine_error_reason(engine, 0), "malformed JSON") != NULL);
  CHECK(idt_engine_finish(engine, &err) == IDT_OK);
  if (failures) fprintf(stderr, "  (format %d, key %s, gzip %d)\n", (int)format, key, gzipped);
  idt_error_free(err);
  idt_engine_free(engine);
}

int main(void) {
  size_t k;
  int format, gzipped;
  for (k = 0; k < sizeof KEYS / sizeof KEYS[0]; ++k)
    for (format = JSON_LINES; format <= RECORDS_FILE; ++format)
      for (gzipped = 0; gzipped <= 1; ++gzipped) check_one((enum format)format, KEYS[k], gzipped);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi malformed records: all checks passed\n");
  return 0;
}
