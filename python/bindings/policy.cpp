// identrail.parse_policy and identrail.evaluate_policy: the IAM policy
// evaluator for notebooks and for the cross-check against iam-simulate.
#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;

namespace identrail::python {
namespace {

// Policies as JSON texts or identrail.Policy objects (parsed once).
std::vector<policy_document> documents(const py::list &given, const char *kind) {
  std::vector<policy_document> out;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const py::object item = given[i];
    if (py::isinstance<policy_document>(item)) out.push_back(item.cast<policy_document>());
    else out.push_back(unwrap(parse_policy(item.cast<std::string>(), std::string(kind) + "[" + std::to_string(i) + "]")));
  }
  return out;
}

}  // namespace

void bind_least_privilege(py::class_<py_engine> &engine_class) {
  engine_class.def(
      "least_privilege",
      [](const py_engine &e, const std::string &identity, const py::object &flag_time, const py::list &current_policies,
         bool compact) {
        least_privilege_options options;
        options.flag_time = py_time(flag_time, "flag_time");
        options.current = documents(current_policies, "current_policies");
        options.compact = compact;
        const auto result = unwrap(least_privilege_policy(e.read().evidence(), identity, options));
        return py::module_::import("json").attr("loads")(lossless_str(to_json(result)));
      },
      py::arg("identity"), py::arg("flag_time") = py::none(), py::arg("current_policies") = py::list(),
      py::arg("compact") = false,
      "A least-privilege policy from what the identity used successfully before flag_time (default: when its "
      "status began), bounded by its current policies (JSON texts).");
}

void bind_policy(py::module_ &m) {
  py::class_<policy_document>(m, "Policy", "An IAM policy document, parsed once; immutable, shareable across threads.")
      .def_static(
          "parse", [](const std::string &json, const std::string &source) { return unwrap(parse_policy(json, source)); },
          py::arg("json"), py::arg("source") = "policy",
          "Raises identrail.Error naming the source, the JSON path and the reason.")
      .def("to_json", [](const policy_document &p) { return lossless_str(to_json(p)); }, "The document, normalized.")
      .def("__len__", [](const policy_document &p) { return p.statements.size(); }, "Its statements.")
      .def("__repr__", [](const policy_document &p) {
        return "<identrail.Policy of " + std::to_string(p.statements.size()) + " statements>";
      });
  m.def(
      "parse_policy",
      [](const std::string &json, const std::string &source) {
        return lossless_str(to_json(unwrap(parse_policy(json, source))));
      },
      py::arg("json"), py::arg("source") = "policy",
      "Checks an IAM policy document; returns it normalized, or raises identrail.Error naming the JSON path.");
  m.def(
      "evaluate_policy",
      [](const std::string &principal, const std::string &action, const std::string &resource,
         const std::map<std::string, std::vector<std::string>> &context, const py::list &identity,
         const py::list &boundary, const py::list &scps, const py::list &resource_policies) {
        policy_set set;
        set.identity = documents(identity, "identity");
        set.boundary = documents(boundary, "boundary");
        set.scps = documents(scps, "scp");
        set.resource = documents(resource_policies, "resource");
        policy_request request{principal, action, resource, {}};
        for (const auto &[key, values] : context) request.context.emplace_back(key, values);
        const auto e = evaluate(set, request);
        return py::dict(py::arg("decision") = std::string(to_string(e.result)),
                        py::arg("decided_by") = std::string(to_string(e.decided_by)),
                        py::arg("policy_index") = e.policy_index, py::arg("statement_index") = e.statement_index,
                        py::arg("sid") = e.sid, py::arg("reason") = e.reason);
      },
      py::arg("principal"), py::arg("action"), py::arg("resource") = "*",
      py::arg("context") = std::map<std::string, std::vector<std::string>>{},
      py::arg("identity") = py::list(), py::arg("boundary") = py::list(), py::arg("scps") = py::list(),
      py::arg("resource_policies") = py::list(),
      "Evaluates a request against IAM policies (JSON texts or identrail.Policy): explicit deny, then SCPs and boundary, then "
      "identity or resource allow. Returns the decision and the statement that decided.");
}

}  // namespace identrail::python
