// The JSON queries of 0.1, kept for 0.2 (see the ABI policy in identrail.h):
// each is idt_engine_query with its positional arguments made into options.
#include "shim.hpp"

using namespace idt_shim;

namespace {

idt_status query(const idt_engine *engine, idt_query what, const char *subject, size_t len,
                 const idt_query_options &options, idt_buffer **out, idt_error **err) {
  return idt_engine_query(engine, what, subject, len, &options, out, err);
}

idt_query_options since(int64_t since_ns) {
  idt_query_options o;
  o.since = optional_time(since_ns);
  return o;
}

// A C array of strings, each checked, into `add`; false (with *err set) on a NULL.
template <class Add>
bool each_string(const char *const *list, size_t count, const char *name, idt_status &status, idt_error **err, Add &&add) {
  if (!list && count > 0) {
    status = fail(err, it::errc::invalid_argument, std::string(name) + " is NULL");
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    if (!list[i]) {
      status = fail(err, it::errc::invalid_argument, std::string(name) + "[" + std::to_string(i) + "] is NULL");
      return false;
    }
    if (status = add(list[i]); status != IDT_OK) return false;
  }
  return true;
}

}  // namespace

extern "C" {

uint64_t idt_engine_stat(const idt_engine *engine, idt_stat key) {
  uint64_t value = 0;
  return idt_engine_get_stat(engine, key, &value, nullptr) == IDT_OK ? value : 0;
}

idt_status idt_engine_assessment_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                      idt_error **err) {
  return query(engine, IDT_QUERY_ASSESSMENT, identity, len, {}, out, err);
}
idt_status idt_engine_resolve_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                   idt_error **err) {
  return query(engine, IDT_QUERY_RESOLUTION, identity, len, {}, out, err);
}
idt_status idt_engine_where_used_json(const idt_engine *engine, const char *identity, size_t len, idt_buffer **out,
                                      idt_error **err) {
  return query(engine, IDT_QUERY_WHERE_USED, identity, len, {}, out, err);
}
idt_status idt_engine_blast_radius_json(const idt_engine *engine, const char *identity, size_t len, int64_t since_ns,
                                        idt_buffer **out, idt_error **err) {
  return query(engine, IDT_QUERY_BLAST_RADIUS, identity, len, since(since_ns), out, err);
}
idt_status idt_engine_timeline_json(const idt_engine *engine, const char *identity, size_t len, int64_t since_ns,
                                    idt_buffer **out, idt_error **err) {
  return query(engine, IDT_QUERY_TIMELINE, identity, len, since(since_ns), out, err);
}

idt_status idt_engine_paths_json(const idt_engine *engine, const char *from, size_t from_len, const char *to,
                                 size_t to_len, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    if (!to && to_len > 0) return null_argument(err, "idt_engine_paths_json");
    idt_query_options o;
    o.to = std::string(text(to, to_len));
    return query(engine, IDT_QUERY_PATHS, from, from_len, o, out, err);
  });
}

idt_status idt_engine_remediation_json(const idt_engine *engine, const char *identity, size_t len,
                                       const char *const *allow_cidrs, size_t cidr_count, int64_t now_ns,
                                       idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    idt_query_options o;
    o.now = optional_time(now_ns);
    idt_status status = IDT_OK;
    if (!each_string(allow_cidrs, cidr_count, "allow_cidrs", status, err, [&](const char *cidr) {
          o.allow_cidrs.emplace_back(cidr);
          return IDT_OK;
        }))
      return status;
    return query(engine, IDT_QUERY_REMEDIATION, identity, len, o, out, err);
  });
}

idt_status idt_engine_least_privilege_json(const idt_engine *engine, const char *identity, size_t len,
                                           int64_t flag_time_ns, const char *const *current_policies,
                                           size_t policy_count, int compact, idt_buffer **out, idt_error **err) {
  return guarded(err, [&] {
    idt_query_options o;
    o.flag_time = optional_time(flag_time_ns);
    if (compact) o.compact = true;
    idt_status status = IDT_OK;
    if (!each_string(current_policies, policy_count, "current_policies", status, err, [&](const char *json) {
          auto parsed = it::parse_policy(json, "current_policies[" + std::to_string(o.current.size()) + "]");
          if (!parsed) return fail(err, parsed.error());
          o.current.push_back(std::move(*parsed));
          return IDT_OK;
        }))
      return status;
    return query(engine, IDT_QUERY_LEAST_PRIVILEGE, identity, len, o, out, err);
  });
}

}  // extern "C"
