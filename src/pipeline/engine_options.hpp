// Private: engine options made ready to run: checked once, for every binding,
// with the rules read and the databases opened.
#pragma once

#include "identrail/pipeline/engine.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// On success `rules` (when detecting) and `geolocation` (when databases are named) are set.
[[nodiscard]] result<engine_options> prepare(engine_options options);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
