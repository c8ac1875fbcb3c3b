// Private: the actors of userIdentity objects read before, by their exact text.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/symbol.hpp"
#include "identrail/normalize/event.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// Every event of a session carries the same userIdentity object, byte for
// byte, and decoding it (a dozen members, eight strings to intern) is a large
// part of a record. Bytes equal to an object decoded before, which was JSON
// throughout, decode to the same actor in the same symbol table, so a match
// needs no parse. The object's length is not known before it is read, so the
// set is picked by its first bytes, and each way compares its whole text.
class identity_memo {
 public:
  // Long enough to reach into principalId, which tells most sessions apart.
  static constexpr std::size_t kPrefix = 64;
  // An object longer than this is decoded each time: it is no common session.
  static constexpr std::size_t kLongest = 4096;

  identity_memo() : seed_(hashing::process_hash_seed()) {}

  // The actor of the object whose text starts at `start`, if its text is one
  // remembered; `limit` bounds what may be read.
  [[nodiscard]] const actor *find(const char *start, const char *limit) {
    const auto room = static_cast<std::size_t>(limit - start);
    if (room < kPrefix || sets_.empty()) return nullptr;
    auto &ways = sets_[set_of(start)];
    for (std::size_t w = 0; w < ways.size(); ++w) {
      const entry &e = ways[w];
      if (e.text.empty() || e.text.size() > room || std::memcmp(e.text.data(), start, e.text.size()) != 0) continue;
      // Most recently used first, so a new object replaces the one unused longest.
      std::rotate(ways.begin(), ways.begin() + static_cast<std::ptrdiff_t>(w), ways.begin() + static_cast<std::ptrdiff_t>(w) + 1);
      return &ways.front().who;
    }
    return nullptr;
  }

  // Remembers the actor decoded from `text`, a whole object that was JSON throughout.
  void remember(std::string_view text, const actor &who) {
    if (text.size() < kPrefix || text.size() > kLongest) return;
    if (sets_.empty()) sets_.resize(kSets);  // on first use: most normalizers read a few records
    auto &ways = sets_[set_of(text.data())];
    std::rotate(ways.begin(), ways.end() - 1, ways.end());
    ways.front().text.assign(text);
    ways.front().who = who;
  }

 private:
  struct entry {
    std::string text;
    actor who;
  };
  static constexpr std::size_t kWays = 4;  // sessions that share their first bytes (concurrent runs of one function)
  static constexpr std::size_t kSets = 1024;

  [[nodiscard]] std::size_t set_of(const char *start) const noexcept {
    return static_cast<std::size_t>(hashing::hash_bytes({start, kPrefix}, seed_)) & (kSets - 1);
  }

  std::uint64_t seed_;
  std::vector<std::array<entry, kWays>> sets_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
