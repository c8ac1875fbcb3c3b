// Private: one AWS API call of a remediation step, rendered as request JSON
// and as the equivalent AWS CLI command.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/json_writer.hpp"
#include "identrail/respond/remediation.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

// "DeleteSSHPublicKey" -> "delete-ssh-public-key": a run of capitals is one word.
inline std::string kebab_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) && i > 0) {
      const auto before = static_cast<unsigned char>(name[i - 1]);
      const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      if (std::islower(before) || std::isdigit(before) || (std::isupper(before) && next_lower)) out.push_back('-');
    }
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

// Quotes for POSIX shells: bare when safe, else single quotes.
inline std::string shell_quote(std::string_view text) {
  const bool safe = !text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                           "0123456789_./:@=+,-") == std::string_view::npos;
  if (safe) return std::string(text);
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

class aws_call {
 public:
  aws_call(std::string service, std::string operation) : service_(std::move(service)), operation_(std::move(operation)) {}

  aws_call &text(std::string name, std::string value) {
    params_.push_back({std::move(name), kind::text, std::move(value), {}});
    return *this;
  }
  aws_call &flag(std::string name, bool value) {
    params_.push_back({std::move(name), kind::flag, value ? "true" : "false", {}});
    return *this;
  }
  aws_call &list(std::string name, std::vector<std::string> values) {
    params_.push_back({std::move(name), kind::list, {}, std::move(values)});
    return *this;
  }
  // A secret the operator supplies: "$NAME" in the request, "$NAME" from the shell on the command line.
  aws_call &variable(std::string name, std::string env) {
    params_.push_back({std::move(name), kind::variable, std::move(env), {}});
    return *this;
  }
  // A structured value given as JSON (a filter list, a policy is still text).
  aws_call &json(std::string name, std::string value) {
    params_.push_back({std::move(name), kind::json, std::move(value), {}});
    return *this;
  }

  [[nodiscard]] remediation_step step() const {
    remediation_step s;
    s.service = service_;
    s.operation = operation_;
    {
      json_object o(s.parameters);
      for (const auto &p : params_) {
        switch (p.type) {
          case kind::text: o.str(p.name, p.value); break;
          case kind::variable: o.str(p.name, "$" + p.value); break;
          case kind::flag: o.boolean(p.name, p.value == "true"); break;
          case kind::json: o.raw(p.name, p.value); break;
          case kind::list: {
            json_array values(o.key(p.name));
            for (const auto &v : p.values) values.str(v);
            break;
          }
        }
      }
    }
    s.cli = "aws " + service_ + " " + kebab_case(operation_);
    for (const auto &p : params_) {
      const std::string option = "--" + kebab_case(p.name);
      switch (p.type) {
        case kind::flag: s.cli += p.value == "true" ? " " + option : " --no-" + option.substr(2); break;
        case kind::list:
          s.cli += " " + option;
          for (const auto &v : p.values) s.cli += " " + shell_quote(v);
          break;
        case kind::variable: s.cli += " " + option + " \"$" + p.value + "\""; break;
        default: s.cli += " " + option + " " + shell_quote(p.value); break;
      }
    }
    return s;
  }

 private:
  enum class kind { text, flag, list, json, variable };
  struct param {
    std::string name;
    kind type;
    std::string value;
    std::vector<std::string> values;
  };
  std::string service_, operation_;
  std::vector<param> params_;
};

}  // namespace detail
}  // namespace v0
}  // namespace identrail
