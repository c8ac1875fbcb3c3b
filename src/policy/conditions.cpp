#include "conditions.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "../normalize/cidr.hpp"
#include "../core/wildcard.hpp"
#include "identrail/core/time.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<double> number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// RFC 3339, a bare date, or seconds since the epoch, as IAM accepts them.
std::optional<std::int64_t> date(std::string_view text) {
  if (auto t = parse_rfc3339(text)) return to_unix_nanos(*t);
  if (text.size() == 10)
    if (auto t = parse_rfc3339(std::string(text) + "T00:00:00Z")) return to_unix_nanos(*t);
  // Seconds beyond what nanoseconds in 64 bits hold (about year 2262) are no date.
  if (auto seconds = number(text); seconds && std::fabs(*seconds) < 9.2e9) return static_cast<std::int64_t>(*seconds * 1e9);
  return std::nullopt;
}

std::optional<source_address> address(std::string_view text) {
  auto block = parse_cidr(text);
  if (!block) return std::nullopt;
  source_address a;
  a.type = block->v6 ? source_address::kind::ipv6 : source_address::kind::ipv4;
  a.bytes = block->network;
  return a;
}

// ARNs match segment by segment (partition, service, region, account, resource), each with wildcards.
bool arn_like(std::string_view pattern, std::string_view arn) {
  for (int segment = 0; segment < 5; ++segment) {
    const auto p_end = pattern.find(':');
    const auto a_end = arn.find(':');
    if (p_end == std::string_view::npos || a_end == std::string_view::npos) return false;
    if (!wildcard_match(pattern.substr(0, p_end), arn.substr(0, a_end), false)) return false;
    pattern.remove_prefix(p_end + 1);
    arn.remove_prefix(a_end + 1);
  }
  return wildcard_match(pattern, arn, false);
}

enum class family { string, string_ignore_case, string_like, numeric, date, boolean, binary, ip, arn, null };
enum class comparison { equals, less, less_equals, greater, greater_equals };

struct parsed_operator {
  family kind = family::string;
  comparison compare = comparison::equals;
  bool negated = false;
  bool if_exists = false;
  enum class set_mode { single, for_all, for_any } set = set_mode::single;
  bool known = true;
};

parsed_operator parse_operator(std::string_view op) {
  parsed_operator p;
  if (op.starts_with("ForAllValues:")) {
    p.set = parsed_operator::set_mode::for_all;
    op.remove_prefix(13);
  } else if (op.starts_with("ForAnyValue:")) {
    p.set = parsed_operator::set_mode::for_any;
    op.remove_prefix(12);
  }
  if (op.ends_with("IfExists") && op.size() > 8) {
    p.if_exists = true;
    op.remove_suffix(8);
  }
  struct row {
    std::string_view name;
    family kind;
    comparison compare;
    bool negated;
  };
  static constexpr row rows[] = {
      {"StringEquals", family::string, comparison::equals, false},
      {"StringNotEquals", family::string, comparison::equals, true},
      {"StringEqualsIgnoreCase", family::string_ignore_case, comparison::equals, false},
      {"StringNotEqualsIgnoreCase", family::string_ignore_case, comparison::equals, true},
      {"StringLike", family::string_like, comparison::equals, false},
      {"StringNotLike", family::string_like, comparison::equals, true},
      {"NumericEquals", family::numeric, comparison::equals, false},
      {"NumericNotEquals", family::numeric, comparison::equals, true},
      {"NumericLessThan", family::numeric, comparison::less, false},
      {"NumericLessThanEquals", family::numeric, comparison::less_equals, false},
      {"NumericGreaterThan", family::numeric, comparison::greater, false},
      {"NumericGreaterThanEquals", family::numeric, comparison::greater_equals, false},
      {"DateEquals", family::date, comparison::equals, false},
      {"DateNotEquals", family::date, comparison::equals, true},
      {"DateLessThan", family::date, comparison::less, false},
      {"DateLessThanEquals", family::date, comparison::less_equals, false},
      {"DateGreaterThan", family::date, comparison::greater, false},
      {"DateGreaterThanEquals", family::date, comparison::greater_equals, false},
      {"Bool", family::boolean, comparison::equals, false},
      {"BinaryEquals", family::binary, comparison::equals, false},
      {"IpAddress", family::ip, comparison::equals, false},
      {"NotIpAddress", family::ip, comparison::equals, true},
      {"ArnEquals", family::arn, comparison::equals, false},
      {"ArnLike", family::arn, comparison::equals, false},
      {"ArnNotEquals", family::arn, comparison::equals, true},
      {"ArnNotLike", family::arn, comparison::equals, true},
      {"Null", family::null, comparison::equals, false},
  };
  for (const auto &r : rows)
    if (r.name == op) {
      p.kind = r.kind;
      p.compare = r.compare;
      p.negated = r.negated;
      return p;
    }
  p.known = false;
  return p;
}

template <class T>
bool ordered(T actual, T wanted, comparison c) {
  switch (c) {
    case comparison::equals: return actual == wanted;
    case comparison::less: return actual < wanted;
    case comparison::less_equals: return actual <= wanted;
    case comparison::greater: return actual > wanted;
    case comparison::greater_equals: return actual >= wanted;
  }
  return false;
}

// One request value against one policy value, before negation. Values that do
// not parse as the operator's type never match.
bool matches_one(const parsed_operator &op, std::string_view actual, std::string_view wanted) {
  switch (op.kind) {
    case family::string: return actual == wanted;
    case family::string_ignore_case: return iequals(actual, wanted);
    case family::string_like: return wildcard_match(wanted, actual, false);
    case family::numeric: {
      const auto a = number(actual), w = number(wanted);
      return a && w && ordered(*a, *w, op.compare);
    }
    case family::date: {
      const auto a = date(actual), w = date(wanted);
      return a && w && ordered(*a, *w, op.compare);
    }
    case family::boolean: return iequals(actual, wanted) && (iequals(wanted, "true") || iequals(wanted, "false"));
    case family::binary: return actual == wanted;
    case family::ip: {
      const auto block = parse_cidr(wanted);
      const auto a = address(actual);
      return block && a && in_network(*a, *block);
    }
    case family::arn: return arn_like(wanted, actual);
    case family::null: return false;
  }
  return false;
}

// Any of the policy's values matches this request value (values are ORed).
bool matches_any(const parsed_operator &op, std::string_view actual, const std::vector<std::string> &wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string &w) { return matches_one(op, actual, w); });
}

}  // namespace

const std::vector<std::string> *find_context_key(const context_keys &context, std::string_view key) {
  for (const auto &[name, values] : context)
    if (iequals(name, key)) return &values;
  return nullptr;
}

bool condition_holds(const condition_clause &clause, const context_keys &context) {
  const auto op = parse_operator(clause.op);
  if (!op.known) return false;  // the parser refuses these; a hand-built one never matches
  const auto *values = find_context_key(context, clause.key);
  const bool present = values && !values->empty();
  if (op.kind == family::null) {
    // Null: "true" asks for the key to be absent, "false" for it to be present.
    return std::any_of(clause.values.begin(), clause.values.end(), [&](const std::string &v) {
      return iequals(v, "true") ? !present : iequals(v, "false") ? present : false;
    });
  }
  if (!present) {
    // AWS: a missing key fails a condition, except with IfExists, a negated
    // operator, or ForAllValues (vacuously true over no values).
    if (op.if_exists || op.set == parsed_operator::set_mode::for_all) return true;
    if (op.set == parsed_operator::set_mode::for_any) return false;
    return op.negated;
  }
  switch (op.set) {
    case parsed_operator::set_mode::for_all:
      // Every request value matches some policy value (negated: none does).
      return std::all_of(values->begin(), values->end(), [&](const std::string &v) {
        return matches_any(op, v, clause.values) != op.negated;
      });
    case parsed_operator::set_mode::for_any:
      return std::any_of(values->begin(), values->end(), [&](const std::string &v) {
        return matches_any(op, v, clause.values) != op.negated;
      });
    case parsed_operator::set_mode::single:
      break;
  }
  // A single-valued key: a negated operator holds when no policy value matches.
  const bool matched = std::any_of(values->begin(), values->end(),
                                   [&](const std::string &v) { return matches_any(op, v, clause.values); });
  return matched != op.negated;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
