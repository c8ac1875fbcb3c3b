// Private: whole-buffer gzip decoding with libdeflate (fast) or zlib.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "identrail/normalize/normalizer.hpp"

struct libdeflate_decompressor;

namespace identrail {
inline namespace v0 {
namespace detail {

[[nodiscard]] inline bool looks_gzipped(std::string_view bytes) noexcept {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// Decodes every gzip member. On corruption or truncation it keeps what came out
// before the damage (zlib streams to the point of failure) so the records in it
// can still be read. Holds its libdeflate state and is reused across inputs.
class gunzipper {
 public:
  gunzipper();
  ~gunzipper();
  gunzipper(const gunzipper &) = delete;
  gunzipper &operator=(const gunzipper &) = delete;

  // Replaces `out` with the decompressed bytes, keeping its capacity, and
  // reserves `spare` bytes beyond them. Returns "" or where and why it stopped.
  [[nodiscard]] std::string decompress(std::string_view compressed, gzip_backend backend, std::size_t max_output,
                                       std::size_t spare, std::string &out);

 private:
  libdeflate_decompressor *decompressor_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
