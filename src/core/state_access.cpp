#include "state_access.hpp"

#include "identrail/core/symbol.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

void state_access::save(const symbol_table &symbols, state_writer &out) {
  out.u64(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) out.str(symbols.str(symbol{static_cast<std::uint32_t>(i)}));
}

std::vector<symbol> state_access::load(symbol_table &symbols, state_reader &in) {
  std::vector<symbol> mapped;
  const auto n = in.count(8);
  mapped.reserve(n);
  for (std::size_t i = 0; i < n && in.ok(); ++i) mapped.push_back(symbols.intern(in.str()));
  return mapped;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
