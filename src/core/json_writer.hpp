// Private: appending JSON text. Writing JSON needs only correct escaping, so a
// few helpers beat pulling a DOM library into the hot output path.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "utf8.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Writes a JSON string. Bytes that are not UTF-8 (file names can be any bytes)
// become U+FFFD, so the output is always valid JSON.
inline void append_json_string(std::string &out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out += "\ufffd";
      } else {
        out.append(text.substr(i, length));
        i += length - 1;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

template <class Int>
void append_json_int(std::string &out, Int value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out.append(buf, end);
}

// JSON has no NaN or infinity: callers skip those. to_chars ignores the locale.
inline void append_json_double(std::string &out, double value) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc{}) return;
  out.append(buf, end);
}

// Builds one JSON object or array with commas handled; keys are trusted literals.
class json_object {
 public:
  explicit json_object(std::string &out) : out_(out) { out_.push_back('{'); }
  json_object(const json_object &) = delete;
  json_object &operator=(const json_object &) = delete;
  ~json_object() { out_.push_back('}'); }

  std::string &key(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(name);
    out_ += "\":";
    return out_;
  }
  void str(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
  // Omits the member when the value is empty: absent and empty mean the same in CloudTrail.
  void str_if(std::string_view name, std::string_view value) {
    if (!value.empty()) str(name, value);
  }
  template <class Int>
  void num(std::string_view name, Int value) {
    append_json_int(key(name), value);
  }
  void boolean(std::string_view name, bool value) { key(name) += value ? "true" : "false"; }
  // Omitted when not finite.
  void real(std::string_view name, double value) {
    if (std::isfinite(value)) append_json_double(key(name), value);
  }
  void raw(std::string_view name, std::string_view json) { key(name).append(json); }

 private:
  std::string &out_;
  bool first_ = true;
};

class json_array {
 public:
  explicit json_array(std::string &out) : out_(out) { out_.push_back('['); }
  json_array(const json_array &) = delete;
  json_array &operator=(const json_array &) = delete;
  ~json_array() { out_.push_back(']'); }
  std::string &next() {
    if (!first_) out_.push_back(',');
    first_ = false;
    return out_;
  }
  void str(std::string_view value) { append_json_string(next(), value); }

 private:
  std::string &out_;
  bool first_ = true;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
