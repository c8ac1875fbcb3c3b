#include "summary.hpp"

#include <charconv>

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

void append_number(std::string &out, std::uint64_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_listed(std::string &out, std::span<const std::string_view> values) {
  for (std::size_t i = 0; i < values.size() && i < 8; ++i) {
    if (i) out.append(", ");
    out.append(values[i]);
  }
  if (values.size() > 8) out.append(", ...");
}

void render(std::string &out, const std::string &templ, const detection &d, std::string_view identity,
            std::span<const std::string_view> values, std::string_view why) {
  for (std::size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '{') {
      out.push_back(templ[i]);
      continue;
    }
    const auto close = templ.find('}', i);
    if (close == std::string::npos) {
      out.append(templ, i);
      break;
    }
    const std::string_view name(templ.data() + i + 1, close - i - 1);
    if (name == "identity") out.append(identity);
    else if (name == "group") out.append(d.group_key);
    else if (name == "count") append_number(out, d.count);
    else if (name == "values") append_listed(out, values);
    else if (name == "first_seen") out.append(format_rfc3339(d.first_seen));
    else if (name == "last_seen") out.append(format_rfc3339(d.last_seen));
    else if (name == "rule") out.append(d.rule_name);
    else if (name == "why") out.append(why);
    else out.append(templ, i, close - i + 1);
    i = close;
  }
}

}  // namespace

void summarize(std::string &out, const compiled_rule &rule, const detection &d, std::string_view identity,
               std::span<const std::string_view> values, std::string_view why) {
  out.clear();
  if (!rule.summary.empty()) return render(out, rule.summary, d, identity, values, why);
  out.append(rule.info.name).append(": ").append(identity);
  if (d.count > 1) {
    out.append(" (");
    append_number(out, d.count);
    out.append(" events)");
  }
  if (!values.empty()) {
    out.append(": ");
    append_listed(out, values);
  }
  if (!why.empty()) out.append("; ").append(why);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
