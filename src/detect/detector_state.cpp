// The detector in checkpoint form: per rule (by id and definition), its group
// keys and what each remembers; the announced detections; the repeat filter;
// events held back for absence rules; the clocks and counts.
#include "../core/state_access.hpp"
#include "detection_state.hpp"
#include "detector_impl.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

void save_event(const event &e, state_writer &out) {
  out.str(e.id);
  out.time(e.time);
  for (const symbol s : {e.provider, e.account, e.region, e.event_source, e.event_name, e.event_type, e.action}) out.sym(s);
  out.u8(static_cast<std::uint8_t>(e.action_from));
  const actor &a = e.who;
  out.u8(static_cast<std::uint8_t>(a.type));
  for (const symbol s : {a.type_name, a.arn, a.principal_id, a.account_id, a.access_key_id, a.user_name, a.issuer_arn,
                         a.issuer_type, a.session_name, a.source_identity, a.instance_id, a.invoked_by})
    out.sym(s);
  out.u8(static_cast<std::uint8_t>(a.mfa));
  out.boolean(a.session_created.has_value());
  out.time(a.session_created.value_or(timestamp{}));
  out.u8(static_cast<std::uint8_t>(e.source.type));
  out.str(std::string_view(reinterpret_cast<const char *>(e.source.bytes.data()), e.source.bytes.size()));
  out.sym(e.source.text);
  out.sym(e.user_agent);
  out.boolean(e.result.success);
  out.sym(e.result.error_code);
  out.str(e.result.error_message);
  out.u8(static_cast<std::uint8_t>(e.read_only));
  out.u8(static_cast<std::uint8_t>(e.category));
  out.list(e.resources, [&](symbol s) { out.sym(s); });
  out.str(e.raw);
}

template <class Enum>
Enum bounded(state_reader &in, Enum last, const char *what) {
  const auto v = in.u8();
  if (v > static_cast<std::uint8_t>(last)) in.fail(std::string(what) + " out of range");
  return static_cast<Enum>(v);
}

event load_event(state_reader &in) {
  event e;
  e.id = in.str();
  e.time = in.time();
  for (symbol *s : {&e.provider, &e.account, &e.region, &e.event_source, &e.event_name, &e.event_type, &e.action}) *s = in.sym();
  e.action_from = bounded(in, action_origin::fallback, "an action origin");
  actor &a = e.who;
  a.type = bounded(in, identity_type::directory, "an identity type");
  for (symbol *s : {&a.type_name, &a.arn, &a.principal_id, &a.account_id, &a.access_key_id, &a.user_name, &a.issuer_arn,
                    &a.issuer_type, &a.session_name, &a.source_identity, &a.instance_id, &a.invoked_by})
    *s = in.sym();
  a.mfa = bounded(in, tristate::yes, "an MFA flag");
  const bool created = in.boolean();
  const auto when = in.time();
  if (created) a.session_created = when;
  e.source.type = bounded(in, source_address::kind::name, "an address kind");
  const auto bytes = in.str();
  if (bytes.size() != e.source.bytes.size()) in.fail("an address of " + std::to_string(bytes.size()) + " bytes");
  else std::memcpy(e.source.bytes.data(), bytes.data(), bytes.size());
  e.source.text = in.sym();
  e.user_agent = in.sym();
  e.result.success = in.boolean();
  e.result.error_code = in.sym();
  e.result.error_message = in.str();
  e.read_only = bounded(in, tristate::yes, "a read-only flag");
  e.category = bounded(in, event_category::network_activity, "an event category");
  e.resources.resize(in.count(4));
  for (auto &s : e.resources) s = in.sym();
  e.raw = in.str();
  return e;
}

// A group key holds interned fields as symbol numbers: it travels as its
// parts, so the restoring symbol table can give them its own numbers.
void save_key(const compiled_rule &rule, const std::string &key, state_writer &out) {
  std::size_t at = 0;
  for (const auto &field : rule.group_by) {
    if (is_interned_field(field.id)) {
      symbol s;
      if (at + sizeof s.id <= key.size()) std::memcpy(&s.id, key.data() + at, sizeof s.id);
      at += sizeof s.id;
      out.sym(s);
    } else {
      const auto end = std::min(key.find('\0', at), key.size());
      out.str(std::string_view(key).substr(at, end - at));
      at = end + 1;
    }
  }
}

std::string load_key(const compiled_rule &rule, state_reader &in) {
  std::string key;
  for (const auto &field : rule.group_by) {
    if (is_interned_field(field.id)) {
      const symbol s = in.sym();
      key.append(reinterpret_cast<const char *>(&s.id), sizeof s.id);
    } else {
      key.append(in.str());
      key.push_back('\0');
    }
  }
  return key;
}

void save_hit_list(const std::vector<hit> &hits, state_writer &out) {
  out.list(hits, [&](const hit &h) {
    out.i64(h.time);
    out.str(h.id);
    out.sym(h.identity);
    out.sym(h.source);
    out.sym_text(h.value);
    out.u64(h.steps);
    out.u8(static_cast<std::uint8_t>(h.until | h.sealed << 1));
  });
}

std::vector<hit> load_hit_list(state_reader &in) {
  std::vector<hit> hits(in.count(37));
  for (auto &h : hits) {
    h.time = in.i64();
    h.id = in.str();
    h.identity = in.sym();
    h.source = in.sym();
    const auto value = in.str();
    h.value = in.intern(value);
    h.value_hash = value.empty() ? 0 : detection_id().add(value).value();
    h.steps = in.u64();
    const auto flags = in.u8();
    h.until = flags & 1;
    h.sealed = flags & 2;
  }
  if (!std::is_sorted(hits.begin(), hits.end())) in.fail("hits out of time order");
  return hits;
}

void save_hits(const hit_state &st, state_writer &out) {
  save_hit_list(st.hits, out);
  save_hit_list(st.waiting, out);
  out.list(st.open, [&](const tracked_detection &o) {
    out.u64(o.id);
    out.i64(o.anchor_time);
    out.str(o.anchor_id);
    out.u64(o.shown);
    out.u64(o.exact);
  });
  out.i64(st.newest);
}

hit_state load_hits(state_reader &in) {
  hit_state st;
  st.hits = load_hit_list(in);
  st.waiting = load_hit_list(in);
  st.open.resize(in.count(40));
  for (auto &o : st.open) {
    o.id = in.u64();
    o.anchor_time = in.i64();
    o.anchor_id = in.str();
    o.shown = in.u64();
    o.exact = in.u64();
  }
  st.newest = in.i64();
  return st;
}

void save_seen(const first_seen_state &st, state_writer &out) {
  out.i64(st.first);
  out.list(st.values, [&](const seen_value &v) {
    out.str(v.value);
    out.i64(v.first);
    out.i64(v.last);
    out.str(v.id);
    out.sym(v.identity);
    out.boolean(v.reported);
    out.sym(v.source);
    out.boolean(v.taught);
    out.list(v.users, [&](const rare_user &u) {
      out.sym(u.identity);
      out.i64(u.first);
      out.str(u.id);
      out.sym(u.source);
      out.boolean(u.reported);
    });
  });
  out.boolean(st.any_taught);
}

first_seen_state load_seen(state_reader &in) {
  first_seen_state st;
  st.first = in.i64();
  st.values.resize(in.count(37));
  for (auto &v : st.values) {
    v.value = in.str();
    v.first = in.i64();
    v.last = in.i64();
    v.id = in.str();
    v.identity = in.sym();
    v.reported = in.boolean();
    v.source = in.sym();
    v.taught = in.boolean();
    v.users.resize(in.count(25));
    for (auto &u : v.users) {
      u.identity = in.sym();
      u.first = in.i64();
      u.id = in.str();
      u.source = in.sym();
      u.reported = in.boolean();
    }
  }
  st.any_taught = in.boolean();
  return st;
}

void save_pending(const absence_state &st, state_writer &out) {
  out.list(st.pending, [&](const pending_absence &p) {
    out.i64(p.time);
    out.sym(p.identity);
    out.str(p.id);
    out.boolean(p.late);
    out.sym(p.source);
  });
  out.i64(st.last_follow_up);
  out.i64(st.newest);
}

absence_state load_pending(state_reader &in) {
  absence_state st;
  st.pending.resize(in.count(21));
  for (auto &p : st.pending) {
    p.time = in.i64();
    p.identity = in.sym();
    p.id = in.str();
    p.late = in.boolean();
    p.source = in.sym();
  }
  st.last_follow_up = in.i64();
  st.newest = in.i64();
  return st;
}

void save_typical(const typical_volume &t, state_writer &out) {
  out.f64(t.typical);
  out.u32(t.busy);
  out.i64(t.day);
  out.f64(t.day_base);
}

typical_volume load_typical(state_reader &in) {
  typical_volume t;
  t.typical = in.f64();
  t.busy = in.u32();
  t.day = in.i64();
  t.day_base = in.f64();
  return t;
}

void save_volume(const volume_state &st, state_writer &out) {
  out.list(st.open, [&](const volume_window &w) {
    out.i64(w.index);
    out.u64(w.count);
    save_hit_list(w.evidence, out);
    out.list(w.members, [&](std::uint32_t m) { out.sym(symbol{m}); });
    out.u64(w.shown);
    out.i64(w.last);
  });
  save_typical(st.folded, out);
  out.list(st.snapshots, [&](const std::pair<std::int64_t, typical_volume> &s) {
    out.i64(s.first);
    save_typical(s.second, out);
  });
  out.i64(st.newest);
  out.str(st.peer);
}

volume_state load_volume(state_reader &in) {
  volume_state st;
  st.open.resize(in.count(45));
  for (auto &w : st.open) {
    w.index = in.i64();
    w.count = in.u64();
    w.evidence = load_hit_list(in);
    w.members.resize(in.count(4));
    for (auto &m : w.members) m = in.sym().id;
    std::sort(w.members.begin(), w.members.end());  // the restoring table numbers symbols its own way
    w.shown = in.u64();
    w.last = in.i64();
  }
  st.folded = load_typical(in);
  st.snapshots.resize(in.count(32));
  for (auto &s : st.snapshots) {
    s.first = in.i64();
    s.second = load_typical(in);
  }
  if (st.snapshots.empty()) in.fail("a volume state without its first baseline");
  st.newest = in.i64();
  st.peer = in.str();
  return st;
}

void save_rule(const compiled_rule &rule, const rule_runtime &rt, std::int64_t next_due, state_writer &out) {
  out.i64(next_due);
  out.u64(rt.keys.size());
  for (const auto &[key, k] : rt.keys) {
    save_key(rule, key, out);
    out.i64(k.last_ns);
    out.i64(k.touched);
    out.boolean(k.displayed);
    out.str(k.display);
    out.u8(static_cast<std::uint8_t>(k.data.index()));
    if (const auto *h = std::get_if<hit_state>(&k.data)) save_hits(*h, out);
    else if (const auto *f = std::get_if<first_seen_state>(&k.data)) save_seen(*f, out);
    else if (const auto *a = std::get_if<absence_state>(&k.data)) save_pending(*a, out);
    else save_volume(std::get<volume_state>(k.data), out);
  }
  out.u64(rt.peers.size());
  for (const auto &[key, st] : rt.peers) {
    out.str(key);
    save_volume(st, out);
  }
}

void load_rule(const compiled_rule &rule, rule_runtime &rt, std::int64_t &next_due, state_reader &in) {
  next_due = in.i64();
  const auto n = in.count(26);
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    auto key = load_key(rule, in);
    key_state k;
    k.last_ns = in.i64();
    k.touched = in.i64();
    k.displayed = in.boolean();
    k.display = in.str();
    switch (in.u8()) {
      case 0: k.data = load_hits(in); break;
      case 1: k.data = load_seen(in); break;
      case 2: k.data = load_pending(in); break;
      case 3: k.data = load_volume(in); break;
      default: in.fail("a key state of unknown kind");
    }
    rt.keys.insert_or_assign(std::move(key), std::move(k));
  }
  const auto peers = in.count(40);
  for (std::size_t i = 0; i < peers && in.ok(); ++i) {
    auto key = in.str();
    rt.peers.insert_or_assign(std::move(key), load_volume(in));
  }
}

}  // namespace

void state_access::save(const detector &d, state_writer &out) {
  const auto &s = *d.impl_;
  out.texts_from(&s.symbols);
  const auto &st = s.stats;
  for (const auto v : {st.events, st.late, st.too_late, st.repeated, st.evictions}) out.u64(v);
  for (const auto v : {s.max_time, s.watermark, s.next_sweep}) out.i64(v);
  out.u64(s.arrivals);
  s.seen_ids.save(out);
  s.book.save(out);
  s.suspicions.save(out);
  out.u64(s.derived.groups.size());
  for (const auto &[user, list] : s.derived.groups) {
    out.str(user);
    out.list(list, [&](const derived_cache::membership &m) {
      out.str(m.group);
      out.i64(m.added);
      out.i64(m.removed);
    });
  }
  // Held events in release order; their arrival numbers keep same-time ties as they were.
  std::vector<held_event> held = s.held;
  std::sort(held.begin(), held.end(), [](const held_event &a, const held_event &b) { return b < a; });
  out.list(held, [&](const held_event &h) {
    out.u64(h.arrival);
    save_event(s.pool[h.slot], out);
  });
  const auto &compiled = s.rules.compiled()->rules;
  out.u64(compiled.size());
  for (std::size_t i = 0; i < compiled.size(); ++i) {
    out.str(compiled[i].info.id);
    out.u64(compiled[i].definition);
    const auto section = out.begin(tag("RULE"));
    save_rule(compiled[i], s.runtime[i], s.next_due[i], out);
    out.end(section);
  }
}

rule_restore state_access::load(detector &d, state_reader &in) {
  auto &s = *d.impl_;
  auto &st = s.stats;
  for (auto *v : {&st.events, &st.late, &st.too_late, &st.repeated, &st.evictions}) *v = in.u64();
  for (auto *v : {&s.max_time, &s.watermark, &s.next_sweep}) *v = in.i64();
  s.arrivals = in.u64();
  s.seen_ids.load(in);
  s.book.load(in);
  s.suspicions.load(in);
  const auto users = in.count(16);
  for (std::size_t i = 0; i < users && in.ok(); ++i) {
    auto user = in.str();
    auto &list = s.derived.groups[user];
    list.resize(in.count(24));
    for (auto &m : list) {
      m.group = in.str();
      m.added = in.i64();
      m.removed = in.i64();
    }
  }
  s.rebuild_suspicions();
  const auto held = in.count(64);
  for (std::size_t i = 0; i < held && in.ok(); ++i) {
    const auto arrival = in.u64();
    s.pool.push_back(load_event(in));
    s.held.push_back(held_event{to_unix_nanos(s.pool.back().time), s.pool.back().id, arrival, s.pool.size() - 1});
    std::push_heap(s.held.begin(), s.held.end());
  }
  const auto &compiled = s.rules.compiled()->rules;
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < compiled.size(); ++i) by_id.emplace(compiled[i].info.id, i);
  rule_restore outcome;
  std::vector<char> restored(compiled.size());
  const auto rules = in.count(20);
  for (std::size_t i = 0; i < rules && in.ok(); ++i) {
    const auto id = in.str();
    const auto definition = in.u64();
    std::uint32_t section_tag = 0;
    std::string_view body;
    if (!in.section(section_tag, body) || section_tag != tag("RULE")) {
      in.fail("rule " + id + ": its state is missing");
      break;
    }
    const auto it = by_id.find(id);
    if (it == by_id.end()) {
      outcome.dropped.push_back(id);
      continue;
    }
    if (compiled[it->second].definition != definition) continue;  // changed: starts empty, listed below
    state_reader part(body, in.symbols(), "rule " + id);
    part.intern_into(&s.symbols);
    load_rule(compiled[it->second], s.runtime[it->second], s.next_due[it->second], part);
    if (!part.ok()) {
      in.fail(part.error());
      break;
    }
    restored[it->second] = 1;
    outcome.kept.push_back(id);
  }
  for (std::size_t i = 0; i < compiled.size(); ++i)
    if (!restored[i]) outcome.started.push_back(compiled[i].info.id);
  s.count_keys();
  s.refresh_stats();
  return outcome;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
