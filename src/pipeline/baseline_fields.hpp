// Private: the baseline the normalizer is measured against: simdjson's
// on-demand API alone pulling out of a record the fields identrail models,
// with nothing kept. Shared by identrail bench and the benchmarks.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string_view>

namespace identrail {
inline namespace v0 {
namespace detail {

namespace od = simdjson::ondemand;

// A range-for over `v.get_object().value_unsafe()` would bind a reference
// into a temporary simdjson_result that dies before the loop runs: these
// return the object or array itself.
inline od::object object_of(od::value v) { return v.get_object().value_unsafe(); }
inline od::array array_of(od::value v) { return v.get_array().value_unsafe(); }

// The baseline: simdjson alone pulling the fields identrail models out of every record.
inline std::size_t extract_fields(od::object record) {
  std::size_t sink = 0;
  auto take = [&](od::value v) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) sink += s.size();
  };
  for (auto field : record) {
    const std::string_view key = field.unescaped_key().value_unsafe();
    od::value v = field.value().value_unsafe();
    if (key == "userIdentity") {
      for (auto f : object_of(v)) {
        const std::string_view k = f.unescaped_key().value_unsafe();
        od::value iv = f.value().value_unsafe();
        if (k == "sessionContext") {
          for (auto sc : object_of(iv)) {
            const std::string_view sk = sc.unescaped_key().value_unsafe();
            od::value sv = sc.value().value_unsafe();
            if (sk == "sessionIssuer" || sk == "attributes")
              for (auto x : object_of(sv)) take(x.value().value_unsafe());
          }
        } else {
          take(iv);
        }
      }
    } else if (key == "resources") {
      for (auto r : array_of(v))
        for (auto x : object_of(r.value_unsafe()))
          if (x.unescaped_key().value_unsafe() == "ARN") take(x.value().value_unsafe());
    } else if (key == "readOnly" || key == "managementEvent") {
      bool b = false;
      if (v.get_bool().get(b) == simdjson::SUCCESS) sink += b;
    } else if (key == "eventTime" || key == "eventSource" || key == "eventName" || key == "awsRegion" ||
               key == "sourceIPAddress" || key == "userAgent" || key == "errorCode" || key == "errorMessage" ||
               key == "eventID" || key == "eventType" || key == "recipientAccountId" || key == "eventCategory") {
      take(v);
    }
  }
  return sink;
}

}  // namespace detail
}  // namespace v0
}  // namespace identrail
