#include "utf8.hpp"

#include "../core/utf8.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

std::vector<std::size_t> replace_invalid_utf8(std::string &text) {
  std::vector<std::size_t> replaced;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      replaced.push_back(i);
      text[i] = '?';
      ++i;
    } else {
      i += len;
    }
  }
  return replaced;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
