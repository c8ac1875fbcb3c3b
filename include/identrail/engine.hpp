// Moved to identrail/pipeline/engine.hpp in 0.2; this forwarder goes in 0.3.
#pragma once
#include "identrail/pipeline/engine.hpp"
