#include "utf8.hpp"

namespace identrail::detail {
namespace {

// Length of the valid sequence at i, or 0 (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
std::size_t valid_sequence_length(const unsigned char *s, std::size_t n, std::size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && s[i + 1] < 0xA0) return 0;
    if (c == 0xED && s[i + 1] > 0x9F) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && s[i + 1] < 0x90) return 0;
    if (c == 0xF4 && s[i + 1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::vector<std::size_t> replace_invalid_utf8(std::string &text) {
  std::vector<std::size_t> replaced;
  auto *s = reinterpret_cast<unsigned char *>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const std::size_t len = valid_sequence_length(s, n, i);
    if (len == 0) {
      replaced.push_back(i);
      s[i] = '?';
      ++i;
    } else {
      i += len;
    }
  }
  return replaced;
}

}  // namespace identrail::detail
