#include "user_agents.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <vector>

namespace identrail {
inline namespace v0 {
namespace detail {

extern const char *const user_agent_supplement_text[];
extern const char *const uap_core_regexes_text[];

namespace {

struct parser {
  std::unique_ptr<RE2> pattern;
  std::string family;  // the replacement, $1 standing for the first group; "" for the group itself
};

std::string joined(const char *const *pieces) {
  std::string text;
  for (; *pieces; ++pieces) text += *pieces;
  return text;
}

// uap-core's schema: user_agent_parsers: [{regex, regex_flag, family_replacement}].
// A regex RE2 cannot compile is skipped: the next parser may still name the agent.
std::size_t add_parsers(const std::string &text, std::vector<parser> &out) {
  if (text.empty()) return 0;
  std::size_t added = 0;
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception &) {
    return 0;
  }
  for (const auto &entry : doc["user_agent_parsers"]) {
    if (!entry["regex"]) continue;
    RE2::Options options;
    options.set_log_errors(false);
    if (entry["regex_flag"] && entry["regex_flag"].as<std::string>() == "i") options.set_case_sensitive(false);
    auto pattern = std::make_unique<RE2>(entry["regex"].as<std::string>(), options);
    if (!pattern->ok()) continue;
    out.push_back({std::move(pattern), entry["family_replacement"] ? entry["family_replacement"].as<std::string>() : ""});
    ++added;
  }
  return added;
}

struct parsers {
  std::vector<parser> list;
  std::string origin;
};

const parsers &compiled() {
  static const parsers all = [] {
    parsers p;
    const auto supplement = add_parsers(joined(user_agent_supplement_text), p.list);
    const auto uap = add_parsers(joined(uap_core_regexes_text), p.list);
    p.origin = "supplement (" + std::to_string(supplement) + ") + uap-core (" + std::to_string(uap) + ")";
    return p;
  }();
  return all;
}

bool matches(const parser &p, std::string_view agent, std::string &group) {
  if (p.pattern->NumberOfCapturingGroups() == 0) return RE2::PartialMatch(agent, *p.pattern);
  return RE2::PartialMatch(agent, *p.pattern, &group);
}

}  // namespace

std::string agent_family(std::string_view agent) {
  if (agent.empty()) return {};
  for (const auto &p : compiled().list) {
    std::string group;
    if (!matches(p, agent, group)) continue;
    if (p.family.empty()) return group.empty() ? "Other" : group;
    std::string family = p.family;
    if (const auto at = family.find("$1"); at != std::string::npos) family.replace(at, 2, group);
    return family;
  }
  return "Other";
}

std::string_view agent_parsers_origin() { return compiled().origin; }

}  // namespace detail
}  // namespace v0
}  // namespace identrail
