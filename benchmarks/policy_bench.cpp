// Evaluator decisions per second against a 20-statement identity policy with
// conditions, on a mix of requests that allow, deny and fall through.
//   policy_bench [google benchmark flags]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "identrail/identrail.hpp"

namespace {

using namespace identrail;

policy_set twenty_statements() {
  std::string json = R"({"Version":"2012-10-17","Statement":[)";
  const char *services[] = {"s3", "ec2", "iam", "kms", "lambda", "dynamodb", "sqs", "sns", "logs", "ssm"};
  for (int i = 0; i < 20; ++i) {
    if (i) json += ",";
    const std::string service = services[i % 10];
    json += R"({"Sid":"S)" + std::to_string(i) + R"(","Effect":")" + (i % 7 == 6 ? "Deny" : "Allow") +
            R"(","Action":[")" + service + ":Get*\",\"" + service + ":List*\",\"" + service + R"(:Describe*"],)" +
            R"("Resource":["arn:aws:)" + service + R"(:*:111122223333:*"],"Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]},"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}})";
  }
  json += "]}";
  policy_set set;
  set.identity.push_back(*parse_policy(json, "bench"));
  return set;
}

void BM_evaluate(benchmark::State &state) {
  const auto set = twenty_statements();
  const std::vector<policy_request> requests = {
      {"arn:aws:iam::111122223333:user/a", "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/t",
       {{"aws:SourceIp", {"203.0.113.7"}}, {"aws:RequestedRegion", {"us-east-1"}}}},
      {"arn:aws:iam::111122223333:user/a", "ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/p",
       {{"aws:SourceIp", {"192.0.2.1"}}, {"aws:RequestedRegion", {"us-east-1"}}}},
      {"arn:aws:iam::111122223333:user/a", "ecr:GetAuthorizationToken", "*",
       {{"aws:SourceIp", {"203.0.113.7"}}, {"aws:RequestedRegion", {"eu-west-1"}}}},
      {"arn:aws:iam::111122223333:user/a", "sqs:ListQueues", "arn:aws:sqs:eu-west-1:111122223333:q",
       {{"aws:SourceIp", {"198.51.100.9"}}, {"aws:RequestedRegion", {"eu-west-1"}}}},
  };
  std::size_t i = 0, allowed = 0;
  for (auto _ : state) {
    const auto e = evaluate(set, requests[i++ % requests.size()]);
    allowed += e.result == decision::allow;
    benchmark::DoNotOptimize(allowed);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allowed_share"] = static_cast<double>(allowed) / static_cast<double>(state.iterations());
}

// One million usage records (400 actions of five services, 20,000 resources,
// half before the flag) to a least-privilege policy.
const std::vector<usage_record> &million_records() {
  static const std::vector<usage_record> records = [] {
    const auto &catalog = action_catalog::builtin();
    std::vector<const catalog_action *> actions;
    for (const char *service : {"s3:*", "ec2:Describe*", "iam:*", "dynamodb:*", "kms:*"}) {
      const auto matched = catalog.matching(service);
      actions.insert(actions.end(), matched.begin(), matched.begin() + std::min<std::size_t>(80, matched.size()));
    }
    std::vector<usage_record> out;
    out.reserve(1'000'000);
    const auto base = *parse_rfc3339("2026-03-01T00:00:00Z");
    for (std::size_t i = 0; i < 1'000'000; ++i) {
      const auto *a = actions[(i * 7919) % actions.size()];
      usage_record r;
      r.action = std::string(a->service) + ":" + std::string(a->name);
      r.resource = "arn:aws:s3:::bucket-" + std::to_string(i % 40) + "/object-" + std::to_string(i % 20'000);
      r.succeeded = 1 + i % 3;
      r.failed = i % 5 == 0;
      const auto when = base + std::chrono::seconds(static_cast<std::int64_t>(i % 86'400));
      r.first_success = r.last_success = when;
      out.push_back(std::move(r));
    }
    return out;
  }();
  return records;
}

void BM_generate_million(benchmark::State &state) {
  const auto &records = million_records();
  least_privilege_options options;
  options.flag_time = *parse_rfc3339("2026-03-01T12:00:00Z");
  std::size_t statements = 0;
  for (auto _ : state) {
    auto result = generate_least_privilege("arn:aws:iam::111122223333:role/app", records, options);
    statements = result ? result->policy.statements.size() : 0;
    benchmark::DoNotOptimize(statements);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records.size()));
  state.counters["statements"] = static_cast<double>(statements);
}

}  // namespace

BENCHMARK(BM_evaluate)->MinTime(2.0);
BENCHMARK(BM_generate_million)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_MAIN();
