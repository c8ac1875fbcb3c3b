#include "identrail/graph/identity_resolver.hpp"

#include <algorithm>
#include <unordered_map>

#include "../core/state_access.hpp"
#include "arn.hpp"
#include "identrail/normalize/raw_field.hpp"
#include "../normalize/raw_reader.hpp"

namespace identrail {
inline namespace v0 {

struct identity_resolver::impl {
  explicit impl(symbol_table &table) : symbols(table) {
    for (const char *action : {"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
                               "sts:GetFederationToken", "sts:GetSessionToken"})
      issuing.push_back(symbols.intern(action));
  }

  symbol_table &symbols;
  std::vector<symbol> issuing;  // actions whose response holds new credentials
  // What creating events say: the key (and session ARN) they issued, and who asked.
  std::unordered_map<symbol, symbol, symbol_hash> creator_by_key, creator_by_session;
  // What the identities' own events say about them.
  struct facts {
    symbol access_key;
    symbol issuer;
    detail::instance_home instance;  // for instance-profile sessions
    bool session = false;
  };
  std::unordered_map<symbol, facts, symbol_hash> identities;
  std::unordered_map<symbol, bool, symbol_hash> services;  // identities that are AWS services

  // The event's record, parsed once for the paths read from it; its buffers are reused.
  detail::raw_reader raw;
  json_field value;

  std::optional<symbol> raw_symbol(std::string_view path) {
    if (raw.read(path, value) != detail::raw_reader::status::found || value.text.empty()) return std::nullopt;
    return symbols.intern(value.text);
  }

  issued_credentials observe(const event &e, symbol identity) {
    raw.open(e);
    auto &f = identities[identity];
    if (f.access_key.empty()) f.access_key = e.who.access_key_id;
    if (f.issuer.empty()) f.issuer = e.who.issuer_arn;
    f.session |= e.who.type == identity_type::assumed_role || e.who.type == identity_type::federated_user;
    if (!e.who.instance_id.empty()) f.instance.offer(symbols, e);
    if (e.who.type == identity_type::aws_service) services[identity] = true;
    issued_credentials issued;
    if (!e.result.success || std::find(issuing.begin(), issuing.end(), e.action) == issuing.end()) return issued;
    if (auto key = raw_symbol("responseElements.credentials.accessKeyId")) {
      creator_by_key.try_emplace(*key, identity);
      issued.access_key = *key;
    }
    auto session = raw_symbol("responseElements.assumedRoleUser.arn");
    if (!session) session = raw_symbol("responseElements.federatedUser.arn");
    if (session) {
      creator_by_session.try_emplace(*session, identity);
      issued.session = *session;
    }
    return issued;
  }

  resolution resolve(symbol identity) const {
    resolution r;
    r.chain.push_back(identity);
    symbol current = identity;
    for (;;) {
      const auto known = identities.find(current);
      std::optional<symbol> creator;
      if (const auto s = creator_by_session.find(current); s != creator_by_session.end()) creator = s->second;
      else if (known != identities.end() && !known->second.access_key.empty())
        if (const auto k = creator_by_key.find(known->second.access_key); k != creator_by_key.end()) creator = k->second;
      if (creator && std::find(r.chain.begin(), r.chain.end(), *creator) == r.chain.end()) {
        // An AWS service creating a session acts for the resource it serves: an instance, or the role itself.
        if (services.contains(*creator) || symbols.str(*creator).ends_with(".amazonaws.com")) {
          const bool instance = known != identities.end() && !known->second.instance.arn.empty();
          r.root = instance ? known->second.instance.arn : known != identities.end() && !known->second.issuer.empty()
                                                               ? known->second.issuer
                                                               : current;
          if (r.root != current) r.chain.push_back(r.root);
          return r;
        }
        r.chain.push_back(*creator);
        current = *creator;
        continue;
      }
      // The end of what the logs tell: a session stands for its role, as far as the data allow.
      if (known != identities.end() && known->second.session) {
        r.complete = false;
        if (!known->second.instance.arn.empty()) r.root = known->second.instance.arn;
        else r.root = known->second.issuer.empty() ? current : known->second.issuer;
        if (r.root != current) r.chain.push_back(r.root);
        return r;
      }
      r.root = current;
      return r;
    }
  }
};

identity_resolver::identity_resolver(symbol_table &symbols) : impl_(std::make_unique<impl>(symbols)) {}
identity_resolver::~identity_resolver() = default;
identity_resolver::identity_resolver(identity_resolver &&) noexcept = default;
identity_resolver &identity_resolver::operator=(identity_resolver &&) noexcept = default;
issued_credentials identity_resolver::observe(const event &e, symbol identity) { return impl_->observe(e, identity); }
resolution identity_resolver::resolve(symbol identity) const { return impl_->resolve(identity); }

}  // namespace v0
}  // namespace identrail

namespace identrail {
inline namespace v0 {
namespace detail {

namespace {
void save_links(const std::unordered_map<symbol, symbol, symbol_hash> &links, state_writer &out) {
  out.u64(links.size());
  for (const auto &[k, v] : links) {
    out.sym(k);
    out.sym(v);
  }
}
void load_links(std::unordered_map<symbol, symbol, symbol_hash> &links, state_reader &in) {
  links.clear();
  const auto n = in.count(8);
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    const auto k = in.sym();
    links[k] = in.sym();
  }
}
}  // namespace

void state_access::save(const identity_resolver &r, state_writer &out) {
  const auto &s = *r.impl_;
  save_links(s.creator_by_key, out);
  save_links(s.creator_by_session, out);
  out.u64(s.identities.size());
  for (const auto &[who, f] : s.identities) {
    out.sym(who);
    out.sym(f.access_key);
    out.sym(f.issuer);
    out.sym(f.instance.arn);
    out.time(f.instance.time);
    out.boolean(f.session);
  }
  out.u64(s.services.size());
  for (const auto &[who, is] : s.services) {
    out.sym(who);
    out.boolean(is);
  }
}

void state_access::load(identity_resolver &r, state_reader &in) {
  auto &s = *r.impl_;
  load_links(s.creator_by_key, in);
  load_links(s.creator_by_session, in);
  s.identities.clear();
  const auto n = in.count(25);
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    const auto who = in.sym();
    auto &f = s.identities[who];
    f.access_key = in.sym();
    f.issuer = in.sym();
    f.instance.arn = in.sym();
    f.instance.time = in.time();
    f.session = in.boolean();
  }
  s.services.clear();
  const auto m = in.count(5);
  for (std::size_t i = 0; i < m && in.ok(); ++i) {
    const auto who = in.sym();
    s.services[who] = in.boolean();
  }
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
