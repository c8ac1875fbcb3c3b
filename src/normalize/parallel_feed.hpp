// Private: decoding inputs on several threads with the answers of one.
//
// Workers decode whole inputs (a file: gunzip, parse, decode) with normalizers
// of their own, interning into tables of their own; the calling thread takes
// each input's events in input order, re-interns the worker's new strings into
// the caller's table at the points the worker made them (so symbol ids come
// out as one thread would give them), filters duplicates, counts and hands the
// events on. Detection therefore sees exactly what it sees on one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/normalize/normalizer.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// One input as a worker reads it: a file's bytes (owned, with padding) or a caller's buffer.
struct loaded_input {
  std::string source;
  std::string owned;
  std::string_view bytes;    // when not owned
  std::size_t capacity = 0;  // of bytes
  std::optional<error> unreadable;
  // A piece of a larger file (file_pieces.hpp): where it starts in the file,
  // the buffer it lies in, and whether it is the file's first (told to on_input).
  std::size_t origin_byte = 0, origin_line = 0;
  std::shared_ptr<const std::string> whole;
  bool first_of_file = true;
  bool empty_piece = false;  // a piece the file's lines did not reach: nothing to read
  // A piece of a file its first line showed to be JSON lines: read as such,
  // whatever its own first line (a malformed one is that line's error only).
  bool json_lines = false;
};
using input_loader = std::function<loaded_input(std::size_t index)>;

// A file read whole, with simdjson's padding; an unreadable or oversized one carries its error.
[[nodiscard]] loaded_input load_whole_file(const std::string &path, std::size_t max_bytes);

// The normalizer's parts the parallel reader works with (defined in normalizer.cpp).
struct normalizer_access {
  // A worker's normalizer collects accepted events (and the table's size as
  // each is collected) instead of filtering and handing them on.
  static void collect_into(normalizer &n, std::vector<event> *events, std::vector<std::uint32_t> *marks);
  static std::vector<decode_error> take_errors(normalizer &n);
  // A worker's rejections, counted and listed as if the reader had made them.
  static void merge(normalizer &n, const decode_stats &delta, std::vector<decode_error> errors);
  static void reject_input(normalizer &n, std::string_view source, const error &why);
  // Locations of the next input count from this byte and line of its file;
  // `json_lines`: it is JSON lines, as its file's first line showed, whatever its own.
  static void place_piece(normalizer &n, std::size_t byte, std::size_t lines_before, bool json_lines);
  // The reader's duplicate filter, counts and sink; false when the sink stopped the input.
  static bool admit(normalizer &n, const event &e, const event_sink &sink);
};

// A worker's table is replaced when it grows past this: the reader's table
// keeps every string anyway, and a worker needs only what recent inputs
// repeat. Tests lower it to replace the table on every input.
inline std::atomic<std::size_t> worker_table_bytes{std::size_t{64} << 20};

// The workers' normalizers and tables, and how their symbols map to the
// reader's: kept by the reader between calls, so a service reading delivery
// after delivery finds them warm.
class decode_workers;
struct decode_workers_deleter {
  void operator()(decode_workers *workers) const noexcept;
};
using decode_workers_ptr = std::unique_ptr<decode_workers, decode_workers_deleter>;

// Reads inputs 0..count-1 with n.options().threads workers; returns the events accepted.
[[nodiscard]] result<std::size_t> feed_in_parallel(normalizer &n, symbol_table &symbols, decode_workers_ptr &workers,
                                                   std::size_t count, const input_loader &load,
                                                   const event_sink &sink,
                                                   const std::function<void(const std::string &)> &on_input);

}  // namespace detail
}  // namespace v0
}  // namespace identrail
