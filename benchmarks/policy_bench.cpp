// Evaluator decisions per second against a 20-statement identity policy with
// conditions, on a mix of requests that allow, deny and fall through.
//   policy_bench [google benchmark flags]
#include <benchmark/benchmark.h>

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

}  // namespace

BENCHMARK(BM_evaluate)->MinTime(2.0);
BENCHMARK_MAIN();
