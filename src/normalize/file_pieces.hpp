// Private: the files a parallel read goes through, large JSON-lines files cut
// at line ends into pieces that decode on several threads. A piece carries
// where it starts in its file, so every error names the file's own line and
// byte, as one thread reading the whole file would.
#pragma once

#include <cstddef>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "parallel_feed.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

class file_pieces {
 public:
  // Files over kPieceBytes are planned as that many pieces; whether a file is
  // JSON lines (and where its lines end) is found when its first piece loads.
  static constexpr std::size_t kPieceBytes = std::size_t{8} << 20;

  file_pieces(const std::vector<std::string> &files, std::size_t max_input_bytes);

  [[nodiscard]] std::size_t count() const noexcept { return plan_.size(); }
  // Thread-safe: workers load pieces of one file at once.
  [[nodiscard]] loaded_input load(std::size_t index);

 private:
  struct piece {
    std::size_t file;
    std::size_t part, parts;
  };
  // A file read whole and cut: piece k covers [starts[k], starts[k + 1]).
  struct cut_file {
    std::shared_ptr<const std::string> bytes;  // the file, then input_padding zero bytes
    std::size_t length = 0;
    std::vector<std::size_t> starts, lines_before;
    bool cut = false;  // false: not JSON lines, or gzip; the first piece reads it whole
    std::optional<error> unreadable;
  };

  std::shared_future<std::shared_ptr<const cut_file>> cut_of(std::size_t file, std::size_t parts);
  [[nodiscard]] std::shared_ptr<const cut_file> read_and_cut(std::size_t file, std::size_t parts) const;

  const std::vector<std::string> &files_;
  std::size_t max_input_bytes_;
  std::vector<piece> plan_;
  std::mutex mutex_;
  struct cut_entry {
    std::shared_future<std::shared_ptr<const cut_file>> cut;
    std::size_t loads = 0;  // pieces that asked for it
  };
  std::map<std::size_t, cut_entry> cuts_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
