#include "identrail/core/geolocation.hpp"

#include <maxminddb.h>

#include <cstring>

namespace identrail {
inline namespace v0 {
namespace {

// One value at a path of an entry, as text or number; absent paths give nothing.
std::optional<std::string> text_at(MMDB_entry_s entry, const char *const *path) {
  MMDB_entry_data_s data;
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  if (data.type == MMDB_DATA_TYPE_UTF8_STRING) return std::string(data.utf8_string, data.data_size);
  return std::nullopt;
}

std::optional<double> number_at(MMDB_entry_s entry, const char *const *path) {
  MMDB_entry_data_s data;
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  switch (data.type) {
    case MMDB_DATA_TYPE_DOUBLE: return data.double_value;
    case MMDB_DATA_TYPE_FLOAT: return data.float_value;
    case MMDB_DATA_TYPE_UINT16: return data.uint16;
    case MMDB_DATA_TYPE_UINT32: return data.uint32;
    case MMDB_DATA_TYPE_INT32: return data.int32;
    case MMDB_DATA_TYPE_UINT64: return static_cast<double>(data.uint64);
    default: return std::nullopt;
  }
}

}  // namespace

struct geolocator::impl {
  std::vector<MMDB_s> databases;
  ~impl() {
    for (auto &db : databases) MMDB_close(&db);
  }
};

geolocator::geolocator(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
geolocator::~geolocator() = default;
geolocator::geolocator(geolocator &&) noexcept = default;
geolocator &geolocator::operator=(geolocator &&) noexcept = default;

result<geolocator> geolocator::open(const std::vector<std::string> &paths) {
  auto state = std::make_unique<impl>();
  state->databases.reserve(paths.size());
  for (const auto &path : paths) {
    MMDB_s db{};
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db);
    if (status != MMDB_SUCCESS) {
      std::string reason = MMDB_strerror(status);
      if (status == MMDB_IO_ERROR) reason += std::string(": ") + std::strerror(errno);
      return make_error(status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR ? errc::io_error : errc::parse_error,
                        path + ": " + reason);
    }
    state->databases.push_back(db);
  }
  return geolocator(std::move(state));
}

result<std::optional<location>> geolocator::lookup(std::string_view ip) const {
  const std::string address(ip);
  std::optional<location> found;
  for (const auto &db : impl_->databases) {
    int gai_error = 0, mmdb_error = 0;
    auto hit = MMDB_lookup_string(&db, address.c_str(), &gai_error, &mmdb_error);
    if (gai_error != 0) return make_error(errc::invalid_argument, "\"" + address + "\" is not an IP address");
    if (mmdb_error != MMDB_SUCCESS) return make_error(errc::parse_error, "lookup of " + address + ": " + MMDB_strerror(mmdb_error));
    if (!hit.found_entry) continue;
    if (!found) found.emplace();
    auto &loc = *found;
    static const char *const country_iso[] = {"country", "iso_code", nullptr};
    static const char *const country_name[] = {"country", "names", "en", nullptr};
    static const char *const city_name[] = {"city", "names", "en", nullptr};
    static const char *const latitude[] = {"location", "latitude", nullptr};
    static const char *const longitude[] = {"location", "longitude", nullptr};
    static const char *const asn[] = {"autonomous_system_number", nullptr};
    static const char *const as_org[] = {"autonomous_system_organization", nullptr};
    // Earlier databases win: list the most precise first.
    if (loc.country_iso.empty()) loc.country_iso = text_at(hit.entry, country_iso).value_or("");
    if (loc.country.empty()) loc.country = text_at(hit.entry, country_name).value_or("");
    if (loc.city.empty()) loc.city = text_at(hit.entry, city_name).value_or("");
    if (!loc.latitude) loc.latitude = number_at(hit.entry, latitude);
    if (!loc.longitude) loc.longitude = number_at(hit.entry, longitude);
    if (loc.asn == 0) loc.asn = static_cast<std::uint32_t>(number_at(hit.entry, asn).value_or(0));
    if (loc.as_organization.empty()) loc.as_organization = text_at(hit.entry, as_org).value_or("");
  }
  return found;
}

}  // namespace v0
}  // namespace identrail
