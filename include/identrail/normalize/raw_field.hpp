// Reading any part of the raw record by dotted path, so rules can test
// requestParameters.bucketName or responseElements.credentials.accessKeyId.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

enum class json_kind : std::uint8_t { null = 0, boolean = 1, number = 2, string = 3, object = 4, array = 5 };

struct json_field {
  json_kind kind = json_kind::null;
  // Strings unescaped; numbers and booleans as written; objects and arrays as raw JSON.
  std::string text;
};

// Path segments are separated by '.', array elements are addressed by index
// ("resources.0.ARN"). A missing path is errc::not_found; a record stored
// without its raw JSON is errc::invalid_argument.
[[nodiscard]] result<json_field> raw_field(const event &e, std::string_view path);

// Every value at a path, as Sigma reads fields: a segment that meets an array
// without an index applies to each element ("resources.ARN" is the ARN of
// every resource), and an array at the end gives its elements. Empty when the
// path is absent; a JSON null is a value of kind null.
[[nodiscard]] result<std::vector<json_field>> raw_fields(const event &e, std::string_view path);

}  // namespace v0
}  // namespace identrail
