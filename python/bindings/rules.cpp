// identrail.RuleSet: rules compiled once and shared by engines (and threads).
#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;

namespace identrail::python {

void bind_rule_set(py::module_ &m) {
  py::class_<rule_set>(m, "RuleSet",
                       "Compiled rules: immutable, shared (not copied) by every Engine(rules=...) given them, and safe "
                       "to use from several threads.")
      .def_static("builtin", [] { return unwrap(rule_set::builtin()); }, "The pack built into the library.")
      .def_static(
          "load",
          [](const py::object &paths, bool builtin, bool skip_invalid) {
            rule_load_options load;
            load.with_builtin = builtin;
            load.skip_invalid = skip_invalid;
            return unwrap(rule_set::from_paths(fs_paths(paths), load));
          },
          py::arg("paths"), py::arg("builtin") = false, py::arg("skip_invalid") = false,
          "YAML rule files or directories; builtin=True keeps the built-in pack as well; skip_invalid=True loads "
          "the valid rules and lists the others in .rejected. Raises identrail.Error naming the file, line and rule.")
      .def_static(
          "parse",
          [](const std::string &yaml, const std::string &source) { return unwrap(rule_set::from_yaml(yaml, source)); },
          py::arg("yaml"), py::arg("source") = "<memory>", "Rules from YAML text.")
      .def("__len__", &rule_set::size)
      .def_property_readonly(
          "ids",
          [](const rule_set &r) {
            std::vector<std::string> ids;
            for (std::size_t i = 0; i < r.size(); ++i) ids.push_back(r.info(i).id);
            return ids;
          },
          "The rule ids, in load order.")
      .def_property_readonly("rejected", &rule_set::rejected, "With skip_invalid: \"file:line: rule id: reason\" each.")
      .def(
          "run_tests",
          [](const rule_set &r) {
            py::list failures;
            for (const auto &o : run_rule_tests(r))
              if (!o.passed)
                failures.append(py::dict(py::arg("rule_id") = o.rule_id, py::arg("test") = o.test,
                                         py::arg("source") = o.source, py::arg("message") = o.message));
            return failures;
          },
          "Runs the tests the rules carry; returns the failures (empty when all pass).")
      .def("__repr__", [](const rule_set &r) { return "<identrail.RuleSet of " + std::to_string(r.size()) + " rules>"; });
}

}  // namespace identrail::python
