// Private: the identity graph's storage. Boost.Graph holds the topology; node
// and edge data live in plain vectors indexed by vertex and edge number, so
// nothing of Boost reaches the public header.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/pending/queue.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/property_map.hpp>

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "identrail/graph/identity_graph.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Keys are unique within a space: a role's ARN names one identity, an address one IP.
enum class node_space : std::uint8_t { identity, account, key, instance, ip, user_agent, resource, detection };

inline node_space space_of(node_kind kind) noexcept {
  switch (kind) {
    case node_kind::account: return node_space::account;
    case node_kind::access_key: return node_space::key;
    case node_kind::instance: return node_space::instance;
    case node_kind::ip: return node_space::ip;
    case node_kind::user_agent: return node_space::user_agent;
    case node_kind::resource: return node_space::resource;
    case node_kind::detection: return node_space::detection;
    default: return node_space::identity;
  }
}

class graph_store {
 public:
  // The edge property is the index into `edges`.
  using topology = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                         boost::property<boost::edge_index_t, std::uint32_t>>;
  using vertex = boost::graph_traits<topology>::vertex_descriptor;

  std::vector<graph_node> nodes;
  std::vector<graph_edge> edges;

  // The node for a key, created on first use.
  std::pair<node_id, bool> node(node_space space, symbol key, node_kind kind) {
    auto [it, inserted] = node_index_.try_emplace(node_key(space, key), static_cast<node_id>(nodes.size()));
    if (inserted) {
      boost::add_vertex(graph_);
      nodes.push_back({kind, key, {}, {}, 0});
    }
    return {it->second, inserted};
  }

  // Gives a node a better key; the old key stops finding it.
  void rename(node_id id, node_space space, symbol key) {
    node_index_.erase(node_key(space, nodes[id].key));
    node_index_[node_key(space, key)] = id;
    nodes[id].key = key;
  }

  // Nodes and edges as a checkpoint held them: indexes and topology are built again from them.
  void assign(std::vector<graph_node> all_nodes, std::vector<graph_edge> all_edges) {
    nodes = std::move(all_nodes);
    edges = std::move(all_edges);
    graph_ = topology(nodes.size());
    node_index_.clear();
    edge_index_.clear();
    for (std::size_t i = 0; i < nodes.size(); ++i)
      node_index_[node_key(space_of(nodes[i].kind), nodes[i].key)] = static_cast<node_id>(i);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const auto &e = edges[i];
      edge_index_[edge_key{e.from, e.to, e.kind}] = static_cast<std::uint32_t>(i);
      boost::add_edge(e.from, e.to, static_cast<std::uint32_t>(i), graph_);
    }
  }

  [[nodiscard]] std::optional<node_id> find(node_space space, symbol key) const {
    const auto it = node_index_.find(node_key(space, key));
    if (it == node_index_.end()) return std::nullopt;
    return it->second;
  }

  void touch(node_id id, timestamp when) {
    auto &n = nodes[id];
    if (n.count++ == 0) {
      n.first = n.last = when;
      return;
    }
    n.first = std::min(n.first, when);
    n.last = std::max(n.last, when);
  }

  // The edge (from, to, kind), created on first use; each call counts one use at `when`.
  graph_edge &link(node_id from, node_id to, edge_kind kind, timestamp when) {
    auto [it, inserted] = edge_index_.try_emplace(edge_key{from, to, kind}, static_cast<std::uint32_t>(edges.size()));
    if (inserted) {
      boost::add_edge(from, to, it->second, graph_);
      edges.push_back({from, to, kind, when, when, 0, {}});
    }
    auto &e = edges[it->second];
    ++e.count;
    e.first = std::min(e.first, when);
    e.last = std::max(e.last, when);
    return e;
  }

  [[nodiscard]] std::vector<std::size_t> out_edges(node_id id) const {
    std::vector<std::size_t> out;
    for (const auto &e : boost::make_iterator_range(boost::out_edges(id, graph_)))
      out.push_back(boost::get(boost::edge_index, graph_, e));
    return out;
  }

  [[nodiscard]] std::vector<std::size_t> in_edges(node_id id) const {
    std::vector<std::size_t> in;
    for (const auto &e : boost::make_iterator_range(boost::in_edges(id, graph_)))
      in.push_back(boost::get(boost::edge_index, graph_, e));
    return in;
  }

  // `starts` and every node reachable from them along edges of one kind, in
  // breadth-first order. breadth_first_visit with colours in a hash map: a
  // query costs what it reaches, not the size of the graph.
  [[nodiscard]] std::vector<node_id> reachable(const std::vector<node_id> &starts, edge_kind kind) const {
    const boost::filtered_graph<topology, edge_of_kind> view(graph_, edge_of_kind{this, kind});
    std::unordered_map<vertex, boost::default_color_type> colour;
    auto colours = boost::make_assoc_property_map(colour);
    std::vector<node_id> order;
    boost::queue<vertex> queue;
    for (const node_id start : starts) {
      if (boost::get(colours, start) != boost::white_color) continue;
      boost::breadth_first_visit(view, start, queue, discovery_recorder{&order}, colours);
    }
    return order;
  }

  // Counts one more use of an edge known by index.
  void bump(std::uint32_t index, timestamp when) {
    auto &e = edges[index];
    ++e.count;
    e.first = std::min(e.first, when);
    e.last = std::max(e.last, when);
  }

  [[nodiscard]] std::uint32_t index_of(const graph_edge &e) const noexcept {
    return static_cast<std::uint32_t>(&e - edges.data());
  }

 private:
  // Boost.Graph copies and assigns predicates, so a plain struct, not a lambda.
  struct edge_of_kind {
    const graph_store *store = nullptr;
    edge_kind kind = edge_kind::accessed;
    template <class Edge>
    bool operator()(const Edge &e) const {
      return store->edges[boost::get(boost::edge_index, store->graph_, e)].kind == kind;
    }
  };
  struct discovery_recorder : boost::default_bfs_visitor {
    std::vector<node_id> *order = nullptr;
    explicit discovery_recorder(std::vector<node_id> *out) : order(out) {}
    template <class Graph>
    void discover_vertex(vertex v, const Graph &) const {
      order->push_back(static_cast<node_id>(v));
    }
  };
  struct edge_key {
    node_id from, to;
    edge_kind kind;
    bool operator==(const edge_key &) const = default;
  };
  struct edge_key_hash {
    std::size_t operator()(const edge_key &k) const noexcept {
      const std::uint64_t packed = (std::uint64_t{k.from} << 32 | k.to) * 0x9e3779b97f4a7c15ULL;
      return static_cast<std::size_t>(packed ^ (packed >> 29) ^ static_cast<std::uint64_t>(k.kind));
    }
  };
  static std::uint64_t node_key(node_space space, symbol key) noexcept {
    return std::uint64_t{static_cast<std::uint8_t>(space)} << 32 | key.id;
  }

  topology graph_;
  std::unordered_map<std::uint64_t, node_id> node_index_;
  std::unordered_map<edge_key, std::uint32_t, edge_key_hash> edge_index_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
