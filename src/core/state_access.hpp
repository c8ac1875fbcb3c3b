// Private: how checkpoints reach the state of each stage. The stages name
// this struct a friend, so their public headers gain no serialization API;
// each stage's part is defined next to its implementation.
#pragma once

#include <string>
#include <vector>

#include "state_io.hpp"

namespace identrail {
inline namespace v0 {
class detector;
class identity_graph;
class identity_resolver;
class normalizer;
class symbol_table;

namespace detail {

// What a restore did with the rules of the checkpoint.
struct rule_restore {
  std::vector<std::string> kept;     // same id and definition: state restored
  std::vector<std::string> started;  // new or changed: start empty
  std::vector<std::string> dropped;  // in the checkpoint, no longer in the rule set
};

struct state_access {
  static void save(const symbol_table &symbols, state_writer &out);
  // Interns the checkpoint's symbols: entry i is what the checkpoint's symbol i is here.
  static std::vector<symbol> load(symbol_table &symbols, state_reader &in);

  static void save(const normalizer &n, state_writer &out);
  static void load(normalizer &n, state_reader &in);

  static void save(const identity_resolver &r, state_writer &out);
  static void load(identity_resolver &r, state_reader &in);

  static void save(const identity_graph &g, state_writer &out);
  static void load(identity_graph &g, state_reader &in);

  static void save(const detector &d, state_writer &out);
  static rule_restore load(detector &d, state_reader &in);
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
