// Rules judged in context (rules/context.yaml): a stolen key that reads a few
// dozen objects right after probing from a new network is a detection tied to
// the ones before it; the same reads from the key's own network are not; and
// the answer is the same in any delivery order and across a checkpoint.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support.hpp"

using namespace identrail;

namespace {

constexpr const char *kOffice = "198.51.100.7";
constexpr const char *kThief = "45.137.21.9";

std::string call(const std::string &id, const std::string &time, const std::string &source, const std::string &name,
                 const std::string &ip, const std::string &params = "null") {
  auto r = test::record(id, time, name);
  const auto params_at = r.find("\"requestParameters\":null");
  r.replace(params_at + 20, 4, params);
  const auto at = r.find("ses.amazonaws.com");
  r.replace(at, std::string("ses.amazonaws.com").size(), source);
  const auto ip_at = r.find("198.51.100.7");
  r.replace(ip_at, std::string("198.51.100.7").size(), ip);
  return r;
}

std::string clock(int minutes, int seconds = 0) {
  char text[32];
  std::snprintf(text, sizeof text, "2026-03-01T%02d:%02d:%02dZ", 9 + minutes / 60, minutes % 60, seconds);
  return text;
}

// An admin's key at work from the office all morning, then, from a network it
// never used, SES and Secrets Manager probed and 36 objects read in two minutes.
std::vector<std::string> stolen_key(const char *reader_ip) {
  std::vector<std::string> out;
  for (int m = 0; m < 180; m += 20) out.push_back(call("w" + std::to_string(m), clock(m), "iam.amazonaws.com", "ListUsers", kOffice));
  for (int i = 0; i < 3; ++i)
    out.push_back(call("o" + std::to_string(i), clock(30 + i * 40), "s3.amazonaws.com", "GetObject", kOffice,
                       R"({"bucketName":"finance-reports","key":"q)" + std::to_string(i) + R"(.xlsx"})"));
  const char *probes[] = {"GetSendQuota", "ListIdentities", "GetAccountSendingEnabled"};
  for (int i = 0; i < 3; ++i) out.push_back(call("p" + std::to_string(i), clock(200, i * 5), "ses.amazonaws.com", probes[i], kThief));
  out.push_back(call("p3", clock(200, 20), "secretsmanager.amazonaws.com", "ListSecrets", kThief));
  for (int i = 0; i < 36; ++i)
    out.push_back(call("x" + std::to_string(i), clock(202 + i / 20, (i * 3) % 60), "s3.amazonaws.com", "GetObject", reader_ip,
                       R"({"bucketName":"finance-reports","key":"board/)" + std::to_string(i) + R"(.pdf"})"));
  return out;
}

engine run(const std::vector<std::string> &records) {
  auto e = test::make_engine();
  std::string input;
  for (const auto &r : records) input += r + "\n";
  EXPECT_TRUE(e.feed(input, "stolen-key"));
  EXPECT_EQ(e.stats().rejected, 0u);
  e.finish();
  return e;
}

std::vector<const detection *> of_rule(const engine &e, const std::string &rule) {
  std::vector<const detection *> out;
  for (const auto &d : e.detections())
    if (d.rule_id == rule) out.push_back(&d);
  return out;
}

}  // namespace

TEST(Context, StolenKeyReadingRightAfterProbingFromANewNetworkIsOneDetectionTiedToTheProbe) {
  const auto e = run(stolen_key(kThief));
  EXPECT_TRUE(of_rule(e, "IDT-EXF-005").empty()) << "36 reads are below the context-free threshold";
  const auto reads = of_rule(e, "IDT-CTX-001");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0]->count, 36u);
  EXPECT_EQ(e.symbols().str(reads[0]->source), kThief);
  ASSERT_FALSE(reads[0]->follows.empty());
  // Each id it follows is a live detection of this identity, from the thief's network, before the reads.
  for (const auto &id : reads[0]->follows) {
    const auto it = std::find_if(e.detections().begin(), e.detections().end(), [&](const detection &d) { return d.id == id; });
    ASSERT_NE(it, e.detections().end()) << id;
    EXPECT_EQ(it->identity, reads[0]->identity);
    EXPECT_EQ(e.symbols().str(it->source), kThief);
    EXPECT_LE(it->first_seen, reads[0]->first_seen);
  }
}

TEST(Context, TheSameReadsFromTheKeysOwnNetworkAreNotADetection) {
  // The thief still probes from the new network; the reads come from the office.
  const auto e = run(stolen_key(kOffice));
  EXPECT_FALSE(of_rule(e, "IDT-IA-002").empty());
  EXPECT_TRUE(of_rule(e, "IDT-CTX-001").empty());
}

TEST(Context, AnyDeliveryOrderAndACheckpointGiveTheSameAnswer) {
  const auto records = stolen_key(kThief);
  const auto reference = run(records);
  auto answer = [](const engine &e) {
    std::vector<std::tuple<std::string, std::string, std::uint64_t, std::vector<std::string>>> out;
    for (const auto &d : e.detections()) out.emplace_back(d.id, d.rule_id, d.count, d.follows);
    std::sort(out.begin(), out.end());
    return out;
  };
  std::mt19937 shuffle(11);
  for (int round = 0; round < 5; ++round) {
    auto order = records;
    // Delivery order within the default lateness: the morning stays ordered, the last fifteen minutes are shuffled.
    std::shuffle(order.begin() + 12, order.end(), shuffle);
    EXPECT_EQ(answer(run(order)), answer(reference)) << "round " << round;
  }
  // The reads arrive before the probe and the new-address call that make the context.
  auto reads_first = records;
  std::stable_partition(reads_first.begin() + 12, reads_first.end(), [](const std::string &r) { return r.find("\"x") != std::string::npos; });
  EXPECT_EQ(answer(run(reads_first)), answer(reference));

  auto first = test::make_engine();
  std::string head, tail;
  for (std::size_t i = 0; i < records.size(); ++i) (i < 20 ? head : tail) += records[i] + "\n";
  ASSERT_TRUE(first.feed(head, "part 1"));
  const auto saved = first.checkpoint();
  ASSERT_TRUE(saved);
  auto second = engine::restore(*saved);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE(second->feed(tail, "part 2"));
  second->finish();
  EXPECT_EQ(answer(*second), answer(reference));
}

namespace {

// A user's key brute-forcing its permissions (denied by fifteen services from a dozen addresses),
// then assuming an admin role; the admin session reads a dozen objects from yet another network.
std::vector<std::string> brute_force_then_admin() {
  std::vector<std::string> out;
  const char *services[] = {"iam", "ec2", "s3", "kms", "lambda", "rds", "dynamodb", "sns", "sqs", "secretsmanager",
                            "ssm", "cloudtrail", "glue", "ecr", "eks"};
  for (int i = 0; i < 120; ++i) {
    auto r = call("bf" + std::to_string(i), clock(60 + i / 20, (i * 7) % 60), std::string(services[i % 15]) + ".amazonaws.com",
                  "ListThings", "203.0.113." + std::to_string(10 + i % 12));
    r.insert(r.size() - 1, R"(,"errorCode":"AccessDenied","errorMessage":"not authorized")");
    out.push_back(r);
  }
  auto assume = call("ar1", clock(68), "sts.amazonaws.com", "AssumeRole", "203.0.113.10",
                     R"({"roleArn":"arn:aws:iam::111122223333:role/admin","roleSessionName":"pwn"})");
  assume.insert(assume.size() - 1,
                R"(,"responseElements":{"assumedRoleUser":{"arn":"arn:aws:sts::111122223333:assumed-role/admin/pwn","assumedRoleId":"AROAADMIN:pwn"},"credentials":{"accessKeyId":"ASIAADMINPWN"}})");
  assume.replace(assume.find(R"("responseElements":null,)"), 24, "");
  out.push_back(assume);
  const std::string session =
      R"("userIdentity":{"type":"AssumedRole","principalId":"AROAADMIN:pwn","arn":"arn:aws:sts::111122223333:assumed-role/admin/pwn","accountId":"111122223333","accessKeyId":"ASIAADMINPWN","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/admin"}}})";
  for (int i = 0; i < 12; ++i) {
    auto r = call("ad" + std::to_string(i), clock(70, i * 4), "s3.amazonaws.com", "GetObject", "198.18.7.7",
                  R"({"bucketName":"finance-reports","key":"payroll/)" + std::to_string(i) + R"(.csv"})");
    const auto from = r.find(R"("userIdentity":)");
    r.replace(from, r.find(R"(,"eventTime")") - from, session);
    out.push_back(r);
  }
  return out;
}

const char *kAdminSession = "arn:aws:sts::111122223333:assumed-role/admin/pwn";

}  // namespace

TEST(Context, ABruteForceRanksHighAndPassesItsSuspicionToTheSessionItOpened) {
  for (const bool session_first : {false, true}) {
    auto records = brute_force_then_admin();
    // Delivered with the session's reads first: the suspicion arrives after them, within the lateness.
    if (session_first) std::rotate(records.begin(), records.end() - 12, records.end());
    const auto e = run(records);
    const auto brute = of_rule(e, "IDT-DISC-008");
    ASSERT_EQ(brute.size(), 1u) << session_first;
    EXPECT_EQ(brute[0]->level, severity::high);
    const auto *user = e.assessment_of("arn:aws:iam::111122223333:user/ops-admin");
    ASSERT_NE(user, nullptr);
    EXPECT_EQ(user->status, compromise_status::potentially_compromised);
    const auto *admin = e.assessment_of(kAdminSession);
    ASSERT_NE(admin, nullptr);
    EXPECT_EQ(admin->status, compromise_status::potentially_compromised) << session_first;
    EXPECT_GE(admin->risk, risk_level::high);
    const auto reads = of_rule(e, "IDT-CTX-001");
    ASSERT_EQ(reads.size(), 1u) << session_first;
    EXPECT_EQ(e.symbols().str(reads[0]->identity), kAdminSession);
    EXPECT_EQ(reads[0]->count, 12u);
    EXPECT_NE(std::find(reads[0]->follows.begin(), reads[0]->follows.end(), brute[0]->id), reads[0]->follows.end());
  }
}
