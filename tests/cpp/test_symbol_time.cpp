#include <gtest/gtest.h>

#include <cstring>

#include "support.hpp"

using namespace identrail;

TEST(SymbolTable, InterningIsStableAndNulTerminated) {
  symbol_table table;
  const auto a = table.intern("arn:aws:iam::111122223333:user/alice");
  const auto b = table.intern("arn:aws:iam::111122223333:user/bob");
  EXPECT_NE(a, b);
  EXPECT_EQ(a, table.intern("arn:aws:iam::111122223333:user/alice"));
  EXPECT_TRUE(table.intern("").empty());
  // Many strings force new arena blocks; earlier views must stay valid.
  for (int i = 0; i < 20000; ++i) table.intern("key-" + std::to_string(i) + std::string(40, 'x'));
  EXPECT_EQ(table.str(a), "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(std::strlen(table.c_str(b)), table.str(b).size());
  EXPECT_EQ(table.find("key-19999" + std::string(40, 'x')).value_or(symbol{}).id, table.size() - 1);
  EXPECT_FALSE(table.find("never-interned").has_value());
  EXPECT_EQ(table.str(symbol{999999999}), "");
}

TEST(Time, ParsesCloudTrailAndExportFormats) {
  const auto base = parse_rfc3339("2026-03-01T10:00:00Z");
  ASSERT_TRUE(base);
  EXPECT_EQ(to_unix_nanos(*base), 1772359200LL * 1'000'000'000);
  EXPECT_EQ(*parse_rfc3339("2026-03-01T12:00:00+02:00"), *base);
  EXPECT_EQ(*parse_rfc3339("2026-03-01 10:00:00.000000000"), *base);  // Panther's export form
  EXPECT_EQ(to_unix_nanos(*parse_rfc3339("2026-03-01T10:00:00.25Z")) - to_unix_nanos(*base), 250'000'000);
  EXPECT_EQ(format_rfc3339(*base), "2026-03-01T10:00:00Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-03-01T10:00:00.123Z")), "2026-03-01T10:00:00.123Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("1969-12-31T23:59:59Z")), "1969-12-31T23:59:59Z");
}

TEST(Time, RejectsMalformedTimesWithAReason) {
  for (const char *bad : {"", "ThisIsAWrongEventTime", "2026-02-30T00:00:00Z", "2026-03-01T24:00:00Z",
                          "2026-03-01T10:00:00Zjunk", "2026-03-01T10:00:00.Z", "2026-03-01"}) {
    const auto t = parse_rfc3339(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, errc::parse_error);
    EXPECT_NE(t.error().message.find("invalid RFC 3339 time"), std::string::npos);
  }
}
