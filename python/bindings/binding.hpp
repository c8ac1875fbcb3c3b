// Shared by the binding files: how C++ errors become identrail.* exceptions.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>

#include "identrail/identrail.hpp"

namespace identrail::python {

// Carried through pybind11 and turned into identrail.errors classes by the
// translator registered in module.cpp.
struct binding_error : std::runtime_error {
  binding_error(errc c, const std::string &message) : std::runtime_error(message), code(c) {}
  errc code;
};

template <class T>
T unwrap(result<T> r) {
  if (!r) throw binding_error(r.error().code, r.error().message);
  return std::move(*r);
}
inline void unwrap(result<void> r) {
  if (!r) throw binding_error(r.error().code, r.error().message);
}

// The engine as Python holds it. Feeding releases the GIL, so another Python
// thread could reach the engine mid-feed; `busy` turns that into an error
// instead of a read of a vector being reallocated.
struct py_engine {
  py_engine(engine made, pybind11::dict made_with) : core(std::move(made)), settings(std::move(made_with)) {}
  engine core;
  // Revisions as announced, for take_announced(): kept in C++ because the
  // callback runs inside a feed, without the GIL. Bounded: a caller that
  // never takes them loses the oldest, counted. Kept only once asked for
  // (announcing): a copy of every revision, up to 100,000 of them, would
  // otherwise cost every engine that never takes them memory and time.
  std::deque<detection> announced;
  std::uint64_t announced_dropped = 0;
  bool announcing = false;
  static constexpr std::size_t kMaxAnnounced = 100'000;
  void announce(bool on) {
    if (on == announcing) return;
    announcing = on;
    if (!on) {
      core.on_detection({});
      announced.clear();
      return;
    }
    core.on_detection([this](const detection &d) {
      if (announced.size() >= kMaxAnnounced) {
        announced.pop_front();
        ++announced_dropped;
      }
      announced.push_back(d);
    });
  }
  // The keyword arguments it was made with: a restore (and unpickling) makes the same engine.
  pybind11::dict settings;
  std::atomic<bool> busy{false};

  const engine &read() const {
    if (busy.load(std::memory_order_acquire))
      throw std::runtime_error("identrail.Engine is being fed by another thread; an engine serves one thread at a time");
    return core;
  }
};

// Marks the engine busy for the duration of a feed, or refuses if it already is.
class feeding {
 public:
  explicit feeding(py_engine &e) : engine_(e) {
    bool expected = false;
    if (!engine_.busy.compare_exchange_strong(expected, true, std::memory_order_acq_rel))
      throw std::runtime_error("identrail.Engine is already being fed by another thread");
  }
  feeding(const feeding &) = delete;
  feeding &operator=(const feeding &) = delete;
  ~feeding() { engine_.busy.store(false, std::memory_order_release); }

 private:
  py_engine &engine_;
};

// An event of an engine: kept events never move (event_store), so the pointer
// stays valid while the engine lives (the Python object keeps it alive). get()
// still asks the engine, which refuses while another thread feeds it.
struct event_ref {
  const py_engine *owner;
  const event *kept;
  const event &get() const {
    (void)owner->read();
    return *kept;
  }
  std::string_view str(symbol s) const { return owner->read().symbols().str(s); }
  const symbol_table &symbols() const { return owner->read().symbols(); }
};

// Text that may hold arbitrary bytes (file names): decoded the way Python decodes paths.
inline pybind11::str lossless_str(const std::string &bytes) {
  return pybind11::reinterpret_steal<pybind11::str>(
      PyUnicode_DecodeUTF8(bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "surrogateescape"));
}

void bind_event(pybind11::module_ &m);

// None, an RFC 3339 string, or a datetime (naive means UTC); `name` is the argument's, for errors.
std::optional<timestamp> py_time(const pybind11::object &value, const char *name);

// Adds risk, status, graph queries and remediation to identrail.Engine (graph.cpp).
void bind_correlation(pybind11::class_<py_engine> &engine_class);
// Adds parse_policy and evaluate_policy (policy.cpp).
void bind_policy(pybind11::module_ &m);
// Adds Engine.least_privilege (policy.cpp).
void bind_least_privilege(pybind11::class_<py_engine> &engine_class);
// Adds identrail.RuleSet (rules.cpp).
void bind_rule_set(pybind11::module_ &m);

// One path or an iterable of them (str, bytes or os.PathLike), as the file system names them.
std::vector<std::string> fs_paths(const pybind11::object &paths);

}  // namespace identrail::python
