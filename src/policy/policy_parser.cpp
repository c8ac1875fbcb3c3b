#include <simdjson.h>

#include <algorithm>

#include "../core/json_writer.hpp"
#include "identrail/policy/policy.hpp"

namespace identrail {
inline namespace v0 {
namespace {

namespace dom = simdjson::dom;

// By value, and held in a named local by every loop: GCC 12 at -O3 ends the
// life of a range-for's temporary too early here (ASan showed it).
dom::object as_object(dom::element e) {
  dom::object o;
  if (e.get_object().get(o)) return {};
  return o;
}
dom::array as_array(dom::element e) {
  dom::array a;
  if (e.get_array().get(a)) return {};
  return a;
}

// Thrown inside the parser only and turned into an error at its edge.
struct policy_error {
  std::string path;
  std::string reason;
};

std::string_view type_name(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY: return "an array";
    case dom::element_type::OBJECT: return "an object";
    case dom::element_type::STRING: return "a string";
    case dom::element_type::BOOL: return "a boolean";
    case dom::element_type::NULL_VALUE: return "null";
    default: return "a number";
  }
}

// A scalar as text: strings as they are, numbers and booleans as JSON writes them.
std::string scalar_text(dom::element e, const std::string &path) {
  switch (e.type()) {
    case dom::element_type::STRING: return std::string(std::string_view(e.get_string().value_unsafe()));
    case dom::element_type::BOOL: return e.get_bool().value_unsafe() ? "true" : "false";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return simdjson::minify(e);
    default: throw policy_error{path, "expected a string, found " + std::string(type_name(e.type()))};
  }
}

// "x" or ["x", "y"]: IAM accepts both wherever a list is meant.
std::vector<std::string> string_list(dom::element e, const std::string &path, bool allow_scalars = false) {
  std::vector<std::string> out;
  if (e.type() == dom::element_type::ARRAY) {
    std::size_t i = 0;
    const auto items1 = as_array(e);
    for (dom::element item : items1) {
      const std::string at = path + "[" + std::to_string(i++) + "]";
      if (item.type() != dom::element_type::STRING && !allow_scalars)
        throw policy_error{at, "expected a string, found " + std::string(type_name(item.type()))};
      out.push_back(scalar_text(item, at));
    }
    if (out.empty()) throw policy_error{path, "an empty list matches nothing"};
    return out;
  }
  if (e.type() != dom::element_type::STRING && !allow_scalars)
    throw policy_error{path, "expected a string or a list of strings, found " + std::string(type_name(e.type()))};
  out.push_back(scalar_text(e, path));
  return out;
}

principal_spec principal(dom::element e, const std::string &path) {
  principal_spec spec;
  if (e.type() == dom::element_type::STRING) {
    if (std::string_view(e.get_string().value_unsafe()) != "*")
      throw policy_error{path, "a string principal must be \"*\"; name principals as {\"AWS\": ...}"};
    spec.anyone = true;
    return spec;
  }
  if (e.type() != dom::element_type::OBJECT)
    throw policy_error{path, "expected \"*\" or an object, found " + std::string(type_name(e.type()))};
  const auto members2 = as_object(e);
  for (auto [type, values] : members2) {
    const std::string kind(type);
    if (kind != "AWS" && kind != "Service" && kind != "Federated" && kind != "CanonicalUser")
      throw policy_error{path + "." + kind, "unknown principal type (AWS, Service, Federated, CanonicalUser)"};
    for (auto &value : string_list(values, path + "." + kind)) {
      if (kind == "AWS" && value == "*") spec.anyone = true;
      spec.entries.emplace_back(kind, std::move(value));
    }
  }
  return spec;
}

bool known_operator(std::string_view op) {
  if (op.starts_with("ForAllValues:")) op.remove_prefix(13);
  else if (op.starts_with("ForAnyValue:")) op.remove_prefix(12);
  if (op.ends_with("IfExists") && op != "IfExists") op.remove_suffix(8);
  static constexpr std::string_view names[] = {
      "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
      "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
      "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
      "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
      "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null"};
  for (const auto name : names)
    if (op == name) return true;
  return false;
}

std::vector<condition_clause> conditions(dom::element e, const std::string &path) {
  if (e.type() != dom::element_type::OBJECT)
    throw policy_error{path, "expected an object of operators, found " + std::string(type_name(e.type()))};
  std::vector<condition_clause> out;
  std::vector<std::string_view> seen;
  const auto members3 = as_object(e);
  for (auto [op, keys] : members3) {
    const std::string op_path = path + "." + std::string(op);
    if (std::find(seen.begin(), seen.end(), op) != seen.end()) throw policy_error{op_path, "repeated operator"};
    seen.push_back(op);
    if (!known_operator(op)) throw policy_error{op_path, "unknown condition operator"};
    if (keys.type() != dom::element_type::OBJECT)
      throw policy_error{op_path, "expected an object of condition keys, found " + std::string(type_name(keys.type()))};
    const auto clauses = as_object(keys);
    for (auto [key, values] : clauses)
      out.push_back({std::string(op), std::string(key), string_list(values, op_path + "." + std::string(key), true)});
  }
  return out;
}

policy_statement statement(dom::element e, const std::string &path) {
  if (e.type() != dom::element_type::OBJECT)
    throw policy_error{path, "expected an object, found " + std::string(type_name(e.type()))};
  policy_statement s;
  bool has_effect = false, has_action = false, has_resource = false;
  std::vector<std::string_view> seen;
  const auto members4 = as_object(e);
  for (auto [field, value] : members4) {
    const std::string at = path + "." + std::string(field);
    // A repeated element would silently replace the first (a dropped Condition widens the statement).
    if (std::find(seen.begin(), seen.end(), field) != seen.end()) throw policy_error{at, "repeated element"};
    seen.push_back(field);
    if (field == "Sid") {
      if (value.type() != dom::element_type::STRING) throw policy_error{at, "expected a string"};
      s.sid = std::string(std::string_view(value.get_string().value_unsafe()));
    } else if (field == "Effect") {
      const auto text = value.type() == dom::element_type::STRING ? std::string_view(value.get_string().value_unsafe())
                                                                   : std::string_view();
      if (text != "Allow" && text != "Deny") throw policy_error{at, "expected \"Allow\" or \"Deny\""};
      s.effect = text == "Allow" ? policy_effect::allow : policy_effect::deny;
      has_effect = true;
    } else if (field == "Action" || field == "NotAction") {
      if (has_action) throw policy_error{at, "a statement has either Action or NotAction, once"};
      s.actions = string_list(value, at);
      s.not_action = field == "NotAction";
      has_action = true;
    } else if (field == "Resource" || field == "NotResource") {
      if (has_resource) throw policy_error{at, "a statement has either Resource or NotResource, once"};
      s.resources = string_list(value, at);
      s.not_resource = field == "NotResource";
      has_resource = true;
    } else if (field == "Principal" || field == "NotPrincipal") {
      if (s.principal) throw policy_error{at, "a statement has either Principal or NotPrincipal, once"};
      s.principal = principal(value, at);
      s.not_principal = field == "NotPrincipal";
    } else if (field == "Condition") {
      s.conditions = conditions(value, at);
    } else {
      throw policy_error{at, "unknown statement element"};
    }
  }
  if (!has_effect) throw policy_error{path, "missing Effect"};
  if (!has_action) throw policy_error{path, "missing Action or NotAction"};
  // Resource policies may leave Resource out (it is the resource itself); identity policies may not,
  // which only the caller knows: a missing Resource reads as "*".
  if (!has_resource) s.resources = {"*"};
  return s;
}

policy_document document(dom::element root) {
  if (root.type() != dom::element_type::OBJECT)
    throw policy_error{"", "a policy is a JSON object, found " + std::string(type_name(root.type()))};
  policy_document p;
  bool has_statement = false;
  const auto members5 = as_object(root);
  for (auto [field, value] : members5) {
    const std::string at(field);
    if (field == "Version") {
      const auto text = value.type() == dom::element_type::STRING ? std::string_view(value.get_string().value_unsafe())
                                                                   : std::string_view();
      if (text != "2012-10-17" && text != "2008-10-17") throw policy_error{at, "expected \"2012-10-17\" or \"2008-10-17\""};
      p.version = std::string(text);
    } else if (field == "Id") {
      if (value.type() != dom::element_type::STRING) throw policy_error{at, "expected a string"};
      p.id = std::string(std::string_view(value.get_string().value_unsafe()));
    } else if (field == "Statement") {
      has_statement = true;
      if (value.type() == dom::element_type::ARRAY) {
        std::size_t i = 0;
        const auto items = as_array(value);
        for (dom::element item : items)
          p.statements.push_back(statement(item, "Statement[" + std::to_string(i++) + "]"));
      } else {
        p.statements.push_back(statement(value, "Statement"));
      }
    } else {
      throw policy_error{at, "unknown policy element (Version, Id, Statement)"};
    }
  }
  if (!has_statement) throw policy_error{"", "missing Statement"};
  return p;
}

}  // namespace

result<policy_document> parse_policy(std::string_view json, std::string_view source) {
  dom::parser parser;
  dom::element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root))
    return make_error(errc::parse_error, std::string(source) + ": not valid JSON: " + simdjson::error_message(err));
  try {
    return document(root);
  } catch (const policy_error &e) {
    return make_error(errc::invalid_argument,
                      std::string(source) + (e.path.empty() ? "" : ": " + e.path) + ": " + e.reason);
  }
}

std::string to_json(const policy_document &policy) {
  using detail::json_array;
  using detail::json_object;
  const auto list = [](json_object &o, std::string_view name, const std::vector<std::string> &values) {
    if (values.size() == 1) {
      o.str(name, values.front());
      return;
    }
    json_array a(o.key(name));
    for (const auto &v : values) a.str(v);
  };
  std::string out;
  {
    json_object root(out);
    root.str("Version", policy.version.empty() ? "2012-10-17" : policy.version);
    root.str_if("Id", policy.id);
    json_array statements(root.key("Statement"));
    for (const auto &s : policy.statements) {
      json_object o(statements.next());
      o.str_if("Sid", s.sid);
      o.str("Effect", s.effect == policy_effect::allow ? "Allow" : "Deny");
      if (s.principal) {
        if (s.principal->anyone && s.principal->entries.empty()) {
          o.str(s.not_principal ? "NotPrincipal" : "Principal", "*");
        } else {
          json_object p(o.key(s.not_principal ? "NotPrincipal" : "Principal"));
          for (const char *type : {"AWS", "Service", "Federated", "CanonicalUser"}) {
            std::vector<std::string> values;
            for (const auto &[t, v] : s.principal->entries)
              if (t == type) values.push_back(v);
            if (!values.empty()) list(p, type, values);
          }
        }
      }
      list(o, s.not_action ? "NotAction" : "Action", s.actions);
      list(o, s.not_resource ? "NotResource" : "Resource", s.resources);
      if (!s.conditions.empty()) {
        json_object c(o.key("Condition"));
        // Clauses of one operator share its object, in first-appearance order.
        std::vector<std::string> ops;
        for (const auto &clause : s.conditions)
          if (std::find(ops.begin(), ops.end(), clause.op) == ops.end()) ops.push_back(clause.op);
        for (const auto &op : ops) {
          json_object keys(c.key(op));
          for (const auto &clause : s.conditions)
            if (clause.op == op) list(keys, clause.key, clause.values);
        }
      }
    }
  }
  return out;
}

}  // namespace v0
}  // namespace identrail
