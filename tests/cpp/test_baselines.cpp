// The volume kind: a window's count against the identity's own typical
// volume, or its peers' while it has too little history; learned in event
// time, the same in any delivery order and across a checkpoint, and not
// taught an attack by a slow ramp-up (docs/rules.md, "Baselines").
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "support.hpp"

using namespace identrail;

namespace {

const char *kRule = R"(
- id: VOL-1
  name: reads far above the identity's own volume
  severity: medium
  kind: volume
  match: {action: s3:GetObject}
  window: 10m
  floor: 20
  factor: 10
  min_history: 8
  peers: PEERS
  summary: "{why}"
)";

rule_set volume_rule(const std::string &peers = "role") {
  std::string yaml = kRule;
  yaml.replace(yaml.find("PEERS"), 5, peers);
  return rule_set::from_yaml(yaml, "volume.yaml").value();
}

// A GetObject by a user (`who` names it) or by a session of role `role`.
std::string read(const std::string &who, std::int64_t unix_seconds, int n, const std::string &role = "") {
  const std::string identity =
      role.empty() ? R"({"type":"IAMUser","principalId":"AIDA)" + who + R"(","arn":"arn:aws:iam::111122223333:user/)" + who +
                         R"(","accountId":"111122223333","accessKeyId":"AKIA)" + who + R"(","userName":")" + who + R"("})"
                   : R"({"type":"AssumedRole","principalId":"AROA:)" + who + R"(","arn":"arn:aws:sts::111122223333:assumed-role/)" +
                         role + "/" + who + R"(","accountId":"111122223333","accessKeyId":"ASIA)" + who +
                         R"(","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/)" + role +
                         R"("}}})";
  return R"({"eventVersion":"1.09","userIdentity":)" + identity + R"(,"eventTime":")" +
         format_rfc3339(from_unix_nanos(unix_seconds * 1'000'000'000)) +
         R"(","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","requestParameters":{"bucketName":"reports","key":"k)" +
         std::to_string(n) + R"("},"eventID":")" + who + "-" + std::to_string(n) +
         R"(","readOnly":true,"eventType":"AwsApiCall","eventCategory":"Data","recipientAccountId":"111122223333"})";
}

constexpr std::int64_t kDay = 1772323200;  // 2026-03-01T00:00:00Z

// `per_window` reads in each of `windows` busy windows an hour apart, from `from`.
void history(std::vector<std::string> &out, const std::string &who, std::int64_t from, int windows, int per_window,
             const std::string &role = "") {
  static int serial = 0;
  for (int w = 0; w < windows; ++w)
    for (int i = 0; i < per_window; ++i) out.push_back(read(who, from + w * 3600 + i * 5, serial++, role));
}

void burst(std::vector<std::string> &out, const std::string &who, std::int64_t at, int n, const std::string &role = "") {
  static int serial = 1'000'000;
  for (int i = 0; i < n; ++i) out.push_back(read(who, at + i * 3, serial++, role));
}

engine run(const std::vector<std::string> &records, const rule_set &rules) {
  engine_options options;
  options.rules = rules;
  auto e = test::make_engine(options);
  std::string input;
  for (const auto &r : records) input += r + "\n";
  EXPECT_TRUE(e.feed(input, "reads"));
  EXPECT_EQ(e.stats().rejected, 0u) << (e.errors().empty() ? "" : e.errors().front().reason);
  e.finish();
  return e;
}

std::vector<std::pair<std::string, std::uint64_t>> answer(const engine &e) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto &d : e.detections()) out.emplace_back(std::string(e.symbols().str(d.identity)), d.count);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Baselines, TheSameCountIsUnusualForOneIdentityAndRoutineForAnother) {
  std::vector<std::string> in;
  history(in, "quiet", kDay, 8, 1);
  history(in, "busy", kDay, 8, 30);
  burst(in, "quiet", kDay + 12 * 3600, 40);
  burst(in, "busy", kDay + 12 * 3600, 40);
  const auto e = run(in, volume_rule("none"));
  ASSERT_EQ(answer(e), (decltype(answer(e)){{"arn:aws:iam::111122223333:user/quiet", 40}}));
  EXPECT_NE(e.detections()[0].summary.find("40 in 10 min; its typical is 1.0 per busy 10 min"), std::string::npos)
      << e.detections()[0].summary;
}

TEST(Baselines, ANewSessionIsJudgedByItsRolesSessionsUntilItHasHistory) {
  std::vector<std::string> in;
  for (int s = 0; s < 3; ++s) history(in, "worker-" + std::to_string(s), kDay, 8, 2, "etl");
  burst(in, "stolen", kDay + 12 * 3600, 30, "etl");
  const auto with_peers = run(in, volume_rule("role"));
  ASSERT_EQ(answer(with_peers).size(), 1u);
  EXPECT_NE(with_peers.detections()[0].summary.find("its peers' typical is 2.0"), std::string::npos)
      << with_peers.detections()[0].summary;
  // Alone, a session with no history needs floor x factor.
  const auto alone = run(in, volume_rule("none"));
  EXPECT_TRUE(answer(alone).empty());
}

TEST(Baselines, ASlowRampUpCannotTeachTheBaselineAnAttack) {
  std::vector<std::string> in;
  history(in, "ramp", kDay, 8, 2);  // day one: two reads per busy window
  // Day two: each busy window a little more than the last, up to 39 (each below ten times its typical).
  static int serial = 2'000'000;
  for (int w = 0; w < 20; ++w)
    for (int i = 0; i < 2 + w * 2 && i < 39; ++i) in.push_back(read("ramp", kDay + 86400 + w * 1200 + i * 5, serial++));
  burst(in, "ramp", kDay + 86400 + 22 * 1200, 45);
  const auto e = run(in, volume_rule("none"));
  // The typical may at most double in a day: about 4, so 45 reads still fire.
  bool burst_fired = false;
  for (const auto &d : e.detections()) burst_fired |= d.count == 45;
  EXPECT_TRUE(burst_fired) << "the ramp taught the baseline the burst";
}

TEST(Baselines, AnyDeliveryOrderAndACheckpointGiveTheSameAnswer) {
  std::vector<std::string> in;
  for (int s = 0; s < 3; ++s) history(in, "worker-" + std::to_string(s), kDay, 9, 2, "etl");
  history(in, "quiet", kDay, 9, 1);
  burst(in, "quiet", kDay + 12 * 3600, 40);
  burst(in, "stolen", kDay + 12 * 3600 + 60, 30, "etl");
  const auto rules = volume_rule("role");
  std::vector<std::string> ordered = in;
  std::sort(ordered.begin(), ordered.end(), [](const std::string &a, const std::string &b) {
    return a.substr(a.find("eventTime")) < b.substr(b.find("eventTime"));
  });
  const auto reference = answer(run(ordered, rules));
  ASSERT_EQ(reference.size(), 2u);
  std::mt19937 rng(5);
  for (int round = 0; round < 4; ++round) {
    // Each record delivered up to 14 minutes after its event time: within the 15-minute lateness.
    std::vector<std::pair<std::int64_t, std::string>> delivered;
    std::uniform_int_distribution<std::int64_t> delay(0, 14 * 60);
    for (const auto &r : ordered) {
      const auto at = r.find("\"eventTime\":\"") + 13;
      const auto t = parse_rfc3339(r.substr(at, 20)).value();
      delivered.emplace_back(to_unix_nanos(t) / 1'000'000'000 + delay(rng), r);
    }
    std::stable_sort(delivered.begin(), delivered.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> shuffled;
    for (auto &[when, r] : delivered) shuffled.push_back(std::move(r));
    EXPECT_EQ(answer(run(shuffled, rules)), reference) << "round " << round;
  }
  engine_options options;
  options.rules = rules;
  auto first = test::make_engine(options);
  std::string head, tail;
  for (std::size_t i = 0; i < ordered.size(); ++i) (i < ordered.size() / 2 ? head : tail) += ordered[i] + "\n";
  ASSERT_TRUE(first.feed(head, "first half"));
  auto second = engine::restore(first.checkpoint().value(), options);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE(second->feed(tail, "second half"));
  second->finish();
  EXPECT_EQ(answer(*second), reference);
}

TEST(Baselines, RarityNamesTheFirstPeersToActWhateverTheDeliveryOrder) {
  const auto rules = rule_set::from_yaml(R"(
- id: RARE-1
  name: an action few of its peers take
  severity: medium
  kind: rare
  match: {action: s3:GetObject}
  field: requestParameters.bucketName
  learning: 1d
  rare_below: 2
)", "rare.yaml").value();
  // Day one teaches the group (IAM users of one path) its buckets; on day two three users read a new one.
  std::vector<std::string> in;
  in.push_back(read("alice", kDay, 1));
  for (const char *who : {"carol", "bob", "dave"}) {
    auto r = read(who, kDay + 86400 + (who[0] - 'a') * 60, 100 + who[0]);
    r.replace(r.find(R"("bucketName":"reports")"), 22, R"("bucketName":"payroll")");
    in.push_back(r);
  }
  auto first_two = [&](const std::vector<std::string> &order) {
    std::set<std::string> who;
    const auto e = run(order, rules);
    for (const auto &d : e.detections()) who.insert(std::string(e.symbols().str(d.identity)));
    return who;
  };
  const std::set<std::string> want{"arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:user/carol"};
  auto order = in;
  std::sort(order.begin() + 1, order.end());
  do {
    EXPECT_EQ(first_two(order), want);
  } while (std::next_permutation(order.begin() + 1, order.end()));
}

TEST(Baselines, AnIamUsersPeersAreItsGroupOnceAddUserToGroupIsSeen) {
  // Everyone is an IAM user under "/": one heavy reader, two light ones that an admin puts in "etl".
  auto membership = [](const std::string &user, std::int64_t at) {
    auto r = read("admin", at, 900000 + static_cast<int>(user.size()) + static_cast<int>(at % 1000));
    r.replace(r.find("s3.amazonaws.com"), 16, "iam.amazonaws.com");
    r.replace(r.find("GetObject"), 9, "AddUserToGroup");
    r.replace(r.find(R"({"bucketName":"reports","key":)"), 30, R"({"groupName":"etl","userName":")" + user + R"(","key":)");
    return r;
  };
  std::vector<std::string> in;
  for (const char *who : {"light-1", "light-2", "newcomer"}) in.push_back(membership(who, kDay - 3600));
  history(in, "heavy", kDay, 8, 60);
  history(in, "light-1", kDay, 8, 2);
  history(in, "light-2", kDay, 8, 2);
  burst(in, "newcomer", kDay + 12 * 3600, 30);
  const auto rules = volume_rule("role");
  const auto grouped = run(in, rules);
  ASSERT_EQ(answer(grouped).size(), 1u) << "judged by its group's light readers";
  EXPECT_NE(grouped.detections()[0].summary.find("its peers' typical is 2.0"), std::string::npos)
      << grouped.detections()[0].summary;
  // Without the membership events, its peers are every user of its path, the heavy one included.
  const auto by_path = run(std::vector<std::string>(in.begin() + 3, in.end()), rules);
  EXPECT_TRUE(answer(by_path).empty());
}
