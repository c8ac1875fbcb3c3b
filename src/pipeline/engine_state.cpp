// Checkpoints of an engine. The file:
//
//   "IDTSTATE"  u32 format  u32 flags  u64 length   header, 24 bytes
//   sections                                        length bytes: u32 tag, u64 size, body
//   u32 CRC-32 of header and sections
//   [32-byte HMAC-SHA256 of the same, when flags has kAuthenticated]
//
// Sections: SYMB (the symbol table; every later symbol is a number into it),
// NORM, GRPH, DETC, ENGN, CURS (the application's cursor). Unknown sections are skipped, so a newer writer can
// add one without a new format number; a reader refuses a format above its own.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zlib.h>

#include <filesystem>

#include "engine_impl.hpp"
#include "../core/atomic_file.hpp"
#include "../core/state_access.hpp"
#include "../normalize/input_files.hpp"

namespace identrail {
inline namespace v0 {
namespace {

using detail::state_access;
using detail::state_reader;
using detail::state_writer;
using detail::tag;

constexpr char kMagic[8] = {'I', 'D', 'T', 'S', 'T', 'A', 'T', 'E'};
// 2: detections name what they follow; context rules keep waiting hits.
constexpr std::uint32_t kFormat = 2;
constexpr std::uint32_t kAuthenticated = 1;
constexpr std::size_t kHeader = 24;
constexpr std::size_t kMac = 32;

error bad(std::string message) { return error{errc::bad_state, "checkpoint: " + std::move(message)}; }

std::string mac_of(std::string_view key, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(bytes.data()),
       bytes.size(), out, &length);
  return std::string(reinterpret_cast<const char *>(out), length);
}

std::uint32_t crc_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t at = 0; at < bytes.size();) {  // zlib takes at most 4 GiB a call
    const auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size() - at, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef *>(bytes.data() + at), n);
    at += n;
  }
  return static_cast<std::uint32_t>(crc);
}

template <class T>
T number_at(std::string_view bytes, std::size_t at) {
  T v;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

}  // namespace

void engine::impl::save(state_writer &out) const {
  const auto &s = *this;
  out.list(s.identities, [&](const identity_summary &id) {
    out.sym(id.key);
    out.u8(static_cast<std::uint8_t>(id.type));
    out.time(id.first_seen);
    out.time(id.last_seen);
    out.u64(id.events);
    out.u64(id.failed);
    out.list(id.source_ips, [&](symbol ip) { out.sym(ip); });
  });
  out.u64(s.action_counts.size());
  for (const auto &[action, count] : s.action_counts) {
    out.sym(action);
    out.u64(count);
  }
  out.boolean(s.span.has_value());
  out.time(s.span ? s.span->first : timestamp{});
  out.time(s.span ? s.span->second : timestamp{});
  out.list(s.flags, [&](const status_flag &f) {
    out.sym(f.identity);
    out.u8(static_cast<std::uint8_t>(f.status));
    out.boolean(f.since.has_value());
    out.time(f.since.value_or(timestamp{}));
  });
}

void engine::impl::load(state_reader &in) {
  auto &s = *this;
  s.identities.clear();
  s.identity_index.clear();
  const auto n = in.count(37);
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    identity_summary id;
    id.key = in.sym();
    const auto type = in.u8();
    if (type > static_cast<std::uint8_t>(identity_type::directory)) in.fail("an identity type out of range");
    id.type = static_cast<identity_type>(type);
    id.first_seen = in.time();
    id.last_seen = in.time();
    id.events = in.u64();
    id.failed = in.u64();
    id.source_ips.resize(in.count(4));
    for (auto &ip : id.source_ips) ip = in.sym();
    s.identity_index.emplace(id.key, s.identities.size());
    s.identities.push_back(std::move(id));
  }
  s.action_counts.clear();
  const auto actions = in.count(12);
  for (std::size_t i = 0; i < actions && in.ok(); ++i) {
    const auto action = in.sym();
    s.action_counts[action] = in.u64();
  }
  const bool has_span = in.boolean();
  const auto first = in.time();
  const auto last = in.time();
  s.span.reset();
  if (has_span) s.span.emplace(first, last);
  s.flags.clear();
  const auto flag_count = in.count(14);
  for (std::size_t i = 0; i < flag_count && in.ok(); ++i) {
    status_flag f;
    f.identity = in.sym();
    const auto status = in.u8();
    if (status > static_cast<std::uint8_t>(compromise_status::remediated)) in.fail("a status out of range");
    f.status = static_cast<compromise_status>(status);
    const bool has_since = in.boolean();
    const auto since = in.time();
    if (has_since) f.since = since;
    s.flags.push_back(f);
  }
}

namespace {

// The header, then the body's checks: what is wrong is named before anything is read.
result<std::string_view> verified_sections(std::string_view bytes, const std::string &key) {
  if (bytes.size() < kHeader + 4)
    return tl::unexpected(bad("truncated: " + std::to_string(bytes.size()) + " bytes, a checkpoint has at least " +
                              std::to_string(kHeader + 4)));
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return tl::unexpected(bad("not an identrail checkpoint"));
  const auto format = number_at<std::uint32_t>(bytes, 8);
  const auto flags = number_at<std::uint32_t>(bytes, 12);
  const auto length = number_at<std::uint64_t>(bytes, 16);
  if (format != kFormat)
    return tl::unexpected(error{errc::incompatible_state,
                                "checkpoint: format " + std::to_string(format) + ", made by " +
                                    (format > kFormat ? "a newer" : "an older") + " identrail; this one reads format " +
                                    std::to_string(kFormat) + " (start afresh or replay with the older one)"});
  const bool signed_ = flags & kAuthenticated;
  const std::size_t trailer = 4 + (signed_ ? kMac : 0);
  if (length > bytes.size() || bytes.size() - kHeader - trailer != length)
    return tl::unexpected(bad("truncated or extended: the header announces " + std::to_string(length) +
                              " bytes of state, the checkpoint holds " +
                              std::to_string(bytes.size() >= kHeader + trailer ? bytes.size() - kHeader - trailer : 0)));
  const std::string_view covered = bytes.substr(0, kHeader + length);
  if (number_at<std::uint32_t>(bytes, kHeader + length) != crc_of(covered))
    return tl::unexpected(bad("corrupt: the checksum does not match"));
  if (signed_ && key.empty())
    return tl::unexpected(bad("it is authenticated with a key: give the same key (state_key) to restore it"));
  if (!signed_ && !key.empty())
    return tl::unexpected(bad("it is not authenticated, but a key was given: refusing a state anyone could have written"));
  if (signed_) {
    const auto expected = mac_of(key, covered);
    if (CRYPTO_memcmp(expected.data(), bytes.data() + kHeader + length + 4, kMac) != 0)
      return tl::unexpected(bad("not authentic: the key is wrong or the checkpoint was changed"));
  }
  return bytes.substr(kHeader, length);
}

}  // namespace

result<std::string> engine::checkpoint() const {
  const auto &s = *impl_;
  state_writer out;
  out.bytes().append(kMagic, sizeof kMagic);
  out.u32(kFormat);
  out.u32(s.options.state_key.empty() ? 0 : kAuthenticated);
  out.u64(0);  // the length, once known
  const auto section = [&](const char (&name)[5], auto &&write) {
    const auto at = out.begin(tag(name));
    write();
    out.end(at);
  };
  // Saving interns nothing, so the symbol table written first names every symbol the others hold.
  section("SYMB", [&] { state_access::save(s.symbols, out); });
  section("NORM", [&] { state_access::save(s.normalize, out); });
  section("GRPH", [&] { state_access::save(s.graph, out); });
  section("DETC", [&] { state_access::save(s.detect, out); });
  section("ENGN", [&] { s.save(out); });
  section("CURS", [&] { out.str(s.cursor); });
  std::string bytes = std::move(out.bytes());
  const std::uint64_t length = bytes.size() - kHeader;
  std::memcpy(bytes.data() + 16, &length, sizeof length);
  const auto crc = crc_of(bytes);
  const std::string covered_mac = s.options.state_key.empty() ? std::string() : mac_of(s.options.state_key, bytes);
  bytes.append(reinterpret_cast<const char *>(&crc), sizeof crc);
  bytes += covered_mac;
  return bytes;
}

result<void> engine::checkpoint_to(const std::string &path) const {
  auto bytes = checkpoint();
  if (!bytes) return tl::unexpected(bytes.error());
  return detail::write_file_atomically(path, *bytes);
}

result<engine> engine::restore(std::string_view bytes, engine_options options) {
  auto sections = verified_sections(bytes, options.state_key);
  if (!sections) return tl::unexpected(sections.error());
  auto created = create(std::move(options));
  if (!created) return created;
  engine e = std::move(*created);
  auto &s = *e.impl_;
  state_reader top(*sections, nullptr, "checkpoint");
  std::vector<symbol> symbols;
  std::uint32_t name = 0;
  std::string_view body;
  bool saw_symbols = false;
  while (top.section(name, body)) {
    if (name == tag("SYMB")) {
      state_reader in(body, nullptr, "checkpoint symbols");
      symbols = state_access::load(s.symbols, in);
      if (!in.ok()) return tl::unexpected(bad(in.error()));
      saw_symbols = true;
      continue;
    }
    if (!saw_symbols) return tl::unexpected(bad("a section before the symbol table"));
    state_reader in(body, &symbols, "checkpoint");
    if (name == tag("NORM")) state_access::load(s.normalize, in);
    else if (name == tag("GRPH")) state_access::load(s.graph, in);
    else if (name == tag("ENGN")) s.load(in);
    else if (name == tag("CURS")) s.cursor = in.str();
    else if (name == tag("DETC")) {
      const auto rules = state_access::load(s.detect, in);
      s.restored = {rules.kept, rules.started, rules.dropped};
      if (in.ok() && rules.kept.empty() && !rules.dropped.empty())
        return tl::unexpected(error{errc::incompatible_state,
                                    "checkpoint: made with another rule set: none of its rules (" + rules.dropped.front() +
                                        (rules.dropped.size() > 1 ? ", ..." : "") + ") is in this one"});
    }
    if (!in.ok()) return tl::unexpected(bad(in.error()));
  }
  if (!top.ok()) return tl::unexpected(bad(top.error()));
  if (!saw_symbols) return tl::unexpected(bad("no symbol table"));
  s.assessed_fresh = false;
  return e;
}

result<engine> engine::restore_from(const std::string &path, engine_options options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return tl::unexpected(error{errc::invalid_argument, path + ": a directory, not a checkpoint file"});
  auto bytes = detail::read_whole_file(path, std::size_t{1} << 34, 0);
  if (!bytes) return tl::unexpected(bytes.error());
  auto restored = restore(*bytes, std::move(options));
  if (!restored) return tl::unexpected(error{restored.error().code, path + ": " + restored.error().message});
  return restored;
}

const restore_report &engine::restored() const noexcept { return impl_->restored; }

}  // namespace v0
}  // namespace identrail
