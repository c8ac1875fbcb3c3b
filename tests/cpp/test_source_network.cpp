// The source_network field: AWS's published ranges compiled in, private
// addresses told apart, and the first call of stolen instance credentials
// from outside AWS detected with no learning (IDT-IA-005).
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include "support.hpp"

using namespace identrail;

namespace {

// The networks an engine with one rule per value sees for each address.
std::string network_seen(const std::string &ip) {
  static const auto rules = [] {
    std::string yaml;
    for (const char *value : {"private", "aws-ec2", "aws", "outside"})
      yaml += std::string("- {id: NET-") + value + ", name: n, severity: low, coalesce: 0, match: {source_network: " +
              value + "}}\n";
    return rule_set::from_yaml(yaml, "networks.yaml").value();
  }();
  engine_options options;
  options.rules = rules;
  auto record = test::record("n-" + ip, "2026-03-01T10:00:00Z");
  record.replace(record.find("198.51.100.7"), 12, ip);
  auto e = test::feed_one(record, options);
  std::string seen;
  for (const auto &d : e.detections()) seen += (seen.empty() ? "" : ",") + d.rule_id.substr(4);
  return seen;
}

}  // namespace

TEST(SourceNetwork, TellsEc2AwsPrivateAndOutsideApart) {
  EXPECT_EQ(network_seen("3.80.0.1"), "aws-ec2");          // 3.80.0.0/12, EC2 us-east-1
  EXPECT_EQ(network_seen("10.0.12.7"), "private");         // a VPC endpoint's caller
  EXPECT_EQ(network_seen("172.31.5.9"), "private");
  EXPECT_EQ(network_seen("fd00:ec2::254"), "private");     // unique-local
  EXPECT_EQ(network_seen("185.220.101.45"), "outside");
  EXPECT_EQ(network_seen("192.0.2.10"), "outside");
  EXPECT_EQ(network_seen("8.8.8.8"), "outside");
}

TEST(SourceNetwork, EveryPublishedRangeReadsAsAwsAndItsNeighboursMayNot) {
  std::size_t checked = 0, ec2 = 0;
  for (const auto &line : test::read_lines(IDENTRAIL_AWS_RANGES_FILE)) {
    if (line.front() == '#' || (checked++ % 97) != 0) continue;  // a spread of a hundred-odd ranges
    const auto cidr = line.substr(0, line.find(' '));
    const auto address = cidr.substr(0, cidr.find('/'));
    const auto seen = network_seen(address);
    EXPECT_TRUE(seen == "aws" || seen == "aws-ec2") << line << " reads as " << seen;
    if (line.ends_with(" EC2")) {
      EXPECT_EQ(seen, "aws-ec2") << line;
      ++ec2;
    }
  }
  EXPECT_GT(checked, 10000u) << "the compiled-in file looks truncated";
  EXPECT_GT(ec2, 10u);
}

TEST(SourceNetwork, StolenInstanceCredentialsAreCaughtOnTheirFirstCallFromOutside) {
  // The session's very first call is the thief's: no learned address, no learning period.
  const std::string session =
      R"("userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0a1b2c3d4e5f67890","arn":"arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/webapp-ec2-role"},"ec2RoleDelivery":"2.0","attributes":{"creationDate":"2026-03-01T10:00:00Z","mfaAuthenticated":"false"}}})";
  auto as_instance = [&](std::string r, const std::string &ip) {
    const auto from = r.find(R"("userIdentity":)");
    const auto to = r.find(R"(,"eventTime")");
    r.replace(from, to - from, session);
    r.replace(r.find("198.51.100.7"), 12, ip);
    return r;
  };
  const auto thief = as_instance(test::record("t1", "2026-03-01T10:00:04Z", "GetCallerIdentity"), "185.220.101.45");
  const auto own = as_instance(test::record("o1", "2026-03-01T10:00:01Z", "ListBuckets"), "54.210.33.17");
  const auto inside = as_instance(test::record("v1", "2026-03-01T10:00:09Z", "GetObject"), "10.0.12.7");
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(own + "\n" + inside + "\n", "instance"));
  for (const auto &d : e.detections()) EXPECT_NE(d.rule_id, "IDT-IA-005") << d.summary;
  ASSERT_TRUE(e.feed(thief + "\n", "thief"));
  std::size_t found = 0;
  for (const auto &d : e.detections())
    if (d.rule_id == "IDT-IA-005") {
      ++found;
      EXPECT_EQ(e.symbols().str(d.source), "185.220.101.45");
      EXPECT_EQ(d.event_ids, std::vector<std::string>{"t1"});
    }
  EXPECT_EQ(found, 1u) << "announced on the feed that delivered the first call from outside";
}
