#include <gtest/gtest.h>

#include "identrail/graph/geolocation.hpp"

using namespace identrail;

TEST(Geolocation, LooksUpCityCountryCoordinatesAndNetwork) {
  auto geo = geolocator::open({IDENTRAIL_GEO_FIXTURE});
  ASSERT_TRUE(geo) << geo.error().message;
  auto tor = geo->lookup("185.220.101.45");
  ASSERT_TRUE(tor && *tor);
  EXPECT_EQ((*tor)->country_iso, "DE");
  EXPECT_EQ((*tor)->country, "Germany");
  EXPECT_EQ((*tor)->city, "Berlin");
  EXPECT_NEAR((*tor)->latitude.value_or(0), 52.52, 1e-6);
  EXPECT_EQ((*tor)->asn, 60729u);
  EXPECT_EQ((*tor)->as_organization, "Example Exit Relays");

  auto aws = geo->lookup("54.210.33.17");
  ASSERT_TRUE(aws && *aws);
  EXPECT_EQ((*aws)->asn, 14618u);
  EXPECT_NEAR((*aws)->longitude.value_or(0), -77.4874, 1e-6);

  auto v6 = geo->lookup("2001:db8::7");
  ASSERT_TRUE(v6 && *v6);
  EXPECT_EQ((*v6)->country_iso, "NL");
  EXPECT_TRUE((*v6)->city.empty());
  EXPECT_FALSE((*v6)->latitude.has_value());

  auto unknown = geo->lookup("198.51.100.7");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

TEST(Geolocation, BadInputIsAnErrorNamingIt) {
  auto geo = geolocator::open({IDENTRAIL_GEO_FIXTURE});
  ASSERT_TRUE(geo);
  auto name = geo->lookup("ec2.amazonaws.com");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().code, errc::invalid_argument);
  EXPECT_NE(name.error().message.find("ec2.amazonaws.com"), std::string::npos);

  auto missing = geolocator::open({"/no/such/GeoLite2-City.mmdb"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/no/such/GeoLite2-City.mmdb"), std::string::npos);

  auto not_a_db = geolocator::open({IDENTRAIL_TEST_DATA "/not_a_maxmind_db.txt"});
  ASSERT_FALSE(not_a_db);
  EXPECT_EQ(not_a_db.error().code, errc::parse_error);
}
