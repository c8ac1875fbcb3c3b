// Error codes and the result type every fallible identrail call returns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace identrail {
inline namespace v0 {

// The numbers are part of the C ABI (negated as idt_status) and of the Python
// and Go/Rust error codes: append new codes, never renumber or reuse one.
enum class errc : std::int32_t {
  ok = 0,
  invalid_argument = 1,
  io_error = 2,
  parse_error = 3,
  decompress_error = 4,
  unsupported_format = 5,
  invalid_record = 6,
  limit_exceeded = 7,
  not_found = 8,
  out_of_memory = 9,
  internal = 10,
  bad_state = 11,           // a checkpoint that is truncated, corrupt or not authentic
  incompatible_state = 12,  // a checkpoint of a newer format, or of another rule set
};

[[nodiscard]] constexpr std::string_view errc_name(errc code) noexcept {
  switch (code) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::io_error: return "io_error";
    case errc::parse_error: return "parse_error";
    case errc::decompress_error: return "decompress_error";
    case errc::unsupported_format: return "unsupported_format";
    case errc::invalid_record: return "invalid_record";
    case errc::limit_exceeded: return "limit_exceeded";
    case errc::not_found: return "not_found";
    case errc::out_of_memory: return "out_of_memory";
    case errc::internal: return "internal";
    case errc::bad_state: return "bad_state";
    case errc::incompatible_state: return "incompatible_state";
  }
  return "unknown";
}

struct error {
  errc code = errc::internal;
  std::string message;
};

template <class T>
using result = tl::expected<T, error>;

[[nodiscard]] inline tl::unexpected<error> make_error(errc code, std::string message) {
  return tl::unexpected<error>(error{code, std::move(message)});
}

}  // namespace v0
}  // namespace identrail
