// Umbrella header: the whole public C++ API.
#pragma once

#include "identrail/core/error.hpp"
#include "identrail/core/symbol.hpp"
#include "identrail/core/time.hpp"
#include "identrail/detect/detection.hpp"
#include "identrail/detect/detector.hpp"
#include "identrail/detect/rule_set.hpp"
#include "identrail/engine.hpp"
#include "identrail/graph/geolocation.hpp"
#include "identrail/graph/identity_resolver.hpp"
#include "identrail/normalize/action_map.hpp"
#include "identrail/normalize/event.hpp"
#include "identrail/normalize/event_json.hpp"
#include "identrail/normalize/normalizer.hpp"
#include "identrail/normalize/raw_field.hpp"
#include "identrail/report.hpp"
#include "identrail/version.hpp"
