// Private: the one UTF-8 well-formedness check (RFC 3629: no overlongs, no
// surrogates, at most U+10FFFF), shared by input repair and JSON output.
#pragma once

#include <cstddef>
#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

// Length of the valid sequence starting at text[i], or 0.
[[nodiscard]] inline std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF)
    return cont(1) && cont(2) && !(c == 0xE0 && byte(1) < 0xA0) && !(c == 0xED && byte(1) > 0x9F) ? 3 : 0;
  if (c >= 0xF0 && c <= 0xF4)
    return cont(1) && cont(2) && cont(3) && !(c == 0xF0 && byte(1) < 0x90) && !(c == 0xF4 && byte(1) > 0x8F) ? 4 : 0;
  return 0;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
