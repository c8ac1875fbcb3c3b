// Private: IPv4 and IPv6 CIDR blocks, shared by rules (cidr tests) and
// remediation (allowed ranges).
#pragma once

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "identrail/core/error.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

struct cidr_block {
  bool v6 = false;
  std::array<std::uint8_t, 16> network{};
  int prefix = 0;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128).
inline result<cidr_block> parse_cidr(std::string_view text) {
  cidr_block block;
  const auto slash = text.find('/');
  const std::string address(text.substr(0, slash));
  block.v6 = address.find(':') != std::string::npos;
  if (inet_pton(block.v6 ? AF_INET6 : AF_INET, address.c_str(), block.network.data()) != 1)
    return make_error(errc::invalid_argument, "bad CIDR \"" + std::string(text) + "\": not an IP address");
  const int max = block.v6 ? 128 : 32;
  block.prefix = max;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), block.prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty())
      return make_error(errc::invalid_argument, "bad CIDR prefix in \"" + std::string(text) + "\"");
    if (block.prefix < 0 || block.prefix > max)
      return make_error(errc::invalid_argument, "CIDR prefix out of range in \"" + std::string(text) + "\"");
  }
  return block;
}

inline bool in_network(const source_address &address, const cidr_block &block) {
  if (!address.is_ip() || (address.type == source_address::kind::ipv6) != block.v6) return false;
  int bits = block.prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xFF : 0xFF << (8 - bits));
    if ((address.bytes[i] & mask) != (block.network[i] & mask)) return false;
  }
  return true;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
