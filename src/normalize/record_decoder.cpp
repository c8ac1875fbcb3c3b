#include "record_decoder.hpp"

#include <algorithm>

#include <arpa/inet.h>

#include <cstring>

#include "identrail/normalize/action_map.hpp"
#include "json_check.hpp"
#include "json_token.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

std::string_view json_type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
  }
  return "unknown";
}

bool is_structural_error(simdjson::error_code code) {
  return code != simdjson::INCORRECT_TYPE && code != simdjson::NUMBER_ERROR && code != simdjson::NUMBER_OUT_OF_RANGE &&
         code != simdjson::STRING_ERROR;
}

identity_type parse_identity_type(std::string_view t) {
  struct row {
    std::string_view name;
    identity_type type;
  };
  static constexpr row rows[] = {
      {"IAMUser", identity_type::iam_user},
      {"AssumedRole", identity_type::assumed_role},
      {"AWSService", identity_type::aws_service},
      {"Root", identity_type::root},
      {"Role", identity_type::role},
      {"FederatedUser", identity_type::federated_user},
      {"SAMLUser", identity_type::saml_user},
      {"WebIdentityUser", identity_type::web_identity_user},
      {"AWSAccount", identity_type::aws_account},
      {"IdentityCenterUser", identity_type::identity_center_user},
      {"Directory", identity_type::directory},
  };
  for (const auto &r : rows)
    if (r.name == t) return r.type;
  return identity_type::unknown;
}

event_category parse_category(std::string_view c) {
  if (c == "Management") return event_category::management;
  if (c == "Data") return event_category::data;
  if (c == "Insight") return event_category::insight;
  if (c == "NetworkActivity") return event_category::network_activity;
  return event_category::unknown;
}

bool is_instance_id(std::string_view s) {
  if (s.size() < 10 || s.size() > 19 || !s.starts_with("i-")) return false;
  for (char c : s.substr(2))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string_view last_path_segment(std::string_view arn) {
  const auto slash = arn.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : arn.substr(slash + 1);
}

void parse_source(std::string_view text, source_address &out) {
  char buf[64];
  if (text.size() < sizeof buf) {
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    if (inet_pton(AF_INET, buf, out.bytes.data()) == 1) {
      out.type = source_address::kind::ipv4;
      return;
    }
    if (inet_pton(AF_INET6, buf, out.bytes.data()) == 1) {
      out.type = source_address::kind::ipv6;
      return;
    }
  }
  out.bytes = {};
  out.type = source_address::kind::name;  // "ec2.amazonaws.com", "AWS Internal"
}

}  // namespace

field_status record_decoder::fail(std::string reason, field_status status) {
  reason_ = std::move(reason);
  return status;
}

field_status record_decoder::fail_simdjson(std::string_view field, simdjson::error_code code) {
  std::string reason = "malformed JSON";
  if (!field.empty()) reason.append(" in ").append(field);
  reason.append(": ").append(simdjson::error_message(code));
  return fail(std::move(reason), is_structural_error(code) ? field_status::broken : field_status::invalid);
}

field_status record_decoder::read_text(od::value value, std::string_view field, std::string_view &text,
                                       bool numbers_as_text) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail_simdjson(field, err);
  if (type == od::json_type::string) {
    if (auto err = value.get_string().get(text)) return fail_simdjson(field, err);
    return field_status::ok;
  }
  if (type == od::json_type::null) {
    text = {};
    return skip(value, field);  // consumed, so that the tokens after it are checked
  }
  // Account ids exported through YAML or some SIEMs arrive as numbers: keep their digits.
  if (type == od::json_type::number && numbers_as_text) {
    text = trim_json_token(value.raw_json_token());
    if (auto s = skip(value, field); s != field_status::ok) return s;  // the digits must be a number
    return field_status::ok;
  }
  return refuse(value, field, std::string(field) + ": expected a string, found " + std::string(json_type_name(type)));
}

field_status record_decoder::read_symbol(od::value value, std::string_view field, symbol &out, bool numbers_as_text) {
  std::string_view text;
  const auto status = read_text(value, field, text, numbers_as_text);
  if (status == field_status::ok) out = intern_memoized(field, text);
  return status;
}

// Consecutive records repeat most values of a field (account, region, the busy
// role of a delivery file). One remembered value per field spares the hash
// lookup then; the slot is picked by the field name's address, and the text is
// compared in full, so a shared slot only costs a miss.
symbol record_decoder::intern_memoized(std::string_view field, std::string_view text) {
  auto &slot = memo_[(reinterpret_cast<std::uintptr_t>(field.data()) >> 4) % memo_.size()];
  if (slot.text == text && !text.empty()) return slot.value;
  slot.value = symbols_.intern(text);
  slot.text = symbols_.str(slot.value);
  return slot.value;
}

field_status record_decoder::read_flag(od::value value, std::string_view field, tristate &out) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail_simdjson(field, err);
  if (type == od::json_type::boolean) {
    bool b = false;
    if (auto err = value.get_bool().get(b)) return fail_simdjson(field, err);
    out = b ? tristate::yes : tristate::no;
    return field_status::ok;
  }
  if (type == od::json_type::string) {  // userIdentity attributes carry "true"/"false" strings
    std::string_view s;
    if (auto err = value.get_string().get(s)) return fail_simdjson(field, err);
    out = (s == "true" || s == "True") ? tristate::yes : (s == "false" || s == "False") ? tristate::no : tristate::unknown;
    return field_status::ok;
  }
  if (type == od::json_type::null) return skip(value, field);
  return refuse(value, field, std::string(field) + ": expected a boolean, found " + std::string(json_type_name(type)));
}

// CloudTrail never repeats a key. A record that does could show rules reading
// the raw JSON (first occurrence) something other than the normalized field
// (last occurrence), so such a record is rejected.
bool record_decoder::first_time(unsigned field) {
  const std::uint32_t bit = std::uint32_t{1} << field;
  const bool first = (seen_fields_ & bit) == 0;
  seen_fields_ |= bit;
  return first;
}

field_status record_decoder::skip(od::value value, std::string_view field) {
  if (auto err = check_json(value, kMaxRecordDepth)) return fail_simdjson(field, err);
  return field_status::ok;
}

field_status record_decoder::unmodelled(json_key key, od::value value) { return skip(value, key.name()); }

// A value of the wrong kind makes the record invalid; it is still read through,
// since it may hide malformed JSON that must stop the document instead.
field_status record_decoder::refuse(od::value value, std::string_view field, std::string reason) {
  if (const auto s = skip(value, field); s != field_status::ok) return s;
  return fail(std::move(reason));
}

field_status record_decoder::duplicate(od::value value, std::string_view field) {
  return refuse(value, field, "duplicate key " + std::string(field));
}

void record_decoder::begin(event &out) {
  seen_fields_ = 0;
  out.id.clear();
  out.time = {};
  out.provider = aws_;
  out.account = out.region = out.event_source = out.event_name = out.event_type = out.action = symbol{};
  out.action_from = action_origin::fallback;
  out.who = actor{};
  out.source = source_address{};
  out.user_agent = symbol{};
  out.result.success = true;
  out.result.error_code = symbol{};
  out.result.error_message.clear();
  out.read_only = tristate::unknown;
  out.category = event_category::unknown;
  out.resources.clear();
  out.raw.clear();
  request_.clear();
  reason_.clear();
  time_text_ = {};
  has_time_ = has_name_ = false;
}

field_status record_decoder::apply(json_key key, od::value value, event &out) {
  std::string_view text;
  switch (key.first()) {
    case 'e':
      if (key.is("eventTime")) {
        if (!first_time(0)) return duplicate(value, "eventTime");
        if (auto s = read_text(value, "eventTime", text, false); s != field_status::ok) return s;
        if (text.empty()) return field_status::ok;  // null: reported as missing by finish()
        if (text != last_time_text_) {
          auto t = parse_rfc3339(text);
          if (!t) return fail("eventTime: " + t.error().message);
          last_time_text_.assign(text);
          last_time_ = *t;
        }
        out.time = last_time_;
        has_time_ = true;
        return field_status::ok;
      }
      if (key.is("eventName")) {
        if (!first_time(1)) return duplicate(value, "eventName");
        auto s = read_symbol(value, "eventName", out.event_name);
        has_name_ = !out.event_name.empty();
        return s;
      }
      if (key.is("eventSource")) return first_time(2) ? read_symbol(value, "eventSource", out.event_source) : duplicate(value, "eventSource");
      if (key.is("eventID")) {
        if (!first_time(3)) return duplicate(value, "eventID");
        if (auto s = read_text(value, "eventID", text, true); s != field_status::ok) return s;
        out.id.assign(text);
        return field_status::ok;
      }
      if (key.is("eventType")) return first_time(4) ? read_symbol(value, "eventType", out.event_type) : duplicate(value, "eventType");
      if (key.is("eventCategory")) {
        if (!first_time(5)) return duplicate(value, "eventCategory");
        if (auto s = read_text(value, "eventCategory", text, false); s != field_status::ok) return s;
        if (!text.empty()) out.category = parse_category(text);
        return field_status::ok;
      }
      if (key.is("errorCode")) {
        if (!first_time(6)) return duplicate(value, "errorCode");
        if (auto s = read_symbol(value, "errorCode", out.result.error_code); s != field_status::ok) return s;
        if (!out.result.error_code.empty()) out.result.success = false;
        return field_status::ok;
      }
      if (key.is("errorMessage")) {
        if (!first_time(7)) return duplicate(value, "errorMessage");
        if (auto s = read_text(value, "errorMessage", text, false); s != field_status::ok) return s;
        out.result.error_message.assign(text);
        return field_status::ok;
      }
      return unmodelled(key, value);
    case 'a':
      if (key.is("awsRegion")) return first_time(8) ? read_symbol(value, "awsRegion", out.region) : duplicate(value, "awsRegion");
      return unmodelled(key, value);
    case 'u':
      if (key.is("userIdentity"))
        return first_time(9) ? remembered_user_identity(value, out.who) : duplicate(value, "userIdentity");
      if (key.is("userAgent")) return first_time(10) ? read_symbol(value, "userAgent", out.user_agent) : duplicate(value, "userAgent");
      return unmodelled(key, value);
    case 's':
      if (key.is("sourceIPAddress")) {
        if (!first_time(11)) return duplicate(value, "sourceIPAddress");
        if (auto s = read_symbol(value, "sourceIPAddress", out.source.text); s != field_status::ok) return s;
        if (out.source.text.empty()) return field_status::ok;
        auto [cached, inserted] = address_cache_.try_emplace(out.source.text.id);
        if (inserted) {
          cached->text = out.source.text;
          parse_source(symbols_.str(out.source.text), *cached);
        }
        out.source = *cached;
        return field_status::ok;
      }
      return unmodelled(key, value);
    case 'r':
      if (key.is("recipientAccountId")) return first_time(12) ? read_symbol(value, "recipientAccountId", out.account, true) : duplicate(value, "recipientAccountId");
      if (key.is("readOnly")) return first_time(13) ? read_flag(value, "readOnly", out.read_only) : duplicate(value, "readOnly");
      if (key.is("resources")) return first_time(14) ? resources(value, out) : duplicate(value, "resources");
      if (key.is("requestParameters"))
        return first_time(16) ? request_parameters(value) : duplicate(value, "requestParameters");
      return unmodelled(key, value);
    case 'm':
      if (key.is("managementEvent")) {
        if (!first_time(15)) return duplicate(value, "managementEvent");
        tristate management = tristate::unknown;
        if (auto s = read_flag(value, "managementEvent", management); s != field_status::ok) return s;
        if (out.category == event_category::unknown && management != tristate::unknown)
          out.category = management == tristate::yes ? event_category::management : event_category::data;
        return field_status::ok;
      }
      return unmodelled(key, value);
    default:
      return unmodelled(key, value);
  }
}

// Reads an object member by member, `on_member(key, value)` for each. A value
// that is no object carries nothing to learn here and is only checked.
template <class OnMember>
field_status record_decoder::members(od::value value, std::string_view where, OnMember &&on_member) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail_simdjson(where, err);
  if (type != od::json_type::object) return skip(value, where);
  od::object object;
  if (auto err = value.get_object().get(object)) return fail_simdjson(where, err);
  for (auto field : object) {
    od::raw_json_string raw_key;
    if (auto err = read_key(field, raw_key)) return fail_simdjson(where, err);
    od::value v;
    if (auto err = field.value().get(v)) return fail_simdjson(where, err);
    if (const auto s = on_member(json_key(raw_key), v); s != field_status::ok) return s;
  }
  return field_status::ok;
}

field_status record_decoder::user_identity(od::value value, actor &who) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail_simdjson("userIdentity", err);
  if (type != od::json_type::object && type != od::json_type::null)
    return refuse(value, "userIdentity", "userIdentity: expected an object, found " + std::string(json_type_name(type)));
  return members(value, "userIdentity", [&](json_key key, od::value v) {
    if (key.is("type")) {
      const auto s = read_symbol(v, "userIdentity.type", who.type_name);
      who.type = parse_identity_type(symbols_.str(who.type_name));
      return s;
    }
    if (key.is("arn")) return read_symbol(v, "userIdentity.arn", who.arn);
    if (key.is("principalId")) return read_symbol(v, "userIdentity.principalId", who.principal_id, true);
    if (key.is("accountId")) return read_symbol(v, "userIdentity.accountId", who.account_id, true);
    if (key.is("accessKeyId")) return read_symbol(v, "userIdentity.accessKeyId", who.access_key_id);
    if (key.is("userName")) return read_symbol(v, "userIdentity.userName", who.user_name);
    if (key.is("invokedBy")) return read_symbol(v, "userIdentity.invokedBy", who.invoked_by);
    if (key.is("sessionContext")) return session_context(v, who);
    return skip(v, "userIdentity");
  });
}

// A hit is consumed unread: its bytes are those of an object already read
// through, so simdjson's bracket count ends it where a full read would.
field_status record_decoder::remembered_user_identity(od::value value, actor &who) {
  const char *start = value.raw_json_token().data();
  if (input_end_ == nullptr || *start != '{') return user_identity(value, who);
  if (const actor *known = identities_.find(start, input_end_)) {
    od::object object;
    if (auto err = value.get_object().get(object)) return fail_simdjson("userIdentity", err);
    if (auto err = object.raw_json().error()) return fail_simdjson("userIdentity", err);
    who = *known;
    return field_status::ok;
  }
  const auto status = user_identity(value, who);
  if (status != field_status::ok) return status;
  if (const char *end = json_value_end(start, input_end_))
    identities_.remember({start, static_cast<std::size_t>(end - start)}, who);
  return status;
}

field_status record_decoder::session_context(od::value value, actor &who) {
  return members(value, "userIdentity.sessionContext", [&](json_key key, od::value v) {
    if (key.is("sessionIssuer")) return session_issuer(v, who);
    if (key.is("sourceIdentity"))
      return read_symbol(v, "userIdentity.sessionContext.sourceIdentity", who.source_identity);
    if (key.is("attributes")) return session_attributes(v, who);
    return skip(v, "userIdentity.sessionContext");
  });
}

field_status record_decoder::session_attributes(od::value value, actor &who) {
  return members(value, "userIdentity.sessionContext.attributes", [&](json_key key, od::value v) {
    if (key.is("mfaAuthenticated"))
      return read_flag(v, "userIdentity.sessionContext.attributes.mfaAuthenticated", who.mfa);
    if (!key.is("creationDate")) return skip(v, "userIdentity.sessionContext.attributes");
    // A creation date that is no time costs the attribute, not the record: the event itself is sound.
    std::string_view text;
    const auto err = v.get_string().get(text);
    if (err == simdjson::INCORRECT_TYPE) return skip(v, "userIdentity.sessionContext.attributes.creationDate");
    if (err) return fail_simdjson("userIdentity.sessionContext.attributes.creationDate", err);  // a bad escape
    if (!text.empty())
      if (auto created = parse_rfc3339(text)) who.session_created = *created;
    return field_status::ok;
  });
}

field_status record_decoder::session_issuer(od::value value, actor &who) {
  return members(value, "userIdentity.sessionContext.sessionIssuer", [&](json_key key, od::value v) {
    if (key.is("arn")) return read_symbol(v, "userIdentity.sessionContext.sessionIssuer.arn", who.issuer_arn);
    if (key.is("type")) return read_symbol(v, "userIdentity.sessionContext.sessionIssuer.type", who.issuer_type);
    return skip(v, "userIdentity.sessionContext.sessionIssuer");
  });
}

field_status record_decoder::resources(od::value value, event &out) {
  od::json_type type;
  if (auto err = value.type().get(type)) return fail_simdjson("resources", err);
  if (type == od::json_type::null) return skip(value, "resources");
  if (type != od::json_type::array)
    return refuse(value, "resources", "resources: expected an array, found " + std::string(json_type_name(type)));
  od::array array;
  if (auto err = value.get_array().get(array)) return fail_simdjson("resources", err);
  for (auto element : array) {
    od::value item;
    if (auto err = element.get(item)) return fail_simdjson("resources", err);
    od::json_type item_type;
    if (auto err = item.type().get(item_type)) return fail_simdjson("resources", err);
    if (item_type != od::json_type::object) {  // tolerated: carries no ARN
      if (auto s = skip(item, "resources"); s != field_status::ok) return s;
      continue;
    }
    od::object object;
    if (auto err = item.get_object().get(object)) return fail_simdjson("resources", err);
    for (auto field : object) {
      od::raw_json_string raw_key;
      if (auto err = read_key(field, raw_key)) return fail_simdjson("resources", err);
      const json_key key(raw_key);
      od::value v;
      if (auto err = field.value().get(v)) return fail_simdjson("resources", err);
      if (!key.is("ARN") && !key.is("arn")) {
        if (auto s = skip(v, "resources"); s != field_status::ok) return s;
        continue;
      }
      symbol arn;
      if (auto s = read_symbol(v, "resources.ARN", arn); s != field_status::ok) return s;
      if (!arn.empty()) out.resources.push_back(arn);
    }
  }
  return field_status::ok;
}

// The modelled parameter names, compared in place like the top-level keys.
static request_key request_key_of(json_key key) noexcept {
  switch (key.first()) {
    case 'b': return key.is("bucketName") ? request_key::bucket_name : request_key::count_;
    case 'k':
      if (key.is("key")) return request_key::object_key;
      return key.is("keyId") ? request_key::key_id : request_key::count_;
    case 's': return key.is("secretId") ? request_key::secret_id : request_key::count_;
    case 'n': return key.is("name") ? request_key::name : request_key::count_;
    case 't':
      if (key.is("trailName")) return request_key::trail_name;
      if (key.is("tableName")) return request_key::table_name;
      return key.is("topicArn") ? request_key::topic_arn : request_key::count_;
    case 'r':
      if (key.is("roleArn")) return request_key::role_arn;
      if (key.is("roleName")) return request_key::role_name;
      return key.is("repositoryName") ? request_key::repository_name : request_key::count_;
    case 'u': return key.is("userName") ? request_key::user_name : request_key::count_;
    case 'g': return key.is("groupName") ? request_key::group_name : request_key::count_;
    case 'p': return key.is("policyArn") ? request_key::policy_arn : request_key::count_;
    case 'f': return key.is("functionName") ? request_key::function_name : request_key::count_;
    case 'i': return key.is("instanceId") ? request_key::instance_id : request_key::count_;
    case 'l': return key.is("logGroupName") ? request_key::log_group_name : request_key::count_;
    default: return request_key::count_;
  }
}

// Only string members that name a resource are kept; anything else in the
// parameters (policies, filters, numbers) is the raw record's business. A
// value of another type costs only its inferred resource, not the record; but
// malformed JSON is reported like anywhere else, because simdjson's iterator
// is dead after it and nothing may read on (a stream reading on crashed).
field_status record_decoder::request_parameters(od::value value) {
  return members(value, "requestParameters", [&](json_key name, od::value v) {
    const auto key = request_key_of(name);
    od::json_type type;
    if (auto err = v.type().get(type)) return fail_simdjson("requestParameters", err);
    if (key == request_key::count_ || type != od::json_type::string) return skip(v, "requestParameters");
    std::string_view text;
    if (auto err = v.get_string().get(text)) return fail_simdjson("requestParameters", err);
    request_.set(key, text);
    return field_status::ok;
  });
}

// CloudTrail's own resources[] is authoritative when present; otherwise the
// parameters name the target. Each parameter remembers its last inference, so
// a repeated value (the same bucket, secret or table) costs a comparison.
void record_decoder::add_inferred_resources(event &out) {
  if (!request_.any || !out.resources.empty()) return;
  // The caller's partition (aws-cn, aws-us-gov) is the resources' too.
  std::string_view partition = "aws";
  if (const auto arn = symbols_.str(out.who.arn); arn.starts_with("arn:")) {
    const auto end = arn.find(':', 4);
    if (end != std::string_view::npos) partition = arn.substr(4, end - 4);
  }
  const call_context call{partition, symbols_.str(out.event_source), symbols_.str(out.event_name),
                          symbols_.str(out.region), symbols_.str(out.account)};
  const std::string_view object = request_.get(request_key::object_key);
  for (std::size_t k = 0; k < inference_memo_.size(); ++k) {
    const auto key = static_cast<request_key>(k);
    const std::string_view value = request_.get(key);
    if (value.empty() || key == request_key::object_key) continue;
    const std::string_view detail = key == request_key::bucket_name ? object : std::string_view{};
    auto &memo = inference_memo_[k];
    if (!memo.valid || memo.value != value || memo.detail != detail || memo.source != out.event_source ||
        memo.name != out.event_name || memo.region != out.region || memo.account != out.account ||
        memo.partition != partition) {
      request_values only;
      only.set(key, value);
      if (!detail.empty()) only.set(request_key::object_key, detail);
      inferred_.clear();
      infer_resources(call, only, inferred_);
      memo.value.assign(value);
      memo.detail.assign(detail);
      memo.partition.assign(partition);
      memo.source = out.event_source;
      memo.name = out.event_name;
      memo.region = out.region;
      memo.account = out.account;
      memo.arns.clear();
      for (const auto &arn : inferred_) memo.arns.push_back(symbols_.intern(arn));
      memo.valid = true;
    }
    for (const symbol arn : memo.arns)
      if (std::find(out.resources.begin(), out.resources.end(), arn) == out.resources.end()) out.resources.push_back(arn);
  }
}

void record_decoder::derive_action(event &out) {
  const std::uint64_t key = static_cast<std::uint64_t>(out.event_source.id) << 32 | out.event_name.id;
  auto [cached, inserted] = action_cache_.try_emplace(key);
  if (inserted) {
    auto mapped = map_action(symbols_.str(out.event_source), symbols_.str(out.event_name));
    *cached = {symbols_.intern(mapped.action), mapped.origin};
  }
  out.action = cached->first;
  out.action_from = cached->second;
}

field_status record_decoder::finish(event &out) {
  if (!has_time_) return fail("missing eventTime");
  if (!has_name_) return fail("missing eventName");
  if (out.account.empty()) out.account = out.who.account_id;
  const auto arn = symbols_.str(out.who.arn);
  if (out.who.type == identity_type::assumed_role || out.who.type == identity_type::federated_user) {
    // The session name is part of the ARN: derive it once per distinct ARN.
    auto [cached, inserted] = session_cache_.try_emplace(out.who.arn.id);
    if (inserted) {
      const auto session = last_path_segment(arn);
      cached->first = symbols_.intern(session);
      cached->second = is_instance_id(session) ? cached->first : symbol{};
    }
    out.who.session_name = cached->first;
    out.who.instance_id = cached->second;
  }
  derive_action(out);
  add_inferred_resources(out);
  return field_status::ok;
}

// After an invalid field the rest is still read through: malformed JSON
// further on must stop the document, not be skipped with the record.
field_status record_decoder::decode(od::object object, event &out) {
  begin(out);
  std::string invalid_reason;
  for (auto field : object) {
    od::raw_json_string raw_key;
    if (auto err = read_key(field, raw_key)) return fail_simdjson({}, err);
    od::value value;
    if (auto err = field.value().get(value)) return fail_simdjson({}, err);
    const json_key key(raw_key);
    const auto s = invalid_reason.empty() ? apply(key, value, out) : unmodelled(key, value);
    if (s == field_status::broken) return s;
    if (s == field_status::invalid && invalid_reason.empty()) invalid_reason = reason_;
  }
  if (!invalid_reason.empty()) return fail(std::move(invalid_reason));
  return finish(out);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
