// Private: the files a parallel read goes through, large JSON-lines files in
// pieces of whole lines that decode on several threads. A piece is read from
// its file when a worker takes it, after the piece before it (line_pieces.hpp):
// memory holds the pieces in flight, not the file, and each piece carries where
// it starts in its file, so every error names the file's own line and byte, as
// one thread reading the whole file would.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "line_pieces.hpp"
#include "parallel_feed.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

class file_pieces {
 public:
  // Files over kPieceBytes are planned as pieces of about that size; whether a
  // file is JSON lines is found when its first piece is read. Any other file is
  // read whole by its first piece, and its other pieces are empty.
  static constexpr std::size_t kPieceBytes = std::size_t{8} << 20;

  file_pieces(const std::vector<std::string> &files, std::size_t max_input_bytes);

  [[nodiscard]] std::size_t count() const noexcept { return plan_.size(); }
  // Thread-safe: a piece waits for the one before it in its file to be read.
  [[nodiscard]] loaded_input load(std::size_t index);

 private:
  struct piece {
    std::size_t file;
    std::size_t part, parts;
  };
  // One file's pieces, read in turn.
  struct turns {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0;                     // the part whose turn it is
    std::optional<line_piece_reader> reader;  // none: read whole by part 0
  };

  [[nodiscard]] std::shared_ptr<turns> turns_of(std::size_t file);
  void read_piece(const piece &p, turns &file, loaded_input &in) const;

  const std::vector<std::string> &files_;
  std::size_t max_input_bytes_;
  std::vector<piece> plan_;
  std::mutex mutex_;
  std::map<std::size_t, std::shared_ptr<turns>> turns_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
