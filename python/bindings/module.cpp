// identrail._core: the pybind11 binding of the C++ API.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "binding.hpp"

namespace py = pybind11;
using namespace identrail;
using identrail::python::binding_error;
using identrail::python::event_ref;
using identrail::python::unwrap;

namespace {

engine_options make_options(bool deduplicate, bool keep_raw, const std::string &gzip, std::size_t max_errors,
                            bool retain_events) {
  engine_options o;
  o.normalize.deduplicate = deduplicate;
  o.normalize.keep_raw = keep_raw;
  if (gzip == "libdeflate") o.normalize.gzip = gzip_backend::libdeflate;
  else if (gzip == "zlib") o.normalize.gzip = gzip_backend::zlib;
  else throw binding_error(errc::invalid_argument, "gzip must be 'libdeflate' or 'zlib', not '" + gzip + "'");
  o.normalize.max_errors_kept = max_errors;
  o.retain_events = retain_events;
  return o;
}

// Column-wise copy for pandas: one pass in C++ instead of one Python call per field.
py::dict columns(const engine &e, std::size_t start) {
  const auto &events = e.events();
  const auto &s = e.symbols();
  const std::size_t n = events.size() > start ? events.size() - start : 0;
  std::vector<std::int64_t> time(n);
  std::vector<std::string> identity(n), id(n), account(n), region(n), source(n), name(n), action(n), actor_type(n), actor_arn(n),
      access_key(n), issuer(n), session(n), ip(n), agent(n), error_code(n), category(n);
  std::vector<bool> success(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto &ev = events[start + i];
    time[i] = to_unix_nanos(ev.time);
    const auto key = identity_key_of(ev);
    identity[i] = key.empty() ? "unknown" : s.str(key);
    id[i] = ev.id;
    account[i] = s.str(ev.account);
    region[i] = s.str(ev.region);
    source[i] = s.str(ev.event_source);
    name[i] = s.str(ev.event_name);
    action[i] = s.str(ev.action);
    actor_type[i] = to_string(ev.who.type);
    actor_arn[i] = s.str(ev.who.arn);
    access_key[i] = s.str(ev.who.access_key_id);
    issuer[i] = s.str(ev.who.issuer_arn);
    session[i] = s.str(ev.who.session_name);
    ip[i] = s.str(ev.source.text);
    agent[i] = s.str(ev.user_agent);
    error_code[i] = s.str(ev.result.error_code);
    category[i] = to_string(ev.category);
    success[i] = ev.result.success;
  }
  py::dict d;
  d["time_ns"] = time;
  d["identity"] = identity;
  d["id"] = id;
  d["account"] = account;
  d["region"] = region;
  d["event_source"] = source;
  d["event_name"] = name;
  d["action"] = action;
  d["actor_type"] = actor_type;
  d["actor_arn"] = actor_arn;
  d["access_key_id"] = access_key;
  d["issuer_arn"] = issuer;
  d["session_name"] = session;
  d["source"] = ip;
  d["user_agent"] = agent;
  d["success"] = success;
  d["error_code"] = error_code;
  d["category"] = category;
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "identrail's compiled core. Use the `identrail` package, not this module.";
  m.attr("__version__") = IDENTRAIL_VERSION_STRING;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const binding_error &e) {
      py::object make = py::module_::import("identrail.errors").attr("from_code");
      py::object exc = make(static_cast<int>(e.code), e.what());
      PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exc.ptr())), exc.ptr());
    }
  });

  identrail::python::bind_event(m);

  py::class_<decode_error>(m, "DecodeError", "A record or input that could not be decoded.")
      .def_readonly("source", &decode_error::source)
      .def_readonly("location", &decode_error::location)
      .def_readonly("reason", &decode_error::reason)
      .def_property_readonly("code", [](const decode_error &e) { return static_cast<int>(e.code); })
      .def("__repr__", [](const decode_error &e) { return "<DecodeError " + e.source + ": " + e.location + ": " + e.reason + ">"; });

  py::class_<decode_stats>(m, "Stats", "Counts of records read: total = accepted + rejected + duplicates.")
      .def_readonly("total", &decode_stats::total)
      .def_readonly("accepted", &decode_stats::accepted)
      .def_readonly("rejected", &decode_stats::rejected)
      .def_readonly("duplicates", &decode_stats::duplicates)
      .def("as_dict", [](const decode_stats &s) {
        return py::dict(py::arg("total") = s.total, py::arg("accepted") = s.accepted, py::arg("rejected") = s.rejected,
                        py::arg("duplicates") = s.duplicates);
      })
      .def("__repr__", [](const decode_stats &s) {
        return "Stats(total=" + std::to_string(s.total) + ", accepted=" + std::to_string(s.accepted) +
               ", rejected=" + std::to_string(s.rejected) + ", duplicates=" + std::to_string(s.duplicates) + ")";
      });

  py::class_<engine>(m, "Engine", "The identrail pipeline. Use from one thread at a time.")
      .def(py::init([](bool deduplicate, bool keep_raw, const std::string &gzip, std::size_t max_errors, bool retain) {
             return engine(make_options(deduplicate, keep_raw, gzip, max_errors, retain));
           }),
           py::arg("deduplicate") = true, py::arg("keep_raw") = true, py::arg("gzip") = "libdeflate",
           py::arg("max_errors") = 1000, py::arg("retain_events") = true)
      .def(
          "feed",
          [](engine &e, py::bytes data, const std::string &source) {
            std::string_view view = data;
            py::gil_scoped_release release;
            return unwrap(e.feed(view, source));
          },
          py::arg("data"), py::arg("source") = "<memory>",
          "Decodes bytes in any supported format; returns the number of events accepted.")
      .def(
          "feed_path",
          [](engine &e, const std::string &path) {
            py::gil_scoped_release release;
            return unwrap(e.feed_path(path));
          },
          py::arg("path"), "Reads a file or every log file under a directory; returns events accepted.")
      .def_property_readonly("stats", [](const engine &e) { return e.stats(); })
      .def_property_readonly("errors", [](const engine &e) { return e.errors(); })
      .def("__len__", [](const engine &e) { return e.events().size(); })
      .def(
          "event",
          [](const engine &e, std::size_t i) {
            if (i >= e.events().size()) throw py::index_error("event index out of range");
            return event_ref{&e, i};
          },
          py::arg("index"), py::keep_alive<0, 1>())
      .def("_columns", &columns, py::arg("start") = 0)
      .def("report_json", &report_json, "The machine report of `identrail analyze --json`.")
      .def(
          "report_text",
          [](const engine &e, std::size_t top) {
            report_options o;
            o.top = top;
            return report_text(e, o);
          },
          py::arg("top") = 10, "The readable report of `identrail analyze`.");

  m.def(
      "list_input_files", [](const std::string &path) { return unwrap(list_input_files(path)); }, py::arg("path"),
      "The files a path stands for, in reading order (directories recursively, log files only).");
}
