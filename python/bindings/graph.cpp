// Correlation and response on identrail.Engine: risk and status, the graph
// queries, exports and remediation plans. Answers are the C++ query_json
// documents turned into Python objects, so Python, C and the CLI agree.
#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;

namespace identrail::python {

std::optional<timestamp> py_time(const py::object &value, const char *name) {
  if (value.is_none()) return std::nullopt;
  std::string text;
  if (py::isinstance<py::str>(value)) text = value.cast<std::string>();
  else if (py::hasattr(value, "isoformat")) text = value.attr("isoformat")().cast<std::string>();
  else throw py::type_error(std::string(name) + " must be None, an RFC 3339 string or a datetime");
  auto parsed = parse_rfc3339(text);
  if (!parsed) throw binding_error(errc::invalid_argument, std::string(name) + ": " + parsed.error().message);
  return *parsed;
}

namespace {

remediation_options plan_options(std::vector<std::string> allow_cidrs, const py::object &now) {
  remediation_options options;
  options.allow_cidrs = std::move(allow_cidrs);
  options.now = py_time(now, "now");
  return options;
}

py::object loads(const std::string &json) { return py::module_::import("json").attr("loads")(lossless_str(json)); }

template <class Query>
py::object answer(Query &&query) {
  return loads(unwrap(query()));
}

}  // namespace

void bind_correlation(py::class_<py_engine> &engine_class) {
  engine_class
      .def(
          "flag",
          [](py_engine &e, const std::string &identity, const std::string &status, const py::object &since) {
            const auto parsed = unwrap(parse_compromise_status(status));
            const auto when = py_time(since, "since");
            (void)e.read();  // refuses while another thread feeds
            unwrap(e.core.flag(identity, parsed, when).map([] { return 0; }));
          },
          py::arg("identity"), py::arg("status") = "compromised", py::arg("since") = py::none(),
          "A person's statement: 'compromised' from `since`, 'remediated' at `since`, or 'normal' to clear.")
      .def(
          "assessment",
          [](const py_engine &e, const std::string &identity) {
            return answer([&] { return assessment_json(e.read().evidence(), identity); });
          },
          py::arg("identity"), "Risk, status, since and reasons of one identity.")
      .def(
          "assessments",
          [](const py_engine &e) {
            py::list out;
            const auto &engine = e.read();
            for (const auto &a : engine.assessments())
              out.append(answer([&] { return assessment_json(engine.evidence(), engine.symbols().str(a.identity)); }));
            return out;
          },
          "Risk and status of every identity, including roles and instances marked through the graph.")
      .def(
          "identities",
          [](const py_engine &e) {
            py::list out;
            const auto &engine = e.read();
            const auto &symbols = engine.symbols();
            for (const auto &id : engine.identities()) {
              py::list ips;
              for (const auto ip : id.source_ips) ips.append(std::string(symbols.str(ip)));
              out.append(py::dict(py::arg("identity") = std::string(symbols.str(id.key)),
                                  py::arg("type") = std::string(to_string(id.type)),
                                  py::arg("first_seen") = format_rfc3339(id.first_seen),
                                  py::arg("last_seen") = format_rfc3339(id.last_seen), py::arg("events") = id.events,
                                  py::arg("failed") = id.failed, py::arg("source_ips") = ips));
            }
            return out;
          },
          "Every identity the logs name, in order of first appearance: type, first and last seen, events, failed "
          "calls and source addresses (distinct, capped).")
      .def(
          "resolve",
          [](const py_engine &e, const std::string &identity) {
            return answer([&] { return resolution_json(e.read().evidence(), identity); });
          },
          py::arg("identity"), "The chain behind a session and the principal really behind it.")
      .def(
          "blast_radius",
          [](const py_engine &e, const std::string &identity, const py::object &since) {
            const auto when = py_time(since, "since").value_or(timestamp{});
            return answer([&] { return blast_radius_json(e.read().evidence(), identity, when); });
          },
          py::arg("identity"), py::arg("since") = py::none(),
          "Resources and actions touched since a time by the identity and every session it created.")
      .def(
          "paths",
          [](const py_engine &e, const std::string &from, const std::string &to, std::size_t max_depth,
             std::size_t max_paths) {
            return answer([&] { return paths_json(e.read().evidence(), from, to, path_options{max_depth, max_paths}); });
          },
          py::arg("source"), py::arg("target"), py::arg("max_depth") = 8, py::arg("max_paths") = 32,
          "Paths from an entry point (IP, key id, instance or identity ARN) to a resource or identity.")
      .def(
          "where_used",
          [](const py_engine &e, const std::string &identity) {
            return answer([&] { return where_used_json(e.read().evidence(), identity); });
          },
          py::arg("identity"), "Addresses (with locations), user agents and keys an identity used.")
      .def(
          "timeline",
          [](const py_engine &e, const std::string &identity, const py::object &since) {
            const auto when = py_time(since, "since").value_or(timestamp{});
            return answer([&] { return timeline_json(e.read().evidence(), identity, when); });
          },
          py::arg("identity"), py::arg("since") = py::none(), "Events and detections of an identity in time order.")
      .def(
          "graph_export",
          [](const py_engine &e, const std::string &format) {
            graph_format f;
            if (format == "json") f = graph_format::json;
            else if (format == "cytoscape") f = graph_format::cytoscape;
            else if (format == "dot") f = graph_format::dot;
            else if (format == "graphml") f = graph_format::graphml;
            else throw binding_error(errc::invalid_argument, "format must be json, cytoscape, dot or graphml, not '" + format + "'");
            return lossless_str(export_graph(e.read().graph(), f));
          },
          py::arg("format") = "json", "The identity graph as node-link JSON, Cytoscape JSON, DOT or GraphML text.")
      .def(
          "remediation",
          [](const py_engine &e, const std::string &identity, std::vector<std::string> allow_cidrs, const py::object &now) {
            return loads(to_json(unwrap(plan_remediation(e.read().evidence(), identity, plan_options(std::move(allow_cidrs), now)))));
          },
          py::arg("identity"), py::arg("allow_cidrs") = std::vector<std::string>{}, py::arg("now") = py::none(),
          "Remediation strategies for an identity: ordered AWS calls with CLI commands, policies and warnings.")
      .def(
          "remediation_text",
          [](const py_engine &e, const std::string &identity, std::vector<std::string> allow_cidrs, const py::object &now) {
            return lossless_str(to_text(unwrap(plan_remediation(e.read().evidence(), identity, plan_options(std::move(allow_cidrs), now)))));
          },
          py::arg("identity"), py::arg("allow_cidrs") = std::vector<std::string>{}, py::arg("now") = py::none());
}

}  // namespace identrail::python
