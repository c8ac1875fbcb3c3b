// Private: IAM wildcard matching. '*' matches any run of characters, '?' any
// one; actions compare case-insensitively, resources case-sensitively.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace identrail {
inline namespace v0 {
namespace detail {

// The matcher behind both forms: token i of the pattern is `at(i)`, either a
// character or kAny ('*') / kOne ('?'). Iterative with one backtrack point:
// no recursion depth to exhaust; the worst case is O(pattern x text), bounded
// by policy sizes (AWS: 10 KB at most).
inline constexpr int kAnyToken = -1, kOneToken = -2;

template <class TokenAt, class Same>
bool glob_match(std::size_t length, TokenAt at, std::string_view text, Same same) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    const int token = p < length ? at(p) : 0;
    if (p < length && (token == kOneToken || (token >= 0 && same(token, text[t])))) {
      ++p;
      ++t;
    } else if (p < length && token == kAnyToken) {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < length && at(p) == kAnyToken) ++p;
  return p == length;
}

inline bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  const auto at = [&](std::size_t i) {
    return pattern[i] == '*' ? kAnyToken : pattern[i] == '?' ? kOneToken : static_cast<unsigned char>(pattern[i]);
  };
  const auto same = [ignore_case](int a, char b) {
    const auto c = static_cast<unsigned char>(b);
    return ignore_case ? std::tolower(a) == std::tolower(c) : a == c;
  };
  return glob_match(pattern.size(), at, text, same);
}

// Resource patterns may spell a literal '*', '?' or '$' as ${*}, ${?}, ${$}
// (IAM's escapes, which generated policies use for ARNs from the logs).
inline bool wildcard_match_escaped(std::string_view pattern, std::string_view text) {
  if (pattern.find("${") == std::string_view::npos) return wildcard_match(pattern, text, false);
  std::vector<int> tokens;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto escape = pattern.substr(i, 4);
    if (escape == "${*}" || escape == "${?}" || escape == "${$}") {
      tokens.push_back(static_cast<unsigned char>(pattern[i + 2]));
      i += 3;
    } else {
      tokens.push_back(pattern[i] == '*' ? kAnyToken : pattern[i] == '?' ? kOneToken : static_cast<unsigned char>(pattern[i]));
    }
  }
  return glob_match(tokens.size(), [&](std::size_t i) { return tokens[i]; }, text,
                    [](int a, char b) { return a == static_cast<unsigned char>(b); });
}

// The escaped form of a literal ARN, for a policy's Resource.
inline std::string escape_for_policy(std::string_view arn) {
  std::string out;
  for (const char c : arn) {
    if (c == '*' || c == '?' || c == '$') {
      out += "${";
      out.push_back(c);
      out.push_back('}');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
