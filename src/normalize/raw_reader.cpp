#include "raw_reader.hpp"

#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <cstring>
#include <string>

#include "json_token.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace od = simdjson::ondemand;

struct raw_reader::parsed {
  std::string buffer;  // the record and simdjson's padding
  od::parser parser;
  od::document doc;
  bool walked = false;  // a read has moved the document's iterator: rewind before the next
};

namespace {

using status = raw_reader::status;

// The value where a path ends: strings unescaped, the rest as written.
simdjson::error_code leaf_of(od::value &current, json_field &out) {
  od::json_type type;
  if (auto err = current.type().get(type)) return err;
  std::string_view text;
  simdjson::error_code err = simdjson::SUCCESS;
  switch (type) {
    case od::json_type::string:
      out.kind = json_kind::string;
      err = current.get_string().get(text);
      break;
    case od::json_type::number:
    case od::json_type::boolean:
      out.kind = type == od::json_type::number ? json_kind::number : json_kind::boolean;
      text = trim_json_token(current.raw_json_token());
      break;
    case od::json_type::null: out.kind = json_kind::null; break;
    case od::json_type::object: {
      out.kind = json_kind::object;
      od::object object;
      err = current.get_object().get(object);
      if (!err) err = object.raw_json().get(text);
      break;
    }
    case od::json_type::array: {
      out.kind = json_kind::array;
      od::array array;
      err = current.get_array().get(array);
      if (!err) err = array.raw_json().get(text);
      break;
    }
  }
  out.text.assign(text);  // into the capacity the field already has
  return err;
}

// A path that leads nowhere is `absent` with its reason; simdjson's failures are `damaged`.
struct walk_result {
  status state = status::found;
  const char *why = "";
};
walk_result absent(const char *why) { return {status::absent, why}; }
walk_result damaged(simdjson::error_code err) { return {status::damaged, simdjson::error_message(err)}; }

bool is_index(std::string_view segment, std::size_t &index) {
  const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  return ec == std::errc{} && end == segment.data() + segment.size();
}

walk_result field_at(od::value current, std::string_view path, json_field &out) {
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto dot = rest.find('.');
    const std::string_view segment = rest.substr(0, dot);
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    od::json_type type;
    if (auto err = current.type().get(type)) return damaged(err);
    od::value next;
    if (type == od::json_type::object) {
      if (auto err = current.find_field_unordered(segment).get(next))
        return err == simdjson::NO_SUCH_FIELD ? absent("no such field") : damaged(err);
    } else if (type == od::json_type::array) {
      std::size_t index = 0;
      if (!is_index(segment, index)) return absent("array index expected");
      od::array array;
      if (auto err = current.get_array().get(array)) return damaged(err);
      if (auto err = array.at(index).get(next))
        return err == simdjson::INDEX_OUT_OF_BOUNDS ? absent("index out of range") : damaged(err);
    } else {
      return absent("no such field");
    }
    current = next;
  }
  if (auto err = leaf_of(current, out)) return damaged(err);
  return {};
}

// Walks `rest` from `current`, fanning out over arrays met without an index.
simdjson::error_code collect(od::value current, std::string_view rest, std::vector<json_field> &out, std::size_t &count) {
  od::json_type type;
  if (auto err = current.type().get(type)) return err;
  if (type == od::json_type::array && (rest.empty() || !std::isdigit(static_cast<unsigned char>(rest.front())))) {
    od::array array;
    if (auto err = current.get_array().get(array)) return err;
    for (auto element : array) {
      od::value item;
      if (auto err = element.get(item)) return err;
      if (auto err = collect(item, rest, out, count)) return err;
    }
    return simdjson::SUCCESS;
  }
  if (rest.empty()) {
    if (count == out.size()) out.emplace_back();
    return leaf_of(current, out[count++]);
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
    if (!is_index(segment, index)) return simdjson::SUCCESS;
    od::array array;
    if (auto err = current.get_array().get(array)) return err;
    const auto err = array.at(index).get(next);
    if (err == simdjson::INDEX_OUT_OF_BOUNDS) return simdjson::SUCCESS;
    if (err) return err;
  } else {
    return simdjson::SUCCESS;  // a scalar has no fields
  }
  return collect(next, after, out, count);
}

}  // namespace

raw_reader::raw_reader() : doc_(std::make_unique<parsed>()) {}
raw_reader::~raw_reader() = default;

void raw_reader::open(const event &e) noexcept {
  event_ = &e;
  parsed_ = false;
}

raw_reader::status raw_reader::parse_if_needed() {
  if (!event_ || event_->raw.empty()) {
    why_ = "the event was stored without its raw record";
    return status::no_record;
  }
  auto &d = *doc_;
  if (parsed_) {
    if (d.walked) d.doc.rewind();
    d.walked = true;
    return status::found;
  }
  const std::string &raw = event_->raw;
  d.buffer.resize(raw.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(d.buffer.data(), raw.data(), raw.size());
  if (auto err = d.parser.iterate(d.buffer.data(), raw.size(), d.buffer.size()).get(d.doc)) {
    why_ = simdjson::error_message(err);
    return status::damaged;
  }
  parsed_ = true;
  d.walked = true;
  return status::found;
}

raw_reader::status raw_reader::read(std::string_view path, json_field &out) {
  if (const auto s = parse_if_needed(); s != status::found) return s;
  od::value root;
  walk_result r;
  if (auto err = doc_->doc.get_value().get(root)) r = damaged(err);
  else r = field_at(root, path, out);
  if (r.state == status::damaged) parsed_ = false;  // the iterator may hold the error: parse again next time
  why_ = r.why;
  return r.state;
}

raw_reader::status raw_reader::read_each(std::string_view path, std::vector<json_field> &out, std::size_t &count) {
  count = 0;
  if (const auto s = parse_if_needed(); s != status::found) return s;
  od::value root;
  auto err = doc_->doc.get_value().get(root);
  if (!err) err = collect(root, path, out, count);
  if (err) {
    parsed_ = false;
    why_ = simdjson::error_message(err);
    return status::damaged;
  }
  why_ = "";
  return status::found;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
