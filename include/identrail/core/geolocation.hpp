// Where a source IP is: city, country, coordinates and network (ASN), from
// MaxMind-format databases (GeoLite2/GeoIP2 City, Country and ASN, or any
// .mmdb with the same fields). Lookups are local: no network calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identrail/core/error.hpp"

namespace identrail {
inline namespace v0 {

struct location {
  std::string country_iso;  // "DE"
  std::string country;      // "Germany"
  std::string city;         // "Berlin"
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::uint32_t asn = 0;  // 0: unknown
  std::string as_organization;
};

// Opened databases, read-only once open: lookups may run on several threads.
class geolocator {
 public:
  // Each path is a .mmdb file; a City and an ASN database together give both
  // halves of a location. An unreadable or invalid file is an error naming it.
  [[nodiscard]] static result<geolocator> open(const std::vector<std::string> &paths);

  ~geolocator();
  geolocator(geolocator &&) noexcept;
  geolocator &operator=(geolocator &&) noexcept;

  // nullopt when no database knows the address; an error for text that is not an IP address.
  [[nodiscard]] result<std::optional<location>> lookup(std::string_view ip) const;

 private:
  struct impl;
  explicit geolocator(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace v0
}  // namespace identrail
