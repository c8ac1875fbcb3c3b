// Private: one CloudTrail record object (simdjson on-demand) into an event.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"
#include "id_map.hpp"
#include "identity_memo.hpp"
#include "resource_inference.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

namespace od = simdjson::ondemand;

enum class field_status : std::uint8_t {
  ok,       // value taken, or skipped because it is not a field we model
  invalid,  // the record is bad (wrong type, bad time); the JSON around it is intact
  broken,   // the JSON itself is malformed: stop reading this document
};

// An object key as it sits in the (padded) input. Compared with memcmp plus a
// check of the closing quote, so matching never scans for the key's end.
// CloudTrail keys carry no escapes; an escaped key simply matches nothing.
class json_key {
 public:
  explicit json_key(od::raw_json_string key) noexcept : raw_(key.raw()) {}
  [[nodiscard]] bool is(std::string_view name) const noexcept {
    // Reading name.size() + 1 bytes is safe: the input carries SIMDJSON_PADDING.
    return std::memcmp(raw_, name.data(), name.size()) == 0 && raw_[name.size()] == '"';
  }
  [[nodiscard]] char first() const noexcept { return raw_[0]; }
  // The key's text up to its closing quote (escapes left as they are), for messages.
  [[nodiscard]] std::string_view name() const noexcept {
    std::size_t n = 0;
    while (raw_[n] != '"') n += raw_[n] == '\\' ? 2 : 1;
    return {raw_, n};
  }

 private:
  const char *raw_;
};

class record_decoder {
 public:
  explicit record_decoder(symbol_table &symbols) : symbols_(symbols), aws_(symbols.intern("aws")) {}

  void begin(event &out);
  // Applies one top-level field of a record; on failure `reason()` says why.
  field_status apply(json_key key, od::value value, event &out);
  // Checks what a record must have and derives the rest (action, account).
  field_status finish(event &out);
  [[nodiscard]] const std::string &reason() const noexcept { return reason_; }

  // Decodes a whole record object.
  field_status decode(od::object object, event &out);
  // How far the input being read may be read (nullptr: unknown, and nothing is remembered).
  void set_input_end(const char *end) noexcept { input_end_ = end; }

 private:
  template <class OnMember>
  field_status members(od::value value, std::string_view where, OnMember &&on_member);
  field_status user_identity(od::value value, actor &who);
  field_status remembered_user_identity(od::value value, actor &who);
  field_status session_context(od::value value, actor &who);
  field_status session_issuer(od::value value, actor &who);
  field_status session_attributes(od::value value, actor &who);
  field_status resources(od::value value, event &out);
  field_status request_parameters(od::value value);
  void add_inferred_resources(event &out);
  field_status read_text(od::value value, std::string_view field, std::string_view &text, bool numbers_as_text);
  field_status read_symbol(od::value value, std::string_view field, symbol &out, bool numbers_as_text = false);
  field_status read_flag(od::value value, std::string_view field, tristate &out);
  symbol intern_memoized(std::string_view field, std::string_view text);
  bool first_time(unsigned field);
  field_status duplicate(od::value value, std::string_view field);
  field_status refuse(od::value value, std::string_view field, std::string reason);
  // A value that is not modelled is still read through, so that its JSON is checked.
  field_status skip(od::value value, std::string_view field);
  field_status unmodelled(json_key key, od::value value);
  field_status fail(std::string reason, field_status status = field_status::invalid);
  field_status fail_simdjson(std::string_view field, simdjson::error_code code);
  void derive_action(event &out);

  symbol_table &symbols_;
  symbol aws_;
  request_values request_;
  text_list inferred_;
  struct inference_memo {
    bool valid = false;
    std::string value, detail, partition;
    symbol source, name, region, account;
    std::vector<symbol> arns;
  };
  std::array<inference_memo, static_cast<std::size_t>(request_key::count_)> inference_memo_;
  std::string reason_;
  std::string_view time_text_;
  std::uint32_t seen_fields_ = 0;  // modelled top-level keys seen in the current record
  bool has_time_ = false;
  bool has_name_ = false;
  // (source, name) symbol pair -> action: mapping is string work, done once per pair.
  id_map<std::pair<symbol, action_origin>> action_cache_;
  struct memo_slot {
    std::string_view text;
    symbol value;
  };
  std::array<memo_slot, 64> memo_{};
  identity_memo identities_;
  const char *input_end_ = nullptr;
  // actor ARN -> (session name, instance id)
  id_map<std::pair<symbol, symbol>> session_cache_;
  // sourceIPAddress symbol -> parsed address: inet_pton once per distinct value.
  id_map<source_address> address_cache_;
  // Records of one delivery share their second more often than not.
  std::string last_time_text_;
  timestamp last_time_{};
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
