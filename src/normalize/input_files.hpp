// Private: reading a whole input file.
#pragma once

#include <cstddef>
#include <string>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Reads a file of at most `max_bytes`, reserving `spare` extra bytes of
// capacity so a parser's padding can be appended without copying.
[[nodiscard]] result<std::string> read_whole_file(const std::string &path, std::size_t max_bytes, std::size_t spare);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
