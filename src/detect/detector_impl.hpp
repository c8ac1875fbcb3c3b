// Private: the detector's state and the work on it, shared by detector.cpp
// (the public class) and detector_state.cpp (checkpoints).
#pragma once

#include <algorithm>
#include <bit>
#include <array>
#include <charconv>
#include <deque>

#include "identrail/detect/detector.hpp"
#include "identrail/normalize/event.hpp"
#include "../normalize/duplicate_filter.hpp"
#include "../core/wildcard.hpp"
#include "detection_book.hpp"
#include "detection_copy.hpp"
#include "evaluate.hpp"
#include "group_state.hpp"
#include "rule_model.hpp"
#include "summary.hpp"
#include "suspicion.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Release order for absence rules: event time, then event id, then arrival.
// Ids make the order of same-second events independent of how they were delivered.
struct held_event {
  std::int64_t time;
  std::string_view id;  // into the pooled event, whose slot never moves
  std::uint64_t arrival;
  std::size_t slot;
  // For a min-heap through std::push_heap, which keeps the largest on top.
  bool operator<(const held_event &o) const { return std::tie(time, id, arrival) > std::tie(o.time, o.id, o.arrival); }
};


inline std::int64_t nanos(std::chrono::seconds s) { return std::chrono::duration_cast<std::chrono::nanoseconds>(s).count(); }

// A hit or event is named by its eventID, or by its time when it has none.
// The time's digits go to `digits`, so naming allocates nothing.
inline std::string_view anchor_name(std::string_view id, std::int64_t time, std::array<char, 24> &&digits = {}) {
  if (!id.empty()) return id;
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), time).ptr;
  return {digits.data(), static_cast<std::size_t>(end - digits.data())};
}

}  // namespace detail

using namespace detail;

struct detector::impl {
  impl(rule_set r, symbol_table &table, detector_options o)
      : rules(std::move(r)), symbols(table), options(o), runtime(rules.size()), seen_ids(nanos(o.repeat_horizon)),
        unknown(table.intern("unknown")), assume_role(table.intern("sts:AssumeRole")),
        add_to_group(table.intern("iam:AddUserToGroup")), remove_from_group(table.intern("iam:RemoveUserFromGroup")) {
    build_index();
    derived.geolocation = options.geolocation.get();
    book.on_change([this](const detection &d) {
      if (!context_rules.empty() && makes_suspicion(d.rule_id)) suspicions.note(d, to_unix_nanos(d.first_seen));
      if (callback) callback(d);
    });
  }

  // Which rules an evaluation runs: every rule but absence as an event
  // arrives; absence rules, which must know that something did not happen,
  // once it is released in event-time order.
  enum class phase : std::uint8_t { on_arrival = 0, in_time_order = 1 };

  // Rules whose match requires particular actions or event names are only
  // tried on events with one of them (as AWS Event Ruler does), so adding
  // rules for other APIs costs those events nothing. One index per phase.
  struct rule_index {
    std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_action, by_name;
    std::vector<std::size_t> always;  // rules no index can narrow
  };
  rule_index indexes[2];
  std::vector<std::size_t> candidates;

  static const field_test *index_test(const condition &c) {
    auto usable = [](const condition &k) {
      return k.type == condition::kind::test && !k.test.ignore_case &&
             (k.test.op == test_op::equals || k.test.op == test_op::in) &&
             (k.test.field.id == field_id::action || k.test.field.id == field_id::event_name);
    };
    if (usable(c)) return &c.test;
    if (c.type == condition::kind::all)
      for (const auto &child : c.children)
        if (usable(child)) return &child.test;
    return nullptr;
  }

  std::vector<std::size_t> absence_rules;  // checked for due deadlines as the watermark moves
  // Allow-list entries (rule_kind::allow) and, per rule, those that exempt it.
  std::vector<std::size_t> allowances;
  std::vector<std::vector<std::size_t>> exempted_by;
  std::vector<signed char> allowed_now;  // per allowance, for the event at hand: -1 not evaluated yet

  static bool names_rule(const std::vector<std::string> &patterns, const std::string &id) {
    return patterns.empty() ||
           std::any_of(patterns.begin(), patterns.end(), [&](const std::string &p) { return wildcard_match(p, id, false); });
  }

  bool exempt(std::size_t rule, field_reader &fields) {
    for (const auto a : exempted_by[rule]) {
      auto &known = allowed_now[a];
      if (known < 0) known = evaluate(rules.compiled()->rules[allowances[a]].match, fields) ? 1 : 0;
      if (known) return true;
    }
    return false;
  }
  std::vector<std::size_t> context_rules;  // reconsidered when an identity's suspicion changes
  std::unordered_set<std::string> context_rule_ids;
  suspicion_book suspicions;

  bool makes_suspicion(const std::string &rule_id) const { return !context_rule_ids.contains(rule_id); }
  std::vector<std::int64_t> next_due;      // per rule: the earliest pending deadline (INT64_MAX: none)

  void build_index() {
    const auto &compiled = rules.compiled()->rules;
    next_due.assign(compiled.size(), INT64_MAX);
    costs.nanos.assign(compiled.size(), 0);
    costs.runs.assign(compiled.size(), 0);
    for (std::size_t i = 0; i < compiled.size(); ++i)
      if (compiled[i].kind == rule_kind::allow) allowances.push_back(i);
    exempted_by.resize(compiled.size());
    for (std::size_t i = 0; i < compiled.size(); ++i)
      for (std::size_t a = 0; a < allowances.size(); ++a)
        if (compiled[i].kind != rule_kind::allow && names_rule(compiled[allowances[a]].allows, compiled[i].info.id))
          exempted_by[i].push_back(a);
    allowed_now.assign(allowances.size(), -1);
    for (std::size_t i = 0; i < compiled.size(); ++i) {
      if (compiled[i].kind == rule_kind::absence) absence_rules.push_back(i);
      if (compiled[i].context) {
        context_rules.push_back(i);
        context_rule_ids.insert(compiled[i].info.id);
      }
      if (!compiled[i].emit) continue;  // only referenced by a correlation rule
      auto &phase_index = indexes[compiled[i].kind == rule_kind::absence ? 1 : 0];
      // A sequence with `until` must see the events that cancel it, which its prefilter may not name.
      const auto *test = compiled[i].until ? nullptr : index_test(compiled[i].match);
      if (!test) {
        phase_index.always.push_back(i);
        continue;
      }
      auto &index = test->field.id == field_id::action ? phase_index.by_action : phase_index.by_name;
      for (const auto &value : test->values) index[symbols.intern(value).id].push_back(i);
    }
  }

  const std::vector<std::size_t> &rules_for(const event &e, phase when) {
    const auto &index = indexes[static_cast<int>(when)];
    candidates = index.always;
    if (const auto it = index.by_action.find(e.action.id); it != index.by_action.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    if (const auto it = index.by_name.find(e.event_name.id); it != index.by_name.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    // Rule order decides which detection comes first when one event completes several.
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    return candidates;
  }

  rule_set rules;
  symbol_table &symbols;
  detector_options options;
  std::vector<rule_runtime> runtime;
  detection_book book;
  // Events held back for absence rules live in reused slots (a deque: slots
  // never move), so holding an event copies into warm strings.
  std::deque<event> pool;
  std::vector<std::size_t> free_slots;
  std::vector<held_event> held;
  duplicate_filter seen_ids;
  symbol unknown;
  symbol assume_role;
  symbol add_to_group;
  symbol remove_from_group;
  const field_ref group_name{field_id::raw, "requestParameters.groupName", "requestParameters.groupName"};
  const field_ref member_name{field_id::raw, "requestParameters.userName", "requestParameters.userName"};
  derived_cache derived;
  // One reader, pointed at each event evaluated in turn (evaluations never nest).
  field_reader reader{symbols, &derived};

  // Peer groups of IAM users: membership in event time, as the events seen so far tell it.
  void note_membership(const event &e, field_reader &fields) {
    const auto group = fields.get(group_name);
    const auto user = fields.get(member_name);
    if (!group || !user || group->empty() || user->empty()) return;
    auto &list = derived.groups[membership_key(symbols.str(e.account), *user)];  // the user is the called account's
    const auto t = to_unix_nanos(e.time);
    auto it = std::find_if(list.begin(), list.end(), [&](const auto &m) { return m.group == *group; });
    if (e.action == add_to_group) {
      if (it == list.end()) list.push_back({std::string(*group), t, INT64_MAX});
      else it->added = std::min(it->added, t);
    } else if (it != list.end()) {
      it->removed = std::min(it->removed, std::max(t, it->added));
    } else {
      list.push_back({std::string(*group), INT64_MIN, t});  // a member since before the logs began
    }
  }
  std::unordered_map<std::uint32_t, std::string> peer_names[3];  // by identity, per peer_group
  const field_ref assumed_session{field_id::raw, "responseElements.assumedRoleUser.arn", "responseElements.assumedRoleUser.arn"};
  std::int64_t max_time = INT64_MIN;
  std::int64_t watermark = INT64_MIN;  // the newest event time less the lateness
  std::uint64_t arrivals = 0;
  std::int64_t next_sweep = INT64_MIN;
  bool releasing = false;  // evaluating an event released in time order, not one that came late
  std::function<void(const detection &)> callback;
  detector_stats stats;

  // Rule costs from one evaluation in N (detector_options::rule_cost_sampling).
  struct cost_sampler {
    std::uint64_t calls = 0, sampled_calls = 0;
    std::vector<std::uint64_t> nanos, runs;  // per rule
    bool due(std::uint32_t every) {
      if (every == 0 || ++calls % every != 0) return false;
      ++sampled_calls;
      return true;
    }
    void add(std::size_t rule, std::chrono::steady_clock::duration took) {
      nanos[rule] += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
      ++runs[rule];
    }
  } costs;

  std::int64_t lateness_ns() const { return nanos(options.allowed_lateness); }

  void take(const event &e) {
    ++stats.events;
    // A copy fed twice (no normalizer in front, or one that keeps duplicates) is not evaluated twice.
    if (options.filter_repeats && !e.id.empty() &&
        seen_ids.insert(seen_ids.key_of(e, symbols), to_unix_nanos(e.time)) == duplicate_filter::verdict::repeat) {
      ++stats.repeated;
      return;
    }
    const std::int64_t t = to_unix_nanos(e.time);
    const bool late = t <= watermark;
    if (late) ++stats.late;
    max_time = std::max(max_time, t);
    watermark = std::max(watermark, max_time - lateness_ns());
    evaluate_event(e, phase::on_arrival);
    if (!absence_rules.empty()) {
      if (!late) hold(e, t);
      release_until(watermark);
      if (late) evaluate_event(e, phase::in_time_order);
    }
    settle_suspicions();
    ++arrivals;
    // Idle keys can only be found once event time has moved on: sweeping by
    // event time, not by event count, keeps a busy hour from scanning every key.
    if (watermark != INT64_MIN && watermark >= next_sweep) {
      sweep_idle();
      next_sweep = watermark + nanos(options.key_ttl) / 8;
    }
    refresh_stats();
  }

  void count_keys() {
    stats.keys = 0;
    for (const auto &rt : runtime) stats.keys += rt.keys.size();
  }

  void refresh_stats() {
    stats.pending = held.size();
    stats.detections = book.live().size();
    stats.revisions = book.revisions();
    stats.withdrawn = book.withdrawals();
  }

  void advance_to(std::int64_t now) {
    if (now <= max_time) return;
    max_time = now;
    watermark = std::max(watermark, max_time - lateness_ns());
    release_until(watermark);
    settle_suspicions();
    refresh_stats();
  }

  void hold(const event &e, std::int64_t t) {
    std::size_t slot;
    if (free_slots.empty()) {
      slot = pool.size();
      pool.push_back(e);
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
      pool[slot] = e;
    }
    held.push_back(held_event{t, pool[slot].id, arrivals, slot});
    std::push_heap(held.begin(), held.end());
  }

  void release_until(std::int64_t limit) {
    while (!held.empty() && held.front().time <= limit) {
      std::pop_heap(held.begin(), held.end());
      const held_event next = held.back();
      held.pop_back();
      releasing = true;
      evaluate_event(pool[next.slot], phase::in_time_order);
      releasing = false;
      free_slots.push_back(next.slot);
    }
    fire_due_absences(std::min(limit, watermark));
  }

  void finish() {
    release_until(INT64_MAX);
    settle_suspicions();
    // An absence is due only once the data reach past its deadline.
    fire_due_absences(max_time, true);
    // Everything open is final now: what coarse updates left out is announced.
    const auto &compiled = rules.compiled()->rules;
    for (std::size_t i = 0; i < runtime.size(); ++i)
      for (auto &[key, slot] : runtime[i].keys) close_key(compiled[i], slot, runtime[i]);
    refresh_stats();
  }

  void evaluate_event(const event &e, phase when) {
    const symbol id_sym = identity_key_of(e);
    const symbol identity = id_sym.empty() ? unknown : id_sym;
    field_reader &fields = reader;
    fields.reset(e, identity);
    if (when == phase::on_arrival && e.result.success && (e.action == add_to_group || e.action == remove_from_group))
      note_membership(e, fields);
    // Who opened which session: suspicion passes to it (suspicion.hpp).
    if (when == phase::on_arrival && e.action == assume_role && e.result.success && !context_rules.empty())
      if (const auto session = fields.get(assumed_session); session && !session->empty())
        suspicions.link(symbols.intern(*session), identity, to_unix_nanos(e.time));
    std::fill(allowed_now.begin(), allowed_now.end(), static_cast<signed char>(-1));
    if (!costs.due(options.rule_cost_sampling)) {
      for (const std::size_t i : rules_for(e, when)) evaluate_rule(i, e, fields, identity);
      return;
    }
    for (const std::size_t i : rules_for(e, when)) {
      const auto started = std::chrono::steady_clock::now();
      evaluate_rule(i, e, fields, identity);
      costs.add(i, std::chrono::steady_clock::now() - started);
    }
  }

  void evaluate_rule(std::size_t i, const event &e, field_reader &fields, symbol identity) {
    if (!exempted_by[i].empty() && exempt(i, fields)) return;
    const auto &rule = rules.compiled()->rules[i];
    const bool matches = evaluate(rule.match, fields);
    // `until` cancels sequences whatever the prefilter says.
    const bool cancels = rule.kind == rule_kind::sequence && rule.until && evaluate(*rule.until, fields);
    if (cancels) add_hit(rule, runtime[i], fields, hit_of(e, identity, true));
    else if (matches) run(rule, runtime[i], fields, identity);
  }

  // The key state is kept under: symbol ids where the field is interned (an
  // identity key is 4 bytes, inside std::string's own buffer), text otherwise.
  static std::string group_key(const compiled_rule &rule, field_reader &fields) {
    std::string key;
    for (const auto &field : rule.group_by) {
      if (const auto sym = fields.get_symbol(field)) {
        key.append(reinterpret_cast<const char *>(&sym->id), sizeof sym->id);
      } else {
        const auto value = fields.get(field);
        if (value) key.append(*value);
        key.push_back('\0');
      }
    }
    return key;
  }

  // Most keys never make a detection: their readable form is made on the first that does.
  static const std::string &display_of(const compiled_rule &rule, key_state &slot, field_reader *fields) {
    if (!slot.displayed && fields) {
      slot.display = display_key(rule, *fields);
      slot.displayed = true;
    }
    return slot.display;
  }

  // The same key as people read it, for the detection and its id.
  static std::string display_key(const compiled_rule &rule, field_reader &fields) {
    std::string key;
    for (std::size_t i = 0; i < rule.group_by.size(); ++i) {
      if (i) key.push_back('|');
      const auto value = fields.get(rule.group_by[i]);
      if (value) key.append(*value);
    }
    return key;
  }

  template <class State>
  std::pair<key_state &, State &> state_for(const compiled_rule &rule, rule_runtime &rt, field_reader &fields,
                                            std::int64_t t) {
    if (rt.keys.size() >= options.max_keys_per_rule) drop_least_recent(rule, rt);
    const auto [it, fresh] = rt.keys.try_emplace(group_key(rule, fields));
    stats.keys += fresh;
    auto &slot = it->second;
    slot.last_ns = std::max(slot.last_ns, t);
    slot.touched = watermark;
    if (!std::holds_alternative<State>(slot.data)) slot.data = State{};
    return {slot, std::get<State>(slot.data)};
  }

  static hit hit_of(const event &e, symbol identity, bool until) {
    hit h;
    h.time = to_unix_nanos(e.time);
    h.id = e.id;
    h.identity = identity;
    h.source = e.source.text;
    h.until = until;
    return h;
  }

  void run(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, symbol identity) {
    switch (rule.kind) {
      case rule_kind::event:
        if (rule.window_ns > 0) {
          hit h = hit_of(fields.current(), identity, false);
          h.value = fields.current().action;
          return add_hit(rule, rt, fields, std::move(h));
        }
        return fire_event(rule, fields, identity);
      case rule_kind::count: return add_hit(rule, rt, fields, hit_of(fields.current(), identity, false));
      case rule_kind::distinct: {
        const auto found = fields.get(rule.distinct);
        if (!found || found->empty()) return;
        hit h = hit_of(fields.current(), identity, false);
        // An interned field's symbol is at hand; another value is interned (found, not stored, once known).
        const auto sym = fields.get_symbol(rule.distinct);
        h.value = sym ? *sym : symbols.intern(*found);
        h.value_hash = detection_id().add(*found).value();
        return add_hit(rule, rt, fields, std::move(h));
      }
      case rule_kind::sequence:
      case rule_kind::all_of: {
        hit h = hit_of(fields.current(), identity, false);
        for (std::size_t j = 0; j < rule.steps.size() && j < 64; ++j)
          if (evaluate(rule.steps[j].match, fields)) h.steps |= std::uint64_t{1} << j;
        if (h.steps) add_hit(rule, rt, fields, std::move(h));
        return;
      }
      case rule_kind::absence: return absence(rule, rt, fields, identity);
      case rule_kind::first_seen: return first_seen(rule, rt, fields, identity);
      case rule_kind::volume: return volume(rule, rt, fields, identity);
      case rule_kind::allow: return;  // never run: build_index leaves allow-list entries out
    }
  }

  void fire_event(const compiled_rule &rule, field_reader &fields, symbol identity) {
    const event &e = fields.current();
    const std::int64_t t = to_unix_nanos(e.time);
    const std::string display = display_key(rule, fields);
    const auto id = detection_id().add(rule.info.id).add(display).add(anchor_name(e.id, t)).value();
    if (book.contains(id)) {
      ++stats.repeated;
      return;
    }
    auto d = make(rule, display, identity, e.source.text, t, t, {e.id}, 1, {std::string(symbols.str(e.action))});
    book.add(id, std::move(d));
  }

  std::vector<std::string_view> evidence_views, value_views;  // announce()'s, kept for their capacity

  // The detection of a rule's evidence: its first event's identity and address, its span, and for a
  // rule in context the detections it follows.
  // What a detection says, written over `d`: its strings and lists keep their
  // capacity, so a detection revised in place allocates only when it grows.
  void make_into(detection &d, const compiled_rule &rule, const std::string &display, symbol identity, symbol source,
                 std::int64_t first, std::int64_t last, std::span<const std::string_view> ids, std::uint64_t count,
                 std::span<const std::string_view> values, std::string_view why = {}) const {
    d.withdrawn = false;
    d.rule_id = rule.info.id;
    d.rule_name = rule.info.name;
    d.level = rule.info.level;
    d.tactics = rule.info.tactics;
    d.techniques = rule.info.techniques;
    d.identity = identity;
    d.group_key = display;
    d.first_seen = from_unix_nanos(first);
    d.last_seen = from_unix_nanos(last);
    d.count = count;
    assign_texts(d.event_ids, ids);
    summarize(d.summary, rule, d, symbols.str(identity), values, why);
    d.source = source;
    if (rule.context)
      suspicions.causes(*rule.context, identity, first, source, d.event_ids.empty() ? "" : d.event_ids.front(), d.follows);
    else
      d.follows.clear();
  }

  detection make(const compiled_rule &rule, const std::string &display, symbol identity, symbol source,
                 std::int64_t first, std::int64_t last, const std::vector<std::string> &ids, std::uint64_t count,
                 const std::vector<std::string> &values, std::string_view why = {}) const {
    detection d;
    const std::vector<std::string_view> id_texts(ids.begin(), ids.end()), value_texts(values.begin(), values.end());
    make_into(d, rule, display, identity, source, first, last, id_texts, count, value_texts, why);
    return d;
  }

  // count, distinct, all_of, sequence: the hit joins its group, and the group
  // is scanned again; what the scan finds is compared with what was announced.
  void add_hit(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, hit h) {
    auto [slot, st] = state_for<hit_state>(rule, rt, fields, h.time);
    // Its group's windows have closed: using it now would change final answers.
    if (st.newest != INT64_MIN && h.time <= st.newest - lateness_ns()) {
      // A single-event rule's evidence is complete all the same: it stands alone.
      if (rule.kind == rule_kind::event && (!rule.context || suspicions.suspect(*rule.context, h.identity, h.time, h.source, h.id)))
        return fire_event(rule, fields, h.identity);
      if (rule.kind == rule_kind::event) return;
      ++stats.too_late;
      return;
    }
    if (rule.context) {
      display_of(rule, slot, &fields);  // a later suspicion may complete it with no event at hand
      if (!suspicions.suspect(*rule.context, h.identity, h.time, h.source, h.id)) return wait(rule, st, std::move(h));
    }
    const auto at = std::lower_bound(st.hits.begin(), st.hits.end(), h);
    // A copy of an event already counted does not count again.
    if (!h.id.empty() && at != st.hits.end() && at->time == h.time && at->id == h.id) return;
    if (st.hits.size() >= options.max_hits_per_key) {
      ++stats.evictions;
      return;
    }
    st.newest = std::max(st.newest, h.time);
    const std::int64_t t = h.time;
    if (rule.kind == rule_kind::distinct) st.census.add(h.value_hash, rule.threshold);
    st.hits.insert(at, std::move(h));
    if (cannot_complete(rule, st, t)) return prune(rule, st);
    rescan(rule, slot, st, false, &fields, t - rule.window_ns);
  }

  // Most hits are of identities doing ordinary things: with nothing open and
  // fewer hits around this one than a burst needs, no scan can find anything.
  static bool cannot_complete(const compiled_rule &rule, hit_state &st, std::int64_t t) {
    if (!st.open.empty() || rule.kind == rule_kind::sequence) return false;
    if (rule.kind == rule_kind::distinct && st.census.below(st.hits, rule.threshold)) return true;
    const std::uint64_t needed = rule.kind == rule_kind::all_of ? rule.steps.size() : rule.threshold;
    const auto from = std::lower_bound(st.hits.begin(), st.hits.end(), t - rule.window_ns,
                                       [](const hit &h, std::int64_t v) { return h.time < v; });
    const auto to = std::upper_bound(st.hits.begin(), st.hits.end(), t + rule.window_ns,
                                     [](std::int64_t v, const hit &h) { return v < h.time; });
    return static_cast<std::uint64_t>(to - from) < needed;
  }

  // Hits older than every window still open are no longer needed.
  // Dropped in batches (a quarter of the list at least), so a busy key's
  // steady stream costs amortized constant time, not a shift of its whole
  // window per hit. Kept stale hits change no answer: their windows are final.
  void prune(const compiled_rule &rule, hit_state &st) const {
    const std::int64_t cut = stale_before(rule, st);
    if (drop_stale(st.hits, cut)) st.census.forget();
    drop_stale(st.waiting, cut);
  }

  std::int64_t stale_before(const compiled_rule &rule, const hit_state &st) const {
    return st.newest - lateness_ns() - rule.window_ns;
  }

  // True when hits were dropped.
  static bool drop_stale(std::vector<hit> &hits, std::int64_t cut) {
    if (hits.empty() || hits.front().time >= cut) return false;
    const auto end = std::lower_bound(hits.begin(), hits.end(), cut, [](const hit &h, std::int64_t v) { return h.time < v; });
    const auto stale = static_cast<std::size_t>(end - hits.begin());
    if (stale < 32 && stale * 4 < hits.size()) return false;
    hits.erase(hits.begin(), end);
    return true;
  }

  // A hit of a rule in context whose identity is not (yet) under suspicion.
  void wait(const compiled_rule &rule, hit_state &st, hit h) {
    const auto at = std::lower_bound(st.waiting.begin(), st.waiting.end(), h);
    if (!h.id.empty() && at != st.waiting.end() && at->time == h.time && at->id == h.id) return;
    if (st.hits.size() + st.waiting.size() >= options.max_hits_per_key) {
      ++stats.evictions;
      return;
    }
    st.newest = std::max(st.newest, h.time);
    st.waiting.insert(at, std::move(h));
    prune(rule, st);
  }

  // Suspicion changed for some identities: the unsealed hits of rules in
  // context are sorted again into counted and waiting, and their keys rescanned.
  void settle_suspicions() {
    if (context_rules.empty()) {
      suspicions.take_changed();
      return;
    }
    for (const auto identity : suspicions.take_changed()) {
      for (const auto i : context_rules) {
        const auto &rule = rules.compiled()->rules[i];
        auto &keys = runtime[i].keys;
        if (rule.group_by.size() == 1 && rule.group_by[0].id == field_id::identity) {
          const auto it = keys.find(std::string(reinterpret_cast<const char *>(&identity), sizeof identity));
          if (it != keys.end()) reconsider(rule, it->second, identity);
        } else {
          for (auto &[key, slot] : keys) reconsider(rule, slot, identity);
        }
      }
    }
  }

  void reconsider(const compiled_rule &rule, key_state &slot, std::uint32_t identity) {
    auto *st = std::get_if<hit_state>(&slot.data);
    if (!st) return;
    const auto its = [&](const hit &h) { return h.identity.id == identity; };
    if (std::none_of(st->hits.begin(), st->hits.end(), its) && std::none_of(st->waiting.begin(), st->waiting.end(), its))
      return;  // a key the identity has no events in
    // Whether each hit counts, asked once. A stale waiting hit stays out, pruned or not yet:
    // the answer may not depend on when pruning ran.
    const std::int64_t cut = stale_before(rule, *st);
    const auto counts = [&](const hit &h) {
      return !its(h) || h.sealed || suspicions.suspect(*rule.context, h.identity, h.time, h.source, h.id);
    };
    std::vector<char> counted_hit(st->hits.size()), joining(st->waiting.size());
    bool moves = false;
    for (std::size_t i = 0; i < st->hits.size(); ++i) moves |= !(counted_hit[i] = counts(st->hits[i]));
    for (std::size_t i = 0; i < st->waiting.size(); ++i)
      moves |= (joining[i] = st->waiting[i].time >= cut && counts(st->waiting[i]));
    // Other causes may mean other `follows` for the same evidence: what is open is announced again.
    for (auto &o : st->open) o.shown = 0;
    if (!moves) {
      if (!st->open.empty()) rescan(rule, slot, *st, false);
      return;
    }
    std::vector<hit> counted, waiting;
    for (std::size_t i = 0; i < st->hits.size(); ++i) (counted_hit[i] ? counted : waiting).push_back(std::move(st->hits[i]));
    for (std::size_t i = 0; i < st->waiting.size(); ++i) (joining[i] ? counted : waiting).push_back(std::move(st->waiting[i]));
    std::sort(counted.begin(), counted.end());
    std::sort(waiting.begin(), waiting.end());
    st->hits = std::move(counted);
    st->census.forget();
    st->waiting = std::move(waiting);
    rescan(rule, slot, *st, false);
  }

  void rebuild_suspicions() {
    suspicions.clear_causes();
    if (context_rules.empty()) return;
    for (const auto &d : book.live())
      if (makes_suspicion(d.rule_id)) suspicions.note(d, to_unix_nanos(d.first_seen));
    suspicions.take_changed();
  }

  // Into scans.found, which the caller reads before the next scan.
  const match_list &scan(const compiled_rule &rule, const hit_state &st, std::size_t from) {
    if (rule.kind == rule_kind::sequence) find_sequences(st.hits, {rule.steps.size(), rule.window_ns}, scans);
    else find_bursts(st.hits, window_of(rule), from, scans);
    return scans.found;
  }
  // Scans never nest (announcing a detection starts none), so one set of buffers serves them all.
  scan_buffers scans;
  match settling;  // settle_standing()'s
  struct rescan_buffers {
    std::vector<tracked_detection> standing, open, still_open;
    std::vector<std::uint64_t> ids;
  } rescans;

  window_rule window_of(const compiled_rule &rule) const {
    window_rule w;
    w.window_ns = rule.window_ns;
    w.max_evidence = options.max_event_ids;
    w.threshold = rule.kind == rule_kind::event ? 1 : rule.threshold;
    if (rule.kind == rule_kind::distinct) w.measure = window_measure::distinct_values;
    if (rule.kind == rule_kind::all_of) {
      w.measure = window_measure::steps_covered;
      w.threshold = std::min<std::size_t>(rule.steps.size(), 64);
    }
    return w;
  }

  // What a revision shows of a growing burst: every change while it names
  // all its events, then each doubling of its count; the exact figures come
  // when it closes. A million downloads are a few dozen updates, not a million.
  struct fingerprint {
    std::uint64_t shown, exact;
  };
  fingerprint fingerprint_of(const match &m, const hit_state &st) const {
    detection_id common;
    common.add(st.hits[m.anchor].time);

    for (const auto i : m.evidence) common.add(st.hits[i].id);
    detection_id exact = common, shown = common;
    exact.add(static_cast<std::int64_t>(m.count)).add(m.last);
    if (m.count <= options.max_event_ids) shown = exact;
    else shown.add(static_cast<std::int64_t>(std::bit_width(m.count)));
    return {shown.value(), exact.value()};
  }

  void announce(const compiled_rule &rule, const key_state &slot, const hit_state &st, const match &m,
                std::uint64_t id, bool revision) {
    evidence_views.clear();
    for (const auto i : m.evidence) evidence_views.push_back(st.hits[i].id.view());
    value_views.clear();
    for (const symbol v : m.values) value_views.push_back(symbols.str(v));
    const hit &first = st.hits[m.anchor];
    // A growing burst is revised often: in place, so that its strings are not made again.
    if (detection *current = revision ? book.find_live(id) : nullptr) {
      make_into(*current, rule, slot.display, first.identity, first.source, first.time, m.last, evidence_views, m.count,
                value_views);
      book.revised(*current);
      return;
    }
    detection d;
    make_into(d, rule, slot.display, first.identity, first.source, first.time, m.last, evidence_views, m.count,
              value_views);
    book.add(id, std::move(d));
  }

  // Finds the group's detections again and announces the difference. Matches
  // anchored before `cut` can no longer change (no event within the lateness
  // can reach their window): their hits are sealed and the older ones dropped.
  // A hit can only change bursts anchored from `reach` (its time less the
  // window) on: the scan starts there, and open bursts before it stand.
  void rescan(const compiled_rule &rule, key_state &slot, hit_state &st, bool closing, field_reader *fields = nullptr,
              std::int64_t reach = INT64_MIN) {
    if (closing || rule.kind == rule_kind::sequence) reach = INT64_MIN;
    auto &standing = rescans.standing, &open = rescans.open, &still_open = rescans.still_open;
    auto &ids = rescans.ids;
    standing.clear();
    open.clear();
    still_open.clear();
    ids.clear();
    for (auto &o : st.open) (o.anchor_time < reach ? standing : open).push_back(std::move(o));
    std::size_t from = first_at(st, reach);
    for (const auto &o : standing) from = std::max(from, first_at(st, o.anchor_time + rule.window_ns + 1));
    const auto &found = scan(rule, st, from);
    if (!found.empty()) display_of(rule, slot, fields);
    const std::int64_t cut = closing ? INT64_MAX : st.newest - lateness_ns() - rule.window_ns;
    for (auto &o : standing) settle_standing(rule, slot, st, std::move(o), cut, still_open);
    for (const auto &m : found) {
      const hit &anchor = st.hits[m.anchor];
      const auto id = detection_id().add(rule.info.id).add(slot.display).add(anchor_name(anchor.id, anchor.time)).value();
      ids.push_back(id);
      const auto print = fingerprint_of(m, st);
      const bool final = anchor.time < cut;
      const auto was = std::find_if(open.begin(), open.end(), [&](const auto &o) { return o.id == id; });
      tracked_detection told{id, anchor.time, anchor.id, print.shown, print.exact};
      if (was == open.end()) {
        // Made once already, and closed: these are its events delivered again.
        if (book.contains(id)) {
          ++stats.repeated;
          continue;
        }
        announce(rule, slot, st, m, id, false);
      } else if (was->shown != print.shown || (final && was->exact != print.exact)) {
        announce(rule, slot, st, m, id, true);
      } else {
        told = *was;  // unchanged as far as announcements go
      }
      if (final) seal(rule, st, m);
      else still_open.push_back(std::move(told));
    }
    for (const auto &o : open)
      if (std::find(ids.begin(), ids.end(), o.id) == ids.end()) book.withdraw(o.id);
    // Into the key's own list, which keeps its memory, as still_open keeps its own for the next rescan.
    st.open.assign(std::make_move_iterator(still_open.begin()), std::make_move_iterator(still_open.end()));
    if (!closing) prune(rule, st);
  }

  static std::size_t first_at(const hit_state &st, std::int64_t time) {
    return static_cast<std::size_t>(
        std::lower_bound(st.hits.begin(), st.hits.end(), time, [](const hit &h, std::int64_t v) { return h.time < v; }) -
        st.hits.begin());
  }

  // An open burst the new hit cannot reach: unchanged, unless it is now final,
  // when it is sealed and its exact figures announced if the last revision
  // showed them only coarsely.
  void settle_standing(const compiled_rule &rule, key_state &slot, hit_state &st, tracked_detection o, std::int64_t cut,
                       std::vector<tracked_detection> &still_open) {
    if (o.anchor_time >= cut) {
      still_open.push_back(std::move(o));
      return;
    }
    hit where;
    where.time = o.anchor_time;
    where.id = o.anchor_id;
    match &m = settling;  // kept for its vectors' memory: bursts become final all the time
    m.clear();
    m.anchor = static_cast<std::size_t>(std::lower_bound(st.hits.begin(), st.hits.end(), where) - st.hits.begin());
    if (m.anchor >= st.hits.size()) return;
    m.end = first_at(st, o.anchor_time + rule.window_ns + 1);
    describe_burst(st.hits, window_of(rule), m);
    if (fingerprint_of(m, st).exact != o.exact) announce(rule, slot, st, m, o.id, true);
    seal(rule, st, m);
  }

  static void seal(const compiled_rule &rule, hit_state &st, const match &m) {
    if (rule.kind == rule_kind::sequence) {
      for (const auto i : m.evidence) st.hits[i].sealed = true;
      return;
    }
    for (std::size_t i = m.anchor; i < m.end; ++i) st.hits[i].sealed = true;
  }

  // ---- volume: a window's count against the key's typical volume (volume.hpp) ----

  static std::int64_t window_index(std::int64_t t, std::int64_t w) { return t >= 0 ? t / w : -((-t + w - 1) / w); }
  // Windows within this many of the newest may still receive events.
  std::int64_t open_windows(const compiled_rule &rule) const { return (lateness_ns() + rule.window_ns - 1) / rule.window_ns; }

  void volume(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, symbol identity) {
    const event &e = fields.current();
    hit h = hit_of(e, identity, false);
    h.value = e.action;
    // Named references, not a structured binding: the lambda below captures them (clang 14 cannot capture bindings).
    auto state = state_for<volume_state>(rule, rt, fields, h.time);
    key_state &slot = state.first;
    volume_state &st = state.second;
    if (st.newest != INT64_MIN && h.time <= st.newest - lateness_ns()) {
      ++stats.too_late;
      return;
    }
    display_of(rule, slot, &fields);
    st.newest = std::max(st.newest, h.time);
    // An identity's peer group is the same on all its events: made once per identity and grouping.
    // (IAM users' groups change with AddUserToGroup events, so theirs is looked up each time.)
    if (e.who.type == identity_type::iam_user && !derived.groups.empty()) {
      st.peer = peer_group_of(e, symbols, rule.volume.peers, &derived);
    } else {
      auto [group, fresh] = peer_names[static_cast<std::size_t>(rule.volume.peers)].try_emplace(identity.id);
      if (fresh) group->second = peer_group_of(e, symbols, rule.volume.peers, &derived);
      if (st.peer != group->second) st.peer = group->second;
    }
    auto *peers = count_for_peers(rule, rt, st.peer, h);
    auto &w = st.window(window_index(h.time, rule.window_ns));
    st.count(w, h, options.max_event_ids);
    judge_window(rule, slot, st, w, peers, false);
    const auto through = window_index(st.newest, rule.window_ns) - 1 - open_windows(rule);
    st.fold(through, rule.window_ns, false, [&](volume_window &closed) { judge_window(rule, slot, st, closed, peers, true); });
    st.forget_before(through - open_windows(rule) - 1);
  }

  volume_state *count_for_peers(const compiled_rule &rule, rule_runtime &rt, const std::string &key, const hit &h) {
    if (key.empty()) return nullptr;
    if (rt.peers.size() >= options.max_keys_per_rule && !rt.peers.contains(key)) {
      const auto oldest = std::min_element(rt.peers.begin(), rt.peers.end(),
                                           [](const auto &a, const auto &b) { return std::tie(a.second.newest, a.first) < std::tie(b.second.newest, b.first); });
      rt.peers.erase(oldest);
      ++stats.evictions;
    }
    auto &ps = rt.peers[key];
    // Too late for its peers' windows, it still counts for its own.
    if (ps.newest != INT64_MIN && h.time <= ps.newest - lateness_ns()) return &ps;
    ps.newest = std::max(ps.newest, h.time);
    auto &w = ps.window(window_index(h.time, rule.window_ns));
    ++w.count;
    const auto at = std::lower_bound(w.members.begin(), w.members.end(), h.identity.id);
    if (at == w.members.end() || *at != h.identity.id) w.members.insert(at, h.identity.id);
    const auto through = window_index(ps.newest, rule.window_ns) - 1 - open_windows(rule);
    ps.fold(through, rule.window_ns, true, [](volume_window &) {});
    ps.forget_before(through - open_windows(rule) - 1);
    return &ps;
  }

  // The window against the baseline of the windows closed before it could open:
  // its own once it has min_history busy windows, else its peers', else none.
  void judge_window(const compiled_rule &rule, key_state &slot, const volume_state &st, volume_window &w,
                    const volume_state *peers, bool closing) {
    const auto through = w.index - 1 - open_windows(rule);
    const typical_volume *base = &st.baseline_through(through);
    bool from_peers = false;
    if (base->busy < rule.volume.min_history) {
      base = peers ? &peers->baseline_through(through) : nullptr;
      from_peers = true;
      if (base && base->busy < rule.volume.min_history) base = nullptr;
    }
    const auto &v = rule.volume;
    const double needed = base ? std::max(static_cast<double>(v.floor), std::ceil(v.factor * base->typical))
                               : static_cast<double>(v.floor) * v.factor;
    if (static_cast<double>(w.count) < needed) return;
    const bool changed = w.shown == 0 || (closing ? w.shown != w.count
                                                  : w.count <= options.max_event_ids || std::bit_width(w.count) != std::bit_width(w.shown));
    if (!changed || w.evidence.empty()) return;
    const auto id = detection_id().add(rule.info.id).add(slot.display).add(w.index * rule.window_ns).value();
    if (w.shown == 0 && book.contains(id)) {
      ++stats.repeated;
      w.shown = w.count;
      return;
    }
    std::vector<std::string> ids, actions;
    for (const auto &h : w.evidence) {
      ids.push_back(h.id.str());
      if (const auto action = symbols.str(h.value); std::find(actions.begin(), actions.end(), action) == actions.end())
        actions.emplace_back(action);
    }
    const auto &first = w.evidence.front();
    auto d = make(rule, slot.display, first.identity, first.source, first.time, w.last, std::move(ids), w.count, actions,
                  why_unusual(rule, w.count, base, from_peers, needed));
    // Ten times past what fires it: one level more unusual.
    if (base && static_cast<double>(w.count) >= 10 * needed && d.level < severity::critical)
      d.level = static_cast<severity>(static_cast<int>(d.level) + 1);
    if (w.shown == 0) book.add(id, std::move(d));
    else book.revise(id, std::move(d));
    w.shown = w.count;
  }

  static std::string why_unusual(const compiled_rule &rule, std::uint64_t count, const typical_volume *base,
                                 bool from_peers, double needed) {
    const auto window = std::to_string(rule.window_ns / 60'000'000'000) + " min";
    std::string why = std::to_string(count) + " in " + window + "; ";
    if (!base) return why + "no history yet, so " + std::to_string(static_cast<long long>(needed)) + " were needed";
    char typical[32];
    std::snprintf(typical, sizeof typical, "%.1f", base->typical);
    return why + (from_peers ? "its peers' typical is " : "its typical is ") + typical + " per busy " + window;
  }

  // At the end, or when a key goes, its open windows have their exact figures.
  void close_volume(const compiled_rule &rule, key_state &slot, volume_state &st, rule_runtime &rt) {
    const auto found = rt.peers.find(st.peer);
    const volume_state *peers = found == rt.peers.end() ? nullptr : &found->second;
    for (auto &w : st.open) judge_window(rule, slot, st, w, peers, true);
  }

  // A value new to its group after the learning period. The history is in
  // event time: a late event that shows the value earlier supersedes the
  // detection, or withdraws it when that falls within the learning period.
  void first_seen(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, symbol identity) {
    const auto found = fields.get(rule.seen_field);
    if (!found || found->empty()) return;
    const event &e = fields.current();
    const std::int64_t t = to_unix_nanos(e.time);
    const std::string value(*found);
    auto [slot, st] = state_for<first_seen_state>(rule, rt, fields, t);
    // learn_from: a value seen on such an event is the key's own (an instance's address from its SSM agent).
    const bool taught = rule.learn_from && evaluate(*rule.learn_from, fields);
    const bool learning_moved = t < st.first || (taught && !st.any_taught);
    st.first = std::min(st.first, t);
    st.any_taught = st.any_taught || taught;
    auto entry = std::find_if(st.values.begin(), st.values.end(), [&](const seen_value &v) { return v.value == value; });
    bool changed = false;
    if (entry == st.values.end()) {
      st.values.push_back({value, t, t, e.id, identity, false, e.source.text, taught, {}});
      entry = st.values.end() - 1;
      changed = true;
    } else {
      if (taught && !entry->taught) {
        entry->taught = true;
        changed = true;
      }
      entry->last = std::max(entry->last, t);
      if (std::tie(t, e.id) < std::tie(entry->first, entry->id)) {
        entry->first = t;
        entry->id = e.id;
        entry->identity = identity;
        entry->source = e.source.text;
        changed = true;
      }
    }
    if (rule.rare_below > 0) {
      const bool joined = note_user(*entry, identity, t, e);
      if (learning_moved)
        for (auto &v : st.values) judge_rare(rule, slot, st, v, fields);
      else if (joined)
        judge_rare(rule, slot, st, *entry, fields);
      forget_least_recent(rule, st);
      return;
    }
    if (learning_moved) {
      for (auto &v : st.values) judge(rule, slot, st, v, changed && &v == &*entry, fields);
    } else if (changed) {
      judge(rule, slot, st, *entry, true, fields);
    }
    forget_least_recent(rule, st);
  }

  // rare: the identity's first use of the value, in (time, id) order among the group's users.
  static bool note_user(seen_value &v, symbol identity, std::int64_t t, const event &e) {
    auto it = std::find_if(v.users.begin(), v.users.end(), [&](const rare_user &u) { return u.identity == identity; });
    if (it != v.users.end()) {
      if (std::tie(t, e.id) >= std::tie(it->first, it->id)) return false;
      it->first = t;
      it->id = e.id;
      it->source = e.source.text;
    } else {
      v.users.push_back({identity, t, e.id, e.source.text, false});
    }
    std::sort(v.users.begin(), v.users.end(),
              [](const rare_user &a, const rare_user &b) { return std::tie(a.first, a.id) < std::tie(b.first, b.id); });
    return true;
  }

  // The first rare_below identities of the group to use a value after the learning period are
  // each a detection; one that a late earlier user pushes back is withdrawn.
  void judge_rare(const compiled_rule &rule, key_state &slot, const first_seen_state &st, seen_value &v,
                  field_reader &fields) {
    for (std::size_t rank = 0; rank < v.users.size(); ++rank) {
      auto &u = v.users[rank];
      const bool rare = rank < rule.rare_below && !v.taught && u.first - st.first >= rule.learning_ns;
      const std::string who(symbols.str(u.identity));
      const auto id = detection_id().add(rule.info.id).add(display_of(rule, slot, &fields)).add(v.value).add(who).value();
      if (!rare) {
        if (u.reported) book.withdraw(id);
        u.reported = false;
        continue;
      }
      if (!u.reported && book.contains(id)) {
        u.reported = true;  // reported before this key's history was forgotten
        ++stats.repeated;
        continue;
      }
      auto d = make(rule, slot.display, u.identity, u.source, u.first, u.first, {u.id}, 1, {v.value},
                    std::to_string(rank) + (rank == 1 ? " other identity" : " other identities") + " of " +
                        slot.display + " did it before");
      if (u.reported) book.revise(id, std::move(d));
      else book.add(id, std::move(d));
      u.reported = true;
    }
    if (v.users.size() > rule.rare_below + 1) v.users.resize(rule.rare_below + 1);  // the rest are not rare
  }

  void judge(const compiled_rule &rule, key_state &slot, const first_seen_state &st, seen_value &v, bool changed,
             field_reader &fields) {
    // Never new once the key's own events showed it; no learning period once any value was shown so.
    const bool is_new = !v.taught && (v.first - st.first >= rule.learning_ns || st.any_taught);
    if (is_new ? v.reported && !changed : !v.reported) return;
    const auto id = detection_id().add(rule.info.id).add(display_of(rule, slot, &fields)).add(v.value).value();
    if (!is_new) {
      book.withdraw(id);
      v.reported = false;
      return;
    }
    if (!v.reported && book.contains(id)) {
      ++stats.repeated;  // reported before this key's history was forgotten
      return;
    }
    auto d = make(rule, slot.display, v.identity, v.source, v.first, v.first, {v.id}, 1, {v.value});
    if (v.reported) book.revise(id, std::move(d));
    else book.add(id, std::move(d));
    v.reported = true;
  }

  void forget_least_recent(const compiled_rule &rule, first_seen_state &st) {
    if (st.values.size() <= rule.history) return;
    const auto oldest = std::min_element(st.values.begin(), st.values.end(), [](const seen_value &a, const seen_value &b) {
      return std::tie(a.last, a.value) < std::tie(b.last, b.value);
    });
    st.values.erase(oldest);
    ++stats.evictions;
  }

  void absence(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, symbol identity) {
    const bool follows = evaluate(rule.steps[1].match, fields);
    const bool starts = evaluate(rule.steps[0].match, fields);
    if (!follows && !starts) return;
    const event &e = fields.current();
    const std::int64_t t = to_unix_nanos(e.time);
    auto [slot, st] = state_for<absence_state>(rule, rt, fields, t);
    st.newest = std::max(st.newest, t);
    for (auto it = st.pending.begin(); it != st.pending.end();) {
      if (it->late && st.newest > it->time + rule.window_ns && !follows) {
        const auto p = *it;
        it = st.pending.erase(it);
        fire_absence(rule, slot, p);
      } else {
        ++it;
      }
    }
    if (follows) {
      st.last_follow_up = std::max(st.last_follow_up, t);
      std::erase_if(st.pending, [&](const pending_absence &p) { return p.time <= t && t - p.time <= rule.window_ns; });
    }
    // A follow-up in the same second may have been released first.
    if (starts && st.last_follow_up != t) {
      if (st.pending.size() >= options.max_partial_matches) {
        st.pending.erase(st.pending.begin());
        ++stats.evictions;
      }
      display_of(rule, slot, &fields);  // fired later, when no event of the key is at hand
      st.pending.push_back(pending_absence{t, identity, e.id, !releasing, e.source.text});
      auto &due = next_due[static_cast<std::size_t>(&rule - rules.compiled()->rules.data())];
      due = std::min(due, t + rule.window_ns);
    }
  }

  void fire_absence(const compiled_rule &rule, const key_state &slot, const pending_absence &p) {
    const auto id = detection_id().add(rule.info.id).add(slot.display).add(anchor_name(p.id, p.time)).value();
    if (book.contains(id)) {
      ++stats.repeated;
      return;
    }
    auto d = make(rule, slot.display, p.identity, p.source, p.time, p.time, {p.id}, 1, {});
    book.add(id, std::move(d));
  }

  // Fires absences whose deadline `now` has passed. Keys are only scanned when
  // the earliest deadline of the rule is due, not on every event.
  void fire_due_absences(std::int64_t now, bool at_end = false) {
    if (now == INT64_MIN) return;
    const auto &compiled = rules.compiled()->rules;
    for (const std::size_t i : absence_rules) {
      if (!at_end && now <= next_due[i]) continue;
      std::int64_t earliest = INT64_MAX;
      for (auto &[key, slot] : runtime[i].keys) {
        auto *st = std::get_if<absence_state>(&slot.data);
        if (!st) continue;
        for (auto it = st->pending.begin(); it != st->pending.end();) {
          const auto deadline = it->time + compiled[i].window_ns;
          // A late start is judged by its own key's later events, not by a watermark it arrived behind.
          const bool due = it->late ? (st->newest > deadline || (at_end && now > deadline)) : deadline < now;
          if (due) {
            const auto p = *it;
            it = st->pending.erase(it);
            fire_absence(compiled[i], slot, p);
          } else {
            if (!it->late) earliest = std::min(earliest, deadline);
            ++it;
          }
        }
      }
      next_due[i] = earliest;
    }
  }

  bool idle(const key_state &k, std::int64_t ttl) const {
    // Idle in event time and not used since the watermark passed: a late stream's keys stay while in use.
    return watermark != INT64_MIN && k.last_ns < watermark - ttl && k.touched < watermark - ttl;
  }

  // What a dropped key had open is closed first, so its figures are final.
  void drop(const compiled_rule &rule, key_state &k, rule_runtime &rt) {
    close_key(rule, k, rt);
    ++stats.evictions;
  }

  // What a key has open gets its exact, final figures.
  void close_key(const compiled_rule &rule, key_state &k, rule_runtime &rt) {
    if (auto *st = std::get_if<hit_state>(&k.data)) rescan(rule, k, *st, true);
    else if (auto *v = std::get_if<volume_state>(&k.data)) close_volume(rule, k, *v, rt);
  }

  // Drops group keys idle for longer than the TTL: state stays bounded
  // however many identities come and go.
  void sweep_idle() {
    const std::int64_t ttl = nanos(options.key_ttl);
    const auto &compiled = rules.compiled()->rules;
    for (std::size_t i = 0; i < runtime.size(); ++i) {
      auto &keys = runtime[i].keys;
      for (auto it = keys.begin(); it != keys.end();) {
        const auto *pending = std::get_if<absence_state>(&it->second.data);
        if (idle(it->second, ttl) && !(pending && !pending->pending.empty())) {
          drop(compiled[i], it->second, runtime[i]);
          it = keys.erase(it);
        } else {
          ++it;
        }
      }
      std::erase_if(runtime[i].peers, [&](const auto &p) { return p.second.newest < watermark - ttl; });
    }
    count_keys();
  }

  // At the cap, exactly the least recently used keys go (by time, then key),
  // down to 90% of it, so the cost is paid once per tenth of the cap.
  void drop_least_recent(const compiled_rule &rule, rule_runtime &rt) {
    auto &keys = rt.keys;
    std::vector<std::pair<std::int64_t, const std::string *>> order;
    order.reserve(keys.size());
    for (const auto &[k, st] : keys) order.emplace_back(std::max(st.last_ns, st.touched), &k);
    const auto count = keys.size() - options.max_keys_per_rule * 9 / 10;
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                     [](const auto &a, const auto &b) { return a.first != b.first ? a.first < b.first : *a.second < *b.second; });
    std::vector<std::string> victims;
    for (std::size_t j = 0; j < count; ++j) victims.push_back(*order[j].second);
    for (const auto &v : victims) {
      drop(rule, keys.at(v), rt);
      keys.erase(v);
    }
    count_keys();
  }
};

}  // namespace v0
}  // namespace identrail
