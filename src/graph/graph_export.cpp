// The graph as JSON (networkx node-link, Cytoscape), GraphViz DOT and GraphML.
// DOT and GraphML go through Boost.Graph's writers, which own those formats'
// quoting rules; the JSON forms use the project's JSON writer.

// GCC 12 at -O3 reports boost::optional inside Boost's edge iterator as maybe
// uninitialized once inlined (a known false positive); the pragma must cover
// the Boost headers, where the warning is attributed.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <boost/property_map/function_property_map.hpp>

#include <sstream>

#include "../core/json_writer.hpp"
#include "../core/utf8.hpp"
#include "identrail/graph/identity_graph.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::json_array;
using detail::json_object;

std::string node_name(node_id id) { return "n" + std::to_string(id); }

std::string actions_text(const identity_graph &g, const graph_edge &e) {
  std::string text;
  for (const auto &use : e.actions) {
    if (!text.empty()) text.push_back(' ');
    text.append(g.symbols().str(use.action));
  }
  return text;
}

void write_node_attributes(json_object &o, const identity_graph &g, node_id id) {
  const auto &n = g.node(id);
  o.str("kind", to_string(n.kind));
  o.str("label", g.label(id));
  if (n.count > 0) {
    o.str("first_seen", format_rfc3339(n.first));
    o.str("last_seen", format_rfc3339(n.last));
    o.num("count", n.count);
  }
  if (const auto *where = g.location_of(id)) {
    o.str_if("country", where->country_iso);
    o.str_if("city", where->city);
    if (where->latitude) o.real("latitude", *where->latitude);
    if (where->longitude) o.real("longitude", *where->longitude);
    if (where->asn) o.num("asn", where->asn);
    o.str_if("as_organization", where->as_organization);
  }
  if (n.kind == node_kind::detection && !g.detection_of(id)) o.boolean("withdrawn", true);
  if (const auto *d = g.detection_of(id)) {
    o.str("detection_id", d->id);
    o.num("revision", d->revision);
    o.str("rule_id", d->rule_id);
    o.str("severity", to_string(d->level));
    o.str("summary", d->summary);
  }
}

void write_edge_attributes(json_object &o, const identity_graph &g, const graph_edge &e) {
  o.str("kind", to_string(e.kind));
  o.num("count", e.count);
  o.str("first_seen", format_rfc3339(e.first));
  o.str("last_seen", format_rfc3339(e.last));
  if (!e.actions.empty()) {
    json_array actions(o.key("actions"));
    for (const auto &use : e.actions) actions.str(g.symbols().str(use.action));
  }
}

// Between records of a long list: where a drain may take the text written so far.
constexpr std::size_t kPiece = std::size_t{1} << 20;
void drain_if_full(std::string &out, const std::function<void(std::string &)> &drain) {
  if (drain && out.size() >= kPiece) drain(out);
}

void append_node_link_json(std::string &out, const identity_graph &g, const std::function<void(std::string &)> &drain) {
  {
    json_object root(out);
    root.boolean("directed", true);
    root.boolean("multigraph", true);
    root.raw("graph", "{}");
    {
      json_array nodes(root.key("nodes"));
      for (node_id id = 0; id < g.node_count(); ++id) {
        drain_if_full(out, drain);
        json_object o(nodes.next());
        o.str("id", node_name(id));
        write_node_attributes(o, g, id);
      }
    }
    json_array edges(root.key("edges"));
    for (std::size_t i = 0; i < g.edge_count(); ++i) {
      drain_if_full(out, drain);
      const auto &e = g.edge(i);
      json_object o(edges.next());
      o.str("source", node_name(e.from));
      o.str("target", node_name(e.to));
      o.num("key", i);
      write_edge_attributes(o, g, e);
    }
  }
}

std::string cytoscape_json(const identity_graph &g) {
  std::string out;
  {
    json_object root(out);
    json_object elements(root.key("elements"));
    {
      json_array nodes(elements.key("nodes"));
      for (node_id id = 0; id < g.node_count(); ++id) {
        json_object element(nodes.next());
        json_object data(element.key("data"));
        data.str("id", node_name(id));
        write_node_attributes(data, g, id);
      }
    }
    json_array edges(elements.key("edges"));
    for (std::size_t i = 0; i < g.edge_count(); ++i) {
      const auto &e = g.edge(i);
      json_object element(edges.next());
      json_object data(element.key("data"));
      data.str("id", "e" + std::to_string(i));
      data.str("source", node_name(e.from));
      data.str("target", node_name(e.to));
      write_edge_attributes(data, g, e);
    }
  }
  return out;
}

// XML 1.0 cannot carry control characters even as entities, and both writers
// need valid UTF-8: labels from the logs are cleaned first. Boost's DOT writer
// escapes quotes but not backslashes, so for DOT those are doubled here.
std::string clean_text(std::string_view text, bool dot) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = detail::utf8_sequence_length(text, i);
      if (length == 0) {
        out += "\ufffd";
      } else {
        out.append(text.substr(i, length));
        i += length - 1;
      }
    } else {
      if (dot && c == '\\') out.push_back('\\');
      out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
    }
  }
  return out;
}

std::string boost_format(const identity_graph &g, graph_format format) {
  using topology = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                         boost::property<boost::edge_index_t, std::size_t>>;
  topology copy(g.node_count());
  for (std::size_t i = 0; i < g.edge_count(); ++i) boost::add_edge(g.edge(i).from, g.edge(i).to, i, copy);
  using vertex = boost::graph_traits<topology>::vertex_descriptor;
  using edge = boost::graph_traits<topology>::edge_descriptor;
  const bool dot = format == graph_format::dot;
  const auto edge_of = [&](const edge &e) -> const graph_edge & { return g.edge(boost::get(boost::edge_index, copy, e)); };

  boost::dynamic_properties properties(boost::ignore_other_properties);
  properties.property("node_id", boost::make_function_property_map<vertex>([](vertex v) { return node_name(static_cast<node_id>(v)); }));
  properties.property("kind", boost::make_function_property_map<vertex>(
                                  [&](vertex v) { return std::string(to_string(g.node(static_cast<node_id>(v)).kind)); }));
  properties.property("label", boost::make_function_property_map<vertex>(
                                   [&](vertex v) { return clean_text(g.label(static_cast<node_id>(v)), dot); }));
  properties.property("kind", boost::make_function_property_map<edge>(
                                  [&](const edge &e) { return std::string(to_string(edge_of(e).kind)); }));
  properties.property("count", boost::make_function_property_map<edge>([&](const edge &e) { return edge_of(e).count; }));
  properties.property("first_seen", boost::make_function_property_map<edge>(
                                        [&](const edge &e) { return format_rfc3339(edge_of(e).first); }));
  properties.property("last_seen", boost::make_function_property_map<edge>(
                                       [&](const edge &e) { return format_rfc3339(edge_of(e).last); }));
  properties.property("actions", boost::make_function_property_map<edge>(
                                     [&](const edge &e) { return clean_text(actions_text(g, edge_of(e)), dot); }));
  std::ostringstream out;
  if (format == graph_format::dot) boost::write_graphviz_dp(out, copy, properties, "node_id");
  else boost::write_graphml(out, copy, properties, true);
  return out.str();
}

}  // namespace

void append_export(std::string &out, const identity_graph &graph, graph_format format,
                   const std::function<void(std::string &)> &drain) {
  switch (format) {
    case graph_format::json: append_node_link_json(out, graph, drain); return;
    case graph_format::cytoscape: out += cytoscape_json(graph); return;
    case graph_format::dot:
    case graph_format::graphml: out += boost_format(graph, format); return;
  }
  append_node_link_json(out, graph, drain);
}

std::string export_graph(const identity_graph &graph, graph_format format) {
  std::string out;
  append_export(out, graph, format);
  return out;
}

}  // namespace v0
}  // namespace identrail

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
