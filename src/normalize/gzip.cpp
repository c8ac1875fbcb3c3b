#include "gzip.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

// zlib streams member after member and stops at the first damage, leaving the
// good prefix in `out`; that is what lets us salvage records from a truncated file.
std::string zlib_gunzip(std::string_view in, std::size_t max_output, std::string &out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return "zlib initialisation failed";
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, &inflateEnd);
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  // zlib counts input in 32 bits: hand it over in slices.
  std::size_t unread = in.size();
  auto refill = [&] {
    if (zs.avail_in != 0 || unread == 0) return;
    zs.avail_in = static_cast<uInt>(std::min<std::size_t>(unread, UINT32_MAX));
    unread -= zs.avail_in;
  };
  refill();
  std::size_t produced = out.size();
  for (;;) {
    refill();
    if (out.size() - produced < 64 * 1024) out.resize(out.size() + std::max<std::size_t>(in.size() * 2, 256 * 1024));
    zs.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT32_MAX));
    const uInt before = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before - zs.avail_out;
    if (produced > max_output) {
      out.resize(produced);
      return "decompressed size exceeds the limit of " + std::to_string(max_output) + " bytes";
    }
    if (rc == Z_STREAM_END) {
      refill();
      if (zs.avail_in == 0) break;
      // Concatenated members (as `cat a.gz b.gz` makes) are valid gzip.
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && unread == 0) {
      out.resize(produced);
      return "gzip data truncated after " + std::to_string(in.size()) + " compressed bytes";
    }
    out.resize(produced);
    return std::string("corrupt gzip data at compressed byte ") + std::to_string(zs.total_in) + ": " +
           (zs.msg ? zs.msg : "inflate failed");
  }
  out.resize(produced);
  return {};
}

std::size_t trailer_size(std::string_view in) {
  if (in.size() < 18) return 0;
  const auto *p = reinterpret_cast<const unsigned char *>(in.data() + in.size() - 4);
  return static_cast<std::size_t>(p[0]) | static_cast<std::size_t>(p[1]) << 8 | static_cast<std::size_t>(p[2]) << 16 |
         static_cast<std::size_t>(p[3]) << 24;
}

}  // namespace

gunzipper::gunzipper() : decompressor_(libdeflate_alloc_decompressor()) {}
gunzipper::~gunzipper() { libdeflate_free_decompressor(decompressor_); }

std::string gunzipper::decompress(std::string_view in, gzip_backend backend, std::size_t max_output, std::size_t spare,
                                  std::string &out) {
  out.clear();
  if (backend == gzip_backend::zlib || decompressor_ == nullptr) return zlib_gunzip(in, max_output, out);
  // The trailer holds the size mod 2^32 of the last member: exact for the usual
  // single-member file, a starting guess otherwise. DEFLATE cannot expand more
  // than ~1032:1, so a larger trailer is damage, not a size.
  std::size_t hint = trailer_size(in);
  if (hint > in.size() * 1032) hint = 0;
  std::size_t capacity = std::max<std::size_t>({hint, in.size() * 4, 4096});
  std::size_t in_pos = 0;
  std::size_t out_pos = 0;
  while (in_pos < in.size()) {
    if (capacity > max_output) capacity = max_output;
    out.reserve(capacity + spare);
    out.resize(capacity);
    std::size_t in_used = 0, out_used = 0;
    const auto rc = libdeflate_gzip_decompress_ex(decompressor_, in.data() + in_pos, in.size() - in_pos,
                                                  out.data() + out_pos, out.size() - out_pos, &in_used, &out_used);
    if (rc == LIBDEFLATE_SUCCESS) {
      in_pos += in_used;
      out_pos += out_used;
      if (capacity - out_pos < in.size() - in_pos) capacity = out_pos + (in.size() - in_pos) * 4;
      continue;
    }
    if (rc == LIBDEFLATE_INSUFFICIENT_SPACE && capacity < max_output) {
      capacity *= 2;
      continue;
    }
    // Damaged or over the limit: let zlib salvage what precedes the damage.
    out.resize(out_pos);
    return zlib_gunzip(in.substr(in_pos), max_output - out_pos, out);
  }
  out.resize(out_pos);
  return {};
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
