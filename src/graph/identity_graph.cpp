#include "identrail/graph/identity_graph.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "../core/state_access.hpp"
#include "identrail/detect/detector.hpp"
#include "../detect/detection_state.hpp"
#include "arn.hpp"
#include "identrail/normalize/action_map.hpp"
#include "identrail/normalize/raw_field.hpp"
#include "../detect/detection_copy.hpp"
#include "../normalize/raw_reader.hpp"
#include "graph_store.hpp"

namespace identrail {
inline namespace v0 {

std::string_view to_string(node_kind kind) noexcept {
  switch (kind) {
    case node_kind::account: return "account";
    case node_kind::user: return "user";
    case node_kind::root: return "root";
    case node_kind::role: return "role";
    case node_kind::session: return "session";
    case node_kind::federated: return "federated";
    case node_kind::service: return "service";
    case node_kind::principal: return "principal";
    case node_kind::access_key: return "access_key";
    case node_kind::instance: return "instance";
    case node_kind::ip: return "ip";
    case node_kind::user_agent: return "user_agent";
    case node_kind::resource: return "resource";
    case node_kind::detection: return "detection";
  }
  return "principal";
}

std::string_view to_string(edge_kind kind) noexcept {
  switch (kind) {
    case edge_kind::assumed: return "assumed";
    case edge_kind::created_session: return "created_session";
    case edge_kind::authenticated_with: return "authenticated_with";
    case edge_kind::called_from: return "called_from";
    case edge_kind::accessed: return "accessed";
    case edge_kind::triggered: return "triggered";
    case edge_kind::runs_as: return "runs_as";
    case edge_kind::used_agent: return "used_agent";
    case edge_kind::belongs_to: return "belongs_to";
  }
  return "accessed";
}

bool is_identity(node_kind kind) noexcept {
  switch (kind) {
    case node_kind::user:
    case node_kind::root:
    case node_kind::role:
    case node_kind::session:
    case node_kind::federated:
    case node_kind::service:
    case node_kind::principal: return true;
    default: return false;
  }
}

namespace {

node_kind kind_of(identity_type type) noexcept {
  switch (type) {
    case identity_type::root: return node_kind::root;
    case identity_type::iam_user: return node_kind::user;
    case identity_type::assumed_role: return node_kind::session;
    case identity_type::role: return node_kind::role;
    case identity_type::federated_user:
    case identity_type::saml_user:
    case identity_type::web_identity_user:
    case identity_type::identity_center_user: return node_kind::federated;
    case identity_type::aws_service: return node_kind::service;
    default: return node_kind::principal;
  }
}

node_kind kind_of_arn(std::string_view arn) noexcept {
  if (arn.find(":assumed-role/") != std::string_view::npos) return node_kind::session;
  if (arn.find(":federated-user/") != std::string_view::npos) return node_kind::federated;
  if (arn.find(":role/") != std::string_view::npos) return node_kind::role;
  if (arn.ends_with(":root")) return node_kind::root;
  if (arn.find(":user/") != std::string_view::npos) return node_kind::user;
  return node_kind::principal;
}

void record_use(std::vector<action_use> &uses, symbol action, bool failed, timestamp when) {
  auto it = std::find_if(uses.begin(), uses.end(), [&](const action_use &u) { return u.action == action; });
  if (it == uses.end()) {
    uses.push_back({action, 0, 0, when, when, when, when});
    it = uses.end() - 1;
  }
  const bool first_success = !failed && it->succeeded() == 0;
  ++it->count;
  if (failed) ++it->failed;
  it->first = std::min(it->first, when);
  it->last = std::max(it->last, when);
  if (failed) return;
  it->first_success = first_success ? when : std::min(it->first_success, when);
  it->last_success = first_success ? when : std::max(it->last_success, when);
}

void merge_use(std::vector<action_use> &into, const action_use &use) {
  auto it = std::find_if(into.begin(), into.end(), [&](const action_use &u) { return u.action == use.action; });
  if (it == into.end()) {
    into.push_back(use);
    return;
  }
  const bool had_success = it->succeeded() > 0;
  it->count += use.count;
  it->failed += use.failed;
  it->first = std::min(it->first, use.first);
  it->last = std::max(it->last, use.last);
  if (use.succeeded() == 0) return;
  it->first_success = had_success ? std::min(it->first_success, use.first_success) : use.first_success;
  it->last_success = had_success ? std::max(it->last_success, use.last_success) : use.last_success;
}

}  // namespace

struct identity_graph::impl {
  impl(symbol_table &table, std::shared_ptr<const geolocator> locator)
      : symbols(table), geo(std::move(locator)), resolver(table) {}

  symbol_table &symbols;
  std::shared_ptr<const geolocator> geo;
  identity_resolver resolver;
  detail::graph_store store;
  std::unordered_map<node_id, location> locations;
  std::unordered_map<node_id, detection> detections;  // the ones `source` does not hold
  const detector *source = nullptr;
  std::unordered_map<node_id, std::vector<action_use>> usage;
  // One node per instance, named as detail::instance_home chooses (as the resolver does).
  struct instance_node {
    node_id node = no_node;
    detail::instance_home home;
  };
  std::unordered_map<symbol, instance_node, symbol_hash> instances;

  node_id instance(const event &e) {
    auto &entry = instances[e.who.instance_id];
    if (!entry.home.offer(symbols, e)) return entry.node;
    if (entry.node == no_node) entry.node = store.node(detail::node_space::instance, entry.home.arn, node_kind::instance).first;
    else store.rename(entry.node, detail::node_space::instance, entry.home.arn);
    return entry.node;
  }

  node_id identity(symbol key, node_kind kind) {
    auto [id, created] = store.node(detail::node_space::identity, key, kind);
    // A node first met as a role's ARN inside another event learns its real kind later.
    auto &n = store.nodes[id];
    if (!created && n.kind == node_kind::principal && kind != node_kind::principal) n.kind = kind;
    return id;
  }

  node_id address(symbol text) {
    auto [id, created] = store.node(detail::node_space::ip, text, node_kind::ip);
    if (created && geo) {
      if (auto found = geo->lookup(symbols.str(text)); found && *found) locations.emplace(id, std::move(**found));
    }
    return id;
  }

  node_id target(symbol arn) {
    const auto text = symbols.str(arn);
    if (detail::names_identity(text)) return identity(arn, kind_of_arn(text));
    return store.node(detail::node_space::resource, arn, node_kind::resource).first;
  }

  // An identity's consecutive events mostly repeat its account, role, key,
  // address and agent: the edges of the last ones are remembered per identity,
  // so a repeat costs no hash lookup.
  struct recent_link {
    symbol value;
    std::uint32_t edge = std::numeric_limits<std::uint32_t>::max();
  };
  struct recent_links {
    recent_link account, role, key, ip, agent;
  };
  std::unordered_map<node_id, recent_links> recent;
  node_id last_identity = no_node;
  symbol last_identity_key;
  recent_links *last_recent = nullptr;

  // Links `who` to the node `make()` finds for `value`, through the memo when `value` repeats.
  template <class Make>
  void link_remembered(recent_link &memo, symbol value, node_id who, edge_kind kind, timestamp t, bool touch, Make &&make) {
    if (memo.value == value && memo.edge != std::numeric_limits<std::uint32_t>::max()) {
      store.bump(memo.edge, t);
      if (touch) store.touch(store.edges[memo.edge].to, t);
      return;
    }
    const node_id to = make();
    if (touch) store.touch(to, t);
    memo.value = value;
    memo.edge = store.index_of(store.link(who, to, kind, t));
  }

  // The permissions some events need besides their own action (CopyObject,
  // iam:PassRole), looked up once per (source, name).
  std::unordered_map<std::uint64_t, std::vector<extra_permission>> extras;

  // The event's record, parsed once for the paths read from it; its buffers are reused.
  detail::raw_reader raw;
  json_field raw_value;
  std::string_view raw_text(std::string_view path) {
    return raw.read(path, raw_value) == detail::raw_reader::status::found ? std::string_view(raw_value.text)
                                                                         : std::string_view{};
  }

  void record_extra_permissions(const event &e, node_id who, timestamp t) {
    const std::uint64_t key = std::uint64_t{e.event_source.id} << 32 | e.event_name.id;
    auto [it, inserted] = extras.try_emplace(key);
    if (inserted) it->second = extra_permissions(symbols.str(e.event_source), symbols.str(e.event_name));
    for (const auto &extra : it->second) {
      // Only with its resource: a use on an unknown resource would become "*" in a
      // policy, and iam:PassRole on "*" is an escalation path.
      const auto value = raw_text(extra.resource_path);
      if (value.empty()) continue;
      const auto arn = resource_arn(extra.resource_template, value);
      if (arn.empty()) continue;
      const symbol action = symbols.intern(extra.action);
      record_use(usage[who], action, false, t);
      const node_id res = target(symbols.intern(arn));
      if (res == who) continue;
      store.touch(res, t);
      record_use(store.link(who, res, edge_kind::accessed, t).actions, action, false, t);
    }
  }

  // The ARN a request value names under a template: an ARN stays as it is; an
  // S3 copy source ("/bucket/key%20x?versionId=...") is decoded to bucket/key.
  static std::string resource_arn(std::string_view template_, std::string_view value) {
    if (value.starts_with("arn:")) return std::string(value);
    const auto slot = template_.find("{v}");
    if (slot == std::string_view::npos || template_ == "{v}") return {};  // a name, not an ARN
    std::string_view path = value;
    if (path.starts_with('/')) path.remove_prefix(1);
    path = path.substr(0, path.find('?'));
    std::string decoded;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
      if (path[i] == '%' && i + 2 < path.size() && hex(path[i + 1]) >= 0 && hex(path[i + 2]) >= 0) {
        decoded.push_back(static_cast<char>(hex(path[i + 1]) * 16 + hex(path[i + 2])));
        i += 2;
      } else {
        decoded.push_back(path[i]);
      }
    }
    if (decoded.empty()) return {};
    std::string arn(template_);
    arn.replace(slot, 3, decoded);
    return arn;
  }

  void observe(const event &e, symbol key) {
    raw.open(e);
    const auto issued = resolver.observe(e, key);
    const timestamp t = e.time;
    if (key != last_identity_key || last_identity == no_node) {
      last_identity = identity(key, kind_of(e.who.type));
      last_identity_key = key;
      last_recent = &recent[last_identity];
    }
    const node_id who = last_identity;
    auto &memo = *last_recent;
    store.touch(who, t);
    const symbol account = e.who.account_id.empty() ? e.account : e.who.account_id;
    if (!account.empty())
      link_remembered(memo.account, account, who, edge_kind::belongs_to, t, false, [&] {
        return store.node(detail::node_space::account, account, node_kind::account).first;
      });
    if (e.who.type == identity_type::assumed_role && !e.who.issuer_arn.empty()) {
      link_remembered(memo.role, e.who.issuer_arn, who, edge_kind::assumed, t, false,
                      [&] { return identity(e.who.issuer_arn, node_kind::role); });
      if (!e.who.instance_id.empty()) {
        const node_id role = store.edges[memo.role.edge].to;
        const node_id host = instance(e);
        store.touch(host, t);
        store.link(host, who, edge_kind::created_session, t);
        store.link(host, role, edge_kind::runs_as, t);
      }
    }
    if (!e.who.access_key_id.empty())
      link_remembered(memo.key, e.who.access_key_id, who, edge_kind::authenticated_with, t, true, [&] {
        return store.node(detail::node_space::key, e.who.access_key_id, node_kind::access_key).first;
      });
    if (e.source.is_ip())
      link_remembered(memo.ip, e.source.text, who, edge_kind::called_from, t, true, [&] { return address(e.source.text); });
    if (!e.user_agent.empty())
      link_remembered(memo.agent, e.user_agent, who, edge_kind::used_agent, t, false, [&] {
        return store.node(detail::node_space::user_agent, e.user_agent, node_kind::user_agent).first;
      });
    record_use(usage[who], e.action, !e.result.success, t);
    for (const symbol arn : e.resources) {
      const node_id res = target(arn);
      if (res == who) continue;
      store.touch(res, t);
      auto &edge = store.link(who, res, edge_kind::accessed, t);
      record_use(edge.actions, e.action, !e.result.success, t);
    }
    if (e.result.success) record_extra_permissions(e, who, t);
    if (!issued.session.empty()) {
      const node_id session = identity(issued.session, kind_of_arn(symbols.str(issued.session)));
      if (session != who) store.link(who, session, edge_kind::created_session, t);
      // The requested role ARN keeps the role's path, which the session ARN drops.
      if (const auto role = raw_text("requestParameters.roleArn"); role.starts_with("arn:"))
        store.link(session, identity(symbols.intern(role), node_kind::role), edge_kind::assumed, t);
      if (!issued.access_key.empty())
        store.link(session, store.node(detail::node_space::key, issued.access_key, node_kind::access_key).first,
                   edge_kind::authenticated_with, t);
    }
  }

  // A detection is one node however often it is revised; a withdrawn one
  // keeps its node (the graph only grows) but no longer counts as evidence.
  void observe(const detection &d) {
    std::string made;  // for a detection without an id (made by hand): revisions come with one
    if (d.id.empty())
      made.append(d.rule_id).append("@").append(symbols.str(d.identity)).append("@").append(format_rfc3339(d.first_seen));
    const std::string_view key = d.id.empty() ? std::string_view(made) : std::string_view(d.id);
    const node_id id = store.node(detail::node_space::detection, symbols.intern(key), node_kind::detection).first;
    if (d.withdrawn) {
      detections.erase(id);
      return;
    }
    store.touch(id, d.first_seen);
    store.touch(id, d.last_seen);
    if (source && source->find(d.id) != nullptr) detections.erase(id);  // a copy from a checkpoint would go stale
    else if (const auto known = detections.find(id); known != detections.end()) detail::copy_detection(known->second, d);
    else detections.emplace(id, d);
    if (!d.identity.empty()) {
      const node_id who = identity(d.identity, node_kind::principal);
      store.link(who, id, edge_kind::triggered, d.first_seen);
    }
  }

  [[nodiscard]] const graph_node &node(node_id id) const noexcept {
    assert(id < store.nodes.size());
    return store.nodes[id];
  }
};

identity_graph::identity_graph(symbol_table &symbols, std::shared_ptr<const geolocator> geo)
    : impl_(std::make_unique<impl>(symbols, std::move(geo))) {}
identity_graph::~identity_graph() = default;
identity_graph::identity_graph(identity_graph &&) noexcept = default;
identity_graph &identity_graph::operator=(identity_graph &&) noexcept = default;

void identity_graph::observe(const event &e, symbol identity) { impl_->observe(e, identity); }
void identity_graph::observe(const detection &d) { impl_->observe(d); }
resolution identity_graph::resolve(symbol identity) const { return impl_->resolver.resolve(identity); }

std::size_t identity_graph::node_count() const noexcept { return impl_->store.nodes.size(); }
std::size_t identity_graph::edge_count() const noexcept { return impl_->store.edges.size(); }
const graph_node &identity_graph::node(node_id id) const noexcept { return impl_->node(id); }
const graph_edge &identity_graph::edge(std::size_t index) const noexcept {
  assert(index < impl_->store.edges.size());
  return impl_->store.edges[index];
}
std::string_view identity_graph::label(node_id id) const noexcept { return impl_->symbols.str(node(id).key); }
const symbol_table &identity_graph::symbols() const noexcept { return impl_->symbols; }

std::optional<node_id> identity_graph::find_identity(std::string_view key) const {
  return find(node_kind::principal, key);
}

std::optional<node_id> identity_graph::find_identity_or_instance(std::string_view key) const {
  if (auto id = find_identity(key)) return id;
  return find(node_kind::instance, key);
}

std::optional<node_id> identity_graph::find(node_kind kind, std::string_view key) const {
  const auto s = impl_->symbols.find(key);
  if (!s) return std::nullopt;
  return impl_->store.find(detail::space_of(kind), *s);
}

std::optional<node_id> identity_graph::find_any(std::string_view key) const {
  const auto s = impl_->symbols.find(key);
  if (!s) return std::nullopt;
  for (const auto space : {detail::node_space::identity, detail::node_space::instance, detail::node_space::key,
                           detail::node_space::ip, detail::node_space::resource, detail::node_space::account,
                           detail::node_space::user_agent, detail::node_space::detection})
    if (auto id = impl_->store.find(space, *s)) return id;
  return std::nullopt;
}

const location *identity_graph::location_of(node_id ip) const {
  const auto it = impl_->locations.find(ip);
  return it == impl_->locations.end() ? nullptr : &it->second;
}

void identity_graph::read_detections_from(const detector *source) noexcept { impl_->source = source; }

const detection *identity_graph::detection_of(node_id id) const {
  if (id >= impl_->store.nodes.size() || impl_->store.nodes[id].kind != node_kind::detection) return nullptr;
  if (impl_->source)
    if (const auto *held = impl_->source->find(label(id))) return held;
  const auto it = impl_->detections.find(id);
  return it == impl_->detections.end() ? nullptr : &it->second;
}

std::span<const action_use> identity_graph::usage(node_id identity) const {
  const auto it = impl_->usage.find(identity);
  if (it == impl_->usage.end()) return {};
  return it->second;
}

std::vector<std::size_t> identity_graph::out_edges(node_id id) const { return impl_->store.out_edges(id); }
std::vector<std::size_t> identity_graph::in_edges(node_id id) const { return impl_->store.in_edges(id); }

std::optional<node_id> identity_graph::role_of(node_id session) const {
  for (const std::size_t index : out_edges(session))
    if (impl_->store.edges[index].kind == edge_kind::assumed) return impl_->store.edges[index].to;
  return std::nullopt;
}

std::vector<node_id> identity_graph::sessions_of(node_id role) const {
  std::vector<node_id> sessions;
  for (const std::size_t index : in_edges(role))
    if (impl_->store.edges[index].kind == edge_kind::assumed) sessions.push_back(impl_->store.edges[index].from);
  return sessions;
}

blast_radius identity_graph::blast_radius_of(node_id identity, timestamp since) const {
  blast_radius result;
  result.identity = identity;
  result.since = since;
  if (identity >= node_count()) return result;
  // A role's reach is that of its sessions: they are the role in action.
  std::vector<node_id> starts{identity};
  if (node(identity).kind == node_kind::role)
    for (const node_id session : sessions_of(identity)) starts.push_back(session);
  result.identities = impl_->store.reachable(starts, edge_kind::created_session);
  std::unordered_map<node_id, std::size_t> resource_row;
  for (const node_id who : result.identities) {
    for (const auto &use : usage(who))
      if (use.last >= since) merge_use(result.actions, use);
    for (const std::size_t index : out_edges(who)) {
      const auto &e = impl_->store.edges[index];
      if (e.kind != edge_kind::accessed || e.last < since) continue;
      auto [row, inserted] = resource_row.try_emplace(e.to, result.resources.size());
      if (inserted) result.resources.push_back({e.to, {}, {}});
      auto &touched = result.resources[row->second];
      for (const auto &use : e.actions)
        if (use.last >= since) merge_use(touched.actions, use);
      if (std::find(touched.by.begin(), touched.by.end(), who) == touched.by.end()) touched.by.push_back(who);
    }
  }
  return result;
}

std::vector<std::vector<node_id>> identity_graph::paths(node_id from, node_id to, const path_options &options) const {
  std::vector<std::vector<node_id>> found;
  if (from >= node_count() || to >= node_count() || options.max_paths == 0) return found;
  const auto &store = impl_->store;
  // Where access can flow next from a node.
  const auto next = [&](node_id at, std::vector<node_id> &out) {
    out.clear();
    const node_kind kind = store.nodes[at].kind;
    if (kind == node_kind::ip || kind == node_kind::access_key) {
      const edge_kind via = kind == node_kind::ip ? edge_kind::called_from : edge_kind::authenticated_with;
      for (const std::size_t index : store.in_edges(at))
        if (store.edges[index].kind == via) out.push_back(store.edges[index].from);
      return;
    }
    for (const std::size_t index : store.out_edges(at)) {
      const auto &e = store.edges[index];
      if (e.kind == edge_kind::created_session || e.kind == edge_kind::accessed) out.push_back(e.to);
    }
  };
  std::vector<node_id> path{from};
  std::vector<std::vector<node_id>> choices(1);
  std::vector<std::size_t> cursor{0};
  next(from, choices[0]);
  while (!path.empty() && found.size() < options.max_paths) {
    const std::size_t depth = path.size() - 1;
    if (cursor[depth] >= choices[depth].size()) {
      path.pop_back();
      choices.pop_back();
      cursor.pop_back();
      continue;
    }
    const node_id step = choices[depth][cursor[depth]++];
    if (std::find(path.begin(), path.end(), step) != path.end()) continue;
    path.push_back(step);
    if (step == to) {
      found.push_back(path);
      path.pop_back();
      continue;
    }
    if (path.size() > options.max_depth) {
      path.pop_back();
      continue;
    }
    choices.emplace_back();
    cursor.push_back(0);
    next(step, choices.back());
  }
  return found;
}

usage_places identity_graph::where_used(node_id identity) const {
  usage_places places;
  if (identity >= node_count()) return places;
  for (const std::size_t index : out_edges(identity)) {
    const auto &e = impl_->store.edges[index];
    if (e.kind == edge_kind::called_from) places.addresses.push_back(&e);
    else if (e.kind == edge_kind::used_agent) places.user_agents.push_back(&e);
    else if (e.kind == edge_kind::authenticated_with) places.keys.push_back(&e);
  }
  return places;
}

}  // namespace v0
}  // namespace identrail

namespace identrail {
inline namespace v0 {
namespace detail {

namespace {

void save_use(const action_use &u, state_writer &out) {
  out.sym(u.action);
  out.u64(u.count);
  out.u64(u.failed);
  for (const auto t : {u.first, u.last, u.first_success, u.last_success}) out.time(t);
}
action_use load_use(state_reader &in) {
  action_use u;
  u.action = in.sym();
  u.count = in.u64();
  u.failed = in.u64();
  for (auto *t : {&u.first, &u.last, &u.first_success, &u.last_success}) *t = in.time();
  return u;
}
std::vector<action_use> load_uses(state_reader &in) {
  std::vector<action_use> uses(in.count(52));
  for (auto &u : uses) u = load_use(in);
  return uses;
}

}  // namespace

// Locations are not saved: they are looked up again in the restoring
// engine's databases, so a newer database applies to old addresses.
void state_access::save(const identity_graph &g, state_writer &out) {
  const auto &s = *g.impl_;
  out.list(s.store.nodes, [&](const graph_node &n) {
    out.u8(static_cast<std::uint8_t>(n.kind));
    out.sym(n.key);
    out.time(n.first);
    out.time(n.last);
    out.u64(n.count);
  });
  out.list(s.store.edges, [&](const graph_edge &e) {
    out.u32(e.from);
    out.u32(e.to);
    out.u8(static_cast<std::uint8_t>(e.kind));
    out.time(e.first);
    out.time(e.last);
    out.u64(e.count);
    out.list(e.actions, [&](const action_use &u) { save_use(u, out); });
  });
  out.u64(s.usage.size());
  for (const auto &[node, uses] : s.usage) {
    out.u32(node);
    out.list(uses, [&](const action_use &u) { save_use(u, out); });
  }
  out.u64(s.instances.size());
  for (const auto &[id, entry] : s.instances) {
    out.sym(id);
    out.u32(entry.node);
    out.sym(entry.home.arn);
    out.time(entry.home.time);
  }
  out.u64(s.detections.size());
  for (const auto &[node, d] : s.detections) {
    out.u32(node);
    save_detection(d, out);
  }
  save(s.resolver, out);
}

void state_access::load(identity_graph &g, state_reader &in) {
  auto &s = *g.impl_;
  std::vector<graph_node> nodes(in.count(29));
  for (auto &n : nodes) {
    const auto kind = in.u8();
    if (kind > static_cast<std::uint8_t>(node_kind::detection)) in.fail("a node kind out of range");
    n.kind = static_cast<node_kind>(kind);
    n.key = in.sym();
    n.first = in.time();
    n.last = in.time();
    n.count = in.u64();
  }
  const auto valid = [&](node_id id) {
    if (id >= nodes.size()) in.fail("an edge to node " + std::to_string(id) + " of " + std::to_string(nodes.size()));
    return in.ok();
  };
  std::vector<graph_edge> edges(in.count(41));
  for (auto &e : edges) {
    e.from = in.u32();
    e.to = in.u32();
    const auto kind = in.u8();
    if (kind > static_cast<std::uint8_t>(edge_kind::belongs_to)) in.fail("an edge kind out of range");
    e.kind = static_cast<edge_kind>(kind);
    e.first = in.time();
    e.last = in.time();
    e.count = in.u64();
    e.actions = load_uses(in);
    if (!valid(e.from) || !valid(e.to)) break;
  }
  if (!in.ok()) return;
  s.usage.clear();
  const auto users = in.count(12);
  for (std::size_t i = 0; i < users && in.ok(); ++i) {
    const node_id node = in.u32();
    auto uses = load_uses(in);
    if (valid(node)) s.usage[node] = std::move(uses);
  }
  s.instances.clear();
  const auto hosts = in.count(20);
  for (std::size_t i = 0; i < hosts && in.ok(); ++i) {
    const auto id = in.sym();
    auto &entry = s.instances[id];
    entry.node = in.u32();
    entry.home.arn = in.sym();
    entry.home.time = in.time();
    if (entry.node != no_node) valid(entry.node);
  }
  s.detections.clear();
  const auto found = in.count(8);
  for (std::size_t i = 0; i < found && in.ok(); ++i) {
    const node_id node = in.u32();
    auto d = load_detection(in);
    if (valid(node)) s.detections.insert_or_assign(node, std::move(d));
  }
  load(s.resolver, in);
  if (!in.ok()) return;
  s.store.assign(std::move(nodes), std::move(edges));
  s.recent.clear();
  s.last_identity = no_node;
  s.last_identity_key = {};
  s.last_recent = nullptr;
  s.locations.clear();
  if (s.geo)
    for (node_id id = 0; id < s.store.nodes.size(); ++id)
      if (s.store.nodes[id].kind == node_kind::ip)
        if (auto where = s.geo->lookup(s.symbols.str(s.store.nodes[id].key)); where && *where)
          s.locations.emplace(id, std::move(**where));
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
