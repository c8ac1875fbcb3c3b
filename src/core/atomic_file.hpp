// Private: writing a file so that a reader finds the old bytes or the new,
// never a mix, even if the writer is killed or the machine loses power.
#pragma once

#include <string>
#include <string_view>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// A temporary file beside `path` (mode `mode`), fsync, rename over `path`,
// fsync of the directory. Errors name the path and the call that failed.
[[nodiscard]] result<void> write_file_atomically(const std::string &path, std::string_view bytes, unsigned mode = 0600);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
