// YAML rule files into compiled rules, with every mistake named by file, line and rule.
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../core/json_writer.hpp"
#include "attack_tactics.hpp"
#include "evaluate.hpp"
#include "identrail/detect/rule_set.hpp"
#include "rule_model.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using namespace detail;

// One burst of an event rule's hits by one identity (ninety calls of a root
// console session) is one detection with a count and revisions, not ninety:
// hits within this long of the burst's first join it. `coalesce: 0` turns it off.
constexpr std::int64_t kDefaultCoalesceNs = std::int64_t{3600} * 1'000'000'000;

// Thrown inside the loader only, and turned into an error at its boundary.
struct rule_error {
  std::string message;
};

class loader {
 public:
  explicit loader(std::string source) : source_(std::move(source)) {}

  std::vector<compiled_rule> load(std::string_view text) {
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception &e) {
      throw rule_error{source_ + ":" + std::to_string(e.mark.line + 1) + ": YAML: " + e.msg};
    }
    std::vector<compiled_rule> rules;
    std::vector<YAML::Node> correlations;
    // One bad rule is that rule's error: the others of the file are still read.
    const auto each = [&](const YAML::Node &node, auto &&compile) {
      try {
        rules.push_back(defined_by(compile(node), node));
      } catch (const rule_error &e) {
        errors_.push_back(e.message);
      } catch (const YAML::Exception &e) {
        errors_.push_back(source_ + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
      }
    };
    const auto native = [&](const YAML::Node &n) { return rule(n); };
    for (const auto &doc : documents) {
      if (!doc || doc.IsNull()) continue;
      if (doc.IsMap() && doc["correlation"]) {
        correlations.push_back(doc);  // after the rules it refers to
      } else if (doc.IsMap() && doc["detection"] && doc["logsource"]) {
        each(doc, [&](const YAML::Node &n) { return sigma_rule(n); });
      } else if (doc.IsSequence()) {
        for (const auto &r : doc) each(r, native);
      } else if (doc.IsMap() && doc["rules"]) {
        for (const auto &r : doc["rules"]) each(r, native);
      } else {
        each(doc, native);
      }
    }
    for (const auto &doc : correlations) each(doc, [&](const YAML::Node &n) { return sigma_correlation(n, rules); });
    return rules;
  }

  // What load() refused, one message a rule ("file:line: rule id: reason").
  [[nodiscard]] const std::vector<std::string> &errors() const noexcept { return errors_; }

 private:
  std::vector<std::string> errors_;

  // Emitted YAML is canonical enough: the same text gives the same hash in
  // every run. The examples (`tests`) do not change what a rule detects.
  static compiled_rule defined_by(compiled_rule r, const YAML::Node &node) {
    YAML::Node copy = YAML::Clone(node);
    if (copy.IsMap()) copy.remove("tests");
    YAML::Emitter text;
    text << copy;
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : std::string_view(text.c_str(), text.size())) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    r.definition = h;
    return r;
  }

  std::string source_;
  std::string rule_id_;

  friend struct sigma_parser;

 public:
  [[noreturn]] void fail(const YAML::Node &at, const std::string &what) const {
    std::string where = source_ + ":" + std::to_string(at.Mark().line + 1);
    if (!rule_id_.empty()) where += ": rule " + rule_id_;
    throw rule_error{where + ": " + what};
  }

  std::string scalar(const YAML::Node &node, const std::string &what) const {
    if (!node.IsScalar()) fail(node, what + " must be a single value");
    return node.as<std::string>();
  }

  std::vector<std::string> scalars(const YAML::Node &node, const std::string &what) const {
    std::vector<std::string> out;
    if (node.IsSequence()) {
      for (const auto &item : node) out.push_back(scalar(item, what));
    } else {
      out.push_back(scalar(node, what));
    }
    if (out.empty()) fail(node, what + " needs at least one value");
    return out;
  }

  // A whole number in [minimum, maximum], or an error at the node.
  std::uint64_t whole(const YAML::Node &node, const std::string &what, std::uint64_t minimum,
                      std::uint64_t maximum = 1'000'000'000'000ull) const {
    const std::string text = scalar(node, what);
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < minimum || value > maximum)
      fail(node, what + " must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                     ", got \"" + text + "\"");
    return value;
  }

  std::int64_t duration(const YAML::Node &node, const std::string &what) const {
    const std::string text = scalar(node, what);
    std::size_t used = 0;
    long long amount = 0;
    try {
      amount = std::stoll(text, &used);
    } catch (...) {
      fail(node, what + ": expected a duration such as 30s, 10m, 1h or 2d, got \"" + text + "\"");
    }
    const std::string unit = text.substr(used);
    std::int64_t seconds = 0;
    if (unit.empty() || unit == "s") seconds = amount;
    else if (unit == "m") seconds = amount * 60;
    else if (unit == "h") seconds = amount * 3600;
    else if (unit == "d") seconds = amount * 86400;
    else fail(node, what + ": unknown unit \"" + unit + "\" (use s, m, h or d)");
    if (seconds <= 0) fail(node, what + " must be positive");
    if (amount > 100LL * 365 * 86400 || seconds > 100LL * 365 * 86400) fail(node, what + " must be at most 100 years");
    return seconds * 1'000'000'000;
  }

  field_ref field(const YAML::Node &at, const std::string &name) const {
    static const std::map<std::string, field_id, std::less<>> names{
        {"event_id", field_id::event_id}, {"eventID", field_id::event_id},
        {"time", field_id::time}, {"eventTime", field_id::time},
        {"action", field_id::action},
        {"event_name", field_id::event_name}, {"eventName", field_id::event_name},
        {"event_source", field_id::event_source}, {"eventSource", field_id::event_source},
        {"event_type", field_id::event_type}, {"eventType", field_id::event_type},
        {"region", field_id::region}, {"awsRegion", field_id::region},
        {"account", field_id::account}, {"recipientAccountId", field_id::account},
        {"identity", field_id::identity},
        {"actor.type", field_id::actor_type}, {"userIdentity.type", field_id::actor_type},
        {"actor.arn", field_id::actor_arn}, {"userIdentity.arn", field_id::actor_arn},
        {"actor.principal_id", field_id::principal_id}, {"userIdentity.principalId", field_id::principal_id},
        {"actor.account", field_id::actor_account}, {"userIdentity.accountId", field_id::actor_account},
        {"actor.access_key_id", field_id::access_key_id}, {"userIdentity.accessKeyId", field_id::access_key_id},
        {"actor.user_name", field_id::user_name}, {"userIdentity.userName", field_id::user_name},
        {"actor.issuer_arn", field_id::issuer_arn},
        {"userIdentity.sessionContext.sessionIssuer.arn", field_id::issuer_arn},
        {"actor.issuer_type", field_id::issuer_type},
        {"userIdentity.sessionContext.sessionIssuer.type", field_id::issuer_type},
        {"actor.session_name", field_id::session_name},
        {"actor.source_identity", field_id::source_identity},
        {"userIdentity.sessionContext.sourceIdentity", field_id::source_identity},
        {"actor.instance_id", field_id::instance_id},
        {"actor.invoked_by", field_id::invoked_by}, {"userIdentity.invokedBy", field_id::invoked_by},
        {"actor.mfa", field_id::mfa},
        {"source_ip", field_id::source_ip}, {"sourceIPAddress", field_id::source_ip},
        {"source_kind", field_id::source_kind},
        {"source_network", field_id::source_network},
        {"agent_family", field_id::agent_family},
        {"peer", field_id::peer},
        {"asn", field_id::asn}, {"as_organization", field_id::as_organization},
        {"country", field_id::country}, {"city", field_id::city},
        {"user_agent", field_id::user_agent}, {"userAgent", field_id::user_agent},
        {"error_code", field_id::error_code}, {"errorCode", field_id::error_code},
        {"error_message", field_id::error_message}, {"errorMessage", field_id::error_message},
        {"success", field_id::success},
        {"read_only", field_id::read_only}, {"readOnly", field_id::read_only},
        {"category", field_id::category}, {"eventCategory", field_id::category},
    };
    if (const auto it = names.find(name); it != names.end()) return {it->second, {}, name};
    static constexpr std::string_view raw_roots[] = {"requestParameters.", "responseElements.", "additionalEventData.",
                                                     "userIdentity.", "resources.", "serviceEventDetails.",
                                                     "tlsDetails."};
    for (const auto root : raw_roots)
      if (std::string_view(name).starts_with(root) || name == root.substr(0, root.size() - 1))
        return {field_id::raw, name, name};  // a whole object reads as its JSON text
    if (name.starts_with("raw.") && name.size() > 4) return {field_id::raw, name.substr(4), name};
    fail(at, "unknown field \"" + name + "\" (normalized fields such as action, actor.arn, source_ip, or raw paths "
                                         "such as requestParameters.bucketName)");
  }

  cidr_block network(const YAML::Node &at, const std::string &text) const {
    auto block = parse_cidr(text);
    if (!block) fail(at, block.error().message);
    return *block;
  }

  // One field with operator keys: {equals|in|starts_with|ends_with|contains|regex|cidr|exists|gt|gte|lt|lte: ...}
  condition field_tests(const YAML::Node &at, const field_ref &f, const YAML::Node &ops) {
    bool ignore_case = false, match_all = false;
    if (ops["ignore_case"]) ignore_case = scalar(ops["ignore_case"], "ignore_case") == "true";
    if (ops["match_all"]) match_all = scalar(ops["match_all"], "match_all") == "true";
    condition all;
    all.type = condition::kind::all;
    for (const auto &entry : ops) {
      const std::string key = entry.first.as<std::string>();
      if (key == "field" || key == "ignore_case" || key == "match_all") continue;
      static const std::map<std::string, test_op, std::less<>> ops_by_name{
          {"equals", test_op::equals}, {"in", test_op::in}, {"starts_with", test_op::starts_with},
          {"ends_with", test_op::ends_with}, {"contains", test_op::contains}, {"regex", test_op::regex},
          {"cidr", test_op::cidr}, {"exists", test_op::exists}, {"gt", test_op::gt}, {"gte", test_op::gte},
          {"lt", test_op::lt}, {"lte", test_op::lte}, {"same_as", test_op::same_as},
          {"foreign_account", test_op::foreign_account}};
      const auto op = ops_by_name.find(key);
      if (op == ops_by_name.end()) fail(entry.first, "unknown operator \"" + key + "\" for field " + f.name);
      condition c;
      c.type = condition::kind::test;
      auto &t = c.test;
      t.field = f;
      t.op = op->second;
      t.ignore_case = ignore_case;
      t.all = match_all;
      switch (t.op) {
        case test_op::exists: t.expect_present = scalar(entry.second, "exists") != "false"; break;
        case test_op::foreign_account: t.expect_present = scalar(entry.second, "foreign_account") != "false"; break;
        case test_op::same_as: t.other = field(entry.second, scalar(entry.second, "same_as")); break;
        case test_op::gt:
        case test_op::gte:
        case test_op::lt:
        case test_op::lte: {
          const auto text = scalar(entry.second, key);
          try {
            std::size_t used = 0;
            t.number = std::stod(text, &used);
            if (used != text.size()) throw 0;
          } catch (...) {
            fail(entry.second, key + " needs a number, got \"" + text + "\"");
          }
          break;
        }
        case test_op::cidr:
          if (f.id != field_id::source_ip) fail(entry.first, "cidr applies to source_ip only");
          for (const auto &v : scalars(entry.second, "cidr")) t.networks.push_back(network(entry.second, v));
          break;
        case test_op::regex:
          for (const auto &v : scalars(entry.second, "regex")) {
            RE2::Options options;
            options.set_case_sensitive(!ignore_case);
            options.set_log_errors(false);
            auto re = std::make_shared<const RE2>(v, options);
            if (!re->ok()) fail(entry.second, "bad regex \"" + v + "\": " + re->error());
            t.patterns.push_back(std::move(re));
          }
          break;
        default:
          t.values = scalars(entry.second, key);
          if (ignore_case)
            for (auto &v : t.values) v = ascii_lower(v);
      }
      all.children.push_back(std::move(c));
    }
    if (all.children.empty()) fail(at, "field " + f.name + " has no operator");
    return all.children.size() == 1 ? std::move(all.children.front()) : all;
  }

  condition parse_condition(const YAML::Node &node) {
    if (!node.IsMap()) fail(node, "a condition must be a mapping");
    condition out;
    out.type = condition::kind::all;
    for (const auto &entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (key == "all" || key == "any") {
        if (!entry.second.IsSequence()) fail(entry.second, key + " takes a list of conditions");
        condition group;
        group.type = key == "all" ? condition::kind::all : condition::kind::any;
        for (const auto &child : entry.second) group.children.push_back(parse_condition(child));
        out.children.push_back(std::move(group));
      } else if (key == "not") {
        condition negated;
        negated.type = condition::kind::negate;
        negated.children.push_back(parse_condition(entry.second));
        out.children.push_back(std::move(negated));
      } else if (key == "field") {
        // {field: NAME, op: value, ...}
        out.children.push_back(field_tests(node, field(node, scalar(entry.second, "field")), node));
        return out.children.size() == 1 ? std::move(out.children.front()) : out;
      } else {
        // Shorthand: {NAME: value} equals, {NAME: [values]} in, {NAME: {op: value}}.
        const auto f = field(entry.first, key);
        if (entry.second.IsMap()) {
          out.children.push_back(field_tests(entry.first, f, entry.second));
        } else {
          condition c;
          c.type = condition::kind::test;
          c.test.field = f;
          c.test.op = test_op::in;
          c.test.values = scalars(entry.second, key);
          out.children.push_back(std::move(c));
        }
      }
    }
    if (out.children.empty()) fail(node, "empty condition");
    return out.children.size() == 1 ? std::move(out.children.front()) : out;
  }

  // -?digits[.digits]: what YAML and JSON both read as a number (not "54.210.33.17").
  static bool is_json_number(std::string_view text) {
    std::size_t i = text.starts_with('-') ? 1 : 0;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits_start || i - digits_start > 18) return false;
    if (i < text.size() && text[i] == '.') {
      const std::size_t fraction = ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      if (i == fraction) return false;
    }
    return i == text.size();
  }

  // YAML to JSON for test events: plain scalars that read as JSON literals
  // (true, false, null, numbers) stay literals; everything else is a string.
  static void to_json(const YAML::Node &node, std::string &out) {
    auto quote = [&](const std::string &text) { append_json_string(out, text); };
    if (node.IsMap()) {
      out.push_back('{');
      bool first = true;
      for (const auto &entry : node) {
        if (!first) out.push_back(',');
        first = false;
        quote(entry.first.as<std::string>());
        out.push_back(':');
        to_json(entry.second, out);
      }
      out.push_back('}');
    } else if (node.IsSequence()) {
      out.push_back('[');
      for (std::size_t i = 0; i < node.size(); ++i) {
        if (i) out.push_back(',');
        to_json(node[i], out);
      }
      out.push_back(']');
    } else if (node.IsNull()) {
      out += "null";
    } else {
      const auto text = node.as<std::string>();
      const bool plain = node.Tag() == "?";
      const bool number = is_json_number(text);
      if (plain && (text == "true" || text == "false" || text == "null" || number)) out += text;
      else quote(text);
    }
  }


  // ---- Sigma (SigmaHQ format) for product: aws, service: cloudtrail ----
  // Sigma compares strings case-insensitively and supports * and ? wildcards;
  // modifiers contains, startswith, endswith, re, cidr, all, exists. Anything
  // else is rejected with the reason rather than half-loaded.

  std::map<std::string, std::string> sigma_names_;  // Sigma name or id -> rule index key (id)
  std::map<std::string, condition> sigma_conditions_;
  std::vector<std::string> referenced_ids_;  // by the correlation being read

  // Sigma names CloudTrail's own fields and reads them as the record has them
  // (raw, every array element, null apart from ""): no normalized fallback may
  // stand behind a raw name. eventName and eventSource are the record's text
  // unchanged and let the rule index narrow what a rule is tried on;
  // sourceIPAddress is kept as logged, which the cidr modifier needs.
  field_ref sigma_field_ref(const YAML::Node &at, const std::string &name) const {
    if (name == "eventName") return {field_id::event_name, {}, name, false};
    if (name == "eventSource") return {field_id::event_source, {}, name, false};
    if (name == "sourceIPAddress") return {field_id::source_ip, {}, name, false};
    static constexpr std::string_view record_fields[] = {
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
        "userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
        "requestID", "eventID", "readOnly", "resources", "eventType", "apiVersion", "managementEvent",
        "recipientAccountId", "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
        "eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails",
        "insightDetails"};
    const std::string_view top = std::string_view(name).substr(0, name.find('.'));
    if (std::find(std::begin(record_fields), std::end(record_fields), top) == std::end(record_fields))
      fail(at, "\"" + name + "\" is not a field of a CloudTrail record (its fields: eventVersion, userIdentity, "
               "eventTime, eventSource, eventName, requestParameters, ...; see docs/rules.md)");
    return {field_id::raw, name, name, true};
  }

  struct sigma_modifiers {
    std::string kind;  // contains, startswith, endswith, re, cidr, exists, fieldref, gt, gte, lt, lte, or ""
    bool all = false;
    bool cased = false;
    std::string re_flags;  // i, m, s
  };

  sigma_modifiers sigma_modifiers_of(const YAML::Node &at, const std::vector<std::string> &parts) const {
    static constexpr std::string_view kinds[] = {"contains", "startswith", "endswith", "re", "cidr", "exists",
                                                 "fieldref", "gt", "gte", "lt", "lte"};
    sigma_modifiers m;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      const auto &part = parts[i];
      if (part == "all") m.all = true;
      else if (part == "cased") m.cased = true;
      else if ((part == "i" || part == "m" || part == "s") && m.kind == "re") m.re_flags += part;
      else if (std::find(std::begin(kinds), std::end(kinds), part) != std::end(kinds)) {
        // fieldref combines with the string modifiers in Sigma 2; one of each kind here.
        if (!m.kind.empty()) fail(at, "Sigma modifiers " + m.kind + " and " + part + " together are not supported");
        m.kind = part;
      } else {
        fail(at, "unsupported Sigma modifier \"" + part + "\" in " + parts.front() + "|...");
      }
    }
    return m;
  }

  // A Sigma value with wildcards, as the closest native test.
  condition sigma_value_test(const YAML::Node &at, const field_ref &f, std::string value, const sigma_modifiers &m) {
    condition c;
    c.type = condition::kind::test;
    c.test.field = f;
    c.test.ignore_case = !m.cased;
    const std::string &modifier = m.kind;
    if (modifier == "fieldref") {
      c.test.op = test_op::same_as;
      c.test.other = sigma_field_ref(at, value);
      return c;
    }
    if (modifier == "gt" || modifier == "gte" || modifier == "lt" || modifier == "lte") {
      c.test.op = modifier == "gt" ? test_op::gt : modifier == "gte" ? test_op::gte : modifier == "lt" ? test_op::lt : test_op::lte;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), c.test.number);
      if (ec != std::errc{} || end != value.data() + value.size()) fail(at, "Sigma " + modifier + " needs a number, not \"" + value + "\"");
      return c;
    }
    const bool wild = value.find_first_of("*?") != std::string::npos;
    if (modifier == "re") {
      c.test.op = test_op::regex;
      c.test.ignore_case = m.re_flags.find('i') != std::string::npos;
      // Sigma's re flags as RE2's inline ones: i case, m multi-line, s dot matches newline.
      std::string inline_flags;
      for (const char flag : m.re_flags)
        if (flag == 'm' || flag == 's') inline_flags += flag;
      if (!inline_flags.empty()) value = "(?" + inline_flags + ")" + value;
    } else if (modifier == "cidr") {
      if (f.id != field_id::source_ip) fail(at, "Sigma cidr applies to sourceIPAddress only");
      c.test.op = test_op::cidr;
      c.test.networks.push_back(network(at, value));
      return c;
    } else if (wild || !modifier.empty()) {
      // contains/startswith/endswith and wildcards all become an anchored RE2 pattern.
      // Sigma escapes: \* and \? are literal, \\ a backslash; a lone backslash stays itself.
      std::string pattern;
      auto literal = [&](char ch) {
        if (std::string_view("\\.+*?()[]{}|^$").find(ch) != std::string_view::npos) pattern += '\\';
        pattern += ch;
      };
      for (std::size_t k = 0; k < value.size(); ++k) {
        const char ch = value[k];
        if (ch == '\\' && k + 1 < value.size() && (value[k + 1] == '*' || value[k + 1] == '?' || value[k + 1] == '\\')) {
          literal(value[++k]);
        } else if (ch == '*') {
          pattern += ".*";
        } else if (ch == '?') {
          pattern += ".";
        } else {
          literal(ch);
        }
      }
      if (modifier == "contains") pattern = ".*" + pattern + ".*";
      else if (modifier == "startswith") pattern += ".*";
      else if (modifier == "endswith") pattern = ".*" + pattern;
      value = "^(?s:" + pattern + ")$";
      c.test.op = test_op::regex;
    } else {
      c.test.op = test_op::equals;
      c.test.values.push_back(c.test.ignore_case ? ascii_lower(value) : value);
      return c;
    }
    RE2::Options options;
    options.set_case_sensitive(!c.test.ignore_case);
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(value, options);
    if (!re->ok()) fail(at, "bad Sigma pattern \"" + value + "\": " + re->error());
    c.test.patterns.push_back(std::move(re));
    return c;
  }

  // "field|mod1|mod2": value(s)
  condition sigma_field(const YAML::Node &key_node, const YAML::Node &value) {
    const auto spec = key_node.as<std::string>();
    std::vector<std::string> parts;
    std::stringstream split(spec);
    for (std::string part; std::getline(split, part, '|');) parts.push_back(part);
    if (parts.empty() || parts.front().empty()) fail(key_node, "a Sigma selection key needs a field name");
    const auto f = sigma_field_ref(key_node, parts.front());
    const auto m = sigma_modifiers_of(key_node, parts);
    if (m.kind == "exists") {
      condition c;
      c.type = condition::kind::test;
      c.test.field = f;
      c.test.op = test_op::exists;
      c.test.expect_present = value.as<std::string>() != "false";
      return c;
    }
    std::vector<YAML::Node> values;
    if (value.IsSequence()) for (const auto &v : value) values.push_back(v);
    else values.push_back(value);
    condition group;
    group.type = m.all ? condition::kind::all : condition::kind::any;
    for (const auto &v : values) {
      if (!v.IsScalar() && !v.IsNull()) fail(v, "Sigma values must be scalars");
      if (v.IsNull() || (v.IsScalar() && v.as<std::string>() == "null" && v.Tag() == "?")) {
        condition absent;
        absent.type = condition::kind::test;
        absent.test.field = f;
        absent.test.op = test_op::exists;
        absent.test.expect_present = false;
        group.children.push_back(std::move(absent));
      } else {
        group.children.push_back(sigma_value_test(v, f, v.as<std::string>(), m));
      }
    }
    return group.children.size() == 1 ? std::move(group.children.front()) : group;
  }

  condition sigma_selection(const YAML::Node &node) {
    if (node.IsMap()) {
      condition all;
      all.type = condition::kind::all;
      for (const auto &entry : node) all.children.push_back(sigma_field(entry.first, entry.second));
      return all;
    }
    if (node.IsSequence()) {
      condition any;
      any.type = condition::kind::any;
      for (const auto &item : node) {
        if (!item.IsMap()) fail(item, "Sigma keyword searches (values without a field) are not supported");
        any.children.push_back(sigma_selection(item));
      }
      return any;
    }
    fail(node, "a Sigma selection is a mapping or a list of mappings");
  }

  // condition: recursive descent over and/or/not, parentheses, "1 of x*", "all of them".
  struct sigma_parser {
    loader &self;
    const YAML::Node &at;
    const std::map<std::string, condition> &selections;
    std::vector<std::string> tokens;
    std::size_t pos = 0;

    const std::string &peek() const {
      static const std::string end;
      return pos < tokens.size() ? tokens[pos] : end;
    }
    std::vector<const condition *> matching(const std::string &pattern) {
      std::vector<const condition *> out;
      for (const auto &[name, c] : selections) {
        const bool hit = pattern == "them" ? !name.starts_with("_")
                         : pattern.ends_with("*") ? name.starts_with(pattern.substr(0, pattern.size() - 1))
                                                  : name == pattern;
        if (hit) out.push_back(&c);
      }
      if (out.empty()) self.fail(at, "Sigma condition names no selection matching \"" + pattern + "\"");
      return out;
    }
    condition primary() {
      const std::string token = peek();
      if (token.empty()) self.fail(at, "Sigma condition ends early");
      ++pos;
      if (token == "(") {
        auto inner = expression();
        if (peek() != ")") self.fail(at, "Sigma condition misses a ')'");
        ++pos;
        return inner;
      }
      if (token == "not") {
        condition n;
        n.type = condition::kind::negate;
        n.children.push_back(primary());
        return n;
      }
      if (token == "1" || token == "all" || token == "any") {
        if (peek() != "of") self.fail(at, "Sigma condition: expected 'of' after '" + token + "'");
        ++pos;
        const std::string pattern = peek();
        ++pos;
        condition group;
        group.type = token == "all" ? condition::kind::all : condition::kind::any;
        for (const auto *c : matching(pattern)) group.children.push_back(*c);
        return group;
      }
      const auto found = selections.find(token);
      if (found == selections.end()) self.fail(at, "Sigma condition names an unknown selection \"" + token + "\"");
      return found->second;
    }
    condition conjunction() {
      condition all;
      all.type = condition::kind::all;
      all.children.push_back(primary());
      while (peek() == "and") {
        ++pos;
        all.children.push_back(primary());
      }
      return all.children.size() == 1 ? std::move(all.children.front()) : all;
    }
    condition expression() {
      condition any;
      any.type = condition::kind::any;
      any.children.push_back(conjunction());
      while (peek() == "or") {
        ++pos;
        any.children.push_back(conjunction());
      }
      return any.children.size() == 1 ? std::move(any.children.front()) : any;
    }
  };

  void sigma_meta(const YAML::Node &doc, compiled_rule &r) {
    if (!doc["title"]) fail(doc, "Sigma rule without a title");
    r.info.name = scalar(doc["title"], "title");
    rule_id_ = doc["id"] ? scalar(doc["id"], "id") : doc["name"] ? scalar(doc["name"], "name") : r.info.name;
    r.info.id = rule_id_;
    r.info.source = source_ + ":" + std::to_string(doc.Mark().line + 1);
    if (doc["description"]) r.info.description = scalar(doc["description"], "description");
    const std::string level = doc["level"] ? scalar(doc["level"], "level") : "medium";
    static const std::map<std::string, severity, std::less<>> levels{
        {"informational", severity::info}, {"low", severity::low}, {"medium", severity::medium},
        {"high", severity::high}, {"critical", severity::critical}};
    const auto found = levels.find(level);
    if (found == levels.end()) fail(doc["level"], "unknown Sigma level \"" + level + "\"");
    r.info.level = found->second;
    if (const auto tags = doc["tags"]) {
      for (const auto &tag : tags) {
        auto text = tag.as<std::string>();
        if (!text.starts_with("attack.")) continue;
        text = text.substr(7);
        if (text.size() > 1 && (text[0] == 't' || text[0] == 'T') && std::isdigit(static_cast<unsigned char>(text[1]))) {
          for (auto &c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          r.info.techniques.push_back(text);
        } else if (auto id = attack_tactic_id(text); !id.empty()) {
          r.info.tactics.emplace_back(id);
        } else if (text.size() > 1 && (text[0] == 'g' || text[0] == 's') &&
                   std::isdigit(static_cast<unsigned char>(text[1]))) {
          // a group or a piece of software: not something a detection is tagged by
        } else {
          fail(tag, "unknown ATT&CK tactic tag \"" + tag.as<std::string>() + "\"");
        }
      }
    }
    if (doc["name"]) sigma_names_[scalar(doc["name"], "name")] = r.info.id;
    sigma_names_[r.info.id] = r.info.id;
  }

  compiled_rule sigma_rule(const YAML::Node &doc) {
    rule_id_.clear();
    compiled_rule r;
    sigma_meta(doc, r);
    const auto logsource = doc["logsource"];
    const std::string product = logsource["product"] ? logsource["product"].as<std::string>() : "";
    const std::string service = logsource["service"] ? logsource["service"].as<std::string>() : "";
    if (product != "aws" || service != "cloudtrail")
      fail(logsource, "only Sigma rules for product: aws, service: cloudtrail are supported (this one is for " +
                          product + "/" + service + ")");
    const auto detection = doc["detection"];
    if (!detection.IsMap() || !detection["condition"]) fail(detection, "Sigma detection needs a condition");
    std::map<std::string, condition> selections;
    for (const auto &entry : detection) {
      const auto name = entry.first.as<std::string>();
      if (name == "condition" || name == "timeframe") continue;
      selections.emplace(name, sigma_selection(entry.second));
    }
    if (detection["timeframe"]) fail(detection["timeframe"], "Sigma timeframe is not supported; use a correlation rule");
    const auto condition_node = detection["condition"];
    if (!condition_node.IsScalar()) fail(condition_node, "a list of Sigma conditions is not supported");
    sigma_parser parser{*this, condition_node, selections, {}, 0};
    const std::string text = condition_node.as<std::string>();
    for (std::size_t i = 0; i < text.size();) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
      } else if (text[i] == '(' || text[i] == ')') {
        parser.tokens.emplace_back(1, text[i++]);
      } else {
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '(' && text[j] != ')') ++j;
        parser.tokens.push_back(text.substr(i, j - i));
        i = j;
      }
    }
    if (std::find(parser.tokens.begin(), parser.tokens.end(), "|") != parser.tokens.end())
      fail(condition_node, "Sigma aggregation expressions (| count() ...) are not supported; use a correlation rule");
    r.match = parser.expression();
    if (parser.pos != parser.tokens.size()) fail(condition_node, "unexpected \"" + parser.peek() + "\" in the Sigma condition");
    r.kind = rule_kind::event;
    r.info.kind = "event";
    r.window_ns = kDefaultCoalesceNs;
    r.group_by.push_back({field_id::identity, {}, "identity"});
    sigma_conditions_[r.info.id] = r.match;
    return r;
  }

  compiled_rule sigma_correlation(const YAML::Node &doc, std::vector<compiled_rule> &rules) {
    rule_id_.clear();
    compiled_rule r;
    sigma_meta(doc, r);
    const auto c = doc["correlation"];
    if (!c.IsMap()) fail(c, "correlation must be a mapping");
    for (const auto &entry : c) {
      const auto key = entry.first.as<std::string>();
      if (key != "type" && key != "rules" && key != "group-by" && key != "timespan" && key != "condition" &&
          key != "generate")
        fail(entry.first, "Sigma correlation key \"" + key + "\" is not supported");
    }
    const std::string type = c["type"] ? scalar(c["type"], "type") : "";
    referenced_ids_.clear();
    std::vector<condition> referenced;
    if (!c["rules"]) fail(c, "a Sigma correlation needs rules");
    for (const auto &name : scalars(c["rules"], "rules")) {
      const auto id = sigma_names_.find(name);
      if (id == sigma_names_.end()) fail(c["rules"], "Sigma correlation refers to unknown rule \"" + name + "\"");
      const auto condition_of = sigma_conditions_.find(id->second);
      if (condition_of == sigma_conditions_.end())
        fail(c["rules"], "Sigma correlation refers to \"" + name + "\", which is not a detection rule");
      referenced.push_back(condition_of->second);
      referenced_ids_.push_back(id->second);
    }
    if (c["group-by"])
      for (const auto &name : scalars(c["group-by"], "group-by")) r.group_by.push_back(field(c["group-by"], name));
    else
      r.group_by.push_back({field_id::identity, {}, "identity"});
    if (!c["timespan"]) fail(c, "a Sigma correlation needs a timespan");
    r.window_ns = duration(c["timespan"], "timespan");
    auto threshold = [&](const YAML::Node &cond) -> std::uint64_t {
      if (!cond || !cond.IsMap()) fail(c, "a Sigma " + type + " correlation needs condition: {gte: N}");
      for (const auto &entry : cond) {
        const auto op = entry.first.as<std::string>();
        if (op == "field") continue;
        if (op == "gte") return whole(entry.second, "gte", 1);
        if (op == "gt") return whole(entry.second, "gt", 0, 999'999'999'999ull) + 1;
        fail(entry.first, "Sigma correlation condition \"" + op + "\" is not supported (use gte or gt)");
      }
      fail(cond, "Sigma correlation condition needs gte or gt");
    };
    if (type == "event_count" || type == "value_count") {
      condition any;
      any.type = condition::kind::any;
      any.children = referenced;
      r.match = referenced.size() == 1 ? referenced.front() : any;
      r.threshold = threshold(c["condition"]);
      if (type == "event_count") {
        r.kind = rule_kind::count;
      } else {
        if (!c["condition"]["field"]) fail(c["condition"], "a value_count correlation needs condition.field");
        r.kind = rule_kind::distinct;
        r.distinct = field(c["condition"]["field"], scalar(c["condition"]["field"], "field"));
      }
    } else if (type == "temporal" || type == "temporal_ordered") {
      if (referenced.size() < 2) fail(c["rules"], "a temporal correlation needs at least two rules");
      for (std::size_t i = 0; i < referenced.size(); ++i) r.steps.push_back({"rule " + std::to_string(i + 1), referenced[i]});
      r.kind = type == "temporal" ? rule_kind::all_of : rule_kind::sequence;
    } else {
      fail(c, "unknown Sigma correlation type \"" + type + "\"");
    }
    r.info.kind = type == "event_count" ? "count" : type == "value_count" ? "distinct" : type == "temporal" ? "all_of" : "sequence";
    // Sigma: the rules a correlation uses raise no alerts of their own unless it says generate: true.
    const bool generate = c["generate"] && scalar(c["generate"], "generate") == "true";
    if (!generate)
      for (auto &base : rules)
        if (std::find(referenced_ids_.begin(), referenced_ids_.end(), base.info.id) != referenced_ids_.end()) base.emit = false;
    return r;
  }

  // An allow-list entry: {allow: NAME, match: CONDITION, rules: [ID or PREFIX*], description}.
  compiled_rule allowance(const YAML::Node &node) {
    rule_id_ = "allow " + scalar(node["allow"], "allow");
    for (const auto &entry : node) {
      const auto key = entry.first.as<std::string>();
      if (key != "allow" && key != "match" && key != "rules" && key != "description")
        fail(entry.first, "unknown key \"" + key + "\" in an allow-list entry (allow, match, rules, description)");
    }
    if (!node["match"]) fail(node, "an allow-list entry needs match: the events it lets through");
    compiled_rule r;
    r.kind = rule_kind::allow;
    r.info.kind = "allow";
    r.info.id = rule_id_;
    r.info.name = scalar(node["allow"], "allow");
    r.info.source = source_ + ":" + std::to_string(node.Mark().line + 1);
    if (node["description"]) r.info.description = scalar(node["description"], "description");
    r.match = parse_condition(node["match"]);
    if (node["rules"]) r.allows = scalars(node["rules"], "rules");
    r.emit = false;
    return r;
  }

  compiled_rule rule(const YAML::Node &node) {
    rule_id_.clear();
    if (!node.IsMap()) fail(node, "a rule must be a mapping");
    if (node["allow"] && !node["id"]) return allowance(node);
    static const std::set<std::string, std::less<>> known{
        "id", "name", "description", "severity", "mitre", "kind", "match", "group_by", "window", "threshold",
        "distinct", "steps", "until", "maxspan", "field", "learning", "history", "summary", "tests", "coalesce",
        "context", "floor", "factor", "min_history", "peers", "learn_from", "rare_below"};
    if (!node["id"]) fail(node, "rule without an id");
    rule_id_ = scalar(node["id"], "id");
    for (const auto &entry : node) {
      const auto key = entry.first.as<std::string>();
      if (!known.contains(key)) fail(entry.first, "unknown key \"" + key + "\"");
    }
    compiled_rule r;
    r.info.id = rule_id_;
    r.info.source = source_ + ":" + std::to_string(node.Mark().line + 1);
    if (!node["name"]) fail(node, "missing name");
    r.info.name = scalar(node["name"], "name");
    if (node["description"]) r.info.description = scalar(node["description"], "description");
    const std::string level = node["severity"] ? scalar(node["severity"], "severity") : "";
    static const std::map<std::string, severity, std::less<>> levels{{"info", severity::info},
                                                                    {"low", severity::low},
                                                                    {"medium", severity::medium},
                                                                    {"high", severity::high},
                                                                    {"critical", severity::critical}};
    const auto found = levels.find(level);
    if (found == levels.end()) fail(node, "severity must be one of info, low, medium, high, critical");
    r.info.level = found->second;
    if (const auto mitre = node["mitre"]) {
      if (!mitre.IsMap()) fail(mitre, "mitre takes {tactics: [...], techniques: [...]}");
      for (const auto &entry : mitre) {
        const auto key = entry.first.as<std::string>();
        if (key == "tactics") r.info.tactics = scalars(entry.second, "tactics");
        else if (key == "techniques") r.info.techniques = scalars(entry.second, "techniques");
        else fail(entry.first, "unknown key \"" + key + "\" in mitre");
      }
      for (const auto &t : r.info.tactics)
        if (!t.starts_with("TA")) fail(mitre, "tactic ids look like TA0007, not \"" + t + "\"");
      for (const auto &t : r.info.techniques)
        if (!t.starts_with("T")) fail(mitre, "technique ids look like T1580, not \"" + t + "\"");
    }
    const std::string kind = node["kind"] ? scalar(node["kind"], "kind") : "event";
    static const std::map<std::string, rule_kind, std::less<>> kinds{
        {"event", rule_kind::event},       {"count", rule_kind::count},   {"distinct", rule_kind::distinct},
        {"sequence", rule_kind::sequence}, {"all_of", rule_kind::all_of}, {"absence", rule_kind::absence},
        {"first_seen", rule_kind::first_seen}, {"volume", rule_kind::volume}, {"rare", rule_kind::first_seen}};
    const auto k = kinds.find(kind);
    if (k == kinds.end()) fail(node["kind"], "unknown kind \"" + kind + "\"");
    r.kind = k->second;
    r.info.kind = kind;
    if (r.kind == rule_kind::event) r.window_ns = kDefaultCoalesceNs;
    if (node["match"]) r.match = parse_condition(node["match"]);
    else if (r.kind == rule_kind::event) fail(node, "an event rule needs match");
    if (node["group_by"]) {
      for (const auto &name : scalars(node["group_by"], "group_by")) r.group_by.push_back(field(node["group_by"], name));
    } else if (kind == "rare") {
      r.group_by.push_back({field_id::peer, {}, "peer"});
    } else {
      r.group_by.push_back({field_id::identity, {}, "identity"});
    }
    if (node["summary"]) r.summary = scalar(node["summary"], "summary");
    if (node["coalesce"]) {
      if (r.kind != rule_kind::event) fail(node["coalesce"], "coalesce applies to event rules");
      const auto text = scalar(node["coalesce"], "coalesce");
      r.window_ns = text == "0" || text == "off" ? 0 : duration(node["coalesce"], "coalesce");
    }
    if (const auto tests = node["tests"]) {
      if (!tests.IsSequence()) fail(tests, "tests takes a list of {name, fires, events}");
      for (const auto &t : tests) {
        if (!t.IsMap() || !t["events"] || !t["events"].IsSequence()) fail(t, "each test needs a list of events");
        rule_test test;
        test.name = t["name"] ? scalar(t["name"], "name") : "test " + std::to_string(r.info.tests.size() + 1);
        test.fires = !t["fires"] || scalar(t["fires"], "fires") != "false";
        test.source = source_ + ":" + std::to_string(t.Mark().line + 1);
        for (const auto &e : t["events"]) {
          if (!e.IsMap()) fail(e, "a test event is a mapping of CloudTrail fields");
          std::string json;
          to_json(e, json);
          test.events.push_back(std::move(json));
        }
        r.info.tests.push_back(std::move(test));
      }
    }

    auto need = [&](const char *key) -> YAML::Node {
      if (!node[key]) fail(node, "a " + kind + " rule needs " + key);
      return node[key];
    };
    auto threshold = [&] { return whole(need("threshold"), "threshold", 1); };
    auto steps = [&](std::size_t minimum) {
      const auto list = need("steps");
      if (!list.IsSequence()) fail(list, "steps takes a list of {name, match}");
      for (const auto &s : list) {
        if (!s.IsMap() || !s["match"]) fail(s, "each step needs match");
        rule_step step;
        step.name = s["name"] ? scalar(s["name"], "name") : "step " + std::to_string(r.steps.size() + 1);
        step.match = parse_condition(s["match"]);
        r.steps.push_back(std::move(step));
      }
      if (r.steps.size() < minimum) fail(list, "a " + kind + " rule needs at least " + std::to_string(minimum) + " steps");
    };
    switch (r.kind) {
      case rule_kind::event: break;
      case rule_kind::count:
        r.window_ns = duration(need("window"), "window");
        r.threshold = threshold();
        break;
      case rule_kind::distinct:
        r.window_ns = duration(need("window"), "window");
        r.threshold = threshold();
        r.distinct = field(need("distinct"), scalar(node["distinct"], "distinct"));
        break;
      case rule_kind::sequence:
        steps(2);
        r.window_ns = duration(need("maxspan"), "maxspan");
        if (node["until"]) r.until = parse_condition(node["until"]);
        break;
      case rule_kind::all_of:
        steps(2);
        r.window_ns = duration(need("window"), "window");
        break;
      case rule_kind::absence:
        steps(2);
        if (r.steps.size() != 2) fail(node["steps"], "an absence rule has exactly two steps: the event and the one that must follow");
        r.window_ns = duration(need("window"), "window");
        break;
      case rule_kind::first_seen:
        r.seen_field = field(need("field"), scalar(node["field"], "field"));
        // With learn_from and no learning period, only what the key's own events teach decides.
        r.learning_ns = node["learn_from"] && !node["learning"] ? INT64_MAX : duration(need("learning"), "learning");
        if (node["history"]) r.history = whole(node["history"], "history", 1, 1'000'000);
        if (node["learn_from"]) r.learn_from = parse_condition(node["learn_from"]);
        if (kind == "rare") r.rare_below = node["rare_below"] ? whole(node["rare_below"], "rare_below", 1, 1000) : 3;
        break;
      case rule_kind::volume: volume(node, r); break;
      case rule_kind::allow: break;  // allowance() reads these
    }
    for (const char *key : {"floor", "factor", "min_history", "peers"})
      if (node[key] && r.kind != rule_kind::volume) fail(node[key], std::string(key) + " applies to volume rules");
    if (node["learn_from"] && r.kind != rule_kind::first_seen) fail(node["learn_from"], "learn_from applies to first_seen rules");
    if (node["rare_below"] && kind != "rare") fail(node["rare_below"], "rare_below applies to rare rules");
    if (node["context"]) r.context = context(node["context"], r, levels);
    return r;
  }

  // volume: window, floor, factor, min_history, peers (docs/rules.md, "Baselines").
  void volume(const YAML::Node &node, compiled_rule &r) const {
    if (!node["window"]) fail(node, "a volume rule needs window");
    r.window_ns = duration(node["window"], "window");
    if (node["floor"]) r.volume.floor = whole(node["floor"], "floor", 1);
    if (node["factor"]) {
      const auto text = scalar(node["factor"], "factor");
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), r.volume.factor);
      if (ec != std::errc{} || end != text.data() + text.size() || !(r.volume.factor >= 1.5 && r.volume.factor <= 1000))
        fail(node["factor"], "factor is a number from 1.5 to 1000 (times the typical volume)");
    }
    if (node["min_history"]) r.volume.min_history = static_cast<std::uint32_t>(whole(node["min_history"], "min_history", 1, 10'000));
    if (node["peers"]) {
      const auto peers = scalar(node["peers"], "peers");
      if (peers == "role") r.volume.peers = peer_group::role;
      else if (peers == "account") r.volume.peers = peer_group::account;
      else if (peers == "none") r.volume.peers = peer_group::none;
      else fail(node["peers"], "peers is role, account or none");
    }
  }

  // context: {after: cause or [cause, ...], within}; a cause is {severity, rules, tactics}. docs/rules.md, "Context".
  context_rule context(const YAML::Node &node, const compiled_rule &r,
                       const std::map<std::string, severity, std::less<>> &levels) const {
    if (r.kind != rule_kind::count && r.kind != rule_kind::distinct && r.kind != rule_kind::event)
      fail(node, "context applies to event, count and distinct rules");
    if (r.kind == rule_kind::event && r.window_ns == 0) fail(node, "a rule in context coalesces its hits: drop coalesce: 0");
    if (!node.IsMap()) fail(node, "context takes {after: {severity, rules, tactics}, within}");
    context_rule c;
    for (const auto &entry : node) {
      const auto key = entry.first.as<std::string>();
      if (key == "within") c.within_ns = duration(entry.second, "within");
      else if (key != "after") fail(entry.first, "unknown key \"" + key + "\" in context (after, within)");
    }
    if (c.within_ns <= 0) fail(node, "context needs within: how long a suspicion lasts");
    const auto after = node["after"];
    if (!after || !(after.IsMap() || after.IsSequence())) fail(node, "context needs after: {severity, rules, tactics} or a list of them");
    if (after.IsMap()) c.after.push_back(cause(after, r, levels));
    else
      for (const auto &one : after) c.after.push_back(cause(one, r, levels));
    if (c.after.empty()) fail(after, "context.after names no cause");
    return c;
  }

  suspicion_cause cause(const YAML::Node &node, const compiled_rule &r,
                        const std::map<std::string, severity, std::less<>> &levels) const {
    if (!node.IsMap()) fail(node, "a cause is {severity, rules, tactics}");
    suspicion_cause c;
    for (const auto &entry : node) {
      const auto key = entry.first.as<std::string>();
      if (key == "severity") {
        const auto found = levels.find(scalar(entry.second, "severity"));
        if (found == levels.end()) fail(entry.second, "severity must be one of info, low, medium, high, critical");
        c.min_level = found->second;
      } else if (key == "rules") {
        c.rules = scalars(entry.second, "rules");
        if (std::find(c.rules.begin(), c.rules.end(), r.info.id) != c.rules.end())
          fail(entry.second, "a rule cannot be its own context");
      } else if (key == "tactics") {
        c.tactics = scalars(entry.second, "tactics");
      } else if (key == "source") {
        const auto which = scalar(entry.second, "source");
        if (which != "same" && which != "any") fail(entry.second, "source is same (events from the detection's address) or any");
        c.same_source = which == "same";
      } else {
        fail(entry.first, "unknown key \"" + key + "\" in context.after (severity, rules, tactics, source)");
      }
    }
    return c;
  }
};

}  // namespace

std::string_view to_string(severity level) noexcept {
  switch (level) {
    case severity::info: return "info";
    case severity::low: return "low";
    case severity::medium: return "medium";
    case severity::high: return "high";
    case severity::critical: return "critical";
  }
  return "info";
}

namespace detail {
// Compiled YAML of the built-in pack (generated from rules/ at build time).
extern const std::pair<const char *, const char *> builtin_rule_files[];
extern const std::size_t builtin_rule_file_count;
}  // namespace detail

struct rule_set_access {
  static rule_set make(std::vector<compiled_rule> rules, std::vector<std::string> rejected = {}) {
    auto compiled = std::make_shared<detail::compiled_rules>();
    compiled->rules = std::move(rules);
    rule_set set(std::move(compiled));
    set.rejected_ = std::make_shared<const std::vector<std::string>>(std::move(rejected));
    return set;
  }
};

rule_set::rule_set()
    : rules_(std::make_shared<const detail::compiled_rules>()),
      rejected_(std::make_shared<const std::vector<std::string>>()) {}

std::size_t rule_set::size() const noexcept { return rules_->rules.size(); }
rule_set rule_set::only(std::size_t index) const {
  if (index >= size()) return rule_set{};
  return rule_set_access::make({rules_->rules[index]});
}

rule_set rule_set::needed_by(std::size_t index) const {
  if (index >= size()) return rule_set{};
  const auto &rule = rules_->rules[index];
  if (!rule.context) return only(index);
  std::vector<compiled_rule> kept{rule};
  auto named = [&](const std::string &id) {
    for (const auto &c : rule.context->after)
      if (c.rules.empty() || std::find(c.rules.begin(), c.rules.end(), id) != c.rules.end()) return true;
    return false;
  };
  for (const auto &other : rules_->rules)
    if (!other.context && named(other.info.id)) kept.push_back(other);
  return rule_set_access::make(std::move(kept));
}
const rule_info &rule_set::info(std::size_t index) const noexcept {
  assert(index < size());
  return rules_->rules[index].info;
}

namespace {

// The rules a text holds and the errors of those it could not compile.
struct parsed {
  std::vector<compiled_rule> rules;
  std::vector<std::string> errors;
};

parsed parse(std::string_view text, const std::string &source) {
  loader reading(source);
  parsed out;
  try {
    out.rules = reading.load(text);
  } catch (const rule_error &e) {  // the file as a whole (its YAML)
    out.errors.push_back(e.message);
  } catch (const YAML::Exception &e) {
    out.errors.push_back(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception &e) {
    out.errors.push_back(source + ": " + e.what());
  }
  out.errors.insert(out.errors.begin(), reading.errors().begin(), reading.errors().end());
  return out;
}

// Every error, not only the first: one line each.
error refused(const std::vector<std::string> &errors) {
  if (errors.size() == 1) return error{errc::invalid_argument, errors.front()};
  std::string message = std::to_string(errors.size()) + " rules refused:";
  for (const auto &e : errors) message += "\n" + e;
  return error{errc::invalid_argument, message};
}

result<rule_set> make_set(parsed all, const rule_load_options &options) {
  std::map<std::string, std::string> seen;
  std::vector<compiled_rule> kept;
  for (auto &r : all.rules) {
    auto [it, inserted] = seen.emplace(r.info.id, r.info.source);
    if (!inserted) {
      all.errors.push_back(r.info.source + ": rule " + r.info.id + ": duplicate id (first at " + it->second + ")");
      continue;
    }
    kept.push_back(std::move(r));
  }
  if (!all.errors.empty() && !options.skip_invalid) return tl::unexpected(refused(all.errors));
  return rule_set_access::make(std::move(kept), std::move(all.errors));
}

result<rule_set> make_set(std::vector<compiled_rule> rules) { return make_set(parsed{std::move(rules), {}}, {}); }

}  // namespace

result<rule_set> rule_set::from_yaml(std::string_view text, std::string_view source_name, const rule_load_options &options) {
  return make_set(parse(text, std::string(source_name)), options);
}

result<rule_set> rule_set::from_paths(const std::vector<std::string> &paths, const rule_load_options &options) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto &path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        const auto ext = it->path().extension();
        if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      // A path that is not there is the caller's mistake, not a rule to skip.
      return make_error(errc::not_found, path + ": no such rule file or directory");
    }
  }
  parsed all;
  for (const auto &file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(errc::io_error, file + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    auto one = parse(text.str(), file);
    std::move(one.rules.begin(), one.rules.end(), std::back_inserter(all.rules));
    all.errors.insert(all.errors.end(), one.errors.begin(), one.errors.end());
  }
  auto loaded = make_set(std::move(all), options);
  if (!loaded || !options.with_builtin) return loaded;
  auto pack = builtin();
  if (!pack) return pack;
  return pack->merged_with(*loaded);
}

const std::vector<std::string> &rule_set::rejected() const noexcept { return *rejected_; }

result<rule_set> rule_set::builtin() {
  static const result<rule_set> pack = []() -> result<rule_set> {
    parsed all;
    for (std::size_t i = 0; i < detail::builtin_rule_file_count; ++i) {
      auto one = parse(detail::builtin_rule_files[i].second, detail::builtin_rule_files[i].first);
      std::move(one.rules.begin(), one.rules.end(), std::back_inserter(all.rules));
      all.errors.insert(all.errors.end(), one.errors.begin(), one.errors.end());
    }
    return make_set(std::move(all), {});
  }();
  return pack;
}

result<rule_set> rule_set::merged_with(const rule_set &other) const {
  auto rules = rules_->rules;
  rules.insert(rules.end(), other.rules_->rules.begin(), other.rules_->rules.end());
  auto merged = make_set(std::move(rules));
  if (!merged) return merged;
  auto rejected = *rejected_;
  rejected.insert(rejected.end(), other.rejected_->begin(), other.rejected_->end());
  merged->rejected_ = std::make_shared<const std::vector<std::string>>(std::move(rejected));
  return merged;
}

}  // namespace v0
}  // namespace identrail
