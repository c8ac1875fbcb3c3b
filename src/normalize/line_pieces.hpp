// Private: a plain JSON-lines file read a piece of whole lines at a time, so
// that a file of any size is read in memory bounded by the piece size (with
// threads, by the pieces in flight), not by the file. Each piece carries where
// it starts in its file, by byte and by line, so that every error names the
// file's own line and byte, as reading the whole file at once would.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// The normalizer's own test (normalizer.cpp, feed): after a byte order mark
// and white space, a whole object on the first line streams as JSON lines.
[[nodiscard]] bool streams_as_json_lines(std::string_view text);

// newlines in text, by memchr: a few vector steps a line, far faster than a byte loop.
[[nodiscard]] std::size_t newlines_in(std::string_view text);

struct line_piece {
  std::size_t origin_byte = 0;   // where it starts in the file
  std::size_t lines_before = 0;  // newlines in the file before it
  std::size_t length = 0;        // its bytes in the buffer, before the padding
};

class line_piece_reader {
 public:
  // A reader when `path` is a file to read in pieces: not gzip, larger than
  // one piece, and JSON lines by its first line, found within the first piece.
  // nullopt otherwise (or when it cannot be opened): it is read whole, which
  // reports its errors as it always has.
  [[nodiscard]] static std::optional<line_piece_reader> open(const std::string &path, std::size_t piece_bytes,
                                                             std::size_t max_line_bytes);

  // The next piece into `buffer` (whose memory is kept from piece to piece):
  // whole lines of about piece_bytes, or one longer line, then `padding` zero
  // bytes. errc::io_error when the file cannot be read on (the rest is not
  // read); limit_exceeded for a line longer than max_line_bytes, which is
  // passed over: the next call goes on after it; out_of_memory, and the rest is
  // not read. The file is read as large as it was when opened.
  [[nodiscard]] result<line_piece> next(std::string &buffer, std::size_t padding);
  [[nodiscard]] bool done() const noexcept { return at_end_ && carry_.empty(); }

  // Pieces enough for a file of `size` bytes, whatever its lines: two pieces
  // in a row take at least piece_bytes of it, and a line passed over more than
  // max_line_bytes.
  [[nodiscard]] static std::size_t most_pieces(std::size_t size, std::size_t piece_bytes, std::size_t max_line_bytes) {
    return size / std::min(piece_bytes / 2, max_line_bytes + 1) + 2;
  }

 private:
  struct closer {
    void operator()(std::FILE *f) const noexcept { std::fclose(f); }
  };
  line_piece_reader(std::string path, std::unique_ptr<std::FILE, closer> file, std::size_t piece_bytes,
                    std::size_t max_line_bytes, std::size_t size)
      : path_(std::move(path)), file_(std::move(file)), piece_bytes_(piece_bytes), max_line_bytes_(max_line_bytes),
        size_(size) {}
  [[nodiscard]] result<line_piece> next_piece(std::string &buffer, std::size_t padding);
  [[nodiscard]] result<line_piece> pass_over_line(std::string &buffer);
  // Appends up to `bytes` from the file to `to`; false at the file's end or on a read error.
  bool read_more(std::string &to, std::size_t bytes);

  std::string path_;
  std::unique_ptr<std::FILE, closer> file_;
  std::size_t piece_bytes_, max_line_bytes_;
  std::size_t size_, read_ = 0;  // the file's size when opened, and the bytes read of it
  std::string carry_;            // read, not yet handed out: the start of the next piece
  std::size_t position_ = 0, lines_ = 0;
  bool at_end_ = false, failed_ = false;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
