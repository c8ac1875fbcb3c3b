// Private: where a source address sits relative to AWS, from AWS's published
// ranges (data/aws-ip-ranges.txt, compiled in; refreshed by
// scripts/refresh_aws_ranges.py). Credentials that only AWS compute should
// hold (an instance's, a function's) turning up outside it is a theft signal
// that needs no learning.
#pragma once

#include <string_view>

#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

enum class aws_network : unsigned char {
  none,     // not an IP address (a service name, absent)
  private_, // RFC 1918, unique-local, link-local, loopback: inside a VPC, behind an endpoint
  ec2,      // in EC2's published address space (instances, NAT gateways, Lambda's workers)
  aws,      // in AWS's published ranges, outside EC2's
  outside,  // a public address AWS does not publish
};

[[nodiscard]] aws_network network_of(const source_address &address);
// "private", "aws-ec2", "aws", "outside", or "" for none.
[[nodiscard]] std::string_view to_string(aws_network network) noexcept;
// What the compiled-in ranges say of themselves ("createDate ... from ..."), "" when built without them.
[[nodiscard]] std::string_view aws_ranges_origin();

}  // namespace detail
}  // namespace v0
}  // namespace identrail
