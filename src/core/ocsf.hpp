// Private: what every OCSF event identrail writes begins with, so the API
// Activity output and the Detection Finding output keep one schema version.
#pragma once

#include <string_view>

#include "json_writer.hpp"

namespace identrail {
inline namespace v0 {
namespace detail {

inline constexpr std::string_view kOcsfVersion = "1.1.0";

struct ocsf_class {
  int uid;
  std::string_view name;
  int category_uid;
  std::string_view category_name;
};

// class, category, activity and type_uid (class_uid * 100 + activity_id).
inline void write_ocsf_class(json_object &o, const ocsf_class &c, int activity, std::string_view activity_name) {
  o.num("class_uid", c.uid);
  o.str("class_name", c.name);
  o.num("category_uid", c.category_uid);
  o.str("category_name", c.category_name);
  o.num("activity_id", activity);
  o.str("activity_name", activity_name);
  o.num("type_uid", c.uid * 100 + activity);
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
