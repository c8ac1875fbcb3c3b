// Decoding CloudTrail in any delivery format into normalized events.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

enum class gzip_backend : std::uint8_t { libdeflate = 0, zlib = 1 };

// Readable bytes a caller of normalizer::feed_padded provides past the input (simdjson's padding).
inline constexpr std::size_t input_padding = 64;

// How a document is read. Every shape is recognised by keys no CloudTrail
// record has, so `automatic` is the default; a forced format refuses documents
// of other shapes (and `cloudtrail` reads no exports at all).
enum class input_format : std::uint8_t {
  automatic = 0,
  cloudtrail = 1,       // trail files, lookup-events, EventBridge, records
  cloudtrail_lake = 2,  // `aws cloudtrail get-query-results`: QueryResultRows
  elasticsearch = 3,    // _search responses, Logstash and Elastic integration documents
  datadog = 4,          // Datadog Logs API lists: data[].attributes.attributes
  ocsf = 5,             // OCSF API Activity: Security Lake's CloudTrail mapping, identrail's own
};

struct normalizer_options {
  // Drop a record whose (eventID, eventTime, eventSource, eventName) was seen
  // within the horizon: the filter holds a 16-byte key for every record whose
  // event time lies within dedup_horizon of the newest one seen. An older record
  // is still read, and counted in decode_stats::possibly_repeated.
  bool deduplicate = true;
  std::chrono::seconds dedup_horizon{std::chrono::hours{24}};
  bool keep_raw = true;     // keep each record's raw JSON for raw_field()
  gzip_backend gzip = gzip_backend::libdeflate;
  std::size_t max_errors_kept = 1000;  // later errors are counted, not stored
  // The largest input (a file, or a gzip file once decompressed) read at once:
  // a guard against gzip bombs, since parsing takes about 6 bytes of memory per input byte.
  // A plain JSON-lines file over 8 MiB is read in pieces of whole lines: it may
  // be any size, and this limits each of its lines.
  std::size_t max_decompressed_bytes = std::size_t{1} << 30;
  input_format format = input_format::automatic;
  // Inputs decoded at once by feed_paths and feed_buffers (1: on the calling
  // thread). Events still reach the sink one at a time on the calling thread,
  // in the order one thread gives them, so every answer is the same.
  unsigned threads = 1;
};

// "auto", "cloudtrail", "cloudtrail-lake", "elasticsearch", "datadog", "ocsf".
[[nodiscard]] result<input_format> parse_input_format(std::string_view name);

// errc::invalid_argument naming the option out of range (a horizon over 30
// days, a zero input limit); engine::create checks them too.
[[nodiscard]] result<void> check_options(const normalizer_options &options);

// One record (or whole input) that could not be decoded.
struct decode_error {
  std::string source;    // file path or the caller's name for a buffer
  std::string location;  // "record 3 (byte 1042)", "line 7 (byte 5120)", "file"
  std::string reason;
  errc code = errc::invalid_record;
};

struct decode_stats {
  std::uint64_t total = 0;  // accepted + rejected + duplicates
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t errors_dropped = 0;  // rejected records whose error exceeded max_errors_kept
  // Accepted records older than the duplicate horizon: a repeat among them
  // cannot be recognised (a backfill of an earlier day is read all the same).
  std::uint64_t possibly_repeated = 0;
};

// One input held in memory, for feed_buffers.
struct input_buffer {
  std::string_view bytes;
  std::string_view source;   // its name in decode errors
  std::size_t capacity = 0;  // readable bytes from bytes.data(); below bytes.size() + input_padding it is copied
};

// Called for every accepted event; the event is only valid during the call.
// Return false to stop reading the current input.
using event_sink = std::function<bool(const event &)>;

// Auto-detects S3 delivery files ({"Records":[...]}), gzip, JSON arrays, JSON
// lines and EventBridge envelopes. Bad records are reported, counted and
// skipped; the good records around them still come through. One thread at a
// time (it owns a simdjson parser); interns into the table it was given.
namespace detail {
struct state_access;       // checkpoints (src/core/state_access.hpp)
struct normalizer_access;  // decoding on several threads (src/normalize/parallel_feed.hpp)
}

class normalizer {
 public:
  normalizer(symbol_table &symbols, normalizer_options options = {});
  ~normalizer();
  normalizer(normalizer &&) noexcept;
  normalizer &operator=(normalizer &&) noexcept;

  // Decodes one input. Content problems never fail the call: they become
  // decode errors. The result is the number of events accepted from it; an
  // error is returned only when the call itself is wrong (out of memory).
  [[nodiscard]] result<std::size_t> feed(std::string_view bytes, std::string_view source, const event_sink &sink);

  // As feed(), without copying: the caller guarantees that `capacity` bytes
  // from bytes.data() are readable, with capacity >= bytes.size() + input_padding
  // (the parser reads ahead in blocks). Less than that falls back to a copy.
  [[nodiscard]] result<std::size_t> feed_padded(std::string_view bytes, std::size_t capacity, std::string_view source,
                                                const event_sink &sink);

  // Reads a file, or every log file under a directory (recursively; see
  // looks_like_log_file), CloudTrail delivery files in delivery-time order and
  // the others by name. A missing top-level path is an error;
  // bad or unreadable files are decode errors.
  [[nodiscard]] result<std::size_t> feed_path(const std::string &path, const event_sink &sink,
                                              const std::function<void(const std::string &)> &on_file = {});
  // Several files or directories as one input: their files merged in
  // CloudTrail delivery order (so a shell glob, region by region, reads like
  // the directory that holds them). Checks every path before reading any.
  [[nodiscard]] result<std::size_t> feed_paths(const std::vector<std::string> &paths, const event_sink &sink,
                                               const std::function<void(const std::string &)> &on_file = {});

  // Inputs in memory, in order, as feed() would read them one after another
  // (decoded on options().threads threads).
  [[nodiscard]] result<std::size_t> feed_buffers(const std::vector<input_buffer> &inputs, const event_sink &sink,
                                                 const std::function<void(const std::string &)> &on_input = {});

  [[nodiscard]] const decode_stats &stats() const noexcept;
  [[nodiscard]] const std::vector<decode_error> &errors() const noexcept;
  [[nodiscard]] const normalizer_options &options() const noexcept;

 private:
  friend struct detail::state_access;
  friend struct detail::normalizer_access;
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Whether a directory walk reads this file: .json, .jsonl, .ndjson, each
// optionally .gz, and any .gz. A file named explicitly is always read.
[[nodiscard]] bool looks_like_log_file(std::string_view file_name);

// Lists the files feed_path (feed_paths) would read, in the order it reads them.
[[nodiscard]] result<std::vector<std::string>> list_input_files(const std::string &path);
[[nodiscard]] result<std::vector<std::string>> list_input_files(const std::vector<std::string> &paths);

}  // namespace v0
}  // namespace identrail
