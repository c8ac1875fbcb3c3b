// The graph queries as JSON: the one rendering the C ABI, Python and the CLI
// share, so every language sees the same answer. Each answer starts with
// "schema_version" (json_schema_version, identrail/version.hpp).
#pragma once

#include <string>
#include <string_view>

#include "identrail/core/error.hpp"
#include "identrail/core/time.hpp"
#include "identrail/graph/evidence.hpp"

namespace identrail {
inline namespace v0 {

// {"identity","root_principal","complete","chain":[...]}
[[nodiscard]] result<std::string> resolution_json(const evidence_view &e, std::string_view identity);
// {"identity","status","risk","since","reasons":[...],"detections"}
[[nodiscard]] result<std::string> assessment_json(const evidence_view &e, std::string_view identity);
// {"identity","since","identities":[...],"resources":[{"arn","actions":[{"action","count","failed","first_seen",
// "last_seen"}],"by":[...]}],"actions":[...]}
[[nodiscard]] result<std::string> blast_radius_json(const evidence_view &e, std::string_view identity, timestamp since = {});
// {"from","to","paths":[[{"kind","label"},...],...]}; `from` and `to` are any node keys (ARN, IP, key id).
[[nodiscard]] result<std::string> paths_json(const evidence_view &e, std::string_view from, std::string_view to,
                                             const path_options &options = {});
// {"identity","addresses":[{"ip","count","first_seen","last_seen",location...}],"user_agents":[...],"keys":[...]}
[[nodiscard]] result<std::string> where_used_json(const evidence_view &e, std::string_view identity);
// {"identity","entries":[{"time","type":"event",...}|{"time","type":"detection",...}]}
[[nodiscard]] result<std::string> timeline_json(const evidence_view &e, std::string_view identity, timestamp since = {});

}  // namespace v0
}  // namespace identrail
