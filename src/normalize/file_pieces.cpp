// Large JSON-lines files in pieces (file_pieces.hpp).
#include "file_pieces.hpp"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include "input_files.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

file_pieces::file_pieces(const std::vector<std::string> &files, std::size_t max_input_bytes)
    : files_(files), max_input_bytes_(max_input_bytes) {
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(files[f], ec);
    // An unreadable file is one input: its error is reported as one thread reports it.
    // Enough parts to read any file of this size in pieces; the ones it does not need are empty.
    const std::size_t parts =
        ec || size <= kPieceBytes ? 1 : line_piece_reader::most_pieces(size, kPieceBytes, max_input_bytes);
    for (std::size_t k = 0; k < parts; ++k) plan_.push_back({f, k, parts});
    // Made here, so that taking a turn allocates nothing a throw could leave half done.
    if (parts > 1) turns_[f] = std::make_shared<turns>();
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

std::shared_ptr<file_pieces::turns> file_pieces::turns_of(std::size_t file) {
  std::lock_guard lock(mutex_);
  return turns_.at(file);
}

// Called in the file's turn for this part: the part before it has been read.
void file_pieces::read_piece(const piece &p, turns &file, loaded_input &in) const {
  if (p.part == 0) {
    file.reader = line_piece_reader::open(files_[p.file], kPieceBytes, max_input_bytes_);
    if (!file.reader) {
      in = load_whole_file(files_[p.file], max_input_bytes_);
      return;
    }
  }
  if (!file.reader || file.reader->done()) {
    in.empty_piece = true;
    return;
  }
  auto whole = std::make_shared<std::string>();
  const auto read = file.reader->next(*whole, simdjson::SIMDJSON_PADDING);
  if (!read) {
    in.unreadable = read.error();
    if (read.error().code != errc::limit_exceeded) file.reader.reset();  // the rest of the file is not read
    return;
  }
  in.bytes = std::string_view(whole->data(), read->length);
  in.capacity = whole->size();
  in.whole = std::move(whole);
  in.origin_byte = read->origin_byte;
  in.origin_line = read->lines_before;
  in.json_lines = true;
}

loaded_input file_pieces::load(std::size_t index) {
  const piece p = plan_[index];
  if (p.parts == 1) return load_whole_file(files_[p.file], max_input_bytes_);
  const auto file = turns_of(p.file);
  loaded_input in;
  {
    std::unique_lock lock(file->mutex);
    file->changed.wait(lock, [&] { return file->next == p.part; });
    // However the read ends (an error, out of memory), the next part's turn comes.
    struct pass_on {
      turns &file;
      ~pass_on() {
        ++file.next;
        file.changed.notify_all();
      }
    } pass{*file};
    read_piece(p, *file, in);
  }
  if (p.part + 1 == p.parts) {
    std::lock_guard lock(mutex_);
    turns_.erase(p.file);
  }
  in.source = files_[p.file];
  in.first_of_file = p.part == 0;
  return in;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
