// Plain JSON-lines files in pieces of whole lines (line_pieces.hpp).
#include "line_pieces.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "gzip.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

bool streams_as_json_lines(std::string_view text) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || text[start] != '{') return false;
  auto first_line = text.substr(start, text.find('\n', start) - start);
  while (!first_line.empty() && (first_line.back() == ' ' || first_line.back() == '\t' || first_line.back() == '\r'))
    first_line.remove_suffix(1);
  return first_line.ends_with('}');
}

std::size_t newlines_in(std::string_view text) {
  std::size_t n = 0;
  for (const char *at = text.data(), *end = text.data() + text.size();
       (at = static_cast<const char *>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))) != nullptr; ++at)
    ++n;
  return n;
}

namespace {
constexpr std::size_t kHeadStep = std::size_t{64} << 10;
constexpr std::string_view kSpace = " \t\r\n";
}  // namespace

std::optional<line_piece_reader> line_piece_reader::open(const std::string &path, std::size_t piece_bytes,
                                                         std::size_t max_line_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size <= piece_bytes) return std::nullopt;
  std::unique_ptr<std::FILE, closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return std::nullopt;
  line_piece_reader reader(path, std::move(file), piece_bytes, max_line_bytes, size);
  // The head, to the end of its first line that is not blank: it decides, as
  // it does for a file read whole.
  auto &head = reader.carry_;
  std::size_t newline = std::string::npos;
  while (newline == std::string::npos && head.size() < piece_bytes && !reader.at_end_) {
    reader.read_more(head, kHeadStep);
    const auto text = std::string_view(head).substr(head.starts_with("\xef\xbb\xbf") ? 3 : 0);
    if (const auto first = text.find_first_not_of(kSpace); first != std::string_view::npos)
      newline = text.find('\n', first);
  }
  if (reader.failed_ || newline == std::string::npos || looks_gzipped(head) || !streams_as_json_lines(head))
    return std::nullopt;
  return reader;
}

// A file is read as large as it was when opened: the plan of its pieces was made for that size.
bool line_piece_reader::read_more(std::string &to, std::size_t bytes) {
  bytes = std::min(bytes, size_ - read_);
  const std::size_t had = to.size();
  to.resize(had + bytes);
  const std::size_t got = bytes == 0 ? 0 : std::fread(to.data() + had, 1, bytes, file_.get());
  to.resize(had + got);
  read_ += got;
  if (got < bytes || read_ == size_) {
    failed_ = std::ferror(file_.get()) != 0;
    at_end_ = true;
  }
  return got > 0;
}

// The buffer holds the start of one line, longer than the limit: read on to
// its end without keeping it, so that the lines after it are read.
result<line_piece> line_piece_reader::pass_over_line(std::string &buffer) {
  const std::size_t line = lines_ + 1, byte = position_;
  std::size_t length = buffer.size();
  for (;;) {
    buffer.clear();
    if (!read_more(buffer, piece_bytes_)) break;
    if (const auto newline = buffer.find('\n'); newline != std::string::npos) {
      carry_.assign(buffer, newline + 1, std::string::npos);
      length += newline + 1;
      ++lines_;
      break;
    }
    length += buffer.size();
  }
  buffer.clear();
  position_ += length;
  if (failed_) return make_error(errc::io_error, path_ + ": read failed after byte " + std::to_string(position_));
  return make_error(errc::limit_exceeded, "line " + std::to_string(line) + " (byte " + std::to_string(byte) +
                                              ") is longer than the input limit of " + std::to_string(max_line_bytes_) +
                                              " bytes: it is not read");
}

result<line_piece> line_piece_reader::next(std::string &buffer, std::size_t padding) {
  try {
    return next_piece(buffer, padding);
  } catch (const std::bad_alloc &) {
    at_end_ = true;  // done(): the rest is not read
    carry_.clear();
    return make_error(errc::out_of_memory, path_ + ": out of memory reading a piece at byte " + std::to_string(position_));
  }
}

result<line_piece> line_piece_reader::next_piece(std::string &buffer, std::size_t padding) {
  const line_piece piece{position_, lines_, 0};
  buffer.assign(carry_);
  carry_.clear();
  std::size_t last_newline = buffer.rfind('\n');
  std::size_t cut = 0;
  for (;;) {
    if (failed_) return make_error(errc::io_error, path_ + ": read failed after byte " + std::to_string(position_));
    // Checked before the end of the file too: a last line over the limit is not read either.
    if (last_newline == std::string::npos && buffer.size() > max_line_bytes_) return pass_over_line(buffer);
    if (last_newline != std::string::npos && (buffer.size() >= piece_bytes_ || at_end_)) {
      cut = last_newline + 1;
      break;
    }
    if (at_end_) {
      cut = buffer.size();
      break;
    }
    // Up to a piece; then, for a line longer than a piece, double the read, so
    // finding its end stays linear. While no line has ended, no more than the
    // limit and a byte is held.
    const std::size_t searched = buffer.size();
    std::size_t want = searched < piece_bytes_ ? piece_bytes_ - searched : searched;
    if (last_newline == std::string::npos) want = std::min(want, max_line_bytes_ + 1 - searched);
    read_more(buffer, want);
    if (const auto found = std::string_view(buffer).substr(searched).rfind('\n'); found != std::string_view::npos)
      last_newline = searched + found;
  }
  carry_.assign(buffer, cut, std::string::npos);
  buffer.resize(cut);
  position_ += cut;
  lines_ += newlines_in(buffer);
  buffer.append(padding, '\0');
  return line_piece{piece.origin_byte, piece.lines_before, cut};
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
