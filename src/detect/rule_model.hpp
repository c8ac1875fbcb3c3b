// Private: the compiled form of rules, shared (immutable) by every detector.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "identrail/detect/rule_set.hpp"
#include "identrail/normalize/event.hpp"
#include "../normalize/cidr.hpp"

namespace re2 {
class RE2;
}

namespace identrail {
inline namespace v0 {
namespace detail {

// A value of the normalized event, or of the raw record by path.
enum class field_id : std::uint8_t {
  event_id, time, action, event_name, event_source, event_type, region, account, identity, actor_type, actor_arn,
  principal_id, actor_account, access_key_id, user_name, issuer_arn, issuer_type, session_name, source_identity,
  instance_id, invoked_by, source_ip, source_kind, user_agent, error_code, error_message, success, read_only, category,
  mfa, source_network, agent_family, peer, asn, as_organization, country, city, raw,
};

struct field_ref {
  field_id id = field_id::action;
  std::string raw_path;  // for field_id::raw
  std::string name;      // as written in the rule
  // Read as Sigma reads fields: every value along the path (arrays fan out),
  // any one matching; null and absent are one thing, an empty string another.
  bool each = false;
};

enum class test_op : std::uint8_t {
  equals, in, starts_with, ends_with, contains, regex, cidr, exists, gt, gte, lt, lte,
  same_as,          // equal to another field of the same event
  foreign_account,  // names an AWS account id other than the event's account (policies, grants)
};

struct field_test {
  field_ref field;
  test_op op = test_op::equals;
  std::vector<std::string> values;  // lower-cased when ignore_case
  bool ignore_case = false;
  bool all = false;  // every value must match (contains/starts_with/ends_with), as Sigma's |all
  std::vector<std::shared_ptr<const re2::RE2>> patterns;
  std::vector<cidr_block> networks;
  double number = 0;
  bool expect_present = true;  // exists: true/false
  field_ref other;             // same_as
};

struct condition {
  enum class kind : std::uint8_t { always, all, any, negate, test };
  kind type = kind::always;
  std::vector<condition> children;
  field_test test;
};

enum class rule_kind : std::uint8_t {
  event, count, distinct, sequence, all_of, absence, first_seen, volume,
  allow,  // not a rule: events its match names are not judged by the rules it lists
};

// Whose typical volume an identity with too little history of its own is judged by.
enum class peer_group : std::uint8_t {
  none,
  role,     // the sessions of one role; IAM users of one path; otherwise the account
  account,  // the identities of one account
};

struct volume_rule {
  std::uint64_t floor = 10;       // never fires below this count in a window
  double factor = 10;             // fires at this many times the typical volume
  std::uint32_t min_history = 8;  // busy windows before a typical volume is trusted
  peer_group peers = peer_group::role;
};

// What makes an identity suspect for a rule in context: a detection of at
// least this level, of one of these rules, with one of these tactics.
struct suspicion_cause {
  severity min_level = severity::medium;
  std::vector<std::string> rules;    // empty: any rule
  std::vector<std::string> tactics;  // empty: any tactic
  bool same_source = true;           // only events from the address the detection came from
};

// A rule judged in context: its events count only while their identity is
// under suspicion, that is after (and within `within_ns` of) the first event
// of a live detection, of another rule on that identity, that one cause names.
struct context_rule {
  std::vector<suspicion_cause> after;
  std::int64_t within_ns = 0;
};

struct rule_step {
  std::string name;
  condition match;
};

struct compiled_rule {
  rule_info info;
  rule_kind kind = rule_kind::event;
  condition match;  // every event must pass it first (for sequences: a prefilter)
  std::vector<field_ref> group_by;
  std::int64_t window_ns = 0;  // count, distinct, all_of; maxspan for sequence; deadline for absence; event: coalescing
  std::uint64_t threshold = 0;
  field_ref distinct;
  std::vector<rule_step> steps;
  std::optional<condition> until;
  field_ref seen_field;          // first_seen
  std::int64_t learning_ns = 0;  // first_seen
  std::optional<condition> learn_from;  // first_seen: events whose value is the key's own
  std::size_t rare_below = 0;           // rare (a first_seen by identity): fewer identities of the group before it
  std::size_t history = 64;      // first_seen: values remembered per key
  std::string summary;           // template: {identity} {group} {count} {values} {first_seen} {last_seen} {rule}
  std::optional<context_rule> context;
  volume_rule volume;  // volume
  std::vector<std::string> allows;  // allow: the rule ids (a trailing * for a prefix) it exempts; empty: all
  bool emit = true;              // false for Sigma rules only referenced by a correlation (generate: false)
  // A hash of the rule's YAML (its tests left out): a checkpoint keeps a
  // rule's state only for the same id with the same definition.
  std::uint64_t definition = 0;
};

struct compiled_rules {
  std::vector<compiled_rule> rules;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
