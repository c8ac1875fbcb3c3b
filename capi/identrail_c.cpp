// The C ABI shim: every entry point catches everything and returns a status.
#include "identrail.h"

#include <cstring>
#include <new>
#include <string>
#include <deque>
#include <unordered_map>
#include <memory>
#include <optional>

#include "identrail/identrail.hpp"

namespace it = identrail;

struct idt_error {
  int32_t code;
  std::string message;
};
struct idt_buffer {
  std::string bytes;
};
// The C++ options as they are; engine::create checks them.
struct idt_options {
  it::engine_options value;
};
// An event by index: the engine only appends, so an index never goes stale,
// while a pointer into its vector would after the next feed.
struct idt_event {
  const it::engine *engine;
  std::size_t index;
  const it::event &get() const { return engine->events()[index]; }
};
// A detection's latest revision as C sees it: one view per detection id,
// kept while the engine lives, so a handed-out pointer never dangles.
struct idt_detection {
  const it::engine *engine;
  it::detection value;
  const it::detection &get() const { return value; }
};
struct idt_engine {
  explicit idt_engine(it::engine restored) : engine(std::move(restored)) {
    for (const auto &d : engine.detections()) view_of(d);
    refresh();
  }
  it::engine engine;
  std::deque<idt_event> views;  // one per retained event; a deque keeps handed-out addresses valid as it grows
  std::deque<idt_detection> detection_views;
  std::unordered_map<std::string, idt_detection *> view_by_id;
  std::vector<const idt_detection *> standing;  // the detections as they are now, in the order first found
  bool standing_stale = false;
  idt_detection_callback callback = nullptr;
  void *callback_data = nullptr;

  const idt_detection &view_of(const it::detection &d) {
    auto [it, created] = view_by_id.try_emplace(d.id, nullptr);
    if (created) it->second = &detection_views.emplace_back(idt_detection{&engine, d});
    else it->second->value = d;
    standing_stale = true;
    return *it->second;
  }
  void refresh() {
    for (std::size_t i = views.size(); i < engine.events().size(); ++i) views.push_back(idt_event{&engine, i});
    if (!standing_stale) return;
    standing.clear();
    for (const auto &d : engine.detections()) standing.push_back(view_by_id.at(d.id));
    standing_stale = false;
  }
};

namespace {

idt_status fail(idt_error **err, it::errc code, std::string message) {
  const auto status = -static_cast<idt_status>(code);
  if (err) {
    *err = new (std::nothrow) idt_error{status, std::move(message)};
  }
  return status;
}

idt_status fail(idt_error **err, const it::error &e) { return fail(err, e.code, e.message); }

// Wraps an entry point body: no exception crosses the C boundary.
template <class Body>
idt_status guarded(idt_error **err, Body &&body) noexcept {
  if (err) *err = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(err, it::errc::out_of_memory, "out of memory");
  } catch (const std::exception &e) {
    try {
      return fail(err, it::errc::internal, std::string("internal error: ") + e.what());
    } catch (...) {
      return -static_cast<idt_status>(it::errc::internal);  // no memory left even for the message
    }
  } catch (...) {
    return fail(err, it::errc::internal, "internal error");
  }
}

idt_status give_buffer(idt_buffer **out, std::string bytes) {
  *out = new idt_buffer{std::move(bytes)};
  return IDT_OK;
}

const char *symbol_text(const idt_event *e, it::symbol s) { return e->engine->symbols().c_str(s); }

std::optional<it::timestamp> optional_time(int64_t ns) {
  if (ns == IDT_NO_TIME) return std::nullopt;
  return it::from_unix_nanos(ns);
}

// A JSON query on one identity: checks the arguments, then hands over the answer.
template <class Query>
idt_status json_query(const char *name, const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                      idt_error **err, Query &&query) {
  return guarded(err, [&] {
    if (!engine || !out || (!identity && len > 0))
      return fail(err, it::errc::invalid_argument, std::string(name) + ": NULL argument");
    *out = nullptr;
    it::result<std::string> answer = query(std::string_view(identity ? identity : "", len));
    if (!answer) return fail(err, answer.error());
    return give_buffer(out, std::move(*answer));
  });
}

}  // namespace

extern "C" {

const char *idt_version(void) { return IDENTRAIL_VERSION_STRING; }

int32_t idt_error_code(const idt_error *err) { return err ? err->code : IDT_OK; }
const char *idt_error_message(const idt_error *err) { return err ? err->message.c_str() : ""; }
void idt_error_free(idt_error *err) { delete err; }

const char *idt_buffer_data(const idt_buffer *buf) { return buf ? buf->bytes.c_str() : ""; }
size_t idt_buffer_size(const idt_buffer *buf) { return buf ? buf->bytes.size() : 0; }
void idt_buffer_free(idt_buffer *buf) { delete buf; }

idt_status idt_options_new(idt_options **out, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return fail(err, it::errc::invalid_argument, "idt_options_new: out is NULL");
    *out = new idt_options{};
    return IDT_OK;
  });
}

idt_status idt_options_set_int(idt_options *opts, idt_option key, int64_t value, idt_error **err) {
  return guarded(err, [&] {
    if (!opts) return fail(err, it::errc::invalid_argument, "idt_options_set_int: opts is NULL");
    auto &o = opts->value;
    switch (key) {
      case IDT_OPT_DEDUPLICATE: o.normalize.deduplicate = value != 0; return IDT_OK;
      case IDT_OPT_KEEP_RAW: o.normalize.keep_raw = value != 0; return IDT_OK;
      case IDT_OPT_GZIP_BACKEND:
        if (value != IDT_GZIP_LIBDEFLATE && value != IDT_GZIP_ZLIB)
          return fail(err, it::errc::invalid_argument, "IDT_OPT_GZIP_BACKEND: expected IDT_GZIP_LIBDEFLATE or IDT_GZIP_ZLIB");
        o.normalize.gzip = value == IDT_GZIP_ZLIB ? it::gzip_backend::zlib : it::gzip_backend::libdeflate;
        return IDT_OK;
      case IDT_OPT_MAX_ERRORS:
        if (value < 0) return fail(err, it::errc::invalid_argument, "IDT_OPT_MAX_ERRORS: must be >= 0");
        o.normalize.max_errors_kept = static_cast<std::size_t>(value);
        return IDT_OK;
      case IDT_OPT_RETAIN_EVENTS: o.retain_events = value != 0; return IDT_OK;
      case IDT_OPT_MAX_DECOMPRESSED_BYTES:
        if (value <= 0) return fail(err, it::errc::invalid_argument, "IDT_OPT_MAX_DECOMPRESSED_BYTES: must be > 0");
        o.normalize.max_decompressed_bytes = static_cast<std::size_t>(value);
        return IDT_OK;
      case IDT_OPT_DEDUP_HORIZON_SECONDS: o.normalize.dedup_horizon = std::chrono::seconds{value}; return IDT_OK;
      case IDT_OPT_DETECT: o.detect = value != 0; return IDT_OK;
      case IDT_OPT_ALLOWED_LATENESS_SECONDS: o.detection.allowed_lateness = std::chrono::seconds{value}; return IDT_OK;
      case IDT_OPT_BUILTIN_RULES: o.rule_files.keep_builtin = value != 0; return IDT_OK;
      case IDT_OPT_SKIP_INVALID_RULES: o.rule_files.skip_invalid = value != 0; return IDT_OK;
      case IDT_OPT_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_options_set_int: unknown option " + std::to_string(key));
  });
}

idt_status idt_options_set_string(idt_options *opts, idt_string_option key, const char *value, idt_error **err) {
  return guarded(err, [&] {
    if (!opts || !value) return fail(err, it::errc::invalid_argument, "idt_options_set_string: NULL argument");
    switch (key) {
      case IDT_OPT_RULES_PATH: opts->value.rule_files.paths.emplace_back(value); return IDT_OK;
      case IDT_OPT_GEO_DATABASE: opts->value.geo_databases.emplace_back(value); return IDT_OK;
      case IDT_OPT_STATE_KEY: opts->value.state_key = value; return IDT_OK;
      case IDT_OPT_INPUT_FORMAT: {
        const auto format = it::parse_input_format(value);
        if (!format) return fail(err, format.error().code, format.error().message);
        opts->value.normalize.format = *format;
        return IDT_OK;
      }
      case IDT_STRING_OPT_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_options_set_string: unknown option " + std::to_string(key));
  });
}

void idt_options_free(idt_options *opts) { delete opts; }

namespace {

it::engine_options options_of(const idt_options *opts) { return opts ? opts->value : it::engine_options{}; }

idt_engine *wrapped(it::engine engine) {
  auto wrapper = std::make_unique<idt_engine>(std::move(engine));
  idt_engine *raw = wrapper.get();
  // Every revision updates the detection's view before the callback sees it.
  raw->engine.on_detection([raw](const it::detection &d) {
    const idt_detection &view = raw->view_of(d);
    if (raw->callback && raw->callback(&view, raw->callback_data) != 0) raw->callback = nullptr;
  });
  return wrapper.release();
}

}  // namespace

idt_status idt_engine_new(idt_engine **out, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return fail(err, it::errc::invalid_argument, "idt_engine_new: out is NULL");
    *out = nullptr;
    auto made = it::engine::create(options_of(opts));
    if (!made) return fail(err, made.error());
    *out = wrapped(std::move(*made));
    return IDT_OK;
  });
}

idt_status idt_engine_checkpoint(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return fail(err, it::errc::invalid_argument, "idt_engine_checkpoint: NULL argument");
    auto bytes = engine->engine.checkpoint();
    if (!bytes) return fail(err, bytes.error());
    return give_buffer(out, std::move(*bytes));
  });
}

idt_status idt_engine_checkpoint_to(const idt_engine *engine, const char *path, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !path) return fail(err, it::errc::invalid_argument, "idt_engine_checkpoint_to: NULL argument");
    auto written = engine->engine.checkpoint_to(path);
    return written ? IDT_OK : fail(err, written.error());
  });
}

idt_status idt_engine_restore(idt_engine **out, const char *data, size_t len, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out || (!data && len > 0)) return fail(err, it::errc::invalid_argument, "idt_engine_restore: NULL argument");
    *out = nullptr;
    auto restored = it::engine::restore(std::string_view(data ? data : "", len), options_of(opts));
    if (!restored) return fail(err, restored.error());
    *out = wrapped(std::move(*restored));
    return IDT_OK;
  });
}

idt_status idt_engine_restore_from(idt_engine **out, const char *path, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out || !path) return fail(err, it::errc::invalid_argument, "idt_engine_restore_from: NULL argument");
    *out = nullptr;
    auto restored = it::engine::restore_from(path, options_of(opts));
    if (!restored) return fail(err, restored.error());
    *out = wrapped(std::move(*restored));
    return IDT_OK;
  });
}

idt_status idt_engine_advance_to(idt_engine *engine, int64_t now_ns, idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return fail(err, it::errc::invalid_argument, "idt_engine_advance_to: engine is NULL");
    engine->engine.advance_to(it::from_unix_nanos(now_ns));
    engine->refresh();
    return IDT_OK;
  });
}

idt_status idt_engine_set_cursor(idt_engine *engine, const char *data, size_t len, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!data && len > 0)) return fail(err, it::errc::invalid_argument, "idt_engine_set_cursor: NULL argument");
    engine->engine.set_cursor(std::string(data ? data : "", len));
    return IDT_OK;
  });
}

const char *idt_engine_cursor(const idt_engine *engine, size_t *len) {
  if (!engine) {
    if (len) *len = 0;
    return "";
  }
  if (len) *len = engine->engine.cursor().size();
  return engine->engine.cursor().c_str();
}

size_t idt_engine_rule_rejection_count(const idt_engine *engine) {
  return engine ? engine->engine.rules().rejected().size() : 0;
}
const char *idt_engine_rule_rejection_at(const idt_engine *engine, size_t index) {
  if (!engine || index >= engine->engine.rules().rejected().size()) return "";
  return engine->engine.rules().rejected()[index].c_str();
}

size_t idt_engine_restored_rule_count(const idt_engine *engine, idt_rule_restore what) {
  if (!engine) return 0;
  const auto &r = engine->engine.restored();
  return what == IDT_RULE_KEPT ? r.kept_rules.size() : what == IDT_RULE_STARTED ? r.started_rules.size()
                                                   : what == IDT_RULE_DROPPED ? r.dropped_rules.size() : 0;
}

const char *idt_engine_restored_rule_at(const idt_engine *engine, idt_rule_restore what, size_t index) {
  if (!engine) return "";
  const auto &r = engine->engine.restored();
  const auto *list = what == IDT_RULE_KEPT ? &r.kept_rules : what == IDT_RULE_STARTED ? &r.started_rules
                                           : what == IDT_RULE_DROPPED ? &r.dropped_rules : nullptr;
  return list && index < list->size() ? (*list)[index].c_str() : "";
}

void idt_engine_free(idt_engine *engine) { delete engine; }

idt_status idt_engine_feed(idt_engine *engine, const char *data, size_t len, const char *source_name, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!data && len > 0)) return fail(err, it::errc::invalid_argument, "idt_engine_feed: NULL argument");
    auto read = engine->engine.feed(std::string_view(data ? data : "", len), source_name ? source_name : "<memory>");
    engine->refresh();
    return read ? IDT_OK : fail(err, read.error());
  });
}

idt_status idt_engine_feed_path(idt_engine *engine, const char *path, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !path) return fail(err, it::errc::invalid_argument, "idt_engine_feed_path: NULL argument");
    auto read = engine->engine.feed_path(path);
    engine->refresh();
    return read ? IDT_OK : fail(err, read.error());
  });
}

idt_status idt_engine_feed_paths(idt_engine *engine, const char *const *paths, size_t count, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!paths && count > 0)) return fail(err, it::errc::invalid_argument, "idt_engine_feed_paths: NULL argument");
    std::vector<std::string> list;
    for (size_t i = 0; i < count; ++i) {
      if (!paths[i]) return fail(err, it::errc::invalid_argument, "idt_engine_feed_paths: path " + std::to_string(i) + " is NULL");
      list.emplace_back(paths[i]);
    }
    auto read = engine->engine.feed_paths(list);
    engine->refresh();
    return read ? IDT_OK : fail(err, read.error());
  });
}

idt_status idt_engine_finish(idt_engine *engine, idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return fail(err, it::errc::invalid_argument, "idt_engine_finish: engine is NULL");
    engine->engine.finish();
    engine->refresh();
    return IDT_OK;
  });
}

size_t idt_engine_detection_count(const idt_engine *engine) { return engine ? engine->standing.size() : 0; }
const idt_detection *idt_engine_detection_at(const idt_engine *engine, size_t index) {
  return engine && index < engine->standing.size() ? engine->standing[index] : nullptr;
}

idt_status idt_engine_set_detection_callback(idt_engine *engine, idt_detection_callback callback, void *user_data,
                                             idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return fail(err, it::errc::invalid_argument, "idt_engine_set_detection_callback: engine is NULL");
    engine->callback = callback;
    engine->callback_data = user_data;
    return IDT_OK;
  });
}

const char *idt_detection_get(const idt_detection *detection, idt_detection_field key) {
  if (!detection) return "";
  const auto &d = detection->get();
  switch (key) {
    case IDT_DET_RULE_ID: return d.rule_id.c_str();
    case IDT_DET_NAME: return d.rule_name.c_str();
    case IDT_DET_SEVERITY: return it::to_string(d.level).data();
    case IDT_DET_IDENTITY: return detection->engine->symbols().c_str(d.identity);
    case IDT_DET_GROUP_KEY: return d.group_key.c_str();
    case IDT_DET_SUMMARY: return d.summary.c_str();
    case IDT_DET_ID: return d.id.c_str();
    case IDT_DET_SOURCE: return detection->engine->symbols().c_str(d.source);
    case IDT_DET_FORCE_INT32_: break;
  }
  return "";
}
int64_t idt_detection_first_seen_ns(const idt_detection *d) { return d ? it::to_unix_nanos(d->get().first_seen) : 0; }
int64_t idt_detection_last_seen_ns(const idt_detection *d) { return d ? it::to_unix_nanos(d->get().last_seen) : 0; }
uint32_t idt_detection_revision(const idt_detection *d) { return d ? d->get().revision : 0; }
int idt_detection_withdrawn(const idt_detection *d) { return d && d->get().withdrawn ? 1 : 0; }
uint64_t idt_detection_count(const idt_detection *d) { return d ? d->get().count : 0; }

namespace {
const char *nth(const std::vector<std::string> &list, size_t index) { return index < list.size() ? list[index].c_str() : ""; }
}  // namespace
size_t idt_detection_event_id_count(const idt_detection *d) { return d ? d->get().event_ids.size() : 0; }
const char *idt_detection_event_id_at(const idt_detection *d, size_t i) { return d ? nth(d->get().event_ids, i) : ""; }
size_t idt_detection_follows_count(const idt_detection *d) { return d ? d->get().follows.size() : 0; }
const char *idt_detection_follows_at(const idt_detection *d, size_t i) { return d ? nth(d->get().follows, i) : ""; }
size_t idt_detection_tactic_count(const idt_detection *d) { return d ? d->get().tactics.size() : 0; }
const char *idt_detection_tactic_at(const idt_detection *d, size_t i) { return d ? nth(d->get().tactics, i) : ""; }
size_t idt_detection_technique_count(const idt_detection *d) { return d ? d->get().techniques.size() : 0; }
const char *idt_detection_technique_at(const idt_detection *d, size_t i) { return d ? nth(d->get().techniques, i) : ""; }

uint64_t idt_engine_stat(const idt_engine *engine, idt_stat key) {
  if (!engine) return 0;
  const auto &s = engine->engine.stats();
  switch (key) {
    case IDT_STAT_TOTAL: return s.total;
    case IDT_STAT_ACCEPTED: return s.accepted;
    case IDT_STAT_REJECTED: return s.rejected;
    case IDT_STAT_DUPLICATES: return s.duplicates;
    case IDT_STAT_IDENTITIES: return engine->engine.identities().size();
    case IDT_STAT_POSSIBLY_REPEATED: return s.possibly_repeated;
    case IDT_STAT_FORCE_INT32_: break;
  }
  return 0;
}

size_t idt_engine_error_count(const idt_engine *engine) { return engine ? engine->engine.errors().size() : 0; }

static const it::decode_error *error_at(const idt_engine *engine, size_t index) {
  if (!engine || index >= engine->engine.errors().size()) return nullptr;
  return &engine->engine.errors()[index];
}
const char *idt_engine_error_source(const idt_engine *engine, size_t index) {
  const auto *e = error_at(engine, index);
  return e ? e->source.c_str() : "";
}
const char *idt_engine_error_location(const idt_engine *engine, size_t index) {
  const auto *e = error_at(engine, index);
  return e ? e->location.c_str() : "";
}
const char *idt_engine_error_reason(const idt_engine *engine, size_t index) {
  const auto *e = error_at(engine, index);
  return e ? e->reason.c_str() : "";
}

size_t idt_engine_event_count(const idt_engine *engine) { return engine ? engine->views.size() : 0; }
const idt_event *idt_engine_event_at(const idt_engine *engine, size_t index) {
  return engine && index < engine->views.size() ? &engine->views[index] : nullptr;
}

const char *idt_event_field(const idt_event *event, idt_field key) {
  if (!event) return "";
  const auto &e = event->get();
  const auto &who = e.who;
  switch (key) {
    case IDT_FIELD_ID: return e.id.c_str();
    case IDT_FIELD_ACCOUNT: return symbol_text(event, e.account);
    case IDT_FIELD_REGION: return symbol_text(event, e.region);
    case IDT_FIELD_EVENT_SOURCE: return symbol_text(event, e.event_source);
    case IDT_FIELD_EVENT_NAME: return symbol_text(event, e.event_name);
    case IDT_FIELD_ACTION: return symbol_text(event, e.action);
    case IDT_FIELD_ACTOR_TYPE: return it::to_string(who.type).data();
    case IDT_FIELD_ACTOR_ARN: return symbol_text(event, who.arn);
    case IDT_FIELD_ACTOR_PRINCIPAL_ID: return symbol_text(event, who.principal_id);
    case IDT_FIELD_ACTOR_ACCOUNT_ID: return symbol_text(event, who.account_id);
    case IDT_FIELD_ACCESS_KEY_ID: return symbol_text(event, who.access_key_id);
    case IDT_FIELD_USER_NAME: return symbol_text(event, who.user_name);
    case IDT_FIELD_ISSUER_ARN: return symbol_text(event, who.issuer_arn);
    case IDT_FIELD_SESSION_NAME: return symbol_text(event, who.session_name);
    case IDT_FIELD_INSTANCE_ID: return symbol_text(event, who.instance_id);
    case IDT_FIELD_SOURCE: return symbol_text(event, e.source.text);
    case IDT_FIELD_USER_AGENT: return symbol_text(event, e.user_agent);
    case IDT_FIELD_ERROR_CODE: return symbol_text(event, e.result.error_code);
    case IDT_FIELD_ERROR_MESSAGE: return e.result.error_message.c_str();
    case IDT_FIELD_EVENT_TYPE: return symbol_text(event, e.event_type);
    case IDT_FIELD_INVOKED_BY: return symbol_text(event, who.invoked_by);
    case IDT_FIELD_SOURCE_IDENTITY: return symbol_text(event, who.source_identity);
    case IDT_FIELD_FORCE_INT32_: break;
  }
  return "";
}

int64_t idt_event_time_ns(const idt_event *event) { return event ? it::to_unix_nanos(event->get().time) : 0; }
int idt_event_success(const idt_event *event) { return event && event->get().result.success ? 1 : 0; }
size_t idt_event_resource_count(const idt_event *event) { return event ? event->get().resources.size() : 0; }
const char *idt_event_resource_at(const idt_event *event, size_t index) {
  if (!event || index >= event->get().resources.size()) return "";
  return symbol_text(event, event->get().resources[index]);
}

idt_status idt_event_to_json(const idt_engine *engine, const idt_event *event, idt_json_form form, idt_buffer **out,
                             idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !event || !out) return fail(err, it::errc::invalid_argument, "idt_event_to_json: NULL argument");
    if (form != IDT_JSON_FLAT && form != IDT_JSON_OCSF) return fail(err, it::errc::invalid_argument, "idt_event_to_json: unknown form");
    std::string json;
    it::append_event_json(json, event->get(), event->engine->symbols(),
                          form == IDT_JSON_OCSF ? it::event_json_form::ocsf : it::event_json_form::flat);
    return give_buffer(out, std::move(json));
  });
}

idt_status idt_event_raw_field(const idt_event *event, const char *path, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!event || !path || !out) return fail(err, it::errc::invalid_argument, "idt_event_raw_field: NULL argument");
    auto field = it::raw_field(event->get(), path);
    if (!field) return fail(err, field.error());
    return give_buffer(out, std::move(field->text));
  });
}

idt_status idt_engine_report_json(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return fail(err, it::errc::invalid_argument, "idt_engine_report_json: NULL argument");
    return give_buffer(out, it::report_json(engine->engine));
  });
}

idt_status idt_engine_report_text(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return fail(err, it::errc::invalid_argument, "idt_engine_report_text: NULL argument");
    return give_buffer(out, it::report_text(engine->engine));
  });
}

idt_status idt_engine_flag(idt_engine *engine, const char *identity, size_t len, idt_identity_status status,
                           int64_t since_ns, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!identity && len > 0)) return fail(err, it::errc::invalid_argument, "idt_engine_flag: NULL argument");
    if (status < IDT_STATUS_NORMAL || status > IDT_STATUS_REMEDIATED)
      return fail(err, it::errc::invalid_argument, "idt_engine_flag: unknown status " + std::to_string(status));
    auto done = engine->engine.flag(std::string_view(identity ? identity : "", len),
                                    static_cast<it::compromise_status>(status), optional_time(since_ns));
    return done ? IDT_OK : fail(err, done.error());
  });
}

idt_status idt_engine_assessment(const idt_engine *engine, const char *identity, size_t len, idt_identity_status *status,
                                 idt_risk *risk, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !status || !risk || (!identity && len > 0))
      return fail(err, it::errc::invalid_argument, "idt_engine_assessment: NULL argument");
    const std::string_view name(identity ? identity : "", len);
    const auto *a = engine->engine.assessment_of(name);
    if (!a) return fail(err, it::errc::not_found, "no identity \"" + std::string(name) + "\" in the logs");
    *status = static_cast<idt_identity_status>(a->status);
    *risk = static_cast<idt_risk>(a->risk);
    return IDT_OK;
  });
}

idt_status idt_engine_assessment_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                      idt_error **err) {
  return json_query("idt_engine_assessment_json", engine, identity, len, out, err,
                    [&](std::string_view name) { return it::assessment_json(engine->engine.evidence(), name); });
}

idt_status idt_engine_resolve_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                   idt_error **err) {
  return json_query("idt_engine_resolve_json", engine, identity, len, out, err,
                    [&](std::string_view name) { return it::resolution_json(engine->engine.evidence(), name); });
}

idt_status idt_engine_blast_radius_json(const idt_engine *engine, const char *identity, size_t len, int64_t since_ns,
                                        idt_buffer **out, idt_error **err) {
  return json_query("idt_engine_blast_radius_json", engine, identity, len, out, err, [&](std::string_view name) {
    return it::blast_radius_json(engine->engine.evidence(), name, optional_time(since_ns).value_or(it::timestamp{}));
  });
}

idt_status idt_engine_paths_json(const idt_engine *engine, const char *from, size_t from_len, const char *to,
                                 size_t to_len, idt_buffer **out, idt_error **err) {
  return json_query("idt_engine_paths_json", engine, from, from_len, out, err,
                    [&](std::string_view start) -> it::result<std::string> {
                      if (!to && to_len > 0) return it::make_error(it::errc::invalid_argument, "idt_engine_paths_json: to is NULL");
                      return it::paths_json(engine->engine.evidence(), start, std::string_view(to ? to : "", to_len));
                    });
}

idt_status idt_engine_where_used_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                      idt_error **err) {
  return json_query("idt_engine_where_used_json", engine, identity, len, out, err,
                    [&](std::string_view name) { return it::where_used_json(engine->engine.evidence(), name); });
}

idt_status idt_engine_timeline_json(const idt_engine *engine, const char *identity, size_t len, int64_t since_ns,
                                    idt_buffer **out, idt_error **err) {
  return json_query("idt_engine_timeline_json", engine, identity, len, out, err, [&](std::string_view name) {
    return it::timeline_json(engine->engine.evidence(), name, optional_time(since_ns).value_or(it::timestamp{}));
  });
}

idt_status idt_engine_graph_export(const idt_engine *engine, idt_graph_format format, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return fail(err, it::errc::invalid_argument, "idt_engine_graph_export: NULL argument");
    if (format < IDT_GRAPH_JSON || format > IDT_GRAPH_GRAPHML)
      return fail(err, it::errc::invalid_argument, "idt_engine_graph_export: unknown format " + std::to_string(format));
    return give_buffer(out, it::export_graph(engine->engine.graph(), static_cast<it::graph_format>(format)));
  });
}

idt_status idt_engine_remediation_json(const idt_engine *engine, const char *identity, size_t len,
                                       const char *const *allow_cidrs, size_t cidr_count, int64_t now_ns,
                                       idt_buffer **out, idt_error **err) {
  return json_query("idt_engine_remediation_json", engine, identity, len, out, err,
                    [&](std::string_view name) -> it::result<std::string> {
                      if (!allow_cidrs && cidr_count > 0)
                        return it::make_error(it::errc::invalid_argument, "idt_engine_remediation_json: allow_cidrs is NULL");
                      it::remediation_options options;
                      for (size_t i = 0; i < cidr_count; ++i) {
                        if (!allow_cidrs[i])
                          return it::make_error(it::errc::invalid_argument, "allow_cidrs[" + std::to_string(i) + "] is NULL");
                        options.allow_cidrs.emplace_back(allow_cidrs[i]);
                      }
                      options.now = optional_time(now_ns);
                      auto plan = it::plan_remediation(engine->engine.evidence(), name, options);
                      if (!plan) return tl::unexpected(plan.error());
                      return it::to_json(*plan);
                    });
}

idt_status idt_engine_least_privilege_json(const idt_engine *engine, const char *identity, size_t len,
                                           int64_t flag_time_ns, const char *const *current_policies,
                                           size_t policy_count, int compact, idt_buffer **out, idt_error **err) {
  return json_query("idt_engine_least_privilege_json", engine, identity, len, out, err,
                    [&](std::string_view name) -> it::result<std::string> {
                      if (!current_policies && policy_count > 0)
                        return it::make_error(it::errc::invalid_argument,
                                              "idt_engine_least_privilege_json: current_policies is NULL");
                      it::least_privilege_options options;
                      options.flag_time = optional_time(flag_time_ns);
                      options.compact = compact != 0;
                      for (size_t i = 0; i < policy_count; ++i) {
                        if (!current_policies[i])
                          return it::make_error(it::errc::invalid_argument,
                                                "current_policies[" + std::to_string(i) + "] is NULL");
                        auto parsed = it::parse_policy(current_policies[i], "current_policies[" + std::to_string(i) + "]");
                        if (!parsed) return tl::unexpected(parsed.error());
                        options.current.push_back(std::move(*parsed));
                      }
                      auto result = it::least_privilege_policy(engine->engine.evidence(), name, options);
                      if (!result) return tl::unexpected(result.error());
                      return it::to_json(*result);
                    });
}

}  // extern "C"
