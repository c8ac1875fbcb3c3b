#include "aws_networks.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cidr.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

extern const char *const aws_ip_ranges_text[];

namespace {

// An address as a 128-bit number (IPv4 in the low 32 bits of its own table).
struct u128 {
  std::uint64_t hi = 0, lo = 0;
  auto operator<=>(const u128 &) const = default;
};

u128 number_of(const std::array<std::uint8_t, 16> &bytes, bool v6) {
  u128 n;
  if (!v6) {
    for (int i = 0; i < 4; ++i) n.lo = n.lo << 8 | bytes[static_cast<std::size_t>(i)];
    return n;
  }
  for (int i = 0; i < 8; ++i) n.hi = n.hi << 8 | bytes[static_cast<std::size_t>(i)];
  for (int i = 8; i < 16; ++i) n.lo = n.lo << 8 | bytes[static_cast<std::size_t>(i)];
  return n;
}

struct span {
  u128 first, last;
};

u128 last_of(u128 first, int prefix, bool v6) {
  const int host_bits = (v6 ? 128 : 32) - prefix;
  u128 last = first;
  if (host_bits >= 64) {
    last.lo = ~std::uint64_t{0};
    last.hi |= host_bits == 64 ? 0 : (~std::uint64_t{0} >> (128 - host_bits));
  } else if (host_bits > 0) {
    last.lo |= (~std::uint64_t{0} >> (64 - host_bits));
  }
  return last;
}

// Sorted, merged spans: a lookup is one binary search.
class span_table {
 public:
  void add(span s) { spans_.push_back(s); }
  void seal() {
    std::sort(spans_.begin(), spans_.end(), [](const span &a, const span &b) { return a.first < b.first; });
    std::vector<span> merged;
    for (const auto &s : spans_) {
      if (!merged.empty() && s.first <= merged.back().last) merged.back().last = std::max(merged.back().last, s.last);
      else merged.push_back(s);
    }
    spans_ = std::move(merged);
  }
  [[nodiscard]] bool holds(u128 n) const {
    const auto it = std::upper_bound(spans_.begin(), spans_.end(), n, [](u128 v, const span &s) { return v < s.first; });
    return it != spans_.begin() && n <= std::prev(it)->last;
  }

 private:
  std::vector<span> spans_;
};

struct ranges {
  span_table amazon[2], ec2[2];  // [0] IPv4, [1] IPv6
  std::string origin;
};

const ranges &compiled_ranges() {
  static const ranges table = [] {
    ranges r;
    std::string text;
    for (const char *const *piece = aws_ip_ranges_text; *piece; ++piece) text += *piece;
    std::size_t at = 0;
    while (at < text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      const std::string_view line(text.data() + at, end - at);
      at = end + 1;
      if (line.starts_with("# createDate:") || line.starts_with("# source:")) {
        r.origin += (r.origin.empty() ? "" : "; ") + std::string(line.substr(2));
        continue;
      }
      if (line.empty() || line.front() == '#') continue;
      const auto space = line.find(' ');
      const auto block = parse_cidr(line.substr(0, space));
      if (!block) continue;  // the refresh script writes only CIDRs; a bad line is skipped, not fatal
      const bool is_ec2 = line.ends_with(" EC2");
      const u128 first = number_of(block->network, block->v6);
      (is_ec2 ? r.ec2 : r.amazon)[block->v6].add({first, last_of(first, block->prefix, block->v6)});
    }
    for (int v = 0; v < 2; ++v) {
      r.amazon[v].seal();
      r.ec2[v].seal();
    }
    return r;
  }();
  return table;
}

bool is_private(const source_address &a) {
  const auto &b = a.bytes;
  if (a.type == source_address::kind::ipv4)
    return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64);
  const bool loopback = std::all_of(b.begin(), b.end() - 1, [](std::uint8_t x) { return x == 0; }) && b[15] == 1;
  return loopback || (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
}

}  // namespace

aws_network network_of(const source_address &address) {
  if (!address.is_ip()) return aws_network::none;
  if (is_private(address)) return aws_network::private_;
  const bool v6 = address.type == source_address::kind::ipv6;
  const auto &r = compiled_ranges();
  const u128 n = number_of(address.bytes, v6);
  if (r.ec2[v6].holds(n)) return aws_network::ec2;
  if (r.amazon[v6].holds(n)) return aws_network::aws;
  return aws_network::outside;
}

std::string_view to_string(aws_network network) noexcept {
  switch (network) {
    case aws_network::none: return "";
    case aws_network::private_: return "private";
    case aws_network::ec2: return "aws-ec2";
    case aws_network::aws: return "aws";
    case aws_network::outside: return "outside";
  }
  return "";
}

std::string_view aws_ranges_origin() { return compiled_ranges().origin; }

}  // namespace detail
}  // namespace v0
}  // namespace identrail
