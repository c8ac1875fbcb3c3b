// The identity graph: who acted, as whom, with which key, from where, on what,
// and what it triggered. It grows as events stream in (any order) and answers
// the responder's questions: the blast radius of an identity, the paths from
// an entry point to a resource, where an identity was used from.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"
#include "identrail/detect/detection.hpp"
#include "identrail/core/geolocation.hpp"
#include "identrail/graph/identity_resolver.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

// Values are stable: they cross the C ABI.
enum class node_kind : std::uint8_t {
  account = 0,
  user = 1,        // IAM user
  root = 2,        // an account's root user
  role = 3,
  session = 4,     // a role session
  federated = 5,   // a federated principal (SAML, web identity, GetFederationToken)
  service = 6,     // an AWS service acting on its own
  principal = 7,   // an identity of a type this version does not model
  access_key = 8,
  instance = 9,    // an EC2 instance (its ARN)
  ip = 10,
  user_agent = 11,
  resource = 12,   // any other ARN
  detection = 13,
};

enum class edge_kind : std::uint8_t {
  assumed = 0,             // session -> the role it is a session of
  created_session = 1,     // principal or instance -> the session it started
  authenticated_with = 2,  // identity -> access key
  called_from = 3,         // identity -> source IP
  accessed = 4,            // identity -> resource (actions, counts, first and last time)
  triggered = 5,           // identity -> detection
  runs_as = 6,             // instance -> role
  used_agent = 7,          // identity -> user agent
  belongs_to = 8,          // identity -> account
};

[[nodiscard]] std::string_view to_string(node_kind kind) noexcept;
[[nodiscard]] std::string_view to_string(edge_kind kind) noexcept;
[[nodiscard]] bool is_identity(node_kind kind) noexcept;

using node_id = std::uint32_t;
inline constexpr node_id no_node = std::numeric_limits<node_id>::max();

// One action of one identity (on one resource, for an `accessed` edge).
struct action_use {
  symbol action;
  std::uint64_t count = 0;
  std::uint64_t failed = 0;  // denied or failed attempts, included in count
  timestamp first{};
  timestamp last{};
  // Successful uses only: an attempt is not a use. Valid when count > failed.
  timestamp first_success{};
  timestamp last_success{};
  [[nodiscard]] std::uint64_t succeeded() const noexcept { return count - failed; }
};

struct graph_node {
  node_kind kind = node_kind::principal;
  symbol key;  // ARN, key id, address, user agent text; a detection's "rule_id@identity@time"
  timestamp first{};
  timestamp last{};
  std::uint64_t count = 0;  // events that touched the node
};

struct graph_edge {
  node_id from = no_node;
  node_id to = no_node;
  edge_kind kind = edge_kind::accessed;
  timestamp first{};
  timestamp last{};
  std::uint64_t count = 0;
  std::vector<action_use> actions;  // `accessed` only, in first-use order
};

struct blast_radius {
  node_id identity = no_node;
  timestamp since{};
  // The identity, then every session it created, directly or through chains.
  std::vector<node_id> identities;
  struct touched_resource {
    node_id resource = no_node;
    std::vector<action_use> actions;  // used since `since` (counts are totals over the edge)
    std::vector<node_id> by;          // which of `identities`
  };
  std::vector<touched_resource> resources;
  std::vector<action_use> actions;  // every action used since `since`, with or without a resource
};

struct path_options {
  std::size_t max_depth = 8;   // edges per path
  std::size_t max_paths = 32;  // stop after this many
};

// Where an identity was used from.
struct usage_places {
  std::vector<const graph_edge *> addresses;    // called_from edges
  std::vector<const graph_edge *> user_agents;  // used_agent edges
  std::vector<const graph_edge *> keys;         // authenticated_with edges
};

class detector;

// One thread at a time. Interns into the symbol table it was given.
namespace detail {
struct state_access;  // checkpoints (src/core/state_access.hpp)
}

class identity_graph {
 public:
  explicit identity_graph(symbol_table &symbols, std::shared_ptr<const geolocator> geo = nullptr);
  ~identity_graph();
  identity_graph(identity_graph &&) noexcept;
  identity_graph &operator=(identity_graph &&) noexcept;

  // `identity` is the event's identity key (identity_key_of()).
  void observe(const event &e, symbol identity);
  void observe(const detection &d);
  // The detections `source` holds are read from it (detector::find), not
  // copied: the graph keeps only their nodes and edges, so a detection is held
  // once, by its detector (the engine's graph does this). Detections observed
  // that `source` does not hold, such as ones made by hand, are still copied.
  // `source` must outlive the graph, or be replaced first; null copies all.
  // detection_of() then points into the detector: valid until it next takes
  // an event (or advances, or finishes).
  void read_detections_from(const detector *source) noexcept;

  // The chain behind an identity (see identity_resolver).
  [[nodiscard]] resolution resolve(symbol identity) const;

  [[nodiscard]] std::size_t node_count() const noexcept;
  [[nodiscard]] std::size_t edge_count() const noexcept;
  // Ids and indexes the graph gave out: id < node_count(), index < edge_count().
  [[nodiscard]] const graph_node &node(node_id id) const noexcept;
  [[nodiscard]] const graph_edge &edge(std::size_t index) const noexcept;
  [[nodiscard]] std::string_view label(node_id id) const noexcept;  // the key's text
  // An identity (user, role, session, ...) by ARN or principal id.
  [[nodiscard]] std::optional<node_id> find_identity(std::string_view key) const;
  // An identity, else an instance: what statuses and plans are given for.
  [[nodiscard]] std::optional<node_id> find_identity_or_instance(std::string_view key) const;
  [[nodiscard]] std::optional<node_id> find(node_kind kind, std::string_view key) const;
  // Any node by key, identities first, then instances, keys, addresses, resources.
  [[nodiscard]] std::optional<node_id> find_any(std::string_view key) const;
  [[nodiscard]] const location *location_of(node_id ip) const;
  [[nodiscard]] const detection *detection_of(node_id id) const;
  [[nodiscard]] std::span<const action_use> usage(node_id identity) const;  // all actions, first-use order
  [[nodiscard]] std::vector<std::size_t> out_edges(node_id id) const;
  [[nodiscard]] std::vector<std::size_t> in_edges(node_id id) const;
  // The role a session is a session of; the sessions of a role (`assumed` edges).
  [[nodiscard]] std::optional<node_id> role_of(node_id session) const;
  [[nodiscard]] std::vector<node_id> sessions_of(node_id role) const;

  // Queries.
  [[nodiscard]] blast_radius blast_radius_of(node_id identity, timestamp since = {}) const;
  // Simple paths from an entry point (an instance, an address, a key or an
  // identity) to a target (a resource or an identity), following how access
  // flows: address or key -> identity -> created session -> resource.
  [[nodiscard]] std::vector<std::vector<node_id>> paths(node_id from, node_id to, const path_options &options = {}) const;
  [[nodiscard]] usage_places where_used(node_id identity) const;

  [[nodiscard]] const symbol_table &symbols() const noexcept;

 private:
  friend struct detail::state_access;
  struct impl;
  std::unique_ptr<impl> impl_;
};

enum class graph_format : std::uint8_t {
  json = 0,       // node-link JSON: networkx.node_link_graph(data, edges="edges")
  cytoscape = 1,  // Cytoscape.js / Cytoscape desktop ("elements": {"nodes", "edges"})
  dot = 2,        // GraphViz
  graphml = 3,
};

[[nodiscard]] std::string export_graph(const identity_graph &graph, graph_format format);
// The same, appended to `out`: a report that writes the graph in place makes no copy of it. With a
// drain (node-link JSON), `out` is handed to it whenever it passes about 1 MiB, to be written and
// cleared, so a graph of any size is written in bounded memory.
void append_export(std::string &out, const identity_graph &graph, graph_format format,
                   const std::function<void(std::string &)> &drain = {});

}  // namespace v0
}  // namespace identrail
