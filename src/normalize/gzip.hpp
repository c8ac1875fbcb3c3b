// Private: whole-buffer gzip decoding with libdeflate (fast) or zlib.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "identrail/normalize/normalizer.hpp"

namespace identrail::detail {

[[nodiscard]] inline bool looks_gzipped(std::string_view bytes) noexcept {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

struct gunzip_result {
  std::string data;    // what could be decompressed, padded for simdjson by the caller
  std::string failure; // empty when the whole input decoded
};

// Decodes every gzip member. On corruption or truncation it keeps what came out
// before the damage (zlib streams to the point of failure) so the records in it
// can still be read, and says where it stopped in `failure`.
[[nodiscard]] gunzip_result gunzip(std::string_view compressed, gzip_backend backend, std::size_t max_output);

}  // namespace identrail::detail
