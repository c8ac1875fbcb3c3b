// Versions, errors, buffers and the engine options.
#include "shim.hpp"

namespace idt_shim {

idt_status fail(idt_error **err, it::errc code, std::string message) {
  const auto status = -static_cast<idt_status>(code);
  if (err) *err = new (std::nothrow) idt_error{status, std::move(message)};
  return status;
}

idt_status stat_of(const it::decode_stats &stats, idt_stat key, uint64_t *value, idt_error **err) {
  switch (key) {
    case IDT_STAT_TOTAL: *value = stats.total; return IDT_OK;
    case IDT_STAT_ACCEPTED: *value = stats.accepted; return IDT_OK;
    case IDT_STAT_REJECTED: *value = stats.rejected; return IDT_OK;
    case IDT_STAT_DUPLICATES: *value = stats.duplicates; return IDT_OK;
    case IDT_STAT_POSSIBLY_REPEATED: *value = stats.possibly_repeated; return IDT_OK;
    case IDT_STAT_IDENTITIES:
    case IDT_STAT_FORCE_INT32_: break;
  }
  return fail(err, it::errc::invalid_argument, "unknown stat " + std::to_string(key));
}

const char *error_text(const std::deque<it::decode_error> *errors, size_t index, std::string it::decode_error::*text) {
  return errors && index < errors->size() ? ((*errors)[index].*text).c_str() : "";
}

}  // namespace idt_shim

using namespace idt_shim;

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
    if (!out) return null_argument(err, "idt_options_new");
    *out = new idt_options{};
    return IDT_OK;
  });
}

idt_status idt_options_set_int(idt_options *opts, idt_option key, int64_t value, idt_error **err) {
  return guarded(err, [&] {
    if (!opts) return null_argument(err, "idt_options_set_int");
    auto &o = opts->value;
    const bool on = value != 0;
    switch (key) {
      case IDT_OPT_DEDUPLICATE: o.normalize.deduplicate = on; return IDT_OK;
      case IDT_OPT_KEEP_RAW: o.normalize.keep_raw = on; return IDT_OK;
      case IDT_OPT_GZIP_BACKEND:
        if (value != IDT_GZIP_LIBDEFLATE && value != IDT_GZIP_ZLIB)
          return fail(err, it::errc::invalid_argument, "IDT_OPT_GZIP_BACKEND: expected IDT_GZIP_LIBDEFLATE or IDT_GZIP_ZLIB");
        o.normalize.gzip = value == IDT_GZIP_ZLIB ? it::gzip_backend::zlib : it::gzip_backend::libdeflate;
        return IDT_OK;
      case IDT_OPT_MAX_ERRORS:  // a count: the sign is the only thing C can get wrong here
        if (value < 0) return fail(err, it::errc::invalid_argument, "IDT_OPT_MAX_ERRORS: must be >= 0");
        o.normalize.max_errors_kept = static_cast<std::size_t>(value);
        return IDT_OK;
      case IDT_OPT_RETAIN_EVENTS: o.retain_events = on; return IDT_OK;
      case IDT_OPT_MAX_DECOMPRESSED_BYTES:
        if (value < 0) return fail(err, it::errc::invalid_argument, "IDT_OPT_MAX_DECOMPRESSED_BYTES: must be > 0");
        o.normalize.max_decompressed_bytes = static_cast<std::size_t>(value);
        return IDT_OK;
      case IDT_OPT_DEDUP_HORIZON_SECONDS: o.normalize.dedup_horizon = std::chrono::seconds{value}; return IDT_OK;
      case IDT_OPT_DETECT: o.detect = on; return IDT_OK;
      case IDT_OPT_CORRELATE: o.correlate = on; return IDT_OK;
      case IDT_OPT_ALLOWED_LATENESS_SECONDS: o.detection.allowed_lateness = std::chrono::seconds{value}; return IDT_OK;
      case IDT_OPT_BUILTIN_RULES: o.rule_files.keep_builtin = on; return IDT_OK;
      case IDT_OPT_SKIP_INVALID_RULES: o.rule_files.skip_invalid = on; return IDT_OK;
      case IDT_OPT_DECODE_THREADS:  // engine::create says what is out of range; this keeps the cast exact
        if (value < 1 || value > 256)
          return fail(err, it::errc::invalid_argument, "IDT_OPT_DECODE_THREADS: must be 1 to 256");
        o.normalize.threads = static_cast<unsigned>(value);
        return IDT_OK;
      case IDT_OPT_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_options_set_int: unknown option " + std::to_string(key));
  });
}

idt_status idt_options_set_string(idt_options *opts, idt_string_option key, const char *value, idt_error **err) {
  return guarded(err, [&] {
    if (!opts || !value) return null_argument(err, "idt_options_set_string");
    auto &o = opts->value;
    switch (key) {
      case IDT_OPT_RULES_PATH: o.rule_files.paths.emplace_back(value); return IDT_OK;
      case IDT_OPT_GEO_DATABASE: o.geo_databases.emplace_back(value); return IDT_OK;
      case IDT_OPT_STATE_KEY: o.state_key = value; return IDT_OK;
      case IDT_OPT_INPUT_FORMAT: {
        const auto format = it::parse_input_format(value);
        if (!format) return fail(err, format.error());
        o.normalize.format = *format;
        return IDT_OK;
      }
      case IDT_STRING_OPT_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_options_set_string: unknown option " + std::to_string(key));
  });
}

idt_status idt_options_set_rule_set(idt_options *opts, const idt_rule_set *rules, idt_error **err) {
  return guarded(err, [&] {
    if (!opts || !rules) return null_argument(err, "idt_options_set_rule_set");
    opts->value.rules = rules->rules;
    return IDT_OK;
  });
}

void idt_options_free(idt_options *opts) { delete opts; }

}  // extern "C"
