#include "identrail/normalize/raw_field.hpp"

#include <string>

#include "raw_reader.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::raw_reader;

error path_error(const raw_reader &reader, raw_reader::status s, std::string_view path) {
  const errc code = s == raw_reader::status::absent      ? errc::not_found
                    : s == raw_reader::status::no_record ? errc::invalid_argument
                                                         : errc::parse_error;
  return error{code, std::string(path) + ": " + reader.why()};
}

// One reader per thread: raw fields may be read from several threads on different events.
raw_reader &reader_for(const event &e) {
  thread_local raw_reader reader;
  reader.open(e);
  return reader;
}

}  // namespace

result<json_field> raw_field(const event &e, std::string_view path) {
  auto &reader = reader_for(e);
  json_field out;
  const auto s = reader.read(path, out);
  if (s != raw_reader::status::found) return tl::unexpected(path_error(reader, s, path));
  return out;
}

result<std::vector<json_field>> raw_fields(const event &e, std::string_view path) {
  auto &reader = reader_for(e);
  std::vector<json_field> out;
  std::size_t count = 0;
  const auto s = reader.read_each(path, out, count);
  if (s != raw_reader::status::found) return tl::unexpected(path_error(reader, s, path));
  out.resize(count);
  return out;
}

}  // namespace v0
}  // namespace identrail
