// Who is really behind an identity: role sessions followed back through the
// events that created them (AssumeRole*, GetFederationToken, GetSessionToken)
// to the user, role, federated principal or instance that started them.
#pragma once

#include <memory>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {

struct resolution {
  std::vector<symbol> chain;  // the identity first, then who created it, and so on
  symbol root;                // the principal really behind it
  bool complete = true;       // false: a session whose creating event is not in the logs (root is its role)
};

// What a credential-issuing event (AssumeRole, ...) handed out.
struct issued_credentials {
  symbol access_key;  // responseElements.credentials.accessKeyId
  symbol session;     // the new session's ARN (assumed-role or federated user)
  [[nodiscard]] bool empty() const noexcept { return access_key.empty() && session.empty(); }
};

// Learns from events in any order; resolutions use everything seen so far.
// One thread at a time; interns into the engine's table.
namespace detail {
struct state_access;  // checkpoints (src/core/state_access.hpp)
}

class identity_resolver {
 public:
  explicit identity_resolver(symbol_table &symbols);
  ~identity_resolver();
  identity_resolver(identity_resolver &&) noexcept;
  identity_resolver &operator=(identity_resolver &&) noexcept;

  // Returns what the event issued, if it issued credentials.
  issued_credentials observe(const event &e, symbol identity);
  [[nodiscard]] resolution resolve(symbol identity) const;

 private:
  friend struct detail::state_access;
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace v0
}  // namespace identrail
