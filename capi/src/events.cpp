// Events as C sees them, and the normalizer that makes them without an engine.
#include "shim.hpp"

using namespace idt_shim;

namespace {

// The text of a field, or nullopt for a key this version does not know.
std::optional<std::string_view> field_of(const idt_event &view, idt_field key) {
  const auto &e = view.get();
  const auto &who = e.who;
  const auto sym = [&](it::symbol s) { return view.symbols->str(s); };
  switch (key) {
    case IDT_FIELD_ID: return e.id;
    case IDT_FIELD_ACCOUNT: return sym(e.account);
    case IDT_FIELD_REGION: return sym(e.region);
    case IDT_FIELD_EVENT_SOURCE: return sym(e.event_source);
    case IDT_FIELD_EVENT_NAME: return sym(e.event_name);
    case IDT_FIELD_ACTION: return sym(e.action);
    case IDT_FIELD_ACTOR_TYPE: return it::to_string(who.type);
    case IDT_FIELD_ACTOR_ARN: return sym(who.arn);
    case IDT_FIELD_ACTOR_PRINCIPAL_ID: return sym(who.principal_id);
    case IDT_FIELD_ACTOR_ACCOUNT_ID: return sym(who.account_id);
    case IDT_FIELD_ACCESS_KEY_ID: return sym(who.access_key_id);
    case IDT_FIELD_USER_NAME: return sym(who.user_name);
    case IDT_FIELD_ISSUER_ARN: return sym(who.issuer_arn);
    case IDT_FIELD_SESSION_NAME: return sym(who.session_name);
    case IDT_FIELD_INSTANCE_ID: return sym(who.instance_id);
    case IDT_FIELD_SOURCE: return sym(e.source.text);
    case IDT_FIELD_USER_AGENT: return sym(e.user_agent);
    case IDT_FIELD_ERROR_CODE: return sym(e.result.error_code);
    case IDT_FIELD_ERROR_MESSAGE: return e.result.error_message;
    case IDT_FIELD_EVENT_TYPE: return sym(e.event_type);
    case IDT_FIELD_INVOKED_BY: return sym(who.invoked_by);
    case IDT_FIELD_SOURCE_IDENTITY: return sym(who.source_identity);
    case IDT_FIELD_FORCE_INT32_: break;
  }
  return std::nullopt;
}

}  // namespace

extern "C" {

idt_status idt_event_get(const idt_event *event, idt_field key, const char **value, size_t *len, idt_error **err) {
  return guarded(err, [&] {
    if (!event || !value) return null_argument(err, "idt_event_get");
    const auto field = field_of(*event, key);
    if (!field) return fail(err, it::errc::invalid_argument, "idt_event_get: unknown field " + std::to_string(key));
    return give_text(*field, value, len);
  });
}

int64_t idt_event_time_ns(const idt_event *event) { return event ? it::to_unix_nanos(event->get().time) : 0; }
int idt_event_success(const idt_event *event) { return event && event->get().result.success ? 1 : 0; }
size_t idt_event_resource_count(const idt_event *event) { return event ? event->get().resources.size() : 0; }
const char *idt_event_resource_at(const idt_event *event, size_t index) {
  if (!event || index >= event->get().resources.size()) return "";
  return event->symbols->c_str(event->get().resources[index]);
}

idt_status idt_event_json(const idt_event *event, idt_json_form form, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!event || !out) return null_argument(err, "idt_event_json");
    if (form != IDT_JSON_FLAT && form != IDT_JSON_OCSF)
      return fail(err, it::errc::invalid_argument, "idt_event_json: unknown form " + std::to_string(form));
    std::string json;
    it::append_event_json(json, event->get(), *event->symbols,
                          form == IDT_JSON_OCSF ? it::event_json_form::ocsf : it::event_json_form::flat);
    return give_buffer(out, std::move(json));
  });
}

idt_status idt_event_raw_field(const idt_event *event, const char *path, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!event || !path || !out) return null_argument(err, "idt_event_raw_field");
    auto field = it::raw_field(event->get(), path);
    if (!field) return fail(err, field.error());
    return give_buffer(out, std::move(field->text));
  });
}

idt_status idt_normalizer_new(idt_normalizer **out, const idt_options *opts, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return null_argument(err, "idt_normalizer_new");
    *out = nullptr;
    const auto options = opts ? opts->value.normalize : it::normalizer_options{};
    if (auto checked = it::check_options(options); !checked) return fail(err, checked.error());
    *out = new idt_normalizer(options);
    return IDT_OK;
  });
}

idt_status idt_normalizer_feed(idt_normalizer *normalizer, const char *data, size_t len, const char *source_name,
                               idt_error **err) {
  return guarded(err, [&] {
    if (!normalizer || (!data && len > 0)) return null_argument(err, "idt_normalizer_feed");
    auto read = normalizer->decode.feed(text(data, len), source_name ? source_name : "<memory>",
                                        [normalizer](const it::event &e) {
                                          normalizer->events.push_back(e);
                                          return true;
                                        });
    normalizer->refresh();
    return read ? IDT_OK : fail(err, read.error());
  });
}

idt_status idt_normalizer_feed_path(idt_normalizer *normalizer, const char *path, idt_error **err) {
  return guarded(err, [&] {
    if (!normalizer || !path) return null_argument(err, "idt_normalizer_feed_path");
    auto read = normalizer->decode.feed_path(path, [normalizer](const it::event &e) {
      normalizer->events.push_back(e);
      return true;
    });
    normalizer->refresh();
    return read ? IDT_OK : fail(err, read.error());
  });
}

size_t idt_normalizer_event_count(const idt_normalizer *normalizer) { return normalizer ? normalizer->views.size() : 0; }
const idt_event *idt_normalizer_event_at(const idt_normalizer *normalizer, size_t index) {
  return normalizer && index < normalizer->views.size() ? &normalizer->views[index] : nullptr;
}
void idt_normalizer_clear_events(idt_normalizer *normalizer) {
  if (!normalizer) return;
  normalizer->events.clear();
  normalizer->views.clear();
}

idt_status idt_normalizer_get_stat(const idt_normalizer *normalizer, idt_stat key, uint64_t *value, idt_error **err) {
  return guarded(err, [&] {
    if (!normalizer || !value) return null_argument(err, "idt_normalizer_get_stat");
    return stat_of(normalizer->decode.stats(), key, value, err);
  });
}

size_t idt_normalizer_error_count(const idt_normalizer *n) { return n ? n->errors.size() : 0; }
const char *idt_normalizer_error_source(const idt_normalizer *n, size_t index) {
  return error_text(n ? &n->errors : nullptr, index, &it::decode_error::source);
}
const char *idt_normalizer_error_location(const idt_normalizer *n, size_t index) {
  return error_text(n ? &n->errors : nullptr, index, &it::decode_error::location);
}
const char *idt_normalizer_error_reason(const idt_normalizer *n, size_t index) {
  return error_text(n ? &n->errors : nullptr, index, &it::decode_error::reason);
}
void idt_normalizer_free(idt_normalizer *normalizer) { delete normalizer; }

}  // extern "C"
