#include <gtest/gtest.h>

#include "identrail/core/geolocation.hpp"
#include <set>

#include "support.hpp"

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

TEST(Geolocation, GraphAddressesCarryTheirLocation) {
  auto geo = geolocator::open({IDENTRAIL_GEO_FIXTURE});
  ASSERT_TRUE(geo) << geo.error().message;
  engine_options options;
  options.geolocation = std::make_shared<const geolocator>(std::move(*geo));
  auto e = test::make_engine(options);
  ASSERT_TRUE(e.feed_path(test::sample_dir()));
  const auto &g = e.graph();
  const auto attacker = g.find(node_kind::ip, "185.220.101.45");
  ASSERT_TRUE(attacker);
  const auto *where = g.location_of(*attacker);
  ASSERT_NE(where, nullptr);
  EXPECT_EQ(where->country_iso, "DE");
  EXPECT_EQ(where->asn, 60729u);
  // Addresses the database does not cover have no location rather than a wrong one.
  const auto office = g.find(node_kind::ip, "198.51.100.10");
  ASSERT_TRUE(office);
  EXPECT_EQ(g.location_of(*office), nullptr);
  const auto used = where_used_json(e.evidence(), "arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-0a1b2c3d4e5f67890");
  ASSERT_TRUE(used);
  EXPECT_NE(used->find(R"("ip":"185.220.101.45","count":)"), std::string::npos);
  EXPECT_NE(used->find(R"("country":"DE","country_name":"Germany","city":"Berlin")"), std::string::npos) << *used;
  EXPECT_NE(used->find(R"("country":"US")"), std::string::npos);  // the instance's own address
  EXPECT_NE(export_graph(g, graph_format::json).find(R"("country":"DE")"), std::string::npos);
}

// The asn, country and city fields read the engine's databases, once per
// address; rules on them (examples/rules/geo.yaml) need one and never fire without.
TEST(Geolocation, RulesOnNetworksAndCountriesFireOnANewOne) {
  auto geo = geolocator::open({IDENTRAIL_GEO_FIXTURE});
  ASSERT_TRUE(geo);
  auto rules = rule_set::from_paths({std::string(IDENTRAIL_SAMPLE_DIR) + "/../../rules/geo.yaml"});
  ASSERT_TRUE(rules) << rules.error().message;
  auto from = [](const std::string &id, const std::string &time, const std::string &ip) {
    auto r = test::record(id, time);
    r.replace(r.find("198.51.100.7"), 12, ip);
    return r;
  };
  const std::string input = from("a1", "2026-03-01T08:00:00Z", "54.210.33.17") + "\n" +
                            from("a2", "2026-03-01T09:00:00Z", "54.210.40.1") + "\n" +
                            from("a3", "2026-03-02T12:00:00Z", "185.220.101.45") + "\n";
  for (const bool located : {true, false}) {
    engine_options options;
    options.rules = *rules;
    if (located) options.geolocation = std::make_shared<const geolocator>(std::move(*geolocator::open({IDENTRAIL_GEO_FIXTURE})));
    auto e = test::feed_one(input, options);
    e.finish();
    std::set<std::string> found;
    for (const auto &d : e.detections()) found.insert(d.rule_id + " " + d.summary.substr(d.summary.rfind(' ') + 1));
    if (located) EXPECT_EQ(found, (std::set<std::string>{"GEO-001 AS60729", "GEO-002 DE"}));
    else EXPECT_TRUE(found.empty());
  }
}
