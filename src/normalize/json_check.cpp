#include "json_check.hpp"

#include <cstring>
#include <string_view>

#include "json_token.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

namespace od = simdjson::ondemand;

// A key's text starts after its opening quote and, the first pass having
// found its closing quote, ends at the first unescaped quote.
bool key_has_escape(const char *text) noexcept {
  for (; *text != '"'; ++text)
    if (*text == '\\') return true;
  return false;
}

// Every value is consumed: an unconsumed one is skipped by bracket counting,
// which would step over whatever malformed tokens follow it. Only a string with
// a backslash needs unescaping to check its escapes (its token runs to the next
// structural character, so the search also covers the whitespace after it).
simdjson::error_code check_string(od::value value) {
  const std::string_view token = value.raw_json_token();
  if (std::memchr(token.data(), '\\', token.size()) != nullptr) return value.get_string().error();
  return value.get_raw_json_string().error();
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t) noexcept {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > from;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// simdjson refuses numbers it cannot represent (1e999, integers of more than
// 20 digits) with the same error as malformed ones; those are JSON all the same.
simdjson::error_code check_number(od::value value) {
  const std::string_view token = trim_json_token(value.raw_json_token());
  const auto err = value.get_number().error();
  return err == simdjson::NUMBER_ERROR && is_json_number(token) ? simdjson::SUCCESS : err;
}

simdjson::error_code check_object(od::value value, unsigned depth_left) {
  od::object object;
  if (auto err = value.get_object().get(object)) return err;
  for (auto member : object) {
    od::raw_json_string key;
    if (auto err = read_key(member, key)) return err;
    od::value item;
    if (auto err = member.value().get(item)) return err;
    if (auto err = check_json(item, depth_left - 1)) return err;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code check_array(od::value value, unsigned depth_left) {
  od::array array;
  if (auto err = value.get_array().get(array)) return err;
  for (auto element : array) {
    od::value item;
    if (auto err = element.get(item)) return err;
    if (auto err = check_json(item, depth_left - 1)) return err;
  }
  return simdjson::SUCCESS;
}

}  // namespace

simdjson::error_code read_key(simdjson::simdjson_result<od::field> &member, od::raw_json_string &key) {
  if (auto err = member.error()) return err;
  od::field &field = member.value_unsafe();
  key = field.key();  // taken first: unescaping consumes the field's copy
  return key_has_escape(key.raw()) ? field.unescaped_key().error() : simdjson::SUCCESS;
}

const char *json_value_end(const char *start, const char *limit) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  for (const char *p = start; p < limit; ++p) {
    const char c = *p;
    if (in_string) {
      if (c == '\\') ++p;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
      return p + 1;
    }
  }
  return nullptr;
}

simdjson::error_code check_json(od::value value, unsigned depth_left) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case od::json_type::object:
      return depth_left == 0 ? simdjson::DEPTH_ERROR : check_object(value, depth_left);
    case od::json_type::array:
      return depth_left == 0 ? simdjson::DEPTH_ERROR : check_array(value, depth_left);
    case od::json_type::string:
      return check_string(value);
    case od::json_type::number:
      return check_number(value);
    case od::json_type::boolean:
      return value.get_bool().error();
    case od::json_type::null: {
      bool null = false;
      if (auto err = value.is_null().get(null)) return err;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
