// Detections as C sees them: the standing list, the live callback, the fields.
#include "shim.hpp"

using namespace idt_shim;

namespace {

std::optional<std::string_view> field_of(const idt_detection &view, idt_detection_field key) {
  const auto &d = view.get();
  switch (key) {
    case IDT_DET_RULE_ID: return d.rule_id;
    case IDT_DET_NAME: return d.rule_name;
    case IDT_DET_SEVERITY: return it::to_string(d.level);
    case IDT_DET_IDENTITY: return view.symbols->str(d.identity);
    case IDT_DET_GROUP_KEY: return d.group_key;
    case IDT_DET_SUMMARY: return d.summary;
    case IDT_DET_ID: return d.id;
    case IDT_DET_SOURCE: return view.symbols->str(d.source);
    case IDT_DET_FORCE_INT32_: break;
  }
  return std::nullopt;
}

}  // namespace

extern "C" {

size_t idt_engine_detection_count(const idt_engine *engine) { return engine ? engine->standing.size() : 0; }
const idt_detection *idt_engine_detection_at(const idt_engine *engine, size_t index) {
  return engine && index < engine->standing.size() ? engine->standing[index] : nullptr;
}

idt_status idt_engine_set_detection_callback(idt_engine *engine, idt_detection_callback callback, void *user_data,
                                             idt_error **err) {
  return guarded(err, [&] {
    if (!engine) return null_argument(err, "idt_engine_set_detection_callback");
    engine->callback = callback;
    engine->callback_data = user_data;
    return IDT_OK;
  });
}

idt_status idt_detection_get_string(const idt_detection *detection, idt_detection_field key, const char **value,
                                    size_t *len, idt_error **err) {
  return guarded(err, [&] {
    if (!detection || !value) return null_argument(err, "idt_detection_get_string");
    const auto field = field_of(*detection, key);
    if (!field)
      return fail(err, it::errc::invalid_argument, "idt_detection_get_string: unknown field " + std::to_string(key));
    return give_text(*field, value, len);
  });
}

int64_t idt_detection_first_seen_ns(const idt_detection *d) { return d ? it::to_unix_nanos(d->get().first_seen) : 0; }
int64_t idt_detection_last_seen_ns(const idt_detection *d) { return d ? it::to_unix_nanos(d->get().last_seen) : 0; }
uint32_t idt_detection_revision(const idt_detection *d) { return d ? d->get().revision : 0; }
int idt_detection_withdrawn(const idt_detection *d) { return d && d->get().withdrawn ? 1 : 0; }
uint64_t idt_detection_count(const idt_detection *d) { return d ? d->get().count : 0; }
size_t idt_detection_event_id_count(const idt_detection *d) { return d ? d->get().event_ids.size() : 0; }
const char *idt_detection_event_id_at(const idt_detection *d, size_t i) { return d ? nth(d->get().event_ids, i) : ""; }
size_t idt_detection_follows_count(const idt_detection *d) { return d ? d->get().follows.size() : 0; }
const char *idt_detection_follows_at(const idt_detection *d, size_t i) { return d ? nth(d->get().follows, i) : ""; }
size_t idt_detection_tactic_count(const idt_detection *d) { return d ? d->get().tactics.size() : 0; }
const char *idt_detection_tactic_at(const idt_detection *d, size_t i) { return d ? nth(d->get().tactics, i) : ""; }
size_t idt_detection_technique_count(const idt_detection *d) { return d ? d->get().techniques.size() : 0; }
const char *idt_detection_technique_at(const idt_detection *d, size_t i) { return d ? nth(d->get().techniques, i) : ""; }

}  // extern "C"
