// Correlation from C: flags, the typed lists of identities and assessments,
// the JSON queries with their per-call options, and the graph export.
#include "shim.hpp"

using namespace idt_shim;

namespace {

// Which options a query reads: bit k for int key k, bit 8+k for string key k.
constexpr uint32_t bit(idt_query_option key) { return 1u << static_cast<unsigned>(key); }
constexpr uint32_t bit(idt_query_string_option key) { return 1u << (8u + static_cast<unsigned>(key)); }

uint32_t options_read_by(idt_query query) {
  switch (query) {
    case IDT_QUERY_BLAST_RADIUS:
    case IDT_QUERY_TIMELINE: return bit(IDT_QOPT_SINCE_NS);
    case IDT_QUERY_PATHS: return bit(IDT_QOPT_TO) | bit(IDT_QOPT_MAX_DEPTH) | bit(IDT_QOPT_MAX_PATHS);
    case IDT_QUERY_REMEDIATION: return bit(IDT_QOPT_ALLOW_CIDR) | bit(IDT_QOPT_NOW_NS);
    case IDT_QUERY_LEAST_PRIVILEGE:
      return bit(IDT_QOPT_FLAG_TIME_NS) | bit(IDT_QOPT_CURRENT_POLICY) | bit(IDT_QOPT_COMPACT);
    default: return 0;
  }
}

uint32_t options_given(const idt_query_options &o) {
  uint32_t given = 0;
  if (o.since) given |= bit(IDT_QOPT_SINCE_NS);
  if (o.max_depth) given |= bit(IDT_QOPT_MAX_DEPTH);
  if (o.max_paths) given |= bit(IDT_QOPT_MAX_PATHS);
  if (o.now) given |= bit(IDT_QOPT_NOW_NS);
  if (o.flag_time) given |= bit(IDT_QOPT_FLAG_TIME_NS);
  if (o.compact) given |= bit(IDT_QOPT_COMPACT);
  if (o.to) given |= bit(IDT_QOPT_TO);
  if (!o.allow_cidrs.empty()) given |= bit(IDT_QOPT_ALLOW_CIDR);
  if (!o.current.empty()) given |= bit(IDT_QOPT_CURRENT_POLICY);
  return given;
}

const char *query_name(idt_query query) {
  static const char *const names[] = {"",
                                      "IDT_QUERY_ASSESSMENT",
                                      "IDT_QUERY_RESOLUTION",
                                      "IDT_QUERY_BLAST_RADIUS",
                                      "IDT_QUERY_PATHS",
                                      "IDT_QUERY_WHERE_USED",
                                      "IDT_QUERY_TIMELINE",
                                      "IDT_QUERY_REMEDIATION",
                                      "IDT_QUERY_LEAST_PRIVILEGE"};
  return query >= IDT_QUERY_ASSESSMENT && query <= IDT_QUERY_LEAST_PRIVILEGE ? names[query] : "an unknown query";
}

std::string option_name(uint32_t one_bit) {
  static const char *const ints[] = {"", "IDT_QOPT_SINCE_NS", "IDT_QOPT_MAX_DEPTH", "IDT_QOPT_MAX_PATHS",
                                     "IDT_QOPT_NOW_NS", "IDT_QOPT_FLAG_TIME_NS", "IDT_QOPT_COMPACT"};
  static const char *const strings[] = {"", "IDT_QOPT_TO", "IDT_QOPT_ALLOW_CIDR", "IDT_QOPT_CURRENT_POLICY"};
  for (unsigned k = 1; k < 7; ++k)
    if (one_bit == 1u << k) return ints[k];
  for (unsigned k = 1; k < 4; ++k)
    if (one_bit == 1u << (8 + k)) return strings[k];
  return "an option";
}

it::result<std::string> run_query(const it::evidence_view &evidence, idt_query query, std::string_view subject,
                                  const idt_query_options &o) {
  const auto since = o.since.value_or(it::timestamp{});
  switch (query) {
    case IDT_QUERY_ASSESSMENT: return it::assessment_json(evidence, subject);
    case IDT_QUERY_RESOLUTION: return it::resolution_json(evidence, subject);
    case IDT_QUERY_BLAST_RADIUS: return it::blast_radius_json(evidence, subject, since);
    case IDT_QUERY_WHERE_USED: return it::where_used_json(evidence, subject);
    case IDT_QUERY_TIMELINE: return it::timeline_json(evidence, subject, since);
    case IDT_QUERY_PATHS: {
      if (!o.to) return it::make_error(it::errc::invalid_argument, "IDT_QUERY_PATHS needs IDT_QOPT_TO");
      it::path_options paths;
      paths.max_depth = o.max_depth.value_or(paths.max_depth);
      paths.max_paths = o.max_paths.value_or(paths.max_paths);
      return it::paths_json(evidence, subject, *o.to, paths);
    }
    case IDT_QUERY_REMEDIATION: {
      auto plan = it::plan_remediation(evidence, subject, it::remediation_options{o.allow_cidrs, o.now});
      if (!plan) return tl::unexpected(plan.error());
      return it::to_json(*plan);
    }
    case IDT_QUERY_LEAST_PRIVILEGE: {
      it::least_privilege_options options;
      options.flag_time = o.flag_time;
      options.current = o.current;
      options.compact = o.compact.value_or(false);
      auto result = it::least_privilege_policy(evidence, subject, options);
      if (!result) return tl::unexpected(result.error());
      return it::to_json(*result);
    }
    case IDT_QUERY_FORCE_INT32_: break;
  }
  return it::make_error(it::errc::invalid_argument, "idt_engine_query: unknown query " + std::to_string(query));
}

idt_status set_count(std::optional<std::size_t> &slot, const char *name, int64_t value, int64_t most, idt_error **err) {
  if (value < 1 || value > most)
    return fail(err, it::errc::invalid_argument, std::string(name) + ": must be 1 to " + std::to_string(most));
  slot = static_cast<std::size_t>(value);
  return IDT_OK;
}

}  // namespace

extern "C" {

idt_status idt_engine_flag(idt_engine *engine, const char *identity, size_t len, idt_identity_status status,
                           int64_t since_ns, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || (!identity && len > 0)) return null_argument(err, "idt_engine_flag");
    if (status < IDT_STATUS_NORMAL || status > IDT_STATUS_REMEDIATED)
      return fail(err, it::errc::invalid_argument, "idt_engine_flag: unknown status " + std::to_string(status));
    auto done = engine->engine.flag(text(identity, len), static_cast<it::compromise_status>(status),
                                    optional_time(since_ns));
    return done ? IDT_OK : fail(err, done.error());
  });
}

idt_status idt_engine_assessment(const idt_engine *engine, const char *identity, size_t len, idt_identity_status *status,
                                 idt_risk *risk, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !status || !risk || (!identity && len > 0)) return null_argument(err, "idt_engine_assessment");
    const auto name = text(identity, len);
    const auto *a = engine->engine.assessment_of(name);
    if (!a) return fail(err, it::errc::not_found, "no identity \"" + std::string(name) + "\" in the logs");
    *status = static_cast<idt_identity_status>(a->status);
    *risk = static_cast<idt_risk>(a->risk);
    return IDT_OK;
  });
}

idt_status idt_engine_identities(const idt_engine *engine, idt_identity_list **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_identities");
    auto list = std::make_unique<idt_identity_list>();
    const auto &symbols = engine->engine.symbols();
    list->rows.reserve(engine->engine.identities().size());
    for (const auto &summary : engine->engine.identities()) {
      idt_identity row{std::string(symbols.str(summary.key)), std::string(it::to_string(summary.type)), summary, {}};
      for (const auto ip : summary.source_ips) row.source_ips.emplace_back(symbols.str(ip));
      list->rows.push_back(std::move(row));
    }
    *out = list.release();
    return IDT_OK;
  });
}

size_t idt_identity_list_count(const idt_identity_list *list) { return list ? list->rows.size() : 0; }
const idt_identity *idt_identity_list_at(const idt_identity_list *list, size_t index) {
  return list && index < list->rows.size() ? &list->rows[index] : nullptr;
}
void idt_identity_list_free(idt_identity_list *list) { delete list; }
const char *idt_identity_key(const idt_identity *i) { return i ? i->key.c_str() : ""; }
const char *idt_identity_type(const idt_identity *i) { return i ? i->type.c_str() : ""; }
int64_t idt_identity_first_seen_ns(const idt_identity *i) { return i ? it::to_unix_nanos(i->summary.first_seen) : 0; }
int64_t idt_identity_last_seen_ns(const idt_identity *i) { return i ? it::to_unix_nanos(i->summary.last_seen) : 0; }
uint64_t idt_identity_event_count(const idt_identity *i) { return i ? i->summary.events : 0; }
uint64_t idt_identity_failed_count(const idt_identity *i) { return i ? i->summary.failed : 0; }
size_t idt_identity_source_ip_count(const idt_identity *i) { return i ? i->source_ips.size() : 0; }
const char *idt_identity_source_ip_at(const idt_identity *i, size_t index) { return i ? nth(i->source_ips, index) : ""; }

idt_status idt_engine_assessments(const idt_engine *engine, idt_assessment_list **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_assessments");
    auto list = std::make_unique<idt_assessment_list>();
    const auto &all = engine->engine.assessments();
    list->rows.reserve(all.size());
    for (const auto &a : all) list->rows.push_back({std::string(engine->engine.symbols().str(a.identity)), a});
    *out = list.release();
    return IDT_OK;
  });
}

size_t idt_assessment_list_count(const idt_assessment_list *list) { return list ? list->rows.size() : 0; }
const idt_assessment *idt_assessment_list_at(const idt_assessment_list *list, size_t index) {
  return list && index < list->rows.size() ? &list->rows[index] : nullptr;
}
void idt_assessment_list_free(idt_assessment_list *list) { delete list; }
const char *idt_assessment_identity(const idt_assessment *a) { return a ? a->identity.c_str() : ""; }
idt_identity_status idt_assessment_status(const idt_assessment *a) {
  return a ? static_cast<idt_identity_status>(a->value.status) : IDT_STATUS_NORMAL;
}
idt_risk idt_assessment_risk(const idt_assessment *a) { return a ? static_cast<idt_risk>(a->value.risk) : IDT_RISK_NONE; }
int64_t idt_assessment_since_ns(const idt_assessment *a) { return a ? time_or_none(a->value.since) : IDT_NO_TIME; }
size_t idt_assessment_reason_count(const idt_assessment *a) { return a ? a->value.reasons.size() : 0; }
const char *idt_assessment_reason_at(const idt_assessment *a, size_t index) { return a ? nth(a->value.reasons, index) : ""; }
size_t idt_assessment_detection_count(const idt_assessment *a) { return a ? a->value.detections : 0; }

idt_status idt_query_options_new(idt_query_options **out, idt_error **err) {
  return guarded(err, [&] {
    if (!out) return null_argument(err, "idt_query_options_new");
    *out = new idt_query_options{};
    return IDT_OK;
  });
}

idt_status idt_query_options_set_int(idt_query_options *opts, idt_query_option key, int64_t value, idt_error **err) {
  return guarded(err, [&] {
    if (!opts) return null_argument(err, "idt_query_options_set_int");
    switch (key) {
      case IDT_QOPT_SINCE_NS: opts->since = optional_time(value); return IDT_OK;
      case IDT_QOPT_MAX_DEPTH: return set_count(opts->max_depth, "IDT_QOPT_MAX_DEPTH", value, 64, err);
      case IDT_QOPT_MAX_PATHS: return set_count(opts->max_paths, "IDT_QOPT_MAX_PATHS", value, 10000, err);
      case IDT_QOPT_NOW_NS: opts->now = optional_time(value); return IDT_OK;
      case IDT_QOPT_FLAG_TIME_NS: opts->flag_time = optional_time(value); return IDT_OK;
      case IDT_QOPT_COMPACT: opts->compact = value != 0; return IDT_OK;
      case IDT_QOPT_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_query_options_set_int: unknown option " + std::to_string(key));
  });
}

idt_status idt_query_options_set_string(idt_query_options *opts, idt_query_string_option key, const char *value,
                                        size_t len, idt_error **err) {
  return guarded(err, [&] {
    if (!opts || (!value && len > 0)) return null_argument(err, "idt_query_options_set_string");
    const auto given = text(value, len);
    switch (key) {
      case IDT_QOPT_TO: opts->to = std::string(given); return IDT_OK;
      case IDT_QOPT_ALLOW_CIDR: opts->allow_cidrs.emplace_back(given); return IDT_OK;
      case IDT_QOPT_CURRENT_POLICY: {
        auto parsed = it::parse_policy(given, "IDT_QOPT_CURRENT_POLICY[" + std::to_string(opts->current.size()) + "]");
        if (!parsed) return fail(err, parsed.error());
        opts->current.push_back(std::move(*parsed));
        return IDT_OK;
      }
      case IDT_QSTR_FORCE_INT32_: break;
    }
    return fail(err, it::errc::invalid_argument, "idt_query_options_set_string: unknown option " + std::to_string(key));
  });
}

void idt_query_options_free(idt_query_options *opts) { delete opts; }

idt_status idt_engine_query(const idt_engine *engine, idt_query query, const char *subject, size_t len,
                            const idt_query_options *opts, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out || (!subject && len > 0)) return null_argument(err, "idt_engine_query");
    *out = nullptr;
    const idt_query_options defaults;
    const auto &o = opts ? *opts : defaults;
    const bool known = query >= IDT_QUERY_ASSESSMENT && query <= IDT_QUERY_LEAST_PRIVILEGE;
    if (const uint32_t stray = options_given(o) & ~options_read_by(query); known && stray != 0)
      return fail(err, it::errc::invalid_argument,
                  std::string("idt_engine_query: ") + query_name(query) + " does not read " + option_name(stray & -stray));
    auto answer = run_query(engine->engine.evidence(), query, text(subject, len), o);
    if (!answer) return fail(err, answer.error());
    return give_buffer(out, std::move(*answer));
  });
}

idt_status idt_engine_graph_export(const idt_engine *engine, idt_graph_format format, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!engine || !out) return null_argument(err, "idt_engine_graph_export");
    if (format < IDT_GRAPH_JSON || format > IDT_GRAPH_GRAPHML)
      return fail(err, it::errc::invalid_argument, "idt_engine_graph_export: unknown format " + std::to_string(format));
    return give_buffer(out, it::export_graph(engine->engine.graph(), static_cast<it::graph_format>(format)));
  });
}

}  // extern "C"
