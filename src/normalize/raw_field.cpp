#include "identrail/normalize/raw_field.hpp"

#include "json_token.hpp"

#include <simdjson.h>

#include <cctype>
#include <charconv>

namespace identrail {
inline namespace v0 {
namespace {

namespace od = simdjson::ondemand;

error path_error(errc code, std::string_view path, std::string_view why) {
  return error{code, std::string(path) + ": " + std::string(why)};
}

// The value where a path ends: strings unescaped, the rest as written.
result<json_field> leaf_of(od::value &current, std::string_view path) {
  json_field out;
  od::json_type type;
  if (auto err = current.type().get(type)) return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
  std::string_view text;
  switch (type) {
    case od::json_type::string:
      out.kind = json_kind::string;
      if (auto err = current.get_string().get(text)) return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
      out.text.assign(text);
      break;
    case od::json_type::number:
    case od::json_type::boolean:
      out.kind = type == od::json_type::number ? json_kind::number : json_kind::boolean;
      out.text.assign(detail::trim_json_token(current.raw_json_token()));
      break;
    case od::json_type::null:
      out.kind = json_kind::null;
      break;
    case od::json_type::object:
    case od::json_type::array:
      out.kind = type == od::json_type::object ? json_kind::object : json_kind::array;
      simdjson::error_code err = simdjson::SUCCESS;
      if (type == od::json_type::object) {
        od::object object;
        err = current.get_object().get(object);
        if (!err) err = object.raw_json().get(text);
      } else {
        od::array array;
        err = current.get_array().get(array);
        if (!err) err = array.raw_json().get(text);
      }
      if (err)
        return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
      out.text.assign(text);
      break;
  }
  return out;
}


// Parses the event's raw record and hands its root value to `read`, which must
// finish with it before returning (the value lives in this call's buffers).
template <class Read>
auto with_root(const event &e, std::string_view path, Read &&read) -> decltype(read(std::declval<od::value &>())) {
  if (e.raw.empty()) return tl::unexpected(path_error(errc::invalid_argument, path, "the event was stored without its raw record"));
  // One parser per thread: raw fields may be read from several threads on different events.
  thread_local od::parser parser;
  const simdjson::padded_string padded(e.raw);
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc))
    return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
  od::value root;
  if (auto err = doc.get_value().get(root))
    return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
  return read(root);
}

result<json_field> field_at(od::value current, std::string_view path) {
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto dot = rest.find('.');
    const std::string_view segment = rest.substr(0, dot);
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    od::json_type type;
    if (auto err = current.type().get(type)) return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
    od::value next;
    if (type == od::json_type::object) {
      if (auto err = current.find_field_unordered(segment).get(next))
        return tl::unexpected(err == simdjson::NO_SUCH_FIELD ? path_error(errc::not_found, path, "no such field")
                                                             : path_error(errc::parse_error, path, simdjson::error_message(err)));
    } else if (type == od::json_type::array) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc{} || end != segment.data() + segment.size())
        return tl::unexpected(path_error(errc::not_found, path, "array index expected"));
      od::array array;
      if (auto err = current.get_array().get(array)) return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
      if (auto err = array.at(index).get(next))
        return tl::unexpected(err == simdjson::INDEX_OUT_OF_BOUNDS
                                  ? path_error(errc::not_found, path, "index out of range")
                                  : path_error(errc::parse_error, path, simdjson::error_message(err)));
    } else {
      return tl::unexpected(path_error(errc::not_found, path, "no such field"));
    }
    current = next;
  }

  return leaf_of(current, path);
}

}  // namespace

result<json_field> raw_field(const event &e, std::string_view path) {
  return with_root(e, path, [&](od::value &root) { return field_at(root, path); });
}


namespace {

// Walks `rest` from `current`, fanning out over arrays met without an index.
simdjson::error_code collect(od::value current, std::string_view rest, std::string_view path, std::vector<json_field> &out) {
  od::json_type type;
  if (auto err = current.type().get(type)) return err;
  if (type == od::json_type::array && (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest.front())))) {
    od::array array;
    if (auto err = current.get_array().get(array)) return err;
    for (auto element : array) {
      od::value item;
      if (auto err = element.get(item)) return err;
      if (auto err = collect(item, rest, path, out)) return err;
    }
    return simdjson::SUCCESS;
  }
  if (rest.empty()) {
    auto leaf = leaf_of(current, path);
    if (!leaf) return simdjson::TAPE_ERROR;
    out.push_back(std::move(*leaf));
    return simdjson::SUCCESS;
  }
  const auto dot = rest.find('.');
  const std::string_view segment = rest.substr(0, dot);
  const std::string_view after = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  od::value next;
  if (type == od::json_type::object) {
    const auto err = current.find_field_unordered(segment).get(next);
    if (err == simdjson::NO_SUCH_FIELD) return simdjson::SUCCESS;
    if (err) return err;
  } else if (type == od::json_type::array) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
    if (ec != std::errc{} || end != segment.data() + segment.size()) return simdjson::SUCCESS;
    od::array array;
    if (auto err = current.get_array().get(array)) return err;
    const auto err = array.at(index).get(next);
    if (err == simdjson::INDEX_OUT_OF_BOUNDS) return simdjson::SUCCESS;
    if (err) return err;
  } else {
    return simdjson::SUCCESS;  // a scalar has no fields
  }
  return collect(next, after, path, out);
}

}  // namespace

result<std::vector<json_field>> raw_fields(const event &e, std::string_view path) {
  return with_root(e, path, [&](od::value &root) -> result<std::vector<json_field>> {
    std::vector<json_field> out;
    if (auto err = collect(root, path, path, out))
      return tl::unexpected(path_error(errc::parse_error, path, simdjson::error_message(err)));
    return out;
  });
}

}  // namespace v0
}  // namespace identrail
