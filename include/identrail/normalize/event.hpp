// The normalized event: one compact record per CloudTrail event, whatever the
// delivery format. Repeated strings are symbols into the owning engine's
// symbol_table; unique ones (event id, error message, raw JSON) are owned.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"

namespace identrail {
inline namespace v0 {

// userIdentity.type. Values are stable: they cross the C ABI.
enum class identity_type : std::uint8_t {
  unknown = 0,
  root = 1,
  iam_user = 2,
  assumed_role = 3,
  role = 4,
  federated_user = 5,
  saml_user = 6,
  web_identity_user = 7,
  aws_service = 8,
  aws_account = 9,
  identity_center_user = 10,
  directory = 11,
};

enum class event_category : std::uint8_t { unknown = 0, management = 1, data = 2, insight = 3, network_activity = 4 };

// How the IAM action was derived: from an explicit quirk entry, from the event
// name under a known service prefix, or by the generic fallback (unknown service).
enum class action_origin : std::uint8_t { table = 0, by_name = 1, fallback = 2 };

enum class tristate : std::uint8_t { unknown = 0, no = 1, yes = 2 };

struct source_address {
  enum class kind : std::uint8_t { none = 0, ipv4 = 1, ipv6 = 2, name = 3 };
  kind type = kind::none;
  std::array<std::uint8_t, 16> bytes{};  // network order; ipv4 uses the first 4
  symbol text;                           // as logged: "203.0.113.7" or "ec2.amazonaws.com"
  [[nodiscard]] bool is_ip() const noexcept { return type == kind::ipv4 || type == kind::ipv6; }
};

struct actor {
  identity_type type = identity_type::unknown;
  symbol type_name;  // as logged, kept for types this version does not know
  symbol arn;
  symbol principal_id;
  symbol account_id;
  symbol access_key_id;
  symbol user_name;
  symbol issuer_arn;   // sessionContext.sessionIssuer.arn: the role behind a session
  symbol issuer_type;  // "Role", "IAMUser", "Root"
  symbol session_name;
  symbol source_identity;
  tristate mfa = tristate::unknown;
  std::optional<timestamp> session_created;
  symbol instance_id;  // EC2 instance whose instance-profile session this is
  symbol invoked_by;   // AWS service that called on the actor's behalf
};

struct outcome {
  bool success = true;
  symbol error_code;
  std::string error_message;
};

struct event {
  std::string id;  // eventID
  timestamp time{};
  symbol provider;  // "aws"
  symbol account;   // recipientAccountId, else the actor's account
  symbol region;
  symbol event_source;
  symbol event_name;
  symbol event_type;  // AwsApiCall, AwsServiceEvent, AwsConsoleSignIn, ...
  symbol action;      // "ses:GetSendQuota"
  action_origin action_from = action_origin::fallback;
  actor who;
  source_address source;
  symbol user_agent;
  outcome result;
  tristate read_only = tristate::unknown;
  event_category category = event_category::unknown;
  std::vector<symbol> resources;  // ARNs
  // The record as delivered (minus the envelope); read by path with raw_field().
  // Empty when the engine was told not to keep raw records.
  std::string raw;
};

// The identity an event is attributed to: its ARN, else principal id, else
// invoking service; empty when the record names none (reported as "unknown").
[[nodiscard]] inline symbol identity_key_of(const event &e) noexcept {
  if (!e.who.arn.empty()) return e.who.arn;
  if (!e.who.principal_id.empty()) return e.who.principal_id;
  return e.who.invoked_by;
}

[[nodiscard]] std::string_view to_string(identity_type type) noexcept;
[[nodiscard]] std::string_view to_string(event_category category) noexcept;
[[nodiscard]] std::string_view to_string(action_origin origin) noexcept;
[[nodiscard]] std::string_view to_string(source_address::kind kind) noexcept;  // "ipv4", "ipv6", "name" or 

}  // namespace v0
}  // namespace identrail
