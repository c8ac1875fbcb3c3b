// Identity resolution: sessions followed back to the principal behind them.
#include <gtest/gtest.h>

#include "support.hpp"

using namespace identrail;

namespace {

std::string session_identity(const std::string &role, const std::string &session, const std::string &key) {
  return R"({"type":"AssumedRole","principalId":"AROAEXAMPLE:)" + session + R"(","arn":"arn:aws:sts::111122223333:assumed-role/)" +
         role + "/" + session + R"(","accountId":"111122223333","accessKeyId":")" + key +
         R"(","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/)" + role + R"("}}})";
}

std::string assume(const std::string &id, int minute, const std::string &identity, const std::string &role,
                   const std::string &session, const std::string &new_key) {
  return R"({"eventTime":"2026-03-01T10:)" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) +
         R"(:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventID":")" + id +
         R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userIdentity":)" + identity +
         R"(,"requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/)" + role + R"(","roleSessionName":")" + session +
         R"("},"responseElements":{"credentials":{"accessKeyId":")" + new_key +
         R"("},"assumedRoleUser":{"arn":"arn:aws:sts::111122223333:assumed-role/)" + role + "/" + session + R"("}}})";
}

std::string call_as(const std::string &id, int minute, const std::string &identity) {
  return R"({"eventTime":"2026-03-01T10:)" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) +
         R"(:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":")" + id +
         R"(","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userIdentity":)" + identity + "}";
}

std::vector<std::string> names(const engine &e, const resolution &r) {
  std::vector<std::string> out;
  for (const auto s : r.chain) out.emplace_back(e.symbols().str(s));
  return out;
}

}  // namespace

TEST(IdentityResolver, ChainsOfRolesLeadBackToTheUser) {
  const std::string alice = R"({"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accessKeyId":"AKIAALICE","userName":"alice"})";
  const std::string first = session_identity("hop-a", "s1", "ASIAHOPA");
  const std::string second = session_identity("hop-b", "s2", "ASIAHOPB");
  // Delivered out of order: the second hop's use comes before the events that created it.
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(call_as("use-b", 9, second) + "\n" + assume("a1", 1, alice, "hop-a", "s1", "ASIAHOPA") + "\n" +
                         assume("a2", 5, first, "hop-b", "s2", "ASIAHOPB"),
                     "t"));
  const auto b = e.symbols().find("arn:aws:sts::111122223333:assumed-role/hop-b/s2");
  ASSERT_TRUE(b);
  const auto r = e.resolve(*b);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(e.symbols().str(r.root), "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(names(e, r), (std::vector<std::string>{"arn:aws:sts::111122223333:assumed-role/hop-b/s2",
                                                  "arn:aws:sts::111122223333:assumed-role/hop-a/s1",
                                                  "arn:aws:iam::111122223333:user/alice"}));
}

TEST(IdentityResolver, ASessionWithoutItsCreatingEventStopsAtItsRole) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed(call_as("x", 1, session_identity("orphan", "s", "ASIAORPHAN")), "t"));
  const auto r = e.resolve(*e.symbols().find("arn:aws:sts::111122223333:assumed-role/orphan/s"));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(e.symbols().str(r.root), "arn:aws:iam::111122223333:role/orphan");
}

TEST(IdentityResolver, SampleTraceSessions) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  auto root_of = [&](const std::string &arn) {
    const auto s = e.symbols().find(arn);
    EXPECT_TRUE(s) << arn;
    return s ? std::pair{std::string(e.symbols().str(e.resolve(*s).root)), e.resolve(*s).complete}
             : std::pair{std::string(), false};
  };
  // The instance-profile session resolves to its instance (created for it by EC2).
  EXPECT_EQ(root_of("arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890"),
            (std::pair{std::string("arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f67890"), true}));
  // The Lambda function's session stands for its role.
  EXPECT_EQ(root_of("arn:aws:sts::111122223333:assumed-role/report-fn-role/report-fn").first,
            "arn:aws:iam::111122223333:role/report-fn-role");
  // CI sessions resolve to the GitHub OIDC principal that assumed the role.
  for (const auto &id : e.identities()) {
    const auto arn = std::string(e.symbols().str(id.key));
    if (arn.find("assumed-role/ci-deploy-role/") == std::string::npos) continue;
    const auto r = e.resolve(id.key);
    EXPECT_TRUE(r.complete);
    EXPECT_NE(std::string(e.symbols().str(r.root)).find("repo:acme/webapp"), std::string::npos);
  }
}

TEST(IdentityResolver, TheSessionTheAttackerCreatedResolvesToTheAdmin) {
  auto e = test::make_engine();
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  bool found = false;
  for (const auto &id : e.identities()) {
    const auto arn = std::string(e.symbols().str(id.key));
    if (arn.find("assumed-role/ops-break-glass/") == std::string::npos) continue;
    found = true;
    const auto r = e.resolve(id.key);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(e.symbols().str(r.root), "arn:aws:iam::111122223333:user/ops-admin");
    EXPECT_EQ(r.chain.size(), 2u);
  }
  EXPECT_TRUE(found);
}
