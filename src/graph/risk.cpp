#include "identrail/graph/risk.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace identrail {
inline namespace v0 {

std::string_view to_string(risk_level level) noexcept {
  switch (level) {
    case risk_level::none: return "none";
    case risk_level::low: return "low";
    case risk_level::medium: return "medium";
    case risk_level::high: return "high";
    case risk_level::critical: return "critical";
  }
  return "none";
}

std::string_view to_string(compromise_status status) noexcept {
  switch (status) {
    case compromise_status::normal: return "normal";
    case compromise_status::potentially_compromised: return "potentially_compromised";
    case compromise_status::compromised: return "compromised";
    case compromise_status::remediated: return "remediated";
  }
  return "normal";
}

result<risk_level> parse_risk_level(std::string_view text) {
  for (auto level : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high, risk_level::critical})
    if (to_string(level) == text) return level;
  return make_error(errc::invalid_argument, "unknown risk level '" + std::string(text) + "'");
}

result<compromise_status> parse_compromise_status(std::string_view text) {
  for (auto status : {compromise_status::normal, compromise_status::potentially_compromised,
                      compromise_status::compromised, compromise_status::remediated})
    if (to_string(status) == text) return status;
  if (text == "potentially-compromised") return compromise_status::potentially_compromised;
  return make_error(errc::invalid_argument, "unknown status '" + std::string(text) +
                                                "' (normal, potentially_compromised, compromised, remediated)");
}

namespace {

constexpr std::string_view discovery = "TA0007";
constexpr std::string_view defense_evasion = "TA0005";
// What discovery is a prelude to: the tactics that act on what was found.
constexpr std::string_view follow_ups[] = {"TA0006", "TA0004", "TA0003", "TA0005", "TA0010", "TA0040"};
// Cloud instance metadata API: an instance's credentials taken and used elsewhere.
constexpr std::string_view instance_credentials_taken = "T1552.005";

bool has(const std::vector<std::string> &values, std::string_view wanted) {
  return std::find(values.begin(), values.end(), wanted) != values.end();
}

risk_level raise(risk_level level) {
  return level == risk_level::critical ? level : static_cast<risk_level>(static_cast<int>(level) + 1);
}

bool worse(compromise_status a, compromise_status b) {
  // remediated is a person's statement, not a degree of compromise.
  const auto rank = [](compromise_status s) {
    return s == compromise_status::remediated ? 0 : static_cast<int>(s);
  };
  return rank(a) > rank(b);
}

struct working {
  assessment result;
  std::vector<const detection *> own;
  std::optional<timestamp> remediated_at;
  bool flagged = false;
  bool derived = false;  // marked through the graph, not by its own evidence
};

void assess_own(working &w) {
  std::vector<const detection *> evidence;
  for (const auto *d : w.own)
    if (!w.remediated_at || d->last_seen > *w.remediated_at) evidence.push_back(d);
  if (evidence.empty()) return;
  std::sort(evidence.begin(), evidence.end(), [](const detection *a, const detection *b) {
    if (a->level != b->level) return a->level > b->level;
    if (a->first_seen != b->first_seen) return a->first_seen < b->first_seen;
    return a->rule_id < b->rule_id;
  });
  auto &r = w.result;
  r.risk = evidence.front()->level == severity::info ? risk_level::low : static_cast<risk_level>(evidence.front()->level);
  r.reasons.push_back(evidence.front()->rule_id + " " + evidence.front()->rule_name + " (" +
                      std::string(to_string(evidence.front()->level)) + ")");
  std::unordered_set<std::string_view> tactics;
  for (const auto *d : evidence)
    for (const auto &t : d->tactics) tactics.insert(t);
  if (tactics.size() >= 3) {
    r.risk = raise(r.risk);
    r.reasons.push_back("detections span " + std::to_string(tactics.size()) + " ATT&CK tactics");
  }
  std::optional<timestamp> first_discovery;
  for (const auto *d : evidence)
    if (has(d->tactics, discovery) && (!first_discovery || d->first_seen < *first_discovery)) first_discovery = d->first_seen;
  const detection *follow_up = nullptr;
  const detection *evasion = nullptr;
  for (const auto *d : evidence) {
    if (!first_discovery || d->first_seen < *first_discovery) continue;
    for (const auto tactic : follow_ups)
      if (has(d->tactics, tactic) && !has(d->tactics, discovery) && (!follow_up || d->first_seen < follow_up->first_seen))
        follow_up = d;
    if (has(d->tactics, defense_evasion) && !has(d->tactics, discovery) &&
        (!evasion || d->first_seen < evasion->first_seen))
      evasion = d;
  }
  if (follow_up) {
    r.risk = raise(r.risk);
    r.reasons.push_back("discovery followed by " + follow_up->rule_id + " " + follow_up->rule_name);
  }
  if (w.flagged) return;  // a person's word stands
  const detection *taken = nullptr;
  for (const auto *d : evidence)
    if (has(d->techniques, instance_credentials_taken) && (!taken || d->last_seen < taken->last_seen)) taken = d;
  // Reconnaissance no workload does (a permission brute force, credential probing) at high severity.
  const detection *probing = nullptr;
  for (const auto *d : evidence)
    if (d->level >= severity::high && has(d->tactics, discovery) && (!probing || d->first_seen < probing->first_seen))
      probing = d;
  std::optional<timestamp> since;
  std::string why;
  if (taken) {
    // Its last event: a sequence's first steps are the workload's own calls, the theft is the use elsewhere.
    since = taken->last_seen;
    why = "instance credentials used outside the instance (" + taken->rule_id + ")";
  } else if (evasion) {
    since = *first_discovery;
    why = "discovery followed by defense evasion (" + evasion->rule_id + ")";
  } else if (probing) {
    since = probing->first_seen;
    why = "high-severity discovery (" + probing->rule_id + " " + probing->rule_name + ")";
  } else if (r.risk == risk_level::critical) {
    since = std::min_element(evidence.begin(), evidence.end(), [](const detection *a, const detection *b) {
              return a->first_seen < b->first_seen;
            })[0]->first_seen;
    why = "critical risk";
  }
  if (!since) return;
  r.status = compromise_status::potentially_compromised;
  r.since = since;
  r.reasons.insert(r.reasons.begin(), "potentially compromised: " + why);
}

}  // namespace

std::vector<assessment> assess_identities(const identity_graph &graph, std::span<const symbol> identities,
                                          std::span<const detection> detections, std::span<const status_flag> flags) {
  std::vector<working> rows;
  std::unordered_map<symbol, std::size_t, symbol_hash> index;
  const auto row = [&](symbol identity) -> working & {
    auto [it, inserted] = index.try_emplace(identity, rows.size());
    if (inserted) {
      rows.emplace_back();
      rows.back().result.identity = identity;
    }
    return rows[it->second];
  };
  for (const symbol identity : identities) row(identity);
  for (const auto &d : detections) {
    auto &w = row(d.identity);
    w.own.push_back(&d);
    ++w.result.detections;
  }
  for (const auto &flag : flags) {
    auto &w = row(flag.identity);
    w.flagged = flag.status != compromise_status::normal;
    w.remediated_at.reset();
    w.result.status = compromise_status::normal;
    w.result.since.reset();
    w.result.reasons.clear();
    // The engine gives a remediation without a time the latest event time seen (engine::flag).
    if (flag.status == compromise_status::remediated) w.remediated_at = flag.since.value_or(timestamp::max());
    if (flag.status == compromise_status::compromised || flag.status == compromise_status::potentially_compromised) {
      w.result.status = flag.status;
      w.result.since = flag.since;
      w.result.reasons.push_back(std::string(to_string(flag.status)) + ": flagged by a person" +
                                 (flag.since ? " from " + format_rfc3339(*flag.since) : std::string()));
    }
    if (flag.status == compromise_status::remediated) {
      w.result.status = flag.status;
      w.result.since = flag.since;
      w.result.reasons.push_back("remediated: flagged by a person" +
                                 (flag.since ? " at " + format_rfc3339(*flag.since) : std::string()));
      w.flagged = false;  // new evidence after the remediation counts again
    }
  }
  for (auto &w : rows) assess_own(w);

  // Propagation: up to the principal behind a session and its role, and down
  // to sessions created after the status began. One pass in each direction is
  // enough: resolution already follows chains to their end.
  const auto &symbols = graph.symbols();
  const auto role_of = [&](symbol identity) -> symbol {
    const auto id = graph.find_identity(symbols.str(identity));
    if (!id) return {};
    const auto role = graph.role_of(*id);
    return role ? graph.node(*role).key : symbol{};
  };
  // Marks are gathered first and applied in a fixed order, so neither the
  // order identities appeared in nor the order of sources changes the result.
  struct pending_mark {
    symbol target;
    assessment source;
    std::string why;
  };
  std::vector<pending_mark> marks;
  const auto mark = [&](symbol target, const assessment &source, std::string why) {
    if (target != source.identity) marks.push_back({target, source, std::move(why)});
  };
  const auto apply = [&](const pending_mark &m) {
    auto &w = row(m.target);
    if (w.flagged) return;  // a person's word stands
    if (w.remediated_at && (!m.source.since || *m.source.since <= *w.remediated_at)) return;
    if (m.source.risk > w.result.risk) w.result.risk = m.source.risk;
    if (w.derived) {
      if (m.source.since && (!w.result.since || *m.source.since < *w.result.since)) w.result.since = m.source.since;
      w.result.reasons.push_back(m.why);
    } else if (worse(compromise_status::potentially_compromised, w.result.status)) {
      w.result.status = compromise_status::potentially_compromised;
      w.result.since = m.source.since;
      w.derived = true;
      w.result.reasons.insert(w.result.reasons.begin(), "potentially compromised: " + m.why);
    } else {
      w.result.reasons.push_back(m.why);
    }
  };
  const std::size_t assessed = rows.size();
  for (std::size_t i = 0; i < assessed; ++i) {
    if (rows[i].derived || (rows[i].result.status != compromise_status::potentially_compromised &&
                            rows[i].result.status != compromise_status::compromised))
      continue;
    const symbol identity = rows[i].result.identity;
    const std::string name(symbols.str(identity));
    const std::string state(to_string(rows[i].result.status));
    const auto resolved = graph.resolve(identity);
    for (std::size_t link = 1; link < resolved.chain.size(); ++link)
      mark(resolved.chain[link], rows[i].result, "a session behind it, " + name + ", is " + state);
    if (const symbol role = role_of(identity); !role.empty() && role != identity)
      mark(role, rows[i].result, "its session " + name + " is " + state);
    const auto node = graph.find_identity(name);
    if (!node || !rows[i].result.since) continue;
    const timestamp since = *rows[i].result.since;
    for (const auto e : graph.out_edges(*node)) {
      const auto &edge = graph.edge(e);
      if (edge.kind == edge_kind::created_session && edge.last >= since)
        mark(graph.node(edge.to).key, rows[i].result, "created by " + name + " after it became " + state);
    }
  }
  std::sort(marks.begin(), marks.end(), [&](const pending_mark &a, const pending_mark &b) {
    if (a.target != b.target) return symbols.str(a.target) < symbols.str(b.target);
    if (a.source.since != b.source.since) return a.source.since < b.source.since;
    return a.why < b.why;
  });
  for (const auto &m : marks) apply(m);
  std::vector<assessment> out;
  out.reserve(rows.size());
  for (auto &w : rows) out.push_back(std::move(w.result));
  return out;
}

assessment_table::assessment_table(std::vector<assessment> rows) : rows_(std::move(rows)) {
  index_.reserve(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) index_.emplace(rows_[i].identity, i);
}

const assessment *assessment_table::find(symbol identity) const noexcept {
  const auto it = index_.find(identity);
  return it == index_.end() ? nullptr : &rows_[it->second];
}

}  // namespace v0
}  // namespace identrail
