#include "summary.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {
namespace {

std::string listed(const std::vector<std::string> &values) {
  std::string text;
  for (std::size_t i = 0; i < values.size() && i < 8; ++i) text += (i ? ", " : "") + values[i];
  if (values.size() > 8) text += ", ...";
  return text;
}

std::string render(const std::string &templ, const detection &d, std::string_view identity,
                   const std::vector<std::string> &values, std::string_view why) {
  std::string out;
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
    else if (name == "count") out.append(std::to_string(d.count));
    else if (name == "values") out.append(listed(values));
    else if (name == "first_seen") out.append(format_rfc3339(d.first_seen));
    else if (name == "last_seen") out.append(format_rfc3339(d.last_seen));
    else if (name == "rule") out.append(d.rule_name);
    else if (name == "why") out.append(why);
    else out.append(templ, i, close - i + 1);
    i = close;
  }
  return out;
}

}  // namespace

std::string summarize(const compiled_rule &rule, const detection &d, std::string_view identity,
                      const std::vector<std::string> &values, std::string_view why) {
  if (!rule.summary.empty()) return render(rule.summary, d, identity, values, why);
  std::string text = rule.info.name + ": " + std::string(identity);
  if (d.count > 1) text += " (" + std::to_string(d.count) + " events)";
  if (!values.empty()) text += ": " + listed(values);
  if (!why.empty()) text += "; " + std::string(why);
  return text;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
