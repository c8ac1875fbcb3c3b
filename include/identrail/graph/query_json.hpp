// Moved to identrail/pipeline/query_json.hpp in 0.2; this forwarder goes in 0.3.
#pragma once
#include "identrail/pipeline/query_json.hpp"
