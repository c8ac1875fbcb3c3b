// Private: finding invalid UTF-8 so one bad byte costs one record, not the file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace identrail {
inline namespace v0 {
namespace detail {

// Replaces every byte that is not part of a valid UTF-8 sequence with '?' and
// returns the offsets replaced (ascending). simdjson rejects a whole buffer for
// one bad byte; after this only the records holding such an offset are rejected.
std::vector<std::size_t> replace_invalid_utf8(std::string &text);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
