// identrail._core: the pybind11 binding of the C++ API.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "binding.hpp"

namespace py = pybind11;
using namespace identrail;
using identrail::python::binding_error;
using identrail::python::event_ref;
using identrail::python::feeding;
using identrail::python::lossless_str;
using identrail::python::py_engine;
using identrail::python::unwrap;

namespace identrail::python {

// A path as the OS sees it: str (with surrogate escapes for undecodable bytes),
// bytes or os.PathLike, as os.fsencode takes them.
std::string fs_path(const py::object &path_like) {
  py::bytes encoded = py::module_::import("os").attr("fsencode")(path_like);
  return std::string(encoded);
}

std::vector<std::string> fs_paths(const py::object &paths) {
  std::vector<std::string> out;
  if (py::isinstance<py::str>(paths) || py::isinstance<py::bytes>(paths) || py::hasattr(paths, "__fspath__"))
    out.push_back(fs_path(paths));
  else
    for (const auto &item : paths) out.push_back(fs_path(py::reinterpret_borrow<py::object>(item)));
  return out;
}

}  // namespace identrail::python

using identrail::python::fs_path;
using identrail::python::fs_paths;

namespace {

// The C++ options Engine()'s keyword arguments describe; engine::create checks them.
engine_options make_options(bool deduplicate, bool keep_raw, const std::string &gzip, std::size_t max_errors,
                            bool retain_events, std::size_t max_input_bytes, std::int64_t dedup_horizon_seconds,
                            bool detect, const py::object &rules, bool builtin_rules, std::int64_t lateness_seconds,
                            bool skip_invalid_rules) {
  engine_options o;
  o.detect = detect;
  o.detection.allowed_lateness = std::chrono::seconds{lateness_seconds};
  if (py::isinstance<rule_set>(rules)) {
    if (builtin_rules)  // engine::create refuses it too; this names the Python way out
      throw binding_error(errc::invalid_argument,
                          "builtin_rules with a RuleSet: make it with RuleSet.load(paths, builtin=True)");
    o.rules = rules.cast<rule_set>();
  } else if (!rules.is_none()) {
    o.rule_files = {fs_paths(rules), builtin_rules, skip_invalid_rules};
  }
  o.normalize.dedup_horizon = std::chrono::seconds{dedup_horizon_seconds};
  o.normalize.max_decompressed_bytes = max_input_bytes;
  o.normalize.deduplicate = deduplicate;
  o.normalize.keep_raw = keep_raw;
  if (gzip == "libdeflate") o.normalize.gzip = gzip_backend::libdeflate;
  else if (gzip == "zlib") o.normalize.gzip = gzip_backend::zlib;
  else throw binding_error(errc::invalid_argument, "gzip must be 'libdeflate' or 'zlib', not '" + gzip + "'");
  o.normalize.max_errors_kept = max_errors;
  o.retain_events = retain_events;
  return o;
}

// Engine()'s keyword arguments with their defaults filled in: what an engine
// is made with, kept for restore and pickling. Unknown names are refused.
py::dict engine_settings(const py::dict &given) {
  static const char *const known[] = {"deduplicate", "keep_raw", "gzip", "max_errors", "retain_events",
                                      "max_input_bytes", "dedup_horizon_seconds", "detect", "rules", "builtin_rules",
                                      "allowed_lateness_seconds", "geo_databases", "state_key",
                                      "skip_invalid_rules", "input_format", "threads", "correlate"};
  for (const auto &[key, value] : given) {
    const auto name = key.cast<std::string>();
    if (std::find(std::begin(known), std::end(known), name) == std::end(known))
      throw binding_error(errc::invalid_argument, "unknown Engine option '" + name + "'");
  }
  py::dict out(py::arg("deduplicate") = true, py::arg("keep_raw") = true, py::arg("gzip") = "libdeflate",
               py::arg("max_errors") = 1000, py::arg("retain_events") = true,
               py::arg("max_input_bytes") = normalizer_options{}.max_decompressed_bytes,
               py::arg("dedup_horizon_seconds") = 86400, py::arg("detect") = true, py::arg("rules") = py::none(),
               py::arg("builtin_rules") = false, py::arg("allowed_lateness_seconds") = 900,
               py::arg("geo_databases") = py::none(), py::arg("state_key") = py::none(),
               py::arg("skip_invalid_rules") = false, py::arg("input_format") = "auto", py::arg("threads") = 1,
               py::arg("correlate") = true);
  for (const auto &[key, value] : given) out[key] = value;
  return out;
}

engine_options options_from(const py::dict &s) {
  auto options = make_options(s["deduplicate"].cast<bool>(), s["keep_raw"].cast<bool>(), s["gzip"].cast<std::string>(),
                              s["max_errors"].cast<std::size_t>(), s["retain_events"].cast<bool>(),
                              s["max_input_bytes"].cast<std::size_t>(), s["dedup_horizon_seconds"].cast<std::int64_t>(),
                              s["detect"].cast<bool>(), s["rules"], s["builtin_rules"].cast<bool>(),
                              s["allowed_lateness_seconds"].cast<std::int64_t>(), s["skip_invalid_rules"].cast<bool>());
  const py::object geo = s["geo_databases"];
  if (!geo.is_none()) options.geo_databases = fs_paths(geo);
  options.normalize.format = unwrap(parse_input_format(s["input_format"].cast<std::string>()));
  options.normalize.threads = s["threads"].cast<unsigned>();
  options.correlate = s["correlate"].cast<bool>();
  const py::object key = s["state_key"];
  if (py::isinstance<py::bytes>(key)) options.state_key = key.cast<std::string>();
  else if (!key.is_none()) options.state_key = key.cast<std::string>();
  return options;
}

// An engine restored with Engine()'s keyword arguments; the work runs without the GIL.
template <class Restore>
std::unique_ptr<py_engine> restored_engine(const py::dict &given, Restore &&restore) {
  auto made_with = engine_settings(given);
  auto options = options_from(made_with);
  std::optional<engine> restored;
  {
    py::gil_scoped_release release;
    auto result = restore(std::move(options));
    if (result) restored.emplace(std::move(*result));
    else throw binding_error(result.error().code, result.error().message);
  }
  return std::make_unique<py_engine>(std::move(*restored), made_with);
}

// The report's shape, so the Python API, the CLI and --json agree.
py::dict detection_dict(const detection &d, const symbol_table &symbols) {
  return py::dict(py::arg("id") = d.id, py::arg("revision") = d.revision, py::arg("withdrawn") = d.withdrawn,
                  py::arg("rule_id") = d.rule_id, py::arg("name") = d.rule_name,
                  py::arg("severity") = std::string(to_string(d.level)),
                  py::arg("mitre") = py::dict(py::arg("tactics") = d.tactics, py::arg("techniques") = d.techniques),
                  py::arg("identity") = std::string(symbols.str(d.identity)), py::arg("group_key") = d.group_key,
                  py::arg("source_ip") = std::string(symbols.str(d.source)),
                  py::arg("first_seen") = format_rfc3339(d.first_seen), py::arg("last_seen") = format_rfc3339(d.last_seen),
                  py::arg("count") = d.count, py::arg("event_ids") = d.event_ids, py::arg("summary") = d.summary,
                  py::arg("follows") = d.follows);
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
      .def_property_readonly("source", [](const decode_error &e) { return lossless_str(e.source); })
      .def_property_readonly("location", [](const decode_error &e) { return lossless_str(e.location); })
      .def_property_readonly("reason", [](const decode_error &e) { return lossless_str(e.reason); })
      .def_property_readonly("code", [](const decode_error &e) { return static_cast<int>(e.code); })
      .def("__repr__", [](const decode_error &e) {
        return lossless_str("<DecodeError " + e.source + ": " + e.location + ": " + e.reason + ">");
      });

  py::class_<decode_stats>(m, "Stats", "Counts of records read: total = accepted + rejected + duplicates.")
      .def_readonly("total", &decode_stats::total)
      .def_readonly("accepted", &decode_stats::accepted)
      .def_readonly("rejected", &decode_stats::rejected)
      .def_readonly("duplicates", &decode_stats::duplicates)
      .def_readonly("possibly_repeated", &decode_stats::possibly_repeated,
                    "accepted records older than the duplicate horizon, whose repeats cannot be recognised")
      .def("as_dict", [](const decode_stats &s) {
        return py::dict(py::arg("total") = s.total, py::arg("accepted") = s.accepted, py::arg("rejected") = s.rejected,
                        py::arg("duplicates") = s.duplicates, py::arg("possibly_repeated") = s.possibly_repeated);
      })
      .def("__repr__", [](const decode_stats &s) {
        return "Stats(total=" + std::to_string(s.total) + ", accepted=" + std::to_string(s.accepted) +
               ", rejected=" + std::to_string(s.rejected) + ", duplicates=" + std::to_string(s.duplicates) +
               ", possibly_repeated=" + std::to_string(s.possibly_repeated) + ")";
      });

  constexpr std::size_t kDefaultMaxInput = normalizer_options{}.max_decompressed_bytes;
  py::class_<py_engine> engine_class(m, "Engine", "The identrail pipeline. Use from one thread at a time.");
  engine_class
      .def(py::init([](bool deduplicate, bool keep_raw, const std::string &gzip, std::size_t max_errors, bool retain,
                       std::size_t max_input_bytes, std::int64_t dedup_horizon_seconds, bool detect,
                       const py::object &rules, bool builtin_rules, std::int64_t lateness, const py::object &geo,
                       const py::object &state_key, bool skip_invalid_rules, const std::string &input_format,
                       unsigned threads, bool correlate) {
             py::dict settings(py::arg("deduplicate") = deduplicate, py::arg("keep_raw") = keep_raw,
                               py::arg("gzip") = gzip, py::arg("max_errors") = max_errors,
                               py::arg("retain_events") = retain, py::arg("max_input_bytes") = max_input_bytes,
                               py::arg("dedup_horizon_seconds") = dedup_horizon_seconds, py::arg("detect") = detect,
                               py::arg("rules") = rules, py::arg("builtin_rules") = builtin_rules,
                               py::arg("allowed_lateness_seconds") = lateness, py::arg("geo_databases") = geo,
                               py::arg("state_key") = state_key, py::arg("skip_invalid_rules") = skip_invalid_rules,
                               py::arg("input_format") = input_format, py::arg("threads") = threads,
                               py::arg("correlate") = correlate);
             return std::make_unique<py_engine>(unwrap(engine::create(options_from(settings))), settings);
           }),
           py::arg("deduplicate") = true, py::arg("keep_raw") = true, py::arg("gzip") = "libdeflate",
           py::arg("max_errors") = 1000, py::arg("retain_events") = true,
           py::arg("max_input_bytes") = kDefaultMaxInput, py::arg("dedup_horizon_seconds") = 86400,
           py::arg("detect") = true, py::arg("rules") = py::none(), py::arg("builtin_rules") = false,
           py::arg("allowed_lateness_seconds") = 900, py::arg("geo_databases") = py::none(),
           py::arg("state_key") = py::none(), py::arg("skip_invalid_rules") = false,
           py::arg("input_format") = "auto", py::arg("threads") = 1, py::arg("correlate") = true)
      .def(
          "checkpoint",
          [](const py_engine &e) {
            const auto &core = e.read();
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = unwrap(core.checkpoint());
            }
            return py::bytes(bytes);
          },
          "Everything that changes later answers, as bytes (rule state, duplicate filter, graph, flags, counts); "
          "Engine.restore() goes on from it.")
      .def(
          "checkpoint_to",
          [](const py_engine &e, const py::object &path) {
            const auto &core = e.read();
            const auto where = fs_path(path);
            py::gil_scoped_release release;
            unwrap(core.checkpoint_to(where));
          },
          py::arg("path"), "Writes checkpoint() atomically to a file (mode 0600).")
      .def_static(
          "restore",
          [](py::bytes data, py::kwargs settings) {
            const std::string bytes = data;
            return restored_engine(settings, [&](engine_options o) { return engine::restore(bytes, std::move(o)); });
          },
          py::arg("data"),
          "An Engine that goes on where a checkpoint left off. Takes the keyword arguments of Engine(); raises "
          "BadState (truncated, corrupt, not authentic) or IncompatibleState (newer format, another rule set).")
      .def_static(
          "restore_from",
          [](const py::object &path, py::kwargs settings) {
            const auto where = fs_path(path);
            return restored_engine(settings, [&](engine_options o) { return engine::restore_from(where, std::move(o)); });
          },
          py::arg("path"), "Engine.restore() from a file that checkpoint_to() wrote.")
      .def(
          "take_announced",
          [](py_engine &e, const py::object &line) {
            (void)e.read();
            if (!e.announcing)
              throw binding_error(errc::bad_state,
                                  "take_announced: this engine keeps no announcements; set engine.announcing = True "
                                  "before the feeds whose revisions you want (watch() does)");
            std::optional<detection_json_form> form;
            if (!line.is_none()) {
              const auto name = line.cast<std::string>();
              if (name == "json") form = detection_json_form::flat;
              else if (name == "ocsf") form = detection_json_form::ocsf;
              else throw binding_error(errc::invalid_argument, "line must be 'json' or 'ocsf', not '" + name + "'");
            }
            py::list out;
            for (const auto &d : e.announced) {
              auto item = detection_dict(d, e.core.symbols());
              if (form) item["line"] = detection_json(e.core.evidence(), d, *form);
              out.append(std::move(item));
            }
            e.announced.clear();
            return out;
          },
          py::arg("line") = py::none(),
          "The detections and revisions announced since the last call (or since announcing was set), in order, "
          "as dicts (the shape of "
          "detections, with revision and withdrawn); with line='json' or 'ocsf' each also carries its output line "
          "(flat, or an OCSF Detection Finding, class 2004).")
      .def_property(
          "announcing", [](const py_engine &e) { return e.announcing; },
          [](py_engine &e, bool on) {
            (void)e.read();
            e.announce(on);
          },
          "Whether every detection revision is kept for take_announced() (at most 100,000, the oldest dropped "
          "first): off until set; off again drops what was kept.")
      .def_property_readonly(
          "rule_rejections", [](const py_engine &e) { return e.read().rules().rejected(); },
          "With skip_invalid_rules: the rules refused, one 'file:line: rule id: reason' each.")
      .def_property_readonly(
          "time_span",
          [](const py_engine &e) -> py::object {
            const auto span = e.read().time_span();
            if (!span) return py::none();
            return py::make_tuple(format_rfc3339(span->first), format_rfc3339(span->second));
          },
          "(first, last) event time read so far, RFC 3339, or None.")
      .def(
          "advance_to",
          [](py_engine &e, const py::object &now) {
            const auto when = identrail::python::py_time(now, "now");
            if (!when) throw binding_error(errc::invalid_argument, "advance_to: a time is needed");
            feeding guard(e);
            e.core.advance_to(*when);
          },
          py::arg("now"),
          "Event time has moved on without events (a quiet live source): absences due by `now` fire.")
      .def_property(
          "cursor", [](const py_engine &e) { return e.read().cursor(); },
          [](py_engine &e, const std::string &value) {
            feeding guard(e);
            e.core.set_cursor(value);
          },
          "Where the application's sources got to: opaque text kept in checkpoints.")
      .def_property_readonly(
          "restored",
          [](const py_engine &e) {
            const auto &r = e.read().restored();
            return py::dict(py::arg("kept_rules") = r.kept_rules, py::arg("started_rules") = r.started_rules,
                            py::arg("dropped_rules") = r.dropped_rules);
          },
          "After a restore: the rules that kept their state, those that start empty (new or changed) and those "
          "no longer in the rule set.")
      .def(py::pickle(
          [](const py_engine &e) {
            if (!e.settings["state_key"].is_none())
              throw binding_error(errc::invalid_argument,
                                  "an Engine with a state_key is not pickled: the key would travel with the state; "
                                  "use checkpoint() and Engine.restore(data, state_key=...)");
            if (py::isinstance<rule_set>(e.settings["rules"]))
              throw binding_error(errc::invalid_argument,
                                  "an Engine made with a RuleSet is not pickled (compiled rules have no portable "
                                  "form): give rules= as paths, or checkpoint() and Engine.restore(data, rules=...)");
            const auto &core = e.read();
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = unwrap(core.checkpoint());
            }
            return py::make_tuple(e.settings, py::bytes(bytes));
          },
          [](const py::tuple &state) {
            if (state.size() != 2) throw binding_error(errc::bad_state, "Engine pickle: not (settings, checkpoint)");
            auto made_with = engine_settings(state[0].cast<py::dict>());
            auto options = options_from(made_with);
            const std::string bytes = state[1].cast<py::bytes>();
            auto restored = unwrap(engine::restore(bytes, std::move(options)));
            return std::make_unique<py_engine>(std::move(restored), made_with);
          }))
      .def(
          "finish",
          [](py_engine &e) {
            feeding guard(e);
            py::gil_scoped_release release;
            e.core.finish();
          },
          "End of input: fires the absences that are due and gives growing bursts their final figures.")
      .def_property_readonly(
          "detections",
          [](const py_engine &e) {
            py::list out;
            for (const auto &d : e.read().detections()) out.append(detection_dict(d, e.read().symbols()));
            return out;
          },
          "Detections as they are now (latest revision of each), as dicts (id, revision, rule_id, name, severity, "
          "mitre, identity, first_seen, count, ...).")
      .def_property_readonly(
          "detection_stats",
          [](const py_engine &e) {
            const auto &d = e.read().detection_stats();
            return py::dict(py::arg("events") = d.events, py::arg("late") = d.late, py::arg("too_late") = d.too_late,
                            py::arg("repeated") = d.repeated, py::arg("evictions") = d.evictions,
                            py::arg("detections") = d.detections, py::arg("revisions") = d.revisions,
                            py::arg("withdrawn") = d.withdrawn, py::arg("pending") = d.pending,
                            py::arg("keys") = d.keys);
          },
          "Counts from the detector: late events, matches too late to use, repeats ignored, evictions, "
          "detections, revisions, withdrawals, pending, and the group keys held in state.")
      .def_property_readonly("rules", [](const py_engine &e) {
        py::list out;
        const auto &rules = e.read().rules();
        for (std::size_t i = 0; i < rules.size(); ++i) {
          const auto &r = rules.info(i);
          out.append(py::dict(py::arg("id") = r.id, py::arg("name") = r.name, py::arg("description") = r.description,
                              py::arg("severity") = std::string(to_string(r.level)), py::arg("kind") = r.kind,
                              py::arg("tactics") = r.tactics, py::arg("techniques") = r.techniques,
                              py::arg("source") = r.source));
        }
        return out;
      })
      .def(
          "feed",
          [](py_engine &e, py::bytes data, const std::string &source) {
            std::string_view view = data;
            feeding guard(e);
            py::gil_scoped_release release;
            return unwrap(e.core.feed(view, source));
          },
          py::arg("data"), py::arg("source") = "<memory>",
          "Decodes bytes in any supported format; returns the number of events accepted.")
      .def(
          "feed_path",
          [](py_engine &e, const py::object &path_like) {
            const std::string path = fs_path(path_like);
            feeding guard(e);
            py::gil_scoped_release release;
            return unwrap(e.core.feed_path(path));
          },
          py::arg("path"), "Reads a file or every log file under a directory; returns events accepted.")
      .def(
          "feed_paths",
          [](py_engine &e, const py::object &paths_like, const py::object &on_file) {
            const auto paths = fs_paths(paths_like);
            feeding guard(e);
            std::function<void(const std::string &)> told;
            if (!on_file.is_none())
              told = [&on_file](const std::string &file) {
                py::gil_scoped_acquire hold;
                on_file(lossless_str(file));
              };
            py::gil_scoped_release release;
            return unwrap(e.core.feed_paths(paths, told));
          },
          py::arg("paths"), py::arg("on_file") = py::none(),
          "Reads files and directories as one input, their files merged in CloudTrail delivery order (as a "
          "directory is read); returns events accepted.")
      .def_property_readonly("stats", [](const py_engine &e) { return e.read().stats(); })
      .def_property_readonly("errors", [](const py_engine &e) { return e.read().errors(); })
      .def("__len__", [](const py_engine &e) { return e.read().events().size(); })
      .def(
          "event",
          [](const py_engine &e, std::size_t i) {
            if (i >= e.read().events().size()) throw py::index_error("event index out of range");
            return event_ref{&e, &e.read().events()[i]};
          },
          py::arg("index"), py::keep_alive<0, 1>())
      .def("_columns", [](const py_engine &e, std::size_t start) { return columns(e.read(), start); }, py::arg("start") = 0)
      .def(
          "report_json",
          [](const py_engine &e, bool graph) {
            report_options o;
            o.include_graph = graph;
            return lossless_str(report_json(e.read(), o));
          },
          py::arg("graph") = true, "The machine report of `identrail analyze --json` (graph: include the identity graph).")
      .def(
          "write_report_json",
          [](const py_engine &e, int fd, bool graph) {
            report_options o;
            o.include_graph = graph;
            // Straight to the descriptor in pieces: no Python str of the report, no whole copy of it.
            int failed = 0;
            const auto write_all = [&](std::string_view text) {
              py::gil_scoped_release release;
              for (std::size_t written = 0; written < text.size() && failed == 0;) {
                const auto n = ::write(fd, text.data() + written, text.size() - written);
                if (n >= 0) written += static_cast<std::size_t>(n);
                else if (errno != EINTR) failed = errno;
              }
            };
            report_json(e.read(), o, [&](std::string &piece) {
              write_all(piece);
              piece.clear();
            });
            write_all("\n");
            if (failed != 0) {  // as OSError, so a closed pipe is BrokenPipeError, as for print()
              errno = failed;
              PyErr_SetFromErrno(PyExc_OSError);
              throw py::error_already_set();
            }
          },
          py::arg("fd"), py::arg("graph") = true,
          "Writes the report_json() text and a newline to a file descriptor, without making a Python string of it.")
      .def(
          "report_text",
          [](const py_engine &e, std::size_t top) {
            report_options o;
            o.top = top;
            return lossless_str(report_text(e.read(), o));
          },
          py::arg("top") = 10, "The readable report of `identrail analyze`.");
  identrail::python::bind_rule_set(m);
  identrail::python::bind_correlation(engine_class);
  identrail::python::bind_policy(m);
  identrail::python::bind_least_privilege(engine_class);

  m.def(
      "check_rules",
      [](const py::object &paths) {
        std::vector<std::string> list;
        for (const auto &item : paths) list.push_back(fs_path(py::reinterpret_borrow<py::object>(item)));
        const auto rules = list.empty() ? unwrap(rule_set::builtin()) : unwrap(rule_set::from_paths(list));
        return rules.size();
      },
      py::arg("paths"), "Compiles rule files (the built-in pack when empty); raises identrail.Error on a bad rule.");

  m.def(
      "test_rules",
      [](const py_engine &e) {
        py::list out;
        for (const auto &o : run_rule_tests(e.read().rules()))
          out.append(py::dict(py::arg("rule_id") = o.rule_id, py::arg("test") = o.test, py::arg("source") = o.source,
                              py::arg("passed") = o.passed, py::arg("message") = o.message));
        return out;
      },
      py::arg("engine"), "Runs the examples every rule of the engine carries (its `tests:`).");

  m.def(
      "generate_traffic",
      [](std::size_t events, std::size_t identities, std::uint64_t seed) {
        std::string lines;
        {
          py::gil_scoped_release release;
          lines = generate_traffic({events, identities, seed});
        }
        return py::bytes(lines);
      },
      py::arg("events") = 100'000, py::arg("identities") = 2000, py::arg("seed") = 42,
      "The traffic identrail bench measures on, as JSON lines (bytes): `identities` principals with Zipf-skewed "
      "activity over one day, about 1.4 KB an event. The same seed gives the same bytes.");

  m.def(
      "_bench",
      [](const py::object &paths, std::size_t generate, std::size_t identities, std::uint64_t seed, std::size_t top,
         std::uint32_t sampling, std::size_t max_input_bytes, const py::dict &settings) {
        bench_options options;
        options.engine = options_from(engine_settings(settings));
        if (!paths.is_none()) options.paths = fs_paths(paths);
        options.traffic = {generate, identities, seed};
        options.top_rules = top;
        options.rule_cost_sampling = sampling;
        options.max_input_bytes = max_input_bytes;
        py::gil_scoped_release release;
        return bench_json(unwrap(run_bench(options)));
      },
      py::arg("paths"), py::arg("generate"), py::arg("identities"), py::arg("seed"), py::arg("top"),
      py::arg("sampling"), py::arg("max_input_bytes"), py::arg("settings"),
      "identrail.bench()'s measurement as JSON (docs/bench.md).");

  m.def(
      "list_input_files",
      [](const py::object &paths_like) {
        py::list out;
        for (const auto &file : unwrap(list_input_files(fs_paths(paths_like)))) out.append(lossless_str(file));
        return out;
      },
      py::arg("paths"),
      "The files one path, or several, stand for, in reading order: directories recursively, log files only, "
      "CloudTrail delivery files by delivery time.");
}
