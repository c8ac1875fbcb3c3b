// The simdjson baseline over whole inputs (bench.hpp).
#include <string>

#include "baseline_fields.hpp"
#include "identrail/pipeline/bench.hpp"

namespace identrail {
inline namespace v0 {

namespace {

std::string_view skip_space(std::string_view text) {
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  const auto first = text.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view{} : text.substr(first);
}

// A CloudTrail delivery file: one object whose first key is "Records".
bool is_delivery_file(std::string_view text) {
  if (!text.starts_with('{')) return false;
  return skip_space(text.substr(1)).starts_with("\"Records\"");
}

// Every record of an array or a document stream: each must be an object.
template <class Records>
baseline_scan scan_each(Records &&records) {
  baseline_scan out;
  std::size_t sink = 0;
  for (auto record : records) {
    detail::od::object fields;
    if (record.get_object().get(fields)) return {out.records, false};
    sink += detail::extract_fields(fields);
    ++out.records;
  }
  out.applicable = sink != static_cast<std::size_t>(-1);  // keeps the work from being optimised away
  return out;
}

baseline_scan scan_delivery(detail::od::parser &parser, const char *data, std::size_t size, std::size_t capacity) {
  detail::od::document doc;
  detail::od::array records;
  if (parser.iterate(data, size, capacity).get(doc) || doc["Records"].get_array().get(records)) return {0, false};
  return scan_each(records);
}

baseline_scan scan_lines(detail::od::parser &parser, const char *data, std::size_t size) {
  detail::od::document_stream stream;
  if (parser.iterate_many(data, size, std::size_t{1} << 20).get(stream)) return {0, false};
  return scan_each(stream);
}

}  // namespace

baseline_scan scan_baseline(std::string_view json, std::size_t capacity) {
  const std::string_view text = skip_space(json);
  if (!text.starts_with('{')) return {0, false};
  std::string copy;
  const char *data = json.data();
  if (capacity < json.size() + input_padding) {
    copy.reserve(json.size() + input_padding);
    copy.assign(json);
    data = copy.data();
    capacity = copy.capacity();
  }
  detail::od::parser parser;
  parser.threaded = false;  // one thread, as the normalizer it is compared with decodes a piece on one
  return is_delivery_file(text) ? scan_delivery(parser, data, json.size(), capacity)
                                : scan_lines(parser, data, json.size());
}

}  // namespace v0
}  // namespace identrail
