// Private: reads a JSON value to its end, so that its grammar is checked.
#pragma once

#include <simdjson.h>

namespace identrail {
inline namespace v0 {
namespace detail {

// simdjson's on-demand parser checks only what is read. Its first pass checks
// strings, UTF-8 and brackets, but a value skipped unread can still hide a
// missing comma or colon, `tru`, `1.5x` or a bad escape. The decoder calls this
// on every value it does not model, so an accepted record is JSON throughout
// and no later reader of its raw text (rules, the resolver, raw_field) meets
// malformed input. Nesting deeper than `depth_left` is refused (DEPTH_ERROR).
[[nodiscard]] simdjson::error_code check_json(simdjson::ondemand::value value, unsigned depth_left);

// A member's key, its escapes checked like any string's (a key with a bad
// escape is malformed JSON, though no modelled key ever has one).
[[nodiscard]] simdjson::error_code read_key(simdjson::simdjson_result<simdjson::ondemand::field> &member,
                                            simdjson::ondemand::raw_json_string &key);

// Where the value starting at `start` (an object or array) ends: just past its
// closing bracket, or nullptr if that is not before `limit`. Counts brackets
// outside strings, which finds the end only of a value known to be JSON.
[[nodiscard]] const char *json_value_end(const char *start, const char *limit) noexcept;

// How deep a value the decoder does not model may nest (counted from that value). The deepest record in the
// public samples (../shared/datasets, with Panther's wrappers) nests 12 levels;
// the limit leaves ample room and bounds the recursion's stack use.
inline constexpr unsigned kMaxRecordDepth = 256;

}  // namespace detail
}  // namespace v0
}  // namespace identrail
