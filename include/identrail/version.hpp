#pragma once

#define IDENTRAIL_VERSION_MAJOR 0
#define IDENTRAIL_VERSION_MINOR 3
#define IDENTRAIL_VERSION_PATCH 0
#define IDENTRAIL_VERSION_STRING "0.3.0"

namespace identrail {
inline namespace v0 {
// The shapes of the JSON answers (graph queries, remediation plans,
// least-privilege results), written into each as "schema_version": raised when
// a field changes meaning or goes; a new field does not raise it.
inline constexpr int json_schema_version = 1;
}  // namespace v0
}  // namespace identrail
