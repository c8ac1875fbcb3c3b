// Moved to identrail/pipeline/report.hpp in 0.2; this forwarder goes in 0.3.
#pragma once
#include "identrail/pipeline/report.hpp"
