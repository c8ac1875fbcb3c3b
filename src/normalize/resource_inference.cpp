#include "resource_inference.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

struct resource_pattern {
  std::string_view service;     // event source without ".amazonaws.com"
  request_key key;
  std::string_view template_;  // {p} partition, {r} region, {a} account, {v} value; an ARN value is kept
  std::string_view name_part;  // when set, only events whose name contains it
};

// Paths inside IAM names (user/division/name) are not in the parameters: the
// inferred ARN is the path-less form, which is what most accounts use.
constexpr resource_pattern resource_patterns[] = {
    {"s3", request_key::bucket_name, "arn:{p}:s3:::{v}", {}},
    {"secretsmanager", request_key::secret_id, "arn:{p}:secretsmanager:{r}:{a}:secret:{v}", {}},
    {"ssm", request_key::name, "arn:{p}:ssm:{r}:{a}:parameter/{v}", "Parameter"},
    {"cloudtrail", request_key::name, "arn:{p}:cloudtrail:{r}:{a}:trail/{v}", {}},
    {"cloudtrail", request_key::trail_name, "arn:{p}:cloudtrail:{r}:{a}:trail/{v}", {}},
    {"sts", request_key::role_arn, "{v}", {}},
    {"iam", request_key::user_name, "arn:{p}:iam::{a}:user/{v}", {}},
    {"iam", request_key::role_name, "arn:{p}:iam::{a}:role/{v}", {}},
    {"iam", request_key::group_name, "arn:{p}:iam::{a}:group/{v}", {}},
    {"iam", request_key::policy_arn, "{v}", {}},
    {"lambda", request_key::function_name, "arn:{p}:lambda:{r}:{a}:function:{v}", {}},
    {"dynamodb", request_key::table_name, "arn:{p}:dynamodb:{r}:{a}:table/{v}", {}},
    {"kms", request_key::key_id, "arn:{p}:kms:{r}:{a}:key/{v}", {}},
    {"ec2", request_key::instance_id, "arn:{p}:ec2:{r}:{a}:instance/{v}", {}},
    {"logs", request_key::log_group_name, "arn:{p}:logs:{r}:{a}:log-group:{v}", {}},
    {"sns", request_key::topic_arn, "{v}", {}},
    {"ecr", request_key::repository_name, "arn:{p}:ecr:{r}:{a}:repository/{v}", {}},
};

void expand_arn_template(std::string_view pattern, const call_context &call, std::string_view value,
                                std::string &out) {
  out.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      switch (pattern[i + 1]) {
        case 'r': out.append(call.region); break;
        case 'p': out.append(call.partition.empty() ? std::string_view("aws") : call.partition); break;
        case 'a': out.append(call.account); break;
        default: out.append(value); break;
      }
      i += 2;
    } else {
      out.push_back(pattern[i]);
    }
  }
}

}  // namespace

void infer_resources(const call_context &call, const request_values &request, text_list &out) {
  if (!request.any) return;
  std::string_view service = call.event_source;
  if (const auto dot = service.find('.'); dot != std::string_view::npos) service = service.substr(0, dot);
  for (const auto &pattern : resource_patterns) {
    if (pattern.service != service) continue;
    std::string_view value = request.get(pattern.key);
    if (value.empty()) continue;
    if (!pattern.name_part.empty() && call.event_name.find(pattern.name_part) == std::string_view::npos) continue;
    if (value.starts_with("arn:")) {
      out.next().assign(value);
      continue;
    }
    // A template that needs the account or region cannot be filled without them.
    if ((call.account.empty() && pattern.template_.find("{a}") != std::string_view::npos) ||
        (call.region.empty() && pattern.template_.find("{r}") != std::string_view::npos))
      continue;
    if (pattern.key == request_key::name && value.starts_with('/')) value.remove_prefix(1);  // SSM "/prod/x"
    const bool kms_alias = pattern.key == request_key::key_id && value.starts_with("alias/");
    expand_arn_template(kms_alias ? "arn:{p}:kms:{r}:{a}:{v}" : pattern.template_, call, value, out.next());
    if (pattern.key == request_key::bucket_name && !request.get(request_key::object_key).empty()) {
      const std::size_t bucket = out.size() - 1;
      auto &object = out.next();  // may move the list's strings: the bucket is found again by index
      object.assign(out[bucket]).append("/").append(request.get(request_key::object_key));
    }
  }
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
