// Private: reading a whole input file.
#pragma once

#include <string>

#include "identrail/core/error.hpp"

namespace identrail::detail {

[[nodiscard]] result<std::string> read_whole_file(const std::string &path);

}  // namespace identrail::detail
