// The geolocator moved to core (detection reads locations too); this header
// stays for code that included it from here.
#pragma once

#include "identrail/core/geolocation.hpp"
