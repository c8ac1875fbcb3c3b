// identrail.parse_policy and identrail.evaluate_policy: the IAM policy
// evaluator for notebooks and for the cross-check against iam-simulate.
#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;

namespace identrail::python {
namespace {

std::vector<policy_document> documents(const std::vector<std::string> &texts, const char *kind) {
  std::vector<policy_document> out;
  for (std::size_t i = 0; i < texts.size(); ++i)
    out.push_back(unwrap(parse_policy(texts[i], std::string(kind) + "[" + std::to_string(i) + "]")));
  return out;
}

}  // namespace

void bind_least_privilege(py::class_<py_engine> &engine_class) {
  engine_class.def(
      "least_privilege",
      [](const py_engine &e, const std::string &identity, const py::object &flag_time,
         const std::vector<std::string> &current_policies, bool compact) {
        least_privilege_options options;
        options.flag_time = py_time(flag_time, "flag_time");
        options.current = documents(current_policies, "current_policies");
        options.compact = compact;
        const auto result = unwrap(least_privilege_policy(e.read().evidence(), identity, options));
        return py::module_::import("json").attr("loads")(lossless_str(to_json(result)));
      },
      py::arg("identity"), py::arg("flag_time") = py::none(), py::arg("current_policies") = std::vector<std::string>{},
      py::arg("compact") = false,
      "A least-privilege policy from what the identity used successfully before flag_time (default: when its "
      "status began), bounded by its current policies (JSON texts).");
}

void bind_policy(py::module_ &m) {
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
         const std::map<std::string, std::vector<std::string>> &context, const std::vector<std::string> &identity,
         const std::vector<std::string> &boundary, const std::vector<std::string> &scps,
         const std::vector<std::string> &resource_policies) {
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
      py::arg("identity") = std::vector<std::string>{}, py::arg("boundary") = std::vector<std::string>{},
      py::arg("scps") = std::vector<std::string>{}, py::arg("resource_policies") = std::vector<std::string>{},
      "Evaluates a request against IAM policies (JSON texts): explicit deny, then SCPs and boundary, then "
      "identity or resource allow. Returns the decision and the statement that decided.");
}

}  // namespace identrail::python
