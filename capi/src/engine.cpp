// The engine: making, restoring and checkpointing it, feeding it, its counts,
// decode errors, rule lists and reports.
#include "shim.hpp"

using namespace idt_shim;

idt_engine::idt_engine(it::engine made) : engine(std::move(made)) {
  for (const auto &d : engine.detections()) view_of(d);
  refresh();
}

const idt_detection &idt_engine::view_of(const it::detection &d) {
  auto [found, created] = view_by_id.try_emplace(d.id, nullptr);
  if (created) found->second = &detection_views.emplace_back(idt_detection{&engine.symbols(), d});
  else found->second->value = d;
  standing_stale = true;
  return *found->second;
}

void idt_engine::refresh() {
  for (std::size_t i = views.size(); i < engine.events().size(); ++i)
    views.push_back(idt_event{&engine.events()[i], &engine.symbols()});
  for (std::size_t i = errors.size(); i < engine.errors().size(); ++i) errors.push_back(engine.errors()[i]);
  if (!standing_stale) return;
  standing.clear();
  for (const auto &d : engine.detections()) standing.push_back(view_by_id.at(d.id));
  standing_stale = false;
}

namespace {

it::engine_options options_of(const idt_options *opts) { return opts ? opts->value : it::engine_options{}; }

idt_status give_engine(idt_engine **out, it::result<it::engine> made, idt_error **err) {
  if (!made) return fail(err, made.error());
  auto wrapper = std::make_unique<idt_engine>(std::move(*made));
  idt_engine *raw = wrapper.get();
  // Every revision updates the detection's view before the callback sees it.
  raw->engine.on_detection([raw](const it::detection &d) {
    const idt_detection &view = raw->view_of(d);
    if (raw->callback && raw->callback(&view, raw->callback_data) != 0) raw->callback = nullptr;
  });
  *out = wrapper.release();
  return IDT_OK;
}

// After a call that read input: views for what it brought, then its status.
idt_status read_status(idt_engine *engine, const it::result<std::size_t> &read, idt_error **err) {
  engine->refresh();
  return read ? IDT_OK : fail(err, read.error());
}

}  // namespace

extern "C" {

idt_status idt_engine_new(idt_engine **out, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return null_argument(err, "idt_engine_new");
    *out = nullptr;
    return give_engine(out, it::engine::create(options_of(opts)), err);
  });
}

idt_status idt_engine_restore(idt_engine **out, const char *data, size_t len, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out || (!data && len > 0)) return null_argument(err, "idt_engine_restore");
    *out = nullptr;
    return give_engine(out, it::engine::restore(text(data, len), options_of(opts)), err);
  });
}

idt_status idt_engine_restore_from(idt_engine **out, const char *path, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out || !path) return null_argument(err, "idt_engine_restore_from");
    *out = nullptr;
    return give_engine(out, it::engine::restore_from(path, options_of(opts)), err);
  });
}

idt_status idt_engine_checkpoint(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_checkpoint");
    auto bytes = engine->engine.checkpoint();
    if (!bytes) return fail(err, bytes.error());
    return give_buffer(out, std::move(*bytes));
  });
}

idt_status idt_engine_checkpoint_to(const idt_engine *engine, const char *path, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !path) return null_argument(err, "idt_engine_checkpoint_to");
    auto written = engine->engine.checkpoint_to(path);
    return written ? IDT_OK : fail(err, written.error());
  });
}

idt_status idt_engine_advance_to(idt_engine *engine, int64_t now_ns, idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return null_argument(err, "idt_engine_advance_to");
    engine->engine.advance_to(it::from_unix_nanos(now_ns));
    engine->refresh();
    return IDT_OK;
  });
}

idt_status idt_engine_set_cursor(idt_engine *engine, const char *data, size_t len, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!data && len > 0)) return null_argument(err, "idt_engine_set_cursor");
    engine->engine.set_cursor(std::string(text(data, len)));
    return IDT_OK;
  });
}

const char *idt_engine_cursor(const idt_engine *engine, size_t *len) {
  const std::string_view cursor = engine ? std::string_view(engine->engine.cursor()) : std::string_view("");
  if (len) *len = cursor.size();
  return cursor.data();
}

size_t idt_engine_rule_rejection_count(const idt_engine *engine) {
  return engine ? engine->engine.rules().rejected().size() : 0;
}
const char *idt_engine_rule_rejection_at(const idt_engine *engine, size_t index) {
  return engine ? nth(engine->engine.rules().rejected(), index) : "";
}

namespace {
const std::vector<std::string> *restored_list(const idt_engine *engine, idt_rule_restore what) {
  if (!engine) return nullptr;
  const auto &r = engine->engine.restored();
  switch (what) {
    case IDT_RULE_KEPT: return &r.kept_rules;
    case IDT_RULE_STARTED: return &r.started_rules;
    case IDT_RULE_DROPPED: return &r.dropped_rules;
    case IDT_RULE_RESTORE_FORCE_INT32_: break;
  }
  return nullptr;
}
}  // namespace

size_t idt_engine_restored_rule_count(const idt_engine *engine, idt_rule_restore what) {
  const auto *list = restored_list(engine, what);
  return list ? list->size() : 0;
}
const char *idt_engine_restored_rule_at(const idt_engine *engine, idt_rule_restore what, size_t index) {
  const auto *list = restored_list(engine, what);
  return list ? nth(*list, index) : "";
}

void idt_engine_free(idt_engine *engine) { delete engine; }

idt_status idt_engine_feed(idt_engine *engine, const char *data, size_t len, const char *source_name, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!data && len > 0)) return null_argument(err, "idt_engine_feed");
    return read_status(engine, engine->engine.feed(text(data, len), source_name ? source_name : "<memory>"), err);
  });
}

idt_status idt_engine_feed_path(idt_engine *engine, const char *path, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !path) return null_argument(err, "idt_engine_feed_path");
    return read_status(engine, engine->engine.feed_path(path), err);
  });
}

idt_status idt_engine_feed_paths(idt_engine *engine, const char *const *paths, size_t count, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!paths && count > 0)) return null_argument(err, "idt_engine_feed_paths");
    std::vector<std::string> list;
    for (size_t i = 0; i < count; ++i) {
      if (!paths[i]) return fail(err, it::errc::invalid_argument, "idt_engine_feed_paths: path " + std::to_string(i) + " is NULL");
      list.emplace_back(paths[i]);
    }
    return read_status(engine, engine->engine.feed_paths(list), err);
  });
}

idt_status idt_engine_finish(idt_engine *engine, idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return null_argument(err, "idt_engine_finish");
    engine->engine.finish();
    engine->refresh();
    return IDT_OK;
  });
}

idt_status idt_engine_get_stat(const idt_engine *engine, idt_stat key, uint64_t *value, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !value) return null_argument(err, "idt_engine_get_stat");
    if (key == IDT_STAT_IDENTITIES) {
      *value = engine->engine.identities().size();
      return IDT_OK;
    }
    return stat_of(engine->engine.stats(), key, value, err);
  });
}

size_t idt_engine_error_count(const idt_engine *engine) { return engine ? engine->errors.size() : 0; }
const char *idt_engine_error_source(const idt_engine *engine, size_t index) {
  return error_text(engine ? &engine->errors : nullptr, index, &it::decode_error::source);
}
const char *idt_engine_error_location(const idt_engine *engine, size_t index) {
  return error_text(engine ? &engine->errors : nullptr, index, &it::decode_error::location);
}
const char *idt_engine_error_reason(const idt_engine *engine, size_t index) {
  return error_text(engine ? &engine->errors : nullptr, index, &it::decode_error::reason);
}

size_t idt_engine_event_count(const idt_engine *engine) { return engine ? engine->views.size() : 0; }
const idt_event *idt_engine_event_at(const idt_engine *engine, size_t index) {
  return engine && index < engine->views.size() ? &engine->views[index] : nullptr;
}

idt_status idt_engine_report_json(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_report_json");
    return give_buffer(out, it::report_json(engine->engine));
  });
}

idt_status idt_engine_report_text(const idt_engine *engine, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_report_text");
    return give_buffer(out, it::report_text(engine->engine));
  });
}

}  // extern "C"
