#include "evaluate.hpp"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "identrail/normalize/raw_field.hpp"
#include "../normalize/aws_networks.hpp"
#include "../core/user_agents.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

std::string_view bool_text(bool value) { return value ? "true" : "false"; }

char lower_char(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Into `out`'s own memory.
void lower_into(std::string &out, std::string_view text) {
  out.resize(text.size());
  std::transform(text.begin(), text.end(), out.begin(), lower_char);
}

std::string_view tristate_text(tristate t) {
  return t == tristate::yes ? "true" : t == tristate::no ? "false" : "";
}




std::optional<double> as_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// `value` is lowered already when the test ignores case (field_reader::lowered).
bool test_value(const field_test &t, std::string_view value, const event &e) {
  auto any_or_all = [&](auto &&predicate) {
    return t.all ? std::all_of(t.values.begin(), t.values.end(), predicate)
                 : std::any_of(t.values.begin(), t.values.end(), predicate);
  };
  switch (t.op) {
    case test_op::equals:
    case test_op::in:
      return std::any_of(t.values.begin(), t.values.end(), [&](const std::string &v) { return v == value; });
    case test_op::starts_with: return any_or_all([&](const std::string &v) { return value.starts_with(v); });
    case test_op::ends_with: return any_or_all([&](const std::string &v) { return value.ends_with(v); });
    case test_op::contains:
      return any_or_all([&](const std::string &v) { return value.find(v) != std::string_view::npos; });
    case test_op::regex:
      return std::any_of(t.patterns.begin(), t.patterns.end(), [&](const auto &re) {
        return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re);
      });
    case test_op::cidr:
      return std::any_of(t.networks.begin(), t.networks.end(), [&](const cidr_block &b) { return in_network(e.source, b); });
    case test_op::gt:
    case test_op::gte:
    case test_op::lt:
    case test_op::lte: {
      const auto number = as_number(value);
      if (!number) return false;
      switch (t.op) {
        case test_op::gt: return *number > t.number;
        case test_op::gte: return *number >= t.number;
        case test_op::lt: return *number < t.number;
        default: return *number <= t.number;
      }
    }
    case test_op::exists:
    case test_op::same_as:
    case test_op::foreign_account: return true;  // decided in evaluate(), which has the other values
  }
  return false;
}

bool names_foreign_account(std::string_view text, std::string_view own);

// A principal value of a policy: "*", an account id, an ARN, or a list or {"AWS": ...} of them.
bool principal_outside(simdjson::dom::element principal, std::string_view own) {
  std::string_view text;
  if (principal.get(text) == simdjson::SUCCESS) return text == "*" || names_foreign_account("\"" + std::string(text) + "\"", own);
  simdjson::dom::array list;
  if (principal.get(list) == simdjson::SUCCESS) {
    for (auto item : list)
      if (principal_outside(item, own)) return true;
    return false;
  }
  simdjson::dom::object by_type;
  if (principal.get(by_type) == simdjson::SUCCESS) {
    simdjson::dom::element aws;
    // Service principals (lambda.amazonaws.com) and federated ones are not another account.
    return by_type["AWS"].get(aws) == simdjson::SUCCESS && principal_outside(aws, own);
  }
  return false;
}

// For a policy document (an object, or a JSON string holding one): does an
// Allow statement grant everyone or another account? nullopt if not a policy.
std::optional<bool> policy_grants_outside(std::string_view text, std::string_view own) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(text)).get(doc) != simdjson::SUCCESS) return std::nullopt;
  std::string_view inner;
  std::string nested;
  if (doc.get(inner) == simdjson::SUCCESS) {  // a policy serialized as a string
    nested = inner;
    if (parser.parse(simdjson::padded_string(nested)).get(doc) != simdjson::SUCCESS) return std::nullopt;
  }
  simdjson::dom::element statements;
  if (doc["Statement"].get(statements) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::array list;
  std::vector<simdjson::dom::element> each;
  if (statements.get(list) == simdjson::SUCCESS) for (auto s : list) each.push_back(s);
  else each.push_back(statements);
  for (auto statement : each) {
    std::string_view effect;
    simdjson::dom::element principal;
    if (statement["Effect"].get(effect) == simdjson::SUCCESS && effect == "Allow" &&
        statement["Principal"].get(principal) == simdjson::SUCCESS && principal_outside(principal, own))
      return true;
  }
  return false;
}

// True when the text names a 12-digit account id (as an ARN's account or a
// bare principal) other than `own`: a grant to another account.
bool names_foreign_account(std::string_view text, std::string_view own) {
  std::size_t run = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool digit = i < text.size() && text[i] >= '0' && text[i] <= '9';
    if (digit) {
      ++run;
      continue;
    }
    if (run == 12) {
      const auto id = text.substr(i - 12, 12);
      const char before = i > 12 ? text[i - 13] : '"';
      // An account id stands alone or after "::" in an ARN, never inside a longer token.
      if ((before == ':' || before == '"' || before == ' ') && id != own) return true;
    }
    run = 0;
  }
  return false;
}

}  // namespace

bool same_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower_char(x) == lower_char(y); });
}

std::string_view field_reader::as_tested(const field_test &t, std::string_view value, const field_ref *field) {
  if (!t.ignore_case || t.op == test_op::regex) return value;
  std::string *into = &lower_scratch_;
  if (field) {
    // Once per event and field, however many tests read it.
    for (std::size_t i = 0; i < lowered_used_; ++i) {
      auto &entry = lowered_[i];
      if (entry.id == field->id && (field->id != field_id::raw || entry.path == field->raw_path)) return entry.text;
    }
    if (lowered_used_ == lowered_.size()) lowered_.emplace_back();
    auto &entry = lowered_[lowered_used_++];
    entry.id = field->id;
    entry.path = field->raw_path;
    into = &entry.text;
  }
  lower_into(*into, value);
  return *into;
}

std::string ascii_lower(std::string_view text) {
  std::string out;
  lower_into(out, text);
  return out;
}

std::string peer_group_of(const event &e, const symbol_table &s, peer_group group, const derived_cache *known) {
  if (group == peer_group::none) return {};
  if (group == peer_group::role && !e.who.issuer_arn.empty()) return "role " + std::string(s.str(e.who.issuer_arn));
  if (group == peer_group::role && e.who.type == identity_type::iam_user) {
    // The first (by name) of the IAM groups it belongs to at the event's time.
    if (known && !known->groups.empty()) {
      const auto it = known->groups.find(membership_key(s.str(e.who.account_id), s.str(e.who.user_name)));
      const std::string *first = nullptr;
      const auto t = to_unix_nanos(e.time);
      if (it != known->groups.end())
        for (const auto &m : it->second)
          if (m.added <= t && t < m.removed && (!first || m.group < *first)) first = &m.group;
      if (first) return "group " + std::string(s.str(e.who.account_id)) + "/" + *first;
    }
    const auto arn = s.str(e.who.arn);
    return "users " + std::string(arn.substr(0, arn.rfind('/') + 1));
  }
  return e.account.empty() ? std::string() : "account " + std::string(s.str(e.account));
}

// Looked up once per distinct address for the detector's life.
const derived_cache::place *field_reader::place() {
  if (!cache_ || !cache_->geolocation || !event_->source.is_ip()) return nullptr;
  auto [it, fresh] = cache_->places.try_emplace(event_->source.text.id);
  if (fresh) {
    const auto found = cache_->geolocation->lookup(symbols_.str(event_->source.text));
    if (found && *found) {
      const location &l = **found;
      it->second = {l.asn ? std::to_string(l.asn) : std::string(), l.as_organization, l.country_iso, l.city};
    }
  }
  return &it->second;
}

void field_reader::reset(const event &e, symbol identity) noexcept {
  event_ = &e;
  identity_ = identity;
  raw_.open(e);
  raw_used_ = 0;
  each_used_ = 0;
  lowered_used_ = 0;
}

std::optional<std::string_view> field_reader::get_raw(const field_ref &field) {
  for (std::size_t i = 0; i < raw_used_; ++i) {
    const auto &entry = raw_cache_[i];
    if (entry.path == &field.raw_path) return entry.present ? std::optional<std::string_view>(entry.value.text) : std::nullopt;
  }
  if (raw_used_ == raw_cache_.size()) raw_cache_.emplace_back();
  auto &entry = raw_cache_[raw_used_++];
  entry.path = &field.raw_path;
  entry.present = raw_.read(field.raw_path, entry.value) == raw_reader::status::found;
  return entry.present ? std::optional<std::string_view>(entry.value.text) : std::nullopt;
}

std::optional<std::string_view> field_reader::get(const field_ref &field) {
  const auto &e = *event_;
  const auto &s = symbols_;
  switch (field.id) {
    case field_id::event_id: return std::string_view(e.id);
    case field_id::time:
      scratch_ = format_rfc3339(e.time);
      return std::string_view(scratch_);
    case field_id::action: return s.str(e.action);
    case field_id::event_name: return s.str(e.event_name);
    case field_id::event_source: return s.str(e.event_source);
    case field_id::event_type: return s.str(e.event_type);
    case field_id::region: return s.str(e.region);
    case field_id::account: return s.str(e.account);
    case field_id::identity: return s.str(identity_);
    case field_id::actor_type: return to_string(e.who.type);
    case field_id::actor_arn: return s.str(e.who.arn);
    case field_id::principal_id: return s.str(e.who.principal_id);
    case field_id::actor_account: return s.str(e.who.account_id);
    case field_id::access_key_id: return s.str(e.who.access_key_id);
    case field_id::user_name: return s.str(e.who.user_name);
    case field_id::issuer_arn: return s.str(e.who.issuer_arn);
    case field_id::issuer_type: return s.str(e.who.issuer_type);
    case field_id::session_name: return s.str(e.who.session_name);
    case field_id::source_identity: return s.str(e.who.source_identity);
    case field_id::instance_id: return s.str(e.who.instance_id);
    case field_id::invoked_by: return s.str(e.who.invoked_by);
    case field_id::source_ip: return s.str(e.source.text);
    case field_id::source_kind: return to_string(e.source.type);
    case field_id::source_network: return to_string(network_of(e.source));  // one binary search
    case field_id::agent_family: {
      if (e.user_agent.empty()) return std::nullopt;
      if (!cache_) {
        agent_scratch_ = detail::agent_family(s.str(e.user_agent));
        return std::string_view(agent_scratch_);
      }
      auto [it, fresh] = cache_->agent_family.try_emplace(e.user_agent.id);
      if (fresh) it->second = detail::agent_family(s.str(e.user_agent));
      return std::string_view(it->second);
    }
    case field_id::asn:
    case field_id::as_organization:
    case field_id::country:
    case field_id::city: {
      const auto *where = place();
      if (!where) return std::nullopt;
      const std::string &v = field.id == field_id::asn ? where->asn
                             : field.id == field_id::as_organization ? where->as_organization
                             : field.id == field_id::country ? where->country : where->city;
      if (v.empty()) return std::nullopt;
      return std::string_view(v);
    }
    case field_id::peer: {
      peer_scratch_ = peer_group_of(e, s, peer_group::role, cache_);
      return std::string_view(peer_scratch_);
    }
    case field_id::user_agent: return s.str(e.user_agent);
    case field_id::error_code: return s.str(e.result.error_code);
    case field_id::error_message: return std::string_view(e.result.error_message);
    case field_id::success: return bool_text(e.result.success);
    case field_id::read_only: return tristate_text(e.read_only);
    case field_id::category: return to_string(e.category);
    case field_id::mfa: return tristate_text(e.who.mfa);
    case field_id::raw: return get_raw(field);
  }
  return std::nullopt;
}

std::optional<symbol> field_reader::get_symbol(const field_ref &field) const {
  const auto &e = *event_;
  switch (field.id) {
    case field_id::action: return e.action;
    case field_id::event_name: return e.event_name;
    case field_id::event_source: return e.event_source;
    case field_id::region: return e.region;
    case field_id::account: return e.account;
    case field_id::identity: return identity_;
    case field_id::actor_arn: return e.who.arn;
    case field_id::principal_id: return e.who.principal_id;
    case field_id::access_key_id: return e.who.access_key_id;
    case field_id::issuer_arn: return e.who.issuer_arn;
    case field_id::session_name: return e.who.session_name;
    case field_id::instance_id: return e.who.instance_id;
    case field_id::source_ip: return e.source.text;
    case field_id::user_agent: return e.user_agent;
    default: return std::nullopt;
  }
}

std::span<const std::string> field_reader::get_each(const field_ref &field) {
  for (std::size_t i = 0; i < each_used_; ++i)
    if (each_cache_[i].path == &field.raw_path) return {each_cache_[i].texts.data(), each_cache_[i].used};
  if (each_used_ == each_cache_.size()) each_cache_.emplace_back();
  auto &entry = each_cache_[each_used_++];
  entry.path = &field.raw_path;
  entry.used = 0;
  std::size_t count = 0;
  if (raw_.read_each(field.raw_path, each_scratch_, count) == raw_reader::status::found)
    for (std::size_t i = 0; i < count; ++i) {
      if (each_scratch_[i].kind == json_kind::null) continue;
      if (entry.used == entry.texts.size()) entry.texts.emplace_back();
      entry.texts[entry.used++].assign(each_scratch_[i].text);
    }
  return {entry.texts.data(), entry.used};
}

namespace {

// A test on a Sigma field: true when any of its values passes.
bool evaluate_each(const field_test &t, field_reader &fields) {
  const auto values = fields.get_each(t.field);
  if (t.op == test_op::exists) return values.empty() != t.expect_present;
  if (t.op == test_op::same_as) {
    std::vector<std::string> others;
    if (t.other.each) others.assign(fields.get_each(t.other).begin(), fields.get_each(t.other).end());
    else if (const auto v = fields.get(t.other)) others.emplace_back(*v);
    const auto same = [&](const std::string &a, const std::string &b) {
      return t.ignore_case ? same_ignoring_case(a, b) : a == b;
    };
    return std::any_of(values.begin(), values.end(), [&](const std::string &mine) {
      return std::any_of(others.begin(), others.end(), [&](const std::string &theirs) { return same(mine, theirs); });
    });
  }
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string &value) { return test_value(t, fields.as_tested(t, value), fields.current()); });
}

}  // namespace

bool is_interned_field(field_id id) noexcept {
  switch (id) {
    case field_id::action: case field_id::event_name: case field_id::event_source: case field_id::region:
    case field_id::account: case field_id::identity: case field_id::actor_arn: case field_id::principal_id:
    case field_id::access_key_id: case field_id::issuer_arn: case field_id::session_name: case field_id::instance_id:
    case field_id::source_ip: case field_id::user_agent: return true;
    default: return false;
  }
}

bool evaluate(const condition &c, field_reader &fields) {
  switch (c.type) {
    case condition::kind::always: return true;
    case condition::kind::all:
      return std::all_of(c.children.begin(), c.children.end(), [&](const condition &k) { return evaluate(k, fields); });
    case condition::kind::any:
      return std::any_of(c.children.begin(), c.children.end(), [&](const condition &k) { return evaluate(k, fields); });
    case condition::kind::negate: return !evaluate(c.children.front(), fields);
    case condition::kind::test: {
      if (c.test.field.each) return evaluate_each(c.test, fields);
      const auto value = fields.get(c.test.field);
      const bool present = value && !value->empty();
      if (c.test.op == test_op::exists) return present == c.test.expect_present;
      if (c.test.op == test_op::same_as) {
        if (!present) return false;
        const std::string mine(*value);
        const auto other = fields.get(c.test.other);
        return other && !other->empty() && (c.test.ignore_case ? same_ignoring_case(mine, *other) : mine == *other);
      }
      if (c.test.op == test_op::foreign_account) {
        if (!present) return false;
        const std::string text(*value);
        const auto own_view = fields.get(field_ref{field_id::account, {}, "account"});
        const std::string own(own_view ? *own_view : std::string_view{});
        // Policies are read for what they allow; other values (grant lists) are scanned for account ids.
        const auto by_policy = policy_grants_outside(text, own);
        return (by_policy ? *by_policy : names_foreign_account(text, own)) == c.test.expect_present;
      }
      if (c.test.op == test_op::cidr) return test_value(c.test, {}, fields.current());
      if (!present) return false;
      return test_value(c.test, fields.as_tested(c.test, *value, &c.test.field), fields.current());
    }
  }
  return false;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
