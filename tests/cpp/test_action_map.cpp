#include <gtest/gtest.h>

#include "support.hpp"

using namespace identrail;

TEST(ActionMap, KnownQuirks) {
  struct row {
    const char *source, *name, *action;
  };
  for (const auto &[source, name, action] : std::initializer_list<row>{
           {"monitoring.amazonaws.com", "GetMetricData", "cloudwatch:GetMetricData"},
           {"ses.amazonaws.com", "GetSendQuota", "ses:GetSendQuota"},
           {"sesv2.amazonaws.com", "GetAccount", "ses:GetAccount"},
           {"lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions"},
           {"lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "lambda:UpdateFunctionConfiguration"},
           {"cloudfront.amazonaws.com", "GetDistribution2020_05_31", "cloudfront:GetDistribution"},
           {"s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets"},
           {"s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket"},
           {"secretsmanager.amazonaws.com", "ListSecrets", "secretsmanager:ListSecrets"},
       }) {
    const auto mapped = map_action(source, name);
    EXPECT_EQ(mapped.action, action) << source << " " << name;
    EXPECT_NE(mapped.origin, action_origin::fallback) << source << " " << name;
  }
}

TEST(ActionMap, UnknownServiceFallsBackAndIsMarked) {
  const auto mapped = map_action("brand-new-service.amazonaws.com", "DoThing");
  EXPECT_EQ(mapped.action, "brand-new-service:DoThing");
  EXPECT_EQ(mapped.origin, action_origin::fallback);
  EXPECT_EQ(map_action("", "DoThing").action, "unknown:DoThing");
  EXPECT_EQ(map_action("iam.amazonaws.com", "ListUsers").origin, action_origin::by_name);
  // Only Lambda and CloudFront carry API dates; other names keep their digits.
  EXPECT_EQ(map_action("ec2.amazonaws.com", "Describe20150331").action, "ec2:Describe20150331");
}

TEST(ActionMap, NormalizedEventsCarryTheMappedAction) {
  auto e = test::feed_one(test::record("a1", "2026-03-01T10:00:00Z", "ListIdentities"));
  ASSERT_EQ(e.events().size(), 1u);
  EXPECT_EQ(e.symbols().str(e.events()[0].action), "ses:ListIdentities");
}
