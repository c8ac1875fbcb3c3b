// Private: IAM wildcard matching. '*' matches any run of characters, '?' any
// one; actions compare case-insensitively, resources case-sensitively.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace identrail::detail {

// Iterative with one backtrack point: no recursion depth to exhaust; the worst
// case is O(pattern x text), bounded by policy sizes (AWS: 10 KB at most).
inline bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  const auto same = [ignore_case](char a, char b) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)) : a == b;
  };
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Resource patterns may spell a literal '*', '?' or '$' as ${*}, ${?}, ${$}
// (IAM's escapes, which generated policies use for ARNs from the logs).
inline bool wildcard_match_escaped(std::string_view pattern, std::string_view text) {
  if (pattern.find("${") == std::string_view::npos) return wildcard_match(pattern, text, false);
  // Tokens: a character, or kAny / kOne for the wildcards.
  constexpr int kAny = -1, kOne = -2;
  std::vector<int> tokens;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i, 4) == "${*}" || pattern.substr(i, 4) == "${?}" || pattern.substr(i, 4) == "${$}") {
      tokens.push_back(static_cast<unsigned char>(pattern[i + 2]));
      i += 3;
    } else if (pattern[i] == '*') {
      tokens.push_back(kAny);
    } else if (pattern[i] == '?') {
      tokens.push_back(kOne);
    } else {
      tokens.push_back(static_cast<unsigned char>(pattern[i]));
    }
  }
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < tokens.size() && (tokens[p] == kOne || tokens[p] == static_cast<unsigned char>(text[t]))) {
      ++p;
      ++t;
    } else if (p < tokens.size() && tokens[p] == kAny) {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p] == kAny) ++p;
  return p == tokens.size();
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

}  // namespace identrail::detail
