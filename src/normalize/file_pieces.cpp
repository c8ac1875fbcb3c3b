// Large JSON-lines files in pieces (file_pieces.hpp).
#include "file_pieces.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "gzip.hpp"
#include "input_files.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

namespace {

// The normalizer's own test (normalizer.cpp, feed): after a byte order mark
// and white space, a whole object on the first line streams as JSON lines.
bool streams_as_json_lines(std::string_view text) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || text[start] != '{') return false;
  auto first_line = text.substr(start, text.find('\n', start) - start);
  while (!first_line.empty() && (first_line.back() == ' ' || first_line.back() == '\t' || first_line.back() == '\r'))
    first_line.remove_suffix(1);
  return first_line.ends_with('}');
}

// memchr runs through a line in a few vector steps: far faster than a byte loop.
std::size_t newlines_in(std::string_view text) {
  std::size_t n = 0;
  for (const char *at = text.data(), *end = text.data() + text.size();
       (at = static_cast<const char *>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))) != nullptr; ++at)
    ++n;
  return n;
}

}  // namespace

file_pieces::file_pieces(const std::vector<std::string> &files, std::size_t max_input_bytes)
    : files_(files), max_input_bytes_(max_input_bytes) {
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(files[f], ec);
    // An unreadable or oversized file is one input: its error is reported as one thread reports it.
    const std::size_t parts = ec || size > max_input_bytes ? 1 : std::max<std::size_t>(1, size / kPieceBytes);
    for (std::size_t k = 0; k < parts; ++k) plan_.push_back({f, k, parts});
  }
}

loaded_input load_whole_file(const std::string &path, std::size_t max_bytes) {
  loaded_input in;
  in.source = path;
  auto data = read_whole_file(path, max_bytes, simdjson::SIMDJSON_PADDING);
  if (data) in.owned = std::move(*data);
  else in.unreadable = data.error();
  return in;
}

std::shared_ptr<const file_pieces::cut_file> file_pieces::read_and_cut(std::size_t file, std::size_t parts) const {
  auto out = std::make_shared<cut_file>();
  auto data = read_whole_file(files_[file], max_input_bytes_, simdjson::SIMDJSON_PADDING);
  if (!data) {
    out->unreadable = data.error();
    return out;
  }
  out->length = data->size();
  data->append(simdjson::SIMDJSON_PADDING, '\0');
  const std::string_view text(data->data(), out->length);
  out->cut = !looks_gzipped(text) && streams_as_json_lines(text);
  if (out->cut) {
    std::size_t lines = 0, at = 0;
    for (std::size_t k = 0; k < parts; ++k) {
      const std::size_t want = std::max(at, out->length * k / parts);
      const auto newline = k == 0 ? std::string_view::npos : text.find('\n', want == 0 ? 0 : want - 1);
      const std::size_t start = k == 0 ? 0 : newline == std::string_view::npos ? out->length : newline + 1;
      lines += newlines_in(text.substr(at, start - at));
      out->starts.push_back(start);
      out->lines_before.push_back(lines);
      at = start;
    }
    out->starts.push_back(out->length);
  }
  out->bytes = std::make_shared<const std::string>(std::move(*data));
  return out;
}

// The first piece of a file to load reads and cuts it; the others wait for
// that. The entry goes once every piece has its share of the buffer.
std::shared_future<std::shared_ptr<const file_pieces::cut_file>> file_pieces::cut_of(std::size_t file,
                                                                                     std::size_t parts) {
  std::promise<std::shared_ptr<const cut_file>> made;
  auto future = made.get_future().share();
  {
    std::lock_guard lock(mutex_);
    auto &entry = cuts_[file];
    const bool first = entry.loads == 0;
    if (++entry.loads == parts) {
      auto found = first ? future : entry.cut;
      cuts_.erase(file);
      if (!first) return found;
    } else if (!first) {
      return entry.cut;
    } else {
      entry.cut = future;
    }
  }
  try {
    made.set_value(read_and_cut(file, parts));
  } catch (...) {
    made.set_exception(std::current_exception());
  }
  return future;
}

loaded_input file_pieces::load(std::size_t index) {
  const piece p = plan_[index];
  if (p.parts == 1) return load_whole_file(files_[p.file], max_input_bytes_);
  const auto cut = cut_of(p.file, p.parts).get();
  loaded_input in;
  in.source = files_[p.file];
  in.first_of_file = p.part == 0;
  if (cut->unreadable) {
    if (p.part == 0) in.unreadable = cut->unreadable;
    else in.empty_piece = true;
    return in;
  }
  const std::size_t begin = cut->cut ? cut->starts[p.part] : 0;
  const std::size_t end = cut->cut ? cut->starts[p.part + 1] : p.part == 0 ? cut->length : 0;
  in.whole = cut->bytes;
  in.bytes = std::string_view(cut->bytes->data() + begin, end - begin);
  in.capacity = cut->bytes->size() - begin;
  in.origin_byte = begin;
  in.origin_line = cut->cut ? cut->lines_before[p.part] : 0;
  in.empty_piece = end <= begin && p.part > 0;
  in.json_lines = cut->cut;
  return in;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
