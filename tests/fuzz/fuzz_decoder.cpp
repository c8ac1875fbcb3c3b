// libFuzzer target: any bytes through the engine's whole per-event path (the
// decoder in every format it sniffs, resource inference, raw fields, the rule
// pack, the identity graph, the report, response and least privilege).
//
// Besides "no crash, no sanitizer report" it checks what the normalizer
// promises, so a silent regression fails too:
//  - every record is accounted for: total = accepted + rejected + duplicates;
//  - an accepted record is JSON throughout: its raw text parses with
//    simdjson's DOM parser and raw_field never meets malformed JSON in it;
//  - the same bytes gzipped, or read without keeping raw records, are read the
//    same (same counts).
#include <zlib.h>

#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "identrail/identrail.hpp"

namespace {

using namespace identrail;

void require(bool ok, const char *what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_decoder: invariant broken: %s\n", what);
  std::abort();
}

const rule_set &pack() {
  static const rule_set rules = [] {
    auto loaded = rule_set::builtin();
    require(loaded.has_value(), "the built-in pack loads");
    return *loaded;
  }();
  return rules;
}

std::string gzipped(std::string_view bytes) {
  z_stream z{};
  require(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK, "deflateInit2");
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef *>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  require(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

decode_stats normalize_only(std::string_view bytes, bool keep_raw = true) {
  symbol_table symbols;
  normalizer_options options;
  options.keep_raw = keep_raw;
  normalizer reader(symbols, options);
  require(reader.feed(bytes, "fuzz", {}).has_value(), "normalizer::feed fails only for lack of memory");
  return reader.stats();
}

void check_accepted_records(const engine &e) {
  thread_local simdjson::dom::parser dom;
  for (const event &record : e.events()) {
    simdjson::dom::element root;
    // (The DOM parser also refuses numbers it cannot represent, 1e999, which are JSON: not counted.)
    const auto parsed = dom.parse(simdjson::padded_string(record.raw)).get(root);
    require(parsed == simdjson::SUCCESS || parsed == simdjson::NUMBER_ERROR, "an accepted record's raw text is JSON");
    for (const char *path : {"requestParameters.bucketName", "responseElements", "resources.0.ARN", "tlsDetails"}) {
      const auto field = raw_field(record, path);
      require(field || field.error().code != errc::parse_error, "raw_field reads an accepted record");
    }
  }
}

// The stages after detection, on a few of the identities found.
void respond_to_some(const engine &e) {
  (void)report_json(e);
  (void)report_text(e);
  std::size_t asked = 0;
  for (const auto &a : e.assessments()) {
    if (++asked > 3) break;
    const auto name = e.symbols().str(a.identity);
    (void)plan_remediation(e.evidence(), name);
    (void)least_privilege_policy(e.evidence(), name);
    if (const auto node = e.graph().find_identity(name)) (void)e.graph().blast_radius_of(*node);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  engine_options options;
  options.rules = pack();
  auto created = engine::create(options);
  require(created.has_value(), "the built-in pack makes an engine");
  auto &e = *created;
  require(e.feed(bytes, "fuzz").has_value(), "engine::feed fails only for lack of memory");
  e.finish();

  const auto &stats = e.stats();
  require(stats.total == stats.accepted + stats.rejected + stats.duplicates, "every record is accounted for");
  require(e.events().size() == stats.accepted, "every accepted record is retained");
  check_accepted_records(e);
  respond_to_some(e);

  if (size >= 2 && data[0] != 0x1f) {
    const auto plain = normalize_only(bytes);
    const auto packed = normalize_only(gzipped(bytes));
    require(plain.accepted == packed.accepted && plain.rejected == packed.rejected &&
                plain.duplicates == packed.duplicates,
            "gzipped input is read like the plain bytes");
    const auto bare = normalize_only(bytes, false);
    require(plain.accepted == bare.accepted && plain.rejected == bare.rejected,
            "keeping raw records changes no verdict");
  }
  return 0;
}
