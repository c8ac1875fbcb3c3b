#include "identrail/normalize/action_map.hpp"

#include <algorithm>

#include "identrail/core/action_catalog.hpp"

namespace identrail {
inline namespace v0 {
namespace {

struct service_row {
  std::string_view source;
  std::string_view prefix;
  bool dated_names;
};
struct rename_row {
  std::string_view source;
  std::string_view event_name;
  std::string_view action;
};

#include "action_table.inc"

constexpr std::string_view kAwsDomain = ".amazonaws.com";

std::string_view source_host(std::string_view event_source) {
  if (event_source.ends_with(kAwsDomain)) event_source.remove_suffix(kAwsDomain.size());
  return event_source;
}

const service_row *find_service(std::string_view host) {
  for (const auto &row : kServiceRows)
    if (row.source == host) return &row;
  return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "ListFunctions20150331v2" -> "ListFunctions"; "GetDistribution2020_05_31" -> "GetDistribution".
std::string_view strip_api_date(std::string_view name) {
  std::string_view rest = name;
  std::size_t end = rest.size();
  std::size_t v = end;
  while (v > 0 && is_digit(rest[v - 1])) --v;
  if (v > 0 && v < end && rest[v - 1] == 'v') rest = rest.substr(0, v - 1);
  auto all_digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); };
  if (rest.size() > 8 && all_digits(rest.substr(rest.size() - 8))) return rest.substr(0, rest.size() - 8);
  if (rest.size() > 10) {
    const auto tail = rest.substr(rest.size() - 10);
    if (all_digits(tail.substr(0, 4)) && tail[4] == '_' && all_digits(tail.substr(5, 2)) && tail[7] == '_' &&
        all_digits(tail.substr(8, 2)))
      return rest.substr(0, rest.size() - 10);
  }
  return name;
}

}  // namespace

bool needs_permission(std::string_view action) noexcept {
  return std::find(std::begin(kNoPermissionActions), std::end(kNoPermissionActions), action) ==
         std::end(kNoPermissionActions);
}

std::vector<extra_permission> extra_permissions(std::string_view event_source, std::string_view event_name) {
  std::vector<extra_permission> out;
  const auto host = source_host(event_source);
  for (const auto &row : kExtraPermissionRows)
    if (row.source == host && row.event_name == event_name)
      out.push_back({row.action, row.resource_path, row.resource_template});
  return out;
}

std::string service_prefix(std::string_view event_source) {
  const auto host = source_host(event_source);
  if (const auto *row = find_service(host)) return std::string(row->prefix);
  return std::string(host);
}

mapped_action map_action(std::string_view event_source, std::string_view event_name) {
  const auto host = source_host(event_source);
  for (const auto &row : kRenameRows)
    if (row.source == host && row.event_name == event_name) return {std::string(row.action), action_origin::table};

  const auto *service = find_service(host);
  const std::string_view prefix = service ? service->prefix : host;
  std::string_view name = event_name;
  if (service && service->dated_names) name = strip_api_date(name);

  const bool known = std::find(std::begin(kKnownPrefixes), std::end(kKnownPrefixes), prefix) != std::end(kKnownPrefixes);
  std::string action;
  action.reserve(prefix.size() + 1 + name.size());
  action.append(prefix.empty() ? std::string_view("unknown") : prefix).append(":").append(name);
  const bool renamed = name.size() != event_name.size() || prefix != host;
  if (!known) return {std::move(action), action_origin::fallback};
  // A guess from the event name stands only if AWS defines the action (the catalog).
  if (!renamed && !action_catalog::builtin().find(action)) return {std::move(action), action_origin::fallback};
  return {std::move(action), renamed ? action_origin::table : action_origin::by_name};
}

}  // namespace v0
}  // namespace identrail
