// The traffic `identrail bench` and the benchmarks measure on (bench.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "identrail/pipeline/bench.hpp"

namespace identrail {
inline namespace v0 {

std::string generate_traffic(const traffic_options &options) {
  const std::size_t count = options.events;
  const std::uint64_t seed = options.seed;
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto hex_from = [](std::mt19937_64 &gen, std::size_t n) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string s(n, '0');
    for (auto &c : s) c = digits[gen() % 16];
    return s;
  };
  auto hex = [&](std::size_t n) { return hex_from(rng, n); };
  // Ids and keys belong to an identity (a session keeps its key for an hour),
  // so they repeat across that identity's events as in real logs.
  auto stable = [&](std::size_t who, std::uint64_t salt, std::size_t n) {
    std::mt19937_64 gen(who * 1000003 + salt);
    return hex_from(gen, n);
  };
  struct call {
    const char *source, *name, *params;
    bool read_only;
  };
  static const call calls[] = {
      {"s3.amazonaws.com", "GetObject", R"({"bucketName":"acme-data-lake","key":"raw/2026/03/01/part-00017-5f1c.parquet","Host":"acme-data-lake.s3.us-east-1.amazonaws.com"})", true},
      {"s3.amazonaws.com", "PutObject", R"({"bucketName":"acme-deploy-artifacts","key":"webapp/build-8812.zip","Host":"acme-deploy-artifacts.s3.us-east-1.amazonaws.com","x-amz-server-side-encryption":"aws:kms"})", false},
      {"ec2.amazonaws.com", "DescribeInstances", R"({"instancesSet":{},"filterSet":{"items":[{"name":"tag:team","valueSet":{"items":[{"value":"payments"}]}}]}})", true},
      {"sts.amazonaws.com", "AssumeRole", R"({"roleArn":"arn:aws:iam::111122223333:role/deploy","roleSessionName":"ci-run-4471","durationSeconds":3600})", false},
      {"kms.amazonaws.com", "Decrypt", R"({"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"aws:lambda:FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:report-fn"}})", true},
      {"lambda.amazonaws.com", "ListFunctions20150331", R"({"functionVersion":"ALL","maxItems":50})", true},
      {"monitoring.amazonaws.com", "PutMetricData", R"({"namespace":"Webapp","metricData":[{"metricName":"Latency","unit":"Milliseconds"}]})", false},
      {"dynamodb.amazonaws.com", "DescribeTable", R"({"tableName":"orders-prod"})", true},
      {"logs.amazonaws.com", "CreateLogStream", R"({"logGroupName":"/aws/lambda/report-fn","logStreamName":"2026/03/01/[$LATEST]4e5f"})", false},
      {"secretsmanager.amazonaws.com", "GetSecretValue", R"({"secretId":"prod/webapp/api-token"})", true},
      {"iam.amazonaws.com", "ListRoles", R"({"maxItems":100})", true},
      {"ssm.amazonaws.com", "GetParameter", R"({"name":"/webapp/prod/feature-flags","withDecryption":true})", true},
  };
  static const char *regions[] = {"us-east-1", "us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"};
  static const char *agents[] = {
      "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard",
      "aws-sdk-java/2.25.16 Linux/5.10.209 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
      "Boto3/1.34.49 md/Botocore#1.34.49 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.49",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"};
  const std::size_t kIdentities = std::max<std::size_t>(1, options.identities);

  std::vector<double> weights(kIdentities);
  for (std::size_t k = 0; k < kIdentities; ++k) weights[k] = 1.0 / std::pow(static_cast<double>(k + 1), 1.1);
  std::discrete_distribution<std::size_t> zipf(weights.begin(), weights.end());

  std::string out;
  out.reserve(count * 1500);
  for (std::size_t i = 0; i < count; ++i) {
    const auto &c = calls[pick(std::size(calls))];
    // CloudTrail volume is skewed: a few service roles make most calls (Zipf, s = 1.1).
    const std::size_t who = zipf(rng);
    const bool session = who % 10 < 6;
    const std::string name = (session ? "role-" : "user-") + std::to_string(who);
    // One day in time order, however many events.
    const int second = static_cast<int>(i * 86400 / std::max<std::size_t>(count, 1));
    char time[32];
    std::snprintf(time, sizeof time, "2026-03-01T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60);
    std::string identity;
    if (session) {
      identity = R"({"type":"AssumedRole","principalId":"AROA)" + stable(who, 1, 16) + ":" + name + R"(-session","arn":"arn:aws:sts::111122223333:assumed-role/)" + name +
                 "/" + name + R"(-session","accountId":"111122223333","accessKeyId":"ASIA)" + stable(who, 2 + second / 3600, 16) +
                 R"(","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA)" + stable(who, 1, 16) +
                 R"(","arn":"arn:aws:iam::111122223333:role/)" + name + R"(","accountId":"111122223333","userName":")" + name +
                 R"("},"webIdFederationData":{},"attributes":{"creationDate":"2026-03-01T00:00:00Z","mfaAuthenticated":"false"}}})";
    } else {
      identity = R"({"type":"IAMUser","principalId":"AIDA)" + stable(who, 1, 16) + R"(","arn":"arn:aws:iam::111122223333:user/)" + name +
                 R"(","accountId":"111122223333","accessKeyId":"AKIA)" + stable(who, 99, 16) + R"(","userName":")" + name + R"("})";
    }
    const bool failed = pick(50) == 0;
    std::string rec = R"({"eventVersion":"1.09","userIdentity":)" + identity + R"(,"eventTime":")" + time +
                      R"(","eventSource":")" + c.source + R"(","eventName":")" + c.name + R"(","awsRegion":")" +
                      regions[pick(std::size(regions))] + R"(","sourceIPAddress":"203.0.)" + std::to_string(who % 250) +
                      "." + std::to_string(who / 250 + 1) + R"(","userAgent":")" + agents[who % std::size(agents)] + "\"";
    if (failed) rec += R"(,"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation")";
    rec += R"(,"requestParameters":)" + std::string(c.params) +
           R"(,"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":")" +
           hex(56) + R"("},"requestID":")" + hex(8) + "-" +
           hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12) + R"(","eventID":")" + hex(8) + "-" + hex(4) + "-" + hex(4) +
           "-" + hex(4) + "-" + hex(12) + R"(","readOnly":)" + (c.read_only ? "true" : "false");
    if (std::string_view(c.source) == "s3.amazonaws.com")
      rec += R"(,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::acme-data-lake/raw/2026/03/01/part-00017-5f1c.parquet"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::acme-data-lake"}])";
    rec += R"(,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":")" +
           std::string(c.source).replace(std::string(c.source).find(".amazonaws"), 0, ".us-east-1") + R"("}})";
    out.append(rec).push_back('\n');
  }
  return out;
}

}  // namespace v0
}  // namespace identrail
