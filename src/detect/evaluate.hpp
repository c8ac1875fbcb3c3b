// Private: reading fields of an event and testing conditions against them.
#pragma once

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "identrail/core/geolocation.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"
#include "rule_model.hpp"
#include "../normalize/raw_reader.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Derived values that cost a parse (user-agent families): once per distinct
// value for the detector's life, not once per event.
struct derived_cache {
  std::unordered_map<std::uint32_t, std::string> agent_family;  // by user-agent symbol
  struct place {
    std::string asn, as_organization, country, city;  // "" when unknown
  };
  const geolocator *geolocation = nullptr;
  std::unordered_map<std::uint32_t, place> places;  // by source-address symbol
  // IAM group membership from the AddUserToGroup / RemoveUserFromGroup events seen, by "account/user".
  struct membership {
    std::string group;
    std::int64_t added = 0;
    std::int64_t removed = INT64_MAX;
  };
  std::unordered_map<std::string, std::vector<membership>> groups;  // by membership_key
};

// A user of an account, as group membership is kept.
inline std::string membership_key(std::string_view account, std::string_view user) {
  return std::string(account) + "/" + std::string(user);
}

// Field values of one event. Raw paths are parsed once per event and path.
// A detector keeps one reader and points it at each event in turn: the
// values it hands out live in buffers that keep their capacity, so reading a
// known kind of event allocates nothing.
class field_reader {
 public:
  field_reader(const symbol_table &symbols, derived_cache *cache = nullptr) : symbols_(symbols), cache_(cache) {}
  field_reader(const field_reader &) = delete;
  field_reader &operator=(const field_reader &) = delete;

  // What follows reads this event (which must outlive the reads) for this identity.
  void reset(const event &e, symbol identity) noexcept;

  // The value as text ("" when absent); booleans read "true"/"false". A view
  // stays valid until the next reset, except that of `time`, which the next
  // read of `time` replaces.
  std::optional<std::string_view> get(const field_ref &field);
  // The symbol of a field the normalized event holds interned; nullopt for the others.
  [[nodiscard]] std::optional<symbol> get_symbol(const field_ref &field) const;
  [[nodiscard]] const event &current() const noexcept { return *event_; }
  // Every value of a raw path, Sigma's way (field_ref::each): the texts of the
  // values that are not JSON null. Valid until the next reset.
  std::span<const std::string> get_each(const field_ref &field);
  // The value as the test compares it: lowered (ASCII) when it ignores case.
  // With its field, lowered once per event and field, however many tests read
  // it; without, into scratch that the next such call replaces.
  std::string_view as_tested(const field_test &t, std::string_view value, const field_ref *field = nullptr);

 private:
  const derived_cache::place *place();
  std::optional<std::string_view> get_raw(const field_ref &field);
  const event *event_ = nullptr;
  const symbol_table &symbols_;
  symbol identity_;
  derived_cache *cache_;
  std::string scratch_, agent_scratch_, peer_scratch_;
  raw_reader raw_;
  // Per path read for the current event, the first *_used_ entries. Deques:
  // values handed out stay put as more paths are read.
  struct raw_entry {
    const std::string *path = nullptr;
    bool present = false;
    json_field value;
  };
  std::deque<raw_entry> raw_cache_;
  std::size_t raw_used_ = 0;
  struct each_entry {
    const std::string *path = nullptr;
    std::vector<std::string> texts;
    std::size_t used = 0;
  };
  std::deque<each_entry> each_cache_;
  std::size_t each_used_ = 0;
  std::vector<json_field> each_scratch_;
  struct lowered_entry {
    field_id id{};
    std::string path;  // for raw fields
    std::string text;
  };
  std::deque<lowered_entry> lowered_;
  std::size_t lowered_used_ = 0;
  std::string lower_scratch_;
};

[[nodiscard]] bool evaluate(const condition &c, field_reader &fields);

// The peer group an identity belongs to: "role ARN" for the sessions of one
// role, "users ARN-PATH" for IAM users of one path, else "account ID".
[[nodiscard]] std::string peer_group_of(const event &e, const symbol_table &symbols, peer_group group,
                                        const derived_cache *known = nullptr);

// Fields whose value field_reader::get_symbol() gives: a group key holds them as symbol numbers.
[[nodiscard]] bool is_interned_field(field_id id) noexcept;

// Lower-cases ASCII letters, as rules compare case-insensitively on request.
[[nodiscard]] std::string ascii_lower(std::string_view text);
[[nodiscard]] bool same_ignoring_case(std::string_view a, std::string_view b) noexcept;

}  // namespace detail
}  // namespace v0
}  // namespace identrail
