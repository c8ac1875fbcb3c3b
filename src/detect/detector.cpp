#include "identrail/detect/detector.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "../core/duplicate_filter.hpp"
#include "evaluate.hpp"
#include "identrail/engine.hpp"
#include "rule_model.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using namespace detail;

struct count_state {
  std::vector<std::pair<std::int64_t, std::string>> hits;  // (time, event id); a vector keeps idle keys small
};
struct distinct_state {
  std::map<std::string, std::pair<std::int64_t, std::string>> values;  // value -> (last time, event id)
};
struct partial_match {
  std::size_t next = 1;
  std::int64_t start = 0;
  std::int64_t last = 0;  // time of the latest step: a step never goes back in time
  std::vector<std::string> ids;
};
struct step_hit {
  std::int64_t time;
  std::size_t step;
  std::string id;
};
struct sequence_state {
  std::vector<partial_match> partials;
  // Later-step events of the newest second. CloudTrail times have one-second
  // resolution, so a step and the next one in the same second may be released
  // in either order; a sequence started in that second still takes them.
  std::vector<step_hit> same_second;
};
struct all_of_state {
  std::vector<std::int64_t> seen;  // per step, 0 = not seen
  std::vector<std::string> ids;    // per step, the event that last matched it
};
struct pending_absence {
  std::int64_t time = 0;
  symbol identity;
  std::string id;
  std::string group;  // as displayed: absences fire after their event is gone
  bool late = false;  // arrived behind the watermark: only the key's own later events (or finish) decide it
};
struct absence_state {
  std::vector<pending_absence> pending;  // oldest first
  std::int64_t last_follow_up = INT64_MIN;
  std::int64_t newest = INT64_MIN;  // the key's newest event time
};
struct first_seen_state {
  std::int64_t first = 0;
  std::vector<std::string> values;  // least recently seen first; a vector, as most keys hold one or two
};

struct key_state {
  std::int64_t last_ns = 0;
  std::int64_t touched = INT64_MIN;  // the watermark when the key was last used: ages late streams' keys fairly
  // After a count or distinct rule fires, the key stays quiet for one window:
  // one burst is one detection, not one per extra event.
  std::int64_t quiet_until = INT64_MIN;
  std::variant<count_state, distinct_state, sequence_state, all_of_state, absence_state, first_seen_state> data;
};

struct rule_runtime {
  std::unordered_map<std::string, key_state> keys;
};

// Release order: event time, then event id, then arrival. Ids make the order
// of same-second events independent of how they were delivered.
struct held_event {
  std::int64_t time;
  std::string_view id;  // into the pooled event, whose slot never moves
  std::uint64_t arrival;
  std::size_t slot;
  // For a min-heap through std::push_heap, which keeps the largest on top.
  bool operator<(const held_event &o) const { return std::tie(time, id, arrival) > std::tie(o.time, o.id, o.arrival); }
};

constexpr std::size_t kSweepEvery = 4096;
constexpr std::size_t kMaxFiredIds = 1'000'000;

}  // namespace

struct detector::impl {
  impl(rule_set r, symbol_table &table, detector_options o)
      : rules(std::move(r)), symbols(table), options(o), runtime(rules.size()),
        seen_ids(std::chrono::duration_cast<std::chrono::nanoseconds>(o.repeat_horizon).count()),
        unknown(table.intern("unknown")) {
    build_index();
  }

  // Which rules an evaluation runs: the single-event ones as an event
  // arrives, the stateful ones once it is released in event-time order.
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
  std::vector<std::int64_t> next_due;      // per rule: the earliest pending deadline (INT64_MAX: none)

  void build_index() {
    const auto &compiled = rules.compiled()->rules;
    next_due.assign(compiled.size(), INT64_MAX);
    for (std::size_t i = 0; i < compiled.size(); ++i) {
      if (compiled[i].kind == rule_kind::absence) absence_rules.push_back(i);
      if (!compiled[i].emit) continue;  // only referenced by a correlation rule
      auto &phase_index = indexes[compiled[i].kind == rule_kind::event ? 0 : 1];
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
  // Held-back events live in reused slots (a deque: slots never move), so
  // holding an event copies into warm strings instead of allocating.
  std::deque<event> pool;
  std::vector<std::size_t> free_slots;
  std::vector<held_event> held;
  duplicate_filter seen_ids;
  symbol unknown;
  std::int64_t max_time = INT64_MIN;
  std::int64_t watermark = INT64_MIN;  // everything at or before it has been released
  std::uint64_t arrivals = 0;
  std::uint64_t released = 0;
  std::vector<detection> results;
  std::unordered_set<std::string> fired_ids;  // rule id + NUL + event id, for every event of every detection
  std::function<void(const detection &)> callback;
  detector_stats stats;

  std::int64_t lateness_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(options.allowed_lateness).count();
  }

  void take(const event &e) {
    ++stats.events;
    // A copy fed twice (no normalizer in front, or one that keeps duplicates) is not evaluated twice.
    if (options.filter_repeats && !e.id.empty() &&
        seen_ids.insert(make_dedup_key(e), to_unix_nanos(e.time)) == duplicate_filter::verdict::repeat) {
      ++stats.repeated;
      return;
    }
    // A single-event rule needs no other event, hence no wait: it fires on
    // arrival, whatever the lateness. The stateful ones wait for event-time order.
    evaluate_event(e, phase::on_arrival);
    const std::int64_t t = to_unix_nanos(e.time);
    if (t <= watermark) {
      ++stats.late;
      evaluate_event(e, phase::in_time_order);
      return;
    }
    std::size_t slot;
    if (free_slots.empty()) {
      slot = pool.size();
      pool.push_back(e);
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
      pool[slot] = e;
    }
    held.push_back(held_event{t, pool[slot].id, arrivals++, slot});
    std::push_heap(held.begin(), held.end());
    max_time = std::max(max_time, t);
    release_until(max_time - lateness_ns());
    stats.pending = held.size();
  }

  void release_until(std::int64_t limit) {
    while (!held.empty() && held.front().time <= limit) {
      std::pop_heap(held.begin(), held.end());
      const held_event next = held.back();
      held.pop_back();
      watermark = std::max(watermark, next.time);
      evaluate_event(pool[next.slot], phase::in_time_order);
      free_slots.push_back(next.slot);
    }
    if (limit > watermark && limit != INT64_MAX) watermark = limit;
    fire_due_absences(watermark);
  }

  void finish() {
    release_until(INT64_MAX);
    stats.pending = 0;
    // An absence is due only once the data reach past its deadline.
    fire_due_absences(max_time, true);
  }

  void evaluate_event(const event &e, phase when) {
    const symbol id_sym = identity_key_of(e);
    const symbol identity = id_sym.empty() ? unknown : id_sym;
    field_reader fields(e, symbols, identity);
    const auto &compiled = rules.compiled()->rules;
    for (const std::size_t i : rules_for(e, when)) {
      const auto &rule = compiled[i];
      if (!evaluate(rule.match, fields)) {
        // `until` cancels open sequences whatever the prefilter says.
        if (rule.kind == rule_kind::sequence && rule.until && evaluate(*rule.until, fields)) {
          const auto it = runtime[i].keys.find(group_key(rule, fields));
          if (it != runtime[i].keys.end())
            if (auto *st = std::get_if<sequence_state>(&it->second.data)) st->partials.clear();
        }
        continue;
      }
      run(rule, runtime[i], fields, identity);
    }
    if (when == phase::in_time_order && ++released % kSweepEvery == 0) sweep();
  }

  // The key state is kept under: symbol ids where the field is interned (an
  // identity key is 4 bytes, inside std::string's own buffer), text otherwise.
  std::string group_key(const compiled_rule &rule, field_reader &fields) {
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

  // The same key as people read it, for the detection.
  static std::string display_key(const compiled_rule &rule, field_reader &fields) {
    std::string key;
    for (std::size_t i = 0; i < rule.group_by.size(); ++i) {
      if (i) key.push_back('|');
      const auto value = fields.get(rule.group_by[i]);
      if (value) key.append(*value);
    }
    return key;
  }

  bool quiet(rule_runtime &rt, const std::string &key, std::int64_t t) {
    const auto it = rt.keys.find(key);
    return it != rt.keys.end() && t < it->second.quiet_until;
  }

  template <class State>
  State &state_for(rule_runtime &rt, const std::string &key, std::int64_t t) {
    auto &slot = rt.keys[key];
    slot.last_ns = std::max(slot.last_ns, t);
    slot.touched = watermark;
    if (!std::holds_alternative<State>(slot.data)) slot.data = State{};
    return std::get<State>(slot.data);
  }

  void run(const compiled_rule &rule, rule_runtime &rt, field_reader &fields, symbol identity) {
    const event &e = fields.current();
    const std::int64_t t = to_unix_nanos(e.time);
    switch (rule.kind) {
      case rule_kind::event:
        fire(rule, identity, display_key(rule, fields), t, t, {e.id}, 1, {std::string(symbols.str(e.action))});
        return;
      case rule_kind::count: {
        const auto key = group_key(rule, fields);
        if (quiet(rt, key, t)) return;
        auto &st = state_for<count_state>(rt, key, t);
        // A copy of an event already counted does not count again.
        if (!e.id.empty() && std::any_of(st.hits.begin(), st.hits.end(), [&](const auto &h) { return h.second == e.id; }))
          return;
        st.hits.emplace_back(t, e.id);
        // A late event may be older than the others: the window ends at the newest hit, whichever it is.
        std::int64_t newest = INT64_MIN;
        for (const auto &h : st.hits) newest = std::max(newest, h.first);
        std::erase_if(st.hits, [&](const auto &h) { return newest - h.first > rule.window_ns; });
        if (st.hits.size() >= rule.threshold) {
          std::vector<std::string> ids;
          std::int64_t first = INT64_MAX, last = INT64_MIN;
          for (const auto &[time, id] : st.hits) {
            ids.push_back(id);
            first = std::min(first, time);
            last = std::max(last, time);
          }
          const auto count = st.hits.size();
          st.hits.clear();
          rt.keys[key].quiet_until = t + rule.window_ns;
          fire(rule, identity, display_key(rule, fields), first, last, std::move(ids), count, {});
        }
        return;
      }
      case rule_kind::distinct: {
        const auto found = fields.get(rule.distinct);
        if (!found || found->empty()) return;
        const std::string value(*found);
        const auto key = group_key(rule, fields);
        if (quiet(rt, key, t)) return;
        auto &st = state_for<distinct_state>(rt, key, t);
        auto &entry = st.values[value];
        entry = {std::max(entry.first, t), e.id};
        std::int64_t newest = INT64_MIN;
        for (const auto &v : st.values) newest = std::max(newest, v.second.first);
        std::erase_if(st.values, [&](const auto &v) { return newest - v.second.first > rule.window_ns; });
        if (st.values.size() >= rule.threshold) {
          std::vector<std::pair<std::int64_t, std::string>> hits;
          std::vector<std::string> values;
          for (const auto &[v, hit] : st.values) {
            hits.push_back(hit);
            values.push_back(v);
          }
          std::sort(hits.begin(), hits.end());
          std::vector<std::string> ids;
          for (auto &h : hits) ids.push_back(std::move(h.second));
          const auto count = st.values.size();
          st.values.clear();
          rt.keys[key].quiet_until = t + rule.window_ns;
          fire(rule, identity, display_key(rule, fields), hits.front().first, t, std::move(ids), count, std::move(values));
        }
        return;
      }
      case rule_kind::sequence: {
        const auto key = group_key(rule, fields);
        // State is made only when a sequence starts: idle identities cost nothing.
        const auto existing = rt.keys.find(key);
        const bool open = existing != rt.keys.end() && std::holds_alternative<sequence_state>(existing->second.data) &&
                          !std::get<sequence_state>(existing->second.data).partials.empty();
        const bool starts = evaluate(rule.steps.front().match, fields);
        if (!open && !starts) {
          // Remember a later step in this second, in case its start comes next.
          for (std::size_t j = 1; j < rule.steps.size(); ++j)
            if (evaluate(rule.steps[j].match, fields)) {
              auto &st = state_for<sequence_state>(rt, key, t);
              std::erase_if(st.same_second, [&](const step_hit &h) { return h.time != t; });
              if (st.same_second.size() < options.max_partial_matches) st.same_second.push_back({t, j, e.id});
              break;
            }
          return;
        }
        auto &st = state_for<sequence_state>(rt, key, t);
        if (rule.until && evaluate(*rule.until, fields)) {
          st.partials.clear();
          return;
        }
        std::erase_if(st.partials, [&](const partial_match &p) { return t - p.start > rule.window_ns; });
        auto complete = [&](partial_match &p) {
          fire(rule, identity, display_key(rule, fields), p.start, p.last, p.ids, rule.steps.size(), {});
        };
        for (auto it = st.partials.begin(); it != st.partials.end();) {
          if (t >= it->last && evaluate(rule.steps[it->next].match, fields)) {
            it->ids.push_back(e.id);
            it->last = t;
            if (++it->next == rule.steps.size()) {
              complete(*it);
              it = st.partials.erase(it);
              continue;
            }
          }
          ++it;
        }
        if (starts) {
          if (st.partials.size() >= options.max_partial_matches) {
            st.partials.erase(st.partials.begin());
            ++stats.evictions;
          }
          partial_match p{1, t, t, {e.id}};
          // Steps of this same second that were released before their start.
          for (bool advanced = true; advanced && p.next < rule.steps.size();) {
            advanced = false;
            for (const auto &h : st.same_second)
              if (h.time == t && h.step == p.next) {
                p.ids.push_back(h.id);
                ++p.next;
                advanced = true;
                break;
              }
          }
          if (p.next == rule.steps.size()) complete(p);
          else st.partials.push_back(std::move(p));
        }
        return;
      }
      case rule_kind::all_of: {
        std::vector<std::size_t> matched;
        for (std::size_t j = 0; j < rule.steps.size(); ++j)
          if (evaluate(rule.steps[j].match, fields)) matched.push_back(j);
        if (matched.empty()) return;
        const auto key = group_key(rule, fields);
        auto &st = state_for<all_of_state>(rt, key, t);
        if (st.seen.empty()) {
          st.seen.assign(rule.steps.size(), 0);
          st.ids.assign(rule.steps.size(), {});
        }
        for (const auto j : matched)
          if (t >= st.seen[j]) {
            st.seen[j] = t;
            st.ids[j] = e.id;  // the detection names the events inside the window, one per step
          }
        const bool all_recent = std::all_of(st.seen.begin(), st.seen.end(),
                                            [&](std::int64_t s) { return s != 0 && t - s <= rule.window_ns; });
        if (all_recent) {
          const auto first = *std::min_element(st.seen.begin(), st.seen.end());
          std::vector<std::pair<std::int64_t, std::string>> by_time;
          for (std::size_t j = 0; j < st.seen.size(); ++j) by_time.emplace_back(st.seen[j], std::move(st.ids[j]));
          std::sort(by_time.begin(), by_time.end());
          std::vector<std::string> ids;
          for (auto &[when, id] : by_time) ids.push_back(std::move(id));
          st = all_of_state{};
          fire(rule, identity, display_key(rule, fields), first, t, std::move(ids), rule.steps.size(), {});
        }
        return;
      }
      case rule_kind::absence: {
        const bool follows = evaluate(rule.steps[1].match, fields);
        const bool starts = evaluate(rule.steps[0].match, fields);
        if (!follows && !starts) return;
        const auto key = group_key(rule, fields);
        auto &st = state_for<absence_state>(rt, key, t);
        st.newest = std::max(st.newest, t);
        for (auto it = st.pending.begin(); it != st.pending.end();) {
          if (it->late && st.newest > it->time + rule.window_ns && !follows) {
            const auto p = *it;
            it = st.pending.erase(it);
            fire(rule, p.identity, p.group, p.time, p.time, {p.id}, 1, {});
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
          st.pending.push_back(pending_absence{t, identity, e.id, display_key(rule, fields), t <= watermark});
          auto &due = next_due[static_cast<std::size_t>(&rule - rules.compiled()->rules.data())];
          due = std::min(due, t + rule.window_ns);
        }
        return;
      }
      case rule_kind::first_seen: {
        const auto found = fields.get(rule.seen_field);
        if (!found || found->empty()) return;
        const std::string value(*found);
        const auto key = group_key(rule, fields);
        const auto existing = rt.keys.find(key);
        const bool fresh_key = existing == rt.keys.end() || !std::holds_alternative<first_seen_state>(existing->second.data);
        auto &st = state_for<first_seen_state>(rt, key, t);
        if (fresh_key) st.first = t;
        const auto it = std::find(st.values.begin(), st.values.end(), value);
        if (it != st.values.end()) {
          std::rotate(it, it + 1, st.values.end());  // most recently seen last
          return;
        }
        st.values.push_back(value);
        if (st.values.size() > rule.history) {
          st.values.erase(st.values.begin());
          ++stats.evictions;
        }
        if (t - st.first >= rule.learning_ns) fire(rule, identity, display_key(rule, fields), t, t, {e.id}, 1, {value});
        return;
      }
    }
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
            fire(compiled[i], p.identity, p.group, p.time, p.time, {p.id}, 1, {});
          } else {
            if (!it->late) earliest = std::min(earliest, deadline);
            ++it;
          }
        }
      }
      next_due[i] = earliest;
    }
  }

  // Drops group keys idle for longer than the TTL, then the least recently
  // used beyond the cap: state stays bounded however many identities appear.
  void sweep() {
    const std::int64_t ttl = std::chrono::duration_cast<std::chrono::nanoseconds>(options.key_ttl).count();
    const auto &compiled = rules.compiled()->rules;
    for (std::size_t i = 0; i < runtime.size(); ++i) {
      auto &keys = runtime[i].keys;
      const bool keep_pending = compiled[i].kind == rule_kind::absence;
      stats.evictions += std::erase_if(keys, [&](const auto &entry) {
        if (keep_pending) {
          const auto *st = std::get_if<absence_state>(&entry.second.data);
          if (st && !st->pending.empty()) return false;
        }
        // Idle in event time and not used since the watermark passed: a late stream's keys stay while in use.
        const auto &k = entry.second;
        return watermark != INT64_MIN && k.last_ns < watermark - ttl && k.touched < watermark - ttl;
      });
      if (keys.size() > options.max_keys_per_rule) {
        // Exactly the least recently used go (by time, then key), down to 90% of the cap.
        std::vector<std::pair<std::int64_t, const std::string *>> order;
        order.reserve(keys.size());
        for (const auto &[k, st] : keys) order.emplace_back(std::max(st.last_ns, st.touched), &k);
        const auto drop = keys.size() - options.max_keys_per_rule * 9 / 10;
        std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(drop), order.end(),
                         [](const auto &a, const auto &b) { return a.first != b.first ? a.first < b.first : *a.second < *b.second; });
        std::vector<std::string> victims;
        for (std::size_t j = 0; j < drop; ++j) victims.push_back(*order[j].second);
        for (const auto &v : victims) keys.erase(v);
        stats.evictions += drop;
      }
    }
  }

  static std::string render(const std::string &templ, const detection &d, std::string_view identity, std::size_t count,
                            const std::vector<std::string> &values) {
    std::string values_text;
    for (std::size_t i = 0; i < values.size() && i < 8; ++i) values_text += (i ? ", " : "") + values[i];
    if (values.size() > 8) values_text += ", ...";
    std::string out;
    for (std::size_t i = 0; i < templ.size(); ++i) {
      if (templ[i] != '{') {
        out.push_back(templ[i]);
        continue;
      }
      const auto close = templ.find('}', i);
      if (close == std::string::npos) {
        out.append(templ, i);
        break;
      }
      const std::string_view name(templ.data() + i + 1, close - i - 1);
      if (name == "identity") out.append(identity);
      else if (name == "group") out.append(d.group_key);
      else if (name == "count") out.append(std::to_string(count));
      else if (name == "values") out.append(values_text);
      else if (name == "first_seen") out.append(format_rfc3339(d.first_seen));
      else if (name == "last_seen") out.append(format_rfc3339(d.last_seen));
      else if (name == "rule") out.append(d.rule_name);
      else out.append(templ, i, close - i + 1);
      i = close;
    }
    return out;
  }

  void fire(const compiled_rule &rule, symbol identity, std::string key, std::int64_t first, std::int64_t last,
            std::vector<std::string> ids, std::size_t count, std::vector<std::string> values) {
    detection d;
    d.rule_id = rule.info.id;
    d.rule_name = rule.info.name;
    d.level = rule.info.level;
    d.tactics = rule.info.tactics;
    d.techniques = rule.info.techniques;
    d.identity = identity;
    d.group_key = std::move(key);
    d.first_seen = from_unix_nanos(first);
    d.last_seen = from_unix_nanos(last);
    // A copy of an event counts once, however it got here.
    std::vector<std::string> unique;
    for (auto &id : ids)
      if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(std::move(id));
    // Events redelivered after the id filter's window can complete a rule a
    // second time: a detection whose events all made an earlier detection of
    // the same rule is that detection again, and is not repeated.
    // Events without an eventID cannot be told apart: they are never taken for repeats.
    const std::string rule_tag = rule.info.id + '\0';
    const bool identifiable = !unique.empty() && std::none_of(unique.begin(), unique.end(), [](const auto &id) { return id.empty(); });
    const bool seen_before = identifiable && std::all_of(unique.begin(), unique.end(), [&](const std::string &id) {
      return fired_ids.contains(rule_tag + id);
    });
    if (seen_before) {
      ++stats.repeated;
      return;
    }
    if (identifiable) {
      // Bounded like the rest of the state: forgetting old detections only risks a repeat, never a miss.
      if (fired_ids.size() > kMaxFiredIds) fired_ids.clear();
      for (const auto &id : unique) fired_ids.insert(rule_tag + id);
    }
    if (unique.size() > options.max_event_ids) unique.resize(options.max_event_ids);
    d.event_ids = std::move(unique);
    const auto who = symbols.str(identity);
    if (!rule.summary.empty()) {
      d.summary = render(rule.summary, d, who, count, values);
    } else {
      d.summary = rule.info.name + ": " + std::string(who);
      if (count > 1) d.summary += " (" + std::to_string(count) + " events)";
      if (!values.empty()) d.summary += ": " + render("{values}", d, who, count, values);
    }
    ++stats.detections;
    results.push_back(std::move(d));
    if (callback) callback(results.back());
  }
};

detector::detector(rule_set rules, symbol_table &symbols, detector_options options)
    : impl_(std::make_unique<impl>(std::move(rules), symbols, options)) {}
detector::~detector() = default;
detector::detector(detector &&) noexcept = default;
detector &detector::operator=(detector &&) noexcept = default;

void detector::process(const event &e) { impl_->take(e); }
void detector::finish() { impl_->finish(); }
void detector::on_detection(std::function<void(const detection &)> callback) { impl_->callback = std::move(callback); }
const std::vector<detection> &detector::detections() const noexcept { return impl_->results; }
const detector_stats &detector::stats() const noexcept { return impl_->stats; }
const rule_set &detector::rules() const noexcept { return impl_->rules; }

}  // namespace v0
}  // namespace identrail
