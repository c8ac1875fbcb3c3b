// Shared by the binding files: how C++ errors become identrail.* exceptions.
#pragma once

#include <pybind11/pybind11.h>

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

// An event of an engine, by index: events are only ever appended, so an index
// stays valid while the engine lives (the Python object keeps it alive).
struct event_ref {
  const engine *owner;
  std::size_t index;
  const event &get() const { return owner->events().at(index); }
  std::string_view str(symbol s) const { return owner->symbols().str(s); }
};

void bind_event(pybind11::module_ &m);

}  // namespace identrail::python
