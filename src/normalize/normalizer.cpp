#include "identrail/normalize/normalizer.hpp"
#include "file_pieces.hpp"
#include "parallel_feed.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>


#include "../normalize/duplicate_filter.hpp"
#include "../core/state_access.hpp"
#include "export_formats.hpp"
#include "gzip.hpp"
#include "input_files.hpp"
#include "line_pieces.hpp"
#include "json_check.hpp"
#include "record_decoder.hpp"
#include "utf8.hpp"

namespace identrail {
inline namespace v0 {
namespace {

namespace od = simdjson::ondemand;
using detail::field_status;
static_assert(input_padding >= simdjson::SIMDJSON_PADDING, "input_padding must cover simdjson's padding");

// simdjson batch for JSON lines: small enough for its index to stay in cache
// (and for the stage-1 thread to pipeline), large enough for any CloudTrail
// record (256 KB at most). A larger document sends the stream to line mode.
constexpr std::size_t kBatch = std::size_t{1} << 20;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::size_t skip_space(std::string_view s, std::size_t pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  return pos;
}

}  // namespace

struct normalizer::impl {
  impl(symbol_table &table, normalizer_options opts)
      : symbols(table), options(opts), parser(opts.max_decompressed_bytes), line_parser(opts.max_decompressed_bytes),
        decoder(table), seen(std::chrono::duration_cast<std::chrono::nanoseconds>(opts.dedup_horizon).count()) {
    // simdjson would find a JSON-lines stream's structure on a thread of its
    // own: parallelism is the reader's (options.threads), and a stream read on
    // one thread meets malformed input the same way every time.
    parser.threaded = line_parser.threaded = false;
  }
  impl(const impl &) = delete;
  impl &operator=(const impl &) = delete;

  symbol_table &symbols;
  normalizer_options options;
  decode_stats stats;
  std::vector<decode_error> errors;
  od::parser parser;
  od::parser line_parser;  // a second parser: line mode runs while the stream's parser is abandoned
  od::parser embedded_parser;  // records held as JSON text inside a string (lookup-events' CloudTrailEvent)
  simdjson::dom::parser export_parser;  // exports (Lake, Elasticsearch, Datadog, OCSF) are read whole
  detail::record_decoder decoder;
  detail::gunzipper gunzip;
  detail::duplicate_filter seen;
  event scratch;

  // Per-input state.
  std::string buffer;  // decompressed or copied input, followed by simdjson padding
  std::string_view input;
  std::size_t capacity = 0;  // readable bytes from input.data(): at least size + SIMDJSON_PADDING
  std::string line_copy;     // line mode parses a padded copy of each line
  static constexpr std::size_t npos_origin = static_cast<std::size_t>(-1);
  std::size_t line_origin = npos_origin;  // in line mode, the input offset of line_copy[0]
  std::string_view source;
  std::string offset_note;  // " of decompressed data" for gzip inputs
  std::vector<std::size_t> bad_utf8;
  const event_sink *sink = nullptr;
  bool stopped = false;
  std::size_t accepted_here = 0;
  std::size_t malformed = 0;  // rejections for malformed JSON, which stop a document stream
  // The document being read. After a structural error simdjson abandons its
  // iterator; whatever a reader made of it then, no record of it is emitted.
  od::document *live_document = nullptr;
  const char *document_end = nullptr;  // where the document's text ends (else ask the stream)
  // The stream's position, whose source() (a walk over the document's tokens) is asked only when needed.
  od::document_stream::iterator *stream_position = nullptr;
  struct reading {
    impl &self;
    // `input_end`: the end of the padded input the document lies in, which may be read up to.
    reading(impl &s, od::document &doc, const char *end, const char *input_end) : self(s) {
      self.live_document = &doc;
      self.document_end = end;
      self.decoder.set_input_end(input_end);
    }
    reading(const reading &) = delete;
    reading &operator=(const reading &) = delete;
    ~reading() {
      self.live_document = nullptr;
      self.decoder.set_input_end(nullptr);
    }
  };
  std::size_t line_cursor_offset = 0;
  std::size_t line_cursor_line = 1;

  // A whole input that could not be read, or the part of a file that was not.
  void reject_input(std::string_view name, const error &why) {
    source = name;
    reject("file", why.message, why.code);
  }

  void reject(std::string location, std::string reason, errc code = errc::invalid_record) {
    ++stats.rejected;
    ++stats.total;
    if (code == errc::parse_error) ++malformed;
    if (errors.size() < options.max_errors_kept)
      errors.push_back(decode_error{std::string(source), std::move(location), std::move(reason), code});
    else
      ++stats.errors_dropped;
  }

  // What a document changed, so that line mode can take it all back before
  // re-reading that document (only when it passed no event on).
  struct checkpoint {
    decode_stats stats;
    std::size_t errors;
    std::size_t malformed;
    std::size_t accepted;
  };
  checkpoint mark() const { return {stats, errors.size(), malformed, accepted_here}; }
  void roll_back(const checkpoint &c) {
    stats = c.stats;
    errors.resize(c.errors);
    malformed = c.malformed;
  }

  std::size_t offset_of(const char *p) const {
    if (line_origin != npos_origin && p >= line_copy.data() && p <= line_copy.data() + line_copy.size())
      return line_origin + static_cast<std::size_t>(p - line_copy.data());
    return static_cast<std::size_t>(p - input.data());
  }

  std::string at_byte(std::size_t offset) const {
    return "byte " + std::to_string(origin_byte + offset) + offset_note;
  }

  std::size_t line_of(std::size_t offset) {
    // Errors arrive in increasing offset order, so count newlines incrementally.
    if (offset < line_cursor_offset) line_cursor_offset = 0, line_cursor_line = 1;
    line_cursor_line += static_cast<std::size_t>(
        std::count(input.begin() + static_cast<std::ptrdiff_t>(line_cursor_offset),
                   input.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    line_cursor_offset = offset;
    return line_cursor_line;
  }

  // Location text for a record that starts at `offset`: by record index inside
  // an array, by line for JSON lines.
  std::string location(std::size_t offset, std::ptrdiff_t record_index) {
    if (record_index >= 0) return "record " + std::to_string(record_index) + " (" + at_byte(offset) + ")";
    return "line " + std::to_string(origin_line + line_of(offset)) + " (" + at_byte(offset) + ")";
  }

  // Where the input starts in its file, when it is a piece of one (file_pieces.hpp): locations count from there.
  std::size_t origin_byte = 0, origin_line = 0;
  bool known_json_lines = false;  // a piece of a JSON-lines file: its own first line does not decide
  std::string piece_buffer;       // pieces of a large JSON-lines file, one after another (line_pieces.hpp)

  // The next inputs are a piece of a file: locations count from its place,
  // and a JSON-lines file's piece is read as JSON lines.
  void place_piece(std::size_t byte, std::size_t lines_before, bool json_lines) {
    origin_byte = byte;
    origin_line = lines_before;
    known_json_lines = json_lines;
  }
  struct in_pieces {
    impl &self;
    explicit in_pieces(impl &s) : self(s) {}
    in_pieces(const in_pieces &) = delete;
    in_pieces &operator=(const in_pieces &) = delete;
    ~in_pieces() { self.place_piece(0, 0, false); }
  };

  // A large JSON-lines file a piece of whole lines at a time: memory does not
  // grow with the file, and a file over the input limit is read (a line over it is not).
  std::size_t feed_in_pieces(detail::line_piece_reader &pieces, const std::string &file, const event_sink &callback) {
    const in_pieces located(*this);
    std::size_t accepted = 0;
    while (!pieces.done()) {
      const auto piece = pieces.next(piece_buffer, simdjson::SIMDJSON_PADDING);
      if (!piece) {
        reject_input(file, piece.error());
        if (piece.error().code == errc::limit_exceeded) continue;  // one line passed over
        break;
      }
      place_piece(piece->origin_byte, piece->lines_before, true);
      auto n = feed(std::string_view(piece_buffer.data(), piece->length), file, callback, nullptr, piece_buffer.size());
      if (!n) {  // out of memory: the piece is this file's error, and the rest of it is not read
        reject_input(file, n.error());
        break;
      }
      accepted += *n;
      if (stopped) break;
    }
    return accepted;
  }

  std::optional<std::size_t> bad_byte_in(std::string_view span) const {
    if (bad_utf8.empty() || span.empty()) return std::nullopt;
    const std::size_t begin = offset_of(span.data());
    const auto it = std::lower_bound(bad_utf8.begin(), bad_utf8.end(), begin);
    if (it != bad_utf8.end() && *it < begin + span.size()) return *it;
    return std::nullopt;
  }

  // Hands a decoded record on, after the checks that need the whole record.
  void emit(event &e, std::string_view raw, std::size_t offset, std::ptrdiff_t record_index) {
    if (live_document && !live_document->is_alive()) {
      reject(location(offset, record_index), "malformed JSON: the record cannot be read to its end", errc::parse_error);
      return;
    }
    if (auto bad = bad_byte_in(raw)) {
      reject(location(offset, record_index), "invalid UTF-8 at " + at_byte(*bad));
      return;
    }
    pass_on(e, raw);
  }

  // A record rebuilt from an export entry: its text is not in the input, and its place is the entry's.
  void emit_at(event &e, std::string_view raw, const std::string &where) {
    if (live_document && !live_document->is_alive()) {
      reject(where, "malformed JSON: the record cannot be read to its end", errc::parse_error);
      return;
    }
    pass_on(e, raw);
  }

  void pass_on(event &e, std::string_view raw) {
    if (collected) {  // a worker of the parallel reader: the reading thread filters, counts and hands on
      if (options.keep_raw) e.raw.assign(raw);
      collected_marks->push_back(static_cast<std::uint32_t>(symbols.size()));
      collected->push_back(std::move(e));
      ++accepted_here;
      return;
    }
    if (repeated(e)) return;
    if (options.keep_raw) e.raw.assign(raw);
    hand_on(e, sink);
  }

  bool repeated(const event &e) {
    if (!options.deduplicate || e.id.empty()) return false;
    switch (seen.insert(seen.key_of(e, symbols), to_unix_nanos(e.time))) {
      case detail::duplicate_filter::verdict::repeat:
        ++stats.duplicates;
        ++stats.total;
        return true;
      case detail::duplicate_filter::verdict::beyond_horizon: ++stats.possibly_repeated; break;
      case detail::duplicate_filter::verdict::first: break;
    }
    return false;
  }

  void hand_on(const event &e, const event_sink *to) {
    ++stats.accepted;
    ++stats.total;
    ++accepted_here;
    if (to && *to && !(*to)(e)) stopped = true;
  }

  // Set on a parallel reader's worker (parallel_feed.cpp): accepted events are collected, not handed on.
  std::vector<event> *collected = nullptr;
  std::vector<std::uint32_t> *collected_marks = nullptr;  // the table's size as each was collected
  detail::decode_workers_ptr workers;  // for options.threads > 1, made on first use

  // A record's own text, from its opening brace to where the decoder, having
  // read it through, stands: the next token, or the document's end. It must
  // end with the closing brace; when it does not, simdjson's document stream
  // cut the document short and the record cannot be located: nullopt.
  // (simdjson's raw_json skips by counting brackets, and past a stray one ran
  // on into the next records.)
  const char *stream_end() const {
    if (!stream_position) return nullptr;
    const std::string_view document = stream_position->source();
    return document.data() + document.size();
  }

  std::optional<std::string_view> text_from(const char *start) {
    const char *end = nullptr;
    if (!live_document || live_document->current_location().get(end) != simdjson::SUCCESS || end < start)
      end = document_end ? document_end : stream_end();
    if (end == nullptr || end < start) return std::nullopt;
    std::string_view text(start, static_cast<std::size_t>(end - start));
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (text.empty() || text.back() != '}') return std::nullopt;
    return text;
  }

  // The record's end is checked whether or not its text is kept, so that
  // keep_raw never changes which records are accepted.
  field_status emit_record(event &e, const char *start, std::size_t offset, std::ptrdiff_t index) {
    const auto own = text_from(start);
    if (!own) return broken(offset, index, simdjson::TAPE_ERROR);
    emit(e, wants_text() ? *own : std::string_view{}, offset, index);
    return field_status::ok;
  }

  bool wants_text() const noexcept { return options.keep_raw || !bad_utf8.empty(); }

  // One record object, starting at `start`.
  field_status record(od::object object, const char *start, std::size_t offset, std::ptrdiff_t index) {
    const auto status = decoder.decode(object, scratch);
    if (status != field_status::ok) {
      reject(location(offset, index), decoder.reason(), status == field_status::broken ? errc::parse_error : errc::invalid_record);
      return status;
    }
    return emit_record(scratch, start, offset, index);
  }

  field_status broken(std::size_t offset, std::ptrdiff_t index, simdjson::error_code code) {
    reject(location(offset, index), std::string("malformed JSON: ") + simdjson::error_message(code), errc::parse_error);
    return field_status::broken;
  }

  // {"Records":[...]}: every element is a record; a malformed element ends the
  // array (nothing after it can be located reliably) but keeps what came before.
  field_status records_array(od::value value, std::size_t container_offset, std::ptrdiff_t container_index) {
    od::array array;
    if (auto err = value.get_array().get(array)) {
      reject(container_index < 0 ? location(container_offset, -1) : std::string("file"),
             std::string("Records: expected an array (") + simdjson::error_message(err) + ")", errc::unsupported_format);
      return field_status::broken;
    }
    std::ptrdiff_t index = 0;
    for (auto element : array) {
      if (stopped) return field_status::ok;
      od::value item;
      if (auto err = element.get(item)) return broken(container_offset, index, err);
      const char *start = item.raw_json_token().data();
      const std::size_t offset = offset_of(start);
      od::json_type type;
      if (auto err = item.type().get(type)) return broken(offset, index, err);
      if (type != od::json_type::object) {
        if (auto err = detail::check_json(item, detail::kMaxRecordDepth)) return broken(offset, index, err);
        reject(location(offset, index), "expected a record object");
      } else {
        od::object object;
        if (auto err = item.get_object().get(object)) return broken(offset, index, err);
        if (record(object, start, offset, index) == field_status::broken) return field_status::broken;
      }
      ++index;
    }
    return field_status::ok;
  }

  // A record inside another object (an envelope's "detail", a lookup-events
  // entry's "CloudTrailEvent"), decoded as its key goes by.
  struct nested_record {
    bool seen = false;
    field_status status = field_status::ok;
    std::string reason;
    event record;
  };

  // A nested record of the wrong JSON type is the outer object's error, once
  // the value is read through (so that malformed JSON inside it is still caught).
  field_status wrong_type(od::value value, simdjson::error_code err, nested_record &into, const char *reason,
                          std::size_t offset, std::ptrdiff_t index) {
    if (err != simdjson::INCORRECT_TYPE) return broken(offset, index, err);
    if (auto bad = detail::check_json(value, detail::kMaxRecordDepth)) return broken(offset, index, bad);
    into.status = field_status::invalid;
    into.reason = reason;
    return field_status::ok;
  }

  // Decodes into `into` while the outer object's own fields stay in scratch.
  void decode_nested(od::object object, nested_record &into) {
    event outer = std::move(scratch);
    into.status = decoder.decode(object, scratch);
    into.reason = decoder.reason();
    into.record = std::move(scratch);
    scratch = std::move(outer);
  }

  // A nested record that could not be decoded is the outer object's error.
  bool usable(const nested_record &n, std::size_t offset, std::ptrdiff_t index) {
    if (n.status == field_status::ok) return true;
    reject(location(offset, index), n.reason);
    return false;
  }

  // What an EventBridge envelope says, gathered while its keys go by.
  struct envelope : nested_record {
    std::string detail_type;
    std::string_view text;
  };

  // "detail" holds the CloudTrail record unchanged. It is decoded at once, and
  // its text taken while the iterator stands just past it.
  field_status read_detail(od::value value, envelope &env, std::size_t offset, std::ptrdiff_t index) {
    env.seen = true;
    const char *start = value.raw_json_token().data();
    od::object detail;
    if (auto err = value.get_object().get(detail))
      return wrong_type(value, err, env, "EventBridge detail: expected an object", offset, index);
    decode_nested(detail, env);
    std::optional<std::string_view> own;
    if (env.status == field_status::ok) own = text_from(start);
    if (env.status == field_status::broken) {
      reject(location(offset, index), env.reason, errc::parse_error);
      return field_status::broken;
    }
    if (env.status == field_status::ok) {
      if (!own) return broken(offset, index, simdjson::TAPE_ERROR);
      if (wants_text()) env.text = *own;
    }
    return field_status::ok;
  }

  field_status read_detail_type(od::value value, envelope &env, std::size_t offset, std::ptrdiff_t index) {
    std::string_view text;
    auto err = value.get_string().get(text);
    if (err == simdjson::INCORRECT_TYPE) err = detail::check_json(value, detail::kMaxRecordDepth);
    if (err) return broken(offset, index, err);
    env.detail_type.assign(text);
    return field_status::ok;
  }

  field_status emit_envelope(envelope &env, std::size_t offset, std::ptrdiff_t index) {
    if (!env.detail_type.ends_with("via CloudTrail")) {
      reject(location(offset, index),
             "EventBridge event with detail-type \"" + env.detail_type + "\" is not a CloudTrail event",
             errc::unsupported_format);
      return field_status::invalid;
    }
    if (!usable(env, offset, index)) return env.status;
    emit(env.record, env.text, offset, index);
    return field_status::ok;
  }

  // `aws cloudtrail lookup-events` gives each record as a JSON string in
  // "CloudTrailEvent": unescaped and decoded on its own; its text is the raw record.
  struct embedded : nested_record {
    std::string text;
  };

  field_status read_embedded(od::value value, embedded &found, std::size_t offset, std::ptrdiff_t index) {
    found.seen = true;
    std::string_view text;
    if (auto err = value.get_string().get(text))
      return wrong_type(value, err, found, "CloudTrailEvent: expected the record as a JSON string", offset, index);
    found.text.assign(text);
    if (const auto err = decode_text(found)) {
      found.status = field_status::invalid;
      found.reason = std::string("CloudTrailEvent: malformed JSON: ") + simdjson::error_message(err);
    }
    return field_status::ok;
  }

  // A record held as JSON text, parsed and decoded on its own: a parse error is returned, a
  // record error left in `found` (never `broken`: it is its own document, not the one being read).
  simdjson::error_code decode_text(embedded &found) {
    const simdjson::padded_string padded(found.text);
    od::document doc;
    od::object object;
    auto err = embedded_parser.iterate(padded).get(doc);
    if (!err) err = doc.get_object().get(object);
    if (err) return err;
    decode_nested(object, found);
    if (found.status == field_status::broken) found.status = field_status::invalid;
    // On demand stops at the object's end: what follows it would make the kept text not JSON.
    const char *rest = nullptr;
    if (found.status == field_status::ok && doc.current_location().get(rest) == simdjson::SUCCESS)
      return simdjson::TRAILING_CONTENT;
    return simdjson::SUCCESS;
  }

  // A record given as JSON text (an export's entry), decoded on its own.
  void emit_text(std::string text, const std::string &where) {
    embedded found;
    found.text = std::move(text);
    if (const auto err = decode_text(found)) {
      reject(where, std::string("malformed JSON: ") + simdjson::error_message(err));
      return;
    }
    if (found.status != field_status::ok) {
      reject(where, found.reason);
      return;
    }
    emit_at(found.record, found.text, where);
  }

  // An export document (tests/data/formats/FORMATS.md): its entries become records, or say why not.
  field_status export_document(const char *start, std::size_t offset, std::ptrdiff_t index) {
    const auto own = text_from(start);
    if (!own) return broken(offset, index, simdjson::TAPE_ERROR);
    for (auto &entry : detail::read_export(*own, options.format, export_parser)) {
      if (stopped) break;
      if (entry.skipped) continue;
      // An entry is named by its place in the export; the document by its line when it is one of several.
      const std::string where = entry.where.empty() ? location(offset, index)
                                : offset == 0         ? entry.where
                                                      : entry.where + " (document at " + at_byte(offset) + ")";
      if (!entry.error.empty()) reject(where, entry.error, errc::invalid_record);
      else emit_text(std::move(entry.record), where);
    }
    return field_status::ok;
  }

  bool forced_export() const {
    return options.format != input_format::automatic && options.format != input_format::cloudtrail;
  }

  field_status emit_embedded(embedded &found, std::size_t offset, std::ptrdiff_t index) {
    if (!usable(found, offset, index)) return found.status;
    if (holding_lookup) held_lookup.push_back({std::move(found.record), std::move(found.text), offset, index});
    else emit(found.record, found.text, offset, index);
    return field_status::ok;
  }

  // lookup-events lists the newest first: a result's records are read in
  // event-time order, as a trail delivers them, not hours "late".
  struct lookup_record {
    event record;
    std::string text;
    std::size_t offset;
    std::ptrdiff_t index;
  };
  std::vector<lookup_record> held_lookup;
  bool holding_lookup = false;

  void release_lookup() {
    std::stable_sort(held_lookup.begin(), held_lookup.end(),
                     [](const lookup_record &a, const lookup_record &b) { return a.record.time < b.record.time; });
    for (auto &r : held_lookup) {
      if (stopped) break;
      emit(r.record, r.text, r.offset, r.index);
    }
    held_lookup.clear();
  }

  // {"Events":[...]}: lookup-events output, each element holding a record in CloudTrailEvent.
  field_status events_array(od::value value, std::size_t container_offset) {
    od::array array;
    if (auto err = value.get_array().get(array)) {
      reject(location(container_offset, -1), std::string("Events: expected an array (") + simdjson::error_message(err) + ")",
             errc::unsupported_format);
      return field_status::broken;
    }
    holding_lookup = true;
    const auto status = lookup_entries(array, container_offset);
    holding_lookup = false;
    release_lookup();  // what was read before a malformed entry is kept
    return status;
  }

  field_status lookup_entries(od::array array, std::size_t container_offset) {
    std::ptrdiff_t index = 0;
    for (auto element : array) {
      od::value item;
      if (auto err = element.get(item)) return broken(container_offset, index, err);
      const char *start = item.raw_json_token().data();
      const std::size_t offset = offset_of(start);
      od::object object;
      if (auto err = item.get_object().get(object)) {
        if (err != simdjson::INCORRECT_TYPE) return broken(offset, index, err);
        if (auto bad = detail::check_json(item, detail::kMaxRecordDepth)) return broken(offset, index, bad);
        reject(location(offset, index), "expected a lookup-events entry object");
      } else if (top_object(object, start, offset, index, false) == field_status::broken) {
        return field_status::broken;
      }
      ++index;
    }
    return field_status::ok;
  }

  // A top-level JSON object: an S3 delivery file, an EventBridge envelope, a
  // lookup-events result or entry, or a bare record. One pass over its keys decides which.
  field_status top_object(od::object object, const char *start, std::size_t offset, std::ptrdiff_t index,
                          bool allow_records) {
    decoder.begin(scratch);
    bool saw_records = false;
    envelope env;
    embedded inside;
    field_status own_status = field_status::ok;  // the object read as a bare record
    std::string own_reason;
    bool is_export = forced_export();
    for (auto field : object) {
      od::raw_json_string raw_key;
      if (auto err = detail::read_key(field, raw_key)) return broken(offset, index, err);
      const detail::json_key key(raw_key);
      od::value value;
      if (auto err = field.value().get(value)) return broken(offset, index, err);
      // Container keys start with 'R', 'E', 'C' or 'd'; CloudTrail's own keys go straight to the decoder.
      field_status s = field_status::ok;
      const char first = key.first();
      // No CloudTrail key starts with these; an export's container keys do.
      if ((first == 'Q' || first == 'h' || first == 'd' || first == '@' || first == '_' || first == 'c') &&
          options.format == input_format::automatic && detail::is_export_key(key.name()))
        is_export = true;
      if (first == 'R' && allow_records && key.is("Records")) {
        saw_records = true;
        s = records_array(value, offset, index);
      } else if (first == 'E' && allow_records && key.is("Events")) {
        saw_records = true;
        s = events_array(value, offset);
      } else if (first == 'C' && key.is("CloudTrailEvent")) {
        s = read_embedded(value, inside, offset, index);
      } else if (first == 'd' && key.is("detail")) {
        s = read_detail(value, env, offset, index);
      } else if (first == 'd' && key.is("detail-type")) {
        s = read_detail_type(value, env, offset, index);
      } else if (s = decoder.apply(key, value, scratch); s == field_status::broken) {
        reject(location(offset, index), decoder.reason(), errc::parse_error);
      } else if (s == field_status::invalid) {
        // Keep scanning: a later "Records" or "detail" may show this is a container.
        if (own_status == field_status::ok) own_reason = decoder.reason();
        own_status = field_status::invalid;
        s = field_status::ok;
      }
      if (s == field_status::broken) return s;
    }
    if (saw_records) return field_status::ok;
    if (is_export && !env.seen && !inside.seen) return export_document(start, offset, index);
    if (env.seen) return emit_envelope(env, offset, index);
    if (inside.seen) return emit_embedded(inside, offset, index);
    if (own_status != field_status::ok) {
      reject(location(offset, index), own_reason);
      return own_status;
    }
    if (decoder.finish(scratch) != field_status::ok) {
      reject(location(offset, index), decoder.reason());
      return field_status::invalid;
    }
    return emit_record(scratch, start, offset, index);
  }

  // Any top-level value: an object, or an array of records or envelopes.
  void top_value(od::value value, std::size_t offset, std::ptrdiff_t index) {
    od::json_type type;
    if (auto err = value.type().get(type)) {
      broken(offset, index, err);
      return;
    }
    if (type == od::json_type::object) {
      const char *start = value.raw_json_token().data();
      od::object object;
      if (auto err = value.get_object().get(object)) {
        broken(offset, index, err);
        return;
      }
      top_object(object, start, offset, index, true);
      return;
    }
    // Read through first: in a stream, an unread value would be skipped by bracket counting.
    if (auto err = detail::check_json(value, detail::kMaxRecordDepth)) {
      broken(offset, index, err);
      return;
    }
    reject(location(offset, index), "expected a JSON object, found " +
                                        std::string(type == od::json_type::array ? "an array" : "a scalar"),
           errc::unsupported_format);
  }

  // A file cut off mid-string fails simdjson's first pass as a whole. Retry on
  // prefixes ending at an earlier '}' so the records before the cut are read;
  // the cut record then fails on its own and is reported.
  simdjson::error_code parse_salvaging_prefix(std::size_t start, std::string_view &text, od::document &doc) {
    auto err = parser.iterate(text.data(), text.size(), capacity - start).get(doc);
    std::size_t end = text.size();
    for (int attempt = 0; err == simdjson::UNCLOSED_STRING && attempt < 16 && end > 1; ++attempt) {
      const auto brace = text.rfind('}', end - 1);
      if (brace == std::string_view::npos || brace == 0) break;
      end = brace;
      const std::string_view prefix = text.substr(0, brace + 1);
      if (parser.iterate(prefix.data(), prefix.size(), capacity - start).get(doc) == simdjson::SUCCESS) {
        text = prefix;
        return simdjson::SUCCESS;
      }
    }
    return err;
  }

  void single_document(std::size_t start) {
    std::string_view text = input.substr(start);
    od::document doc;
    auto parsed = parse_salvaging_prefix(start, text, doc);
    if (parsed == simdjson::UTF8_ERROR && bad_utf8.empty()) {
      sanitize_utf8();
      text = input.substr(start);
      parsed = parse_salvaging_prefix(start, text, doc);
    }
    if (auto err = parsed) {
      reject("file", std::string("malformed JSON: ") + simdjson::error_message(err), errc::parse_error);
      return;
    }
    const reading guard(*this, doc, text.data() + text.size(), text.data() + text.size());
    od::json_type type;
    if (auto err = doc.type().get(type)) {
      reject("file", std::string("malformed JSON: ") + simdjson::error_message(err), errc::parse_error);
      return;
    }
    if (type == od::json_type::array) {
      // A JSON array of records (or of EventBridge envelopes).
      od::array array;
      if (auto err = doc.get_array().get(array)) {
        reject("file", std::string("malformed JSON: ") + simdjson::error_message(err), errc::parse_error);
        return;
      }
      std::ptrdiff_t index = 0;
      for (auto element : array) {
        if (stopped) return;
        od::value item;
        if (auto err = element.get(item)) {
          broken(start, index, err);
          return;
        }
        const char *item_start = item.raw_json_token().data();
        const std::size_t offset = offset_of(item_start);
        od::json_type item_type;
        if (auto err = item.type().get(item_type)) {
          broken(offset, index, err);
          return;
        }
        if (item_type != od::json_type::object) {
          if (auto err = detail::check_json(item, detail::kMaxRecordDepth)) {
            broken(offset, index, err);
            return;
          }
          reject(location(offset, index), "expected a record object");
        } else {
          od::object object;
          if (auto err = item.get_object().get(object)) {
            broken(offset, index, err);
            return;
          }
          if (top_object(object, item_start, offset, index, false) == field_status::broken) return;
        }
        ++index;
      }
      return;
    }
    if (type != od::json_type::object) {
      reject("file", "expected a JSON object or array at the top level", errc::unsupported_format);
      return;
    }
    od::object object;
    if (auto err = doc.get_object().get(object)) {
      reject("file", std::string("malformed JSON: ") + simdjson::error_message(err), errc::parse_error);
      return;
    }
    if (top_object(object, text.data(), start, 0, true) == field_status::broken) return;
    const char *end = nullptr;
    if (doc.is_alive() && doc.current_location().get(end) == simdjson::SUCCESS) {
      const std::size_t rest = skip_space(input, offset_of(end));
      if (rest < input.size()) reject("file", "unexpected data after the JSON document at " + at_byte(rest), errc::parse_error);
    }
  }

  // JSON lines through simdjson's document stream. On the first malformed
  // document the rest is read line by line, so one bad line costs one record.
  void json_lines(std::size_t start, std::size_t first_line_length) {
    const std::size_t batch = std::max(kBatch, 2 * first_line_length + 64);
    od::document_stream stream;
    if (parser.iterate_many(input.data() + start, input.size() - start, batch).get(stream) != simdjson::SUCCESS) {
      lines_from(start);
      return;
    }
    std::size_t resume_at = input.size();
    bool fall_back = false;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      if (stopped) return;
      const std::size_t offset = start + it.current_index();
      od::document_reference doc;
      if ((*it).get(doc) != simdjson::SUCCESS) {
        resume_at = offset;
        fall_back = true;
        break;
      }
      od::value value;
      if (doc.get_value().get(value) != simdjson::SUCCESS) {
        resume_at = offset;
        fall_back = true;
        break;
      }
      const auto before = mark();
      {
        const reading guard(*this, doc, nullptr, input.data() + input.size());
        stream_position = &it;
        top_value(value, offset, -1);
        stream_position = nullptr;
      }
      // A dead document means a reader met malformed JSON, whatever it reported:
      // stepping the stream past it would dereference the abandoned iterator.
      if (malformed != before.malformed || !static_cast<od::document &>(doc).is_alive()) {
        // The stream cannot be trusted past a malformed document; read the rest
        // line by line. If the document already passed events on, keep what it
        // did and move past its line rather than read those records twice.
        fall_back = true;
        if (accepted_here == before.accepted) {
          roll_back(before);
          resume_at = offset;
        } else {
          const auto newline = input.find('\n', offset);
          resume_at = newline == std::string_view::npos ? input.size() : newline + 1;
        }
        break;
      }
    }
    if (fall_back) {
      lines_from(resume_at);
      return;
    }
    if (const std::size_t truncated = stream.truncated_bytes(); truncated > 0) {
      const std::size_t offset = skip_space(input, input.size() - truncated);
      if (offset < input.size()) reject(location(offset, -1), "truncated record (incomplete JSON at end of input)", errc::parse_error);
    }
  }

  void lines_from(std::size_t pos) {
    while (pos < input.size() && !stopped) {
      const auto newline = input.find('\n', pos);
      const std::size_t end = newline == std::string_view::npos ? input.size() : newline;
      // A line normally holds one record; more documents on it are read in turn, as the stream would.
      for (std::size_t at = skip_space(input, pos); at < end && !stopped;) {
        std::string_view line = input.substr(at, end - at);
        while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
        if (line.empty()) break;
        const auto next = one_document(line, at, at != skip_space(input, pos));
        if (next == std::string_view::npos) break;
        at = skip_space(input, next);
      }
      pos = end + 1;
    }
  }

  // Reads the document at the start of `line` (at input offset `begin`);
  // returns where the next one on the line starts, or npos.
  std::size_t one_document(std::string_view line, std::size_t begin, bool follows_a_record) {
    // A padded copy: parsed in place, simdjson's last-block checks could see the next line's bytes.
    line_copy.assign(line);
    line_copy.append(simdjson::SIMDJSON_PADDING, ' ');
    od::document doc;
    simdjson::error_code err = line_parser.iterate(line_copy.data(), line.size(), line_copy.size()).get(doc);
    if (err == simdjson::UTF8_ERROR) {
      // Replace the bad bytes and read on: emit() rejects the records that held them.
      for (const auto offset : detail::replace_invalid_utf8(line_copy))
        if (bad_utf8.empty() || begin + offset > bad_utf8.back()) bad_utf8.push_back(begin + offset);
      err = line_parser.iterate(line_copy.data(), line.size(), line_copy.size()).get(doc);
    }
    od::value value;
    if (!err) err = doc.get_value().get(value);
    if (err) {
      reject(location(begin, -1),
             std::string(follows_a_record ? "unexpected data after a record on this line: " : "") +
                 "malformed JSON: " + simdjson::error_message(err),
             errc::parse_error);
      return std::string_view::npos;
    }
    line_origin = begin;
    const auto malformed_before = malformed;
    const reading guard(*this, doc, line_copy.data() + line.size(), line_copy.data() + line.size());
    top_value(value, begin, -1);
    line_origin = npos_origin;
    // After malformed JSON nothing on the line can be located. (simdjson
    // reports no current location once the root value is fully read.)
    const char *rest = nullptr;
    if (malformed != malformed_before || !doc.is_alive() || doc.current_location().get(rest) != simdjson::SUCCESS)
      return std::string_view::npos;
    return begin + static_cast<std::size_t>(rest - line_copy.data());
  }

  // A parser keeps the index it built for its largest input (about 5 bytes per
  // input byte): give the memory of an unusually large one back.
  void release_large_buffers() {
    if (parser.capacity() > (std::size_t{64} << 20)) parser = od::parser(options.max_decompressed_bytes);
    if (buffer.capacity() > (std::size_t{256} << 20)) std::string().swap(buffer);
  }

  void pad_buffer() {
    const std::size_t length = buffer.size();
    buffer.append(simdjson::SIMDJSON_PADDING, '\0');
    input = std::string_view(buffer.data(), length);
    capacity = buffer.size();
  }

  // simdjson rejects a whole buffer for one invalid UTF-8 byte. Then we work on
  // a copy with those bytes replaced and reject only the records holding them.
  void sanitize_utf8() {
    if (input.data() != buffer.data()) {
      buffer.assign(input);
      pad_buffer();
    }
    bad_utf8 = detail::replace_invalid_utf8(buffer);
    input = std::string_view(buffer.data(), input.size());
  }

  // `owned`, when given, holds the same bytes and may be taken instead of
  // copied; `padded_capacity` > 0 says the caller's bytes are readable that far.
  result<std::size_t> feed(std::string_view bytes, std::string_view name, const event_sink &callback,
                           std::string *owned = nullptr, std::size_t padded_capacity = 0) {
    source = name;
    sink = &callback;
    stopped = false;
    accepted_here = 0;
    bad_utf8.clear();
    offset_note.clear();
    line_cursor_offset = 0;
    line_cursor_line = 1;
    malformed = 0;
    bool input_rejected = false;
    try {
      if (detail::looks_gzipped(bytes)) {
        const auto failure = gunzip.decompress(bytes, options.gzip, options.max_decompressed_bytes,
                                               simdjson::SIMDJSON_PADDING, buffer);
        offset_note = " of decompressed data";
        if (!failure.empty()) {
          input_rejected = true;
          reject("file", failure + (buffer.empty() ? "" : "; reading the " + std::to_string(buffer.size()) +
                                                              " bytes decoded before it"),
                 errc::decompress_error);
          // A damaged tail leaves a partial record: only whole lines/records are read.
        }
        pad_buffer();
      } else if (owned) {
        buffer = std::move(*owned);
        pad_buffer();
      } else if (padded_capacity >= bytes.size() + simdjson::SIMDJSON_PADDING) {
        input = bytes;
        capacity = padded_capacity;
      } else {
        // simdjson reads up to SIMDJSON_PADDING bytes past the end: the caller's
        // buffer may not have them, so it is copied into one that does (sized
        // so that adding the padding does not reallocate).
        buffer.reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
        buffer.assign(bytes);
        pad_buffer();
      }

      std::size_t start = skip_space(input, input.starts_with("\xEF\xBB\xBF") ? 3 : 0);
      if (start >= input.size()) {
        // A piece of blank lines inside a JSON-lines file is no error; an empty file is.
        if (!input_rejected && !known_json_lines) reject("file", "empty input: no JSON found", errc::unsupported_format);
        return accepted_here;
      }

      const auto first_newline = input.find('\n', start);
      std::string_view first_line = input.substr(start, first_newline == std::string_view::npos ? std::string_view::npos : first_newline - start);
      while (!first_line.empty() && is_space(first_line.back())) first_line.remove_suffix(1);
      // One object per line (JSON lines, or a compact single-line delivery file)
      // streams; anything else (pretty-printed files, arrays) is one document.
      if (known_json_lines || (input[start] == '{' && first_line.ends_with('}'))) json_lines(start, first_line.size());
      else single_document(start);
      release_large_buffers();
      return accepted_here;
    } catch (const std::bad_alloc &) {
      return make_error(errc::out_of_memory, "out of memory while reading " + std::string(source));
    }
  }
};

normalizer::normalizer(symbol_table &symbols, normalizer_options options)
    : impl_(std::make_unique<impl>(symbols, options)) {}
normalizer::~normalizer() = default;
normalizer::normalizer(normalizer &&) noexcept = default;
normalizer &normalizer::operator=(normalizer &&) noexcept = default;

result<std::size_t> normalizer::feed(std::string_view bytes, std::string_view source, const event_sink &sink) {
  return impl_->feed(bytes, source, sink);
}

result<std::size_t> normalizer::feed_padded(std::string_view bytes, std::size_t capacity, std::string_view source,
                                            const event_sink &sink) {
  return impl_->feed(bytes, source, sink, nullptr, capacity);
}

const decode_stats &normalizer::stats() const noexcept { return impl_->stats; }
const std::vector<decode_error> &normalizer::errors() const noexcept { return impl_->errors; }
const normalizer_options &normalizer::options() const noexcept { return impl_->options; }

result<std::size_t> normalizer::feed_path(const std::string &path, const event_sink &sink,
                                          const std::function<void(const std::string &)> &on_file) {
  return feed_paths({path}, sink, on_file);
}

result<std::size_t> normalizer::feed_paths(const std::vector<std::string> &paths, const event_sink &sink,
                                           const std::function<void(const std::string &)> &on_file) {
  auto files = list_input_files(paths);
  if (!files) return tl::unexpected(files.error());
  const auto read = [&](std::size_t i) {
    return detail::load_whole_file((*files)[i], impl_->options.max_decompressed_bytes);
  };
  if (impl_->options.threads > 1) {
    detail::file_pieces pieces(*files, impl_->options.max_decompressed_bytes);
    if (pieces.count() > 1)
      return detail::feed_in_parallel(*this, impl_->symbols, impl_->workers, pieces.count(),
                                      [&](std::size_t i) { return pieces.load(i); }, sink, on_file);
  }
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto &file = (*files)[i];
    if (on_file) on_file(file);
    if (auto pieces = detail::line_piece_reader::open(file, detail::file_pieces::kPieceBytes,
                                                      impl_->options.max_decompressed_bytes)) {
      accepted += impl_->feed_in_pieces(*pieces, file, sink);
      continue;
    }
    // One unreadable or oversized file is that file's error, not the walk's.
    auto in = read(i);
    if (in.unreadable) {
      detail::normalizer_access::reject_input(*this, file, *in.unreadable);
      continue;
    }
    auto n = impl_->feed(in.owned, file, sink, &in.owned);
    if (!n) {
      if (n.error().code != errc::out_of_memory) return n;
      detail::normalizer_access::reject_input(*this, file, n.error());
      continue;
    }
    accepted += *n;
  }
  return accepted;
}

result<std::size_t> normalizer::feed_buffers(const std::vector<input_buffer> &inputs, const event_sink &sink,
                                             const std::function<void(const std::string &)> &on_input) {
  const auto view = [&](std::size_t i) {
    detail::loaded_input in;
    in.source = std::string(inputs[i].source);
    in.bytes = inputs[i].bytes;
    in.capacity = inputs[i].capacity;
    return in;
  };
  if (impl_->options.threads > 1 && inputs.size() > 1)
    return detail::feed_in_parallel(*this, impl_->symbols, impl_->workers, inputs.size(), view, sink, on_input);
  std::size_t accepted = 0;
  for (const auto &in : inputs) {
    if (on_input) on_input(std::string(in.source));
    auto n = impl_->feed(in.bytes, in.source, sink, nullptr, in.capacity);
    if (!n) return n;
    accepted += *n;
  }
  return accepted;
}

namespace detail {

void normalizer_access::collect_into(normalizer &n, std::vector<event> *events, std::vector<std::uint32_t> *marks) {
  n.impl_->collected = events;
  n.impl_->collected_marks = marks;
}

std::vector<decode_error> normalizer_access::take_errors(normalizer &n) { return std::exchange(n.impl_->errors, {}); }

void normalizer_access::merge(normalizer &n, const decode_stats &delta, std::vector<decode_error> errors) {
  auto &s = n.impl_->stats;
  s.total += delta.total;
  s.rejected += delta.rejected;
  s.errors_dropped += delta.errors_dropped;
  for (auto &e : errors) {
    if (n.impl_->errors.size() < n.impl_->options.max_errors_kept) n.impl_->errors.push_back(std::move(e));
    else ++s.errors_dropped;
  }
}

void normalizer_access::reject_input(normalizer &n, std::string_view source, const error &why) {
  n.impl_->reject_input(source, why);
}

void normalizer_access::place_piece(normalizer &n, std::size_t byte, std::size_t lines_before, bool json_lines) {
  n.impl_->place_piece(byte, lines_before, json_lines);
}

bool normalizer_access::admit(normalizer &n, const event &e, const event_sink &sink) {
  auto &impl = *n.impl_;
  if (impl.repeated(e)) return true;
  impl.stopped = false;
  impl.hand_on(e, &sink);
  return !impl.stopped;
}

}  // namespace detail

}  // namespace v0
}  // namespace identrail

namespace identrail {
inline namespace v0 {
namespace detail {

// Counts, the errors kept and the duplicate filter: a restored run's report
// covers what was read before the checkpoint.
void state_access::save(const normalizer &n, state_writer &out) {
  const auto &s = n.impl_->stats;
  for (const auto v : {s.total, s.accepted, s.rejected, s.duplicates, s.errors_dropped, s.possibly_repeated}) out.u64(v);
  out.list(n.impl_->errors, [&](const decode_error &e) {
    out.str(e.source);
    out.str(e.location);
    out.str(e.reason);
    out.u32(static_cast<std::uint32_t>(e.code));
  });
  n.impl_->seen.save(out);
}

void state_access::load(normalizer &n, state_reader &in) {
  auto &s = n.impl_->stats;
  for (auto *v : {&s.total, &s.accepted, &s.rejected, &s.duplicates, &s.errors_dropped, &s.possibly_repeated}) *v = in.u64();
  n.impl_->errors.clear();
  const auto count = in.count(28);
  for (std::size_t i = 0; i < count && in.ok(); ++i) {
    decode_error e;
    e.source = in.str();
    e.location = in.str();
    e.reason = in.str();
    e.code = static_cast<errc>(static_cast<std::int32_t>(in.u32()));
    n.impl_->errors.push_back(std::move(e));
  }
  n.impl_->seen.load(in);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
