#include "core/date.h"

#include <gtest/gtest.h>

namespace tahadhari {
namespace {

TEST(DateTest, ParsesAndFormatsIso) {
  const auto d = Date::ParseIso("2016-12-31");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year(), 2016);
  EXPECT_EQ(d->month(), 12);
  EXPECT_EQ(d->day(), 31);
  EXPECT_EQ(d->ToIso(), "2016-12-31");
  EXPECT_EQ(d->ToMonth(), "2016-12");
  EXPECT_EQ(Date::ParseIso("1970-01-01")->days_since_epoch(), 0);
}

TEST(DateTest, RejectsImpossibleDays) {
  EXPECT_FALSE(Date::ParseIso("2015-02-29"));
  EXPECT_TRUE(Date::ParseIso("2016-02-29"));
  EXPECT_FALSE(Date::ParseIso("2016-13-01"));
  EXPECT_FALSE(Date::ParseIso("2016-00-10"));
  EXPECT_FALSE(Date::ParseIso("2016-1-01"));
  EXPECT_FALSE(Date::ParseIso("20x6-01-01"));
  EXPECT_FALSE(Date::ParseCompact("20190230"));
  EXPECT_EQ(Date::ParseCompact("20191024")->ToIso(), "2019-10-24");
}

TEST(DateTest, IsoWeeksAtYearBoundaries) {
  // 2016-01-03 is a Sunday in ISO week 2015-W53; 2018-12-31 is in 2019-W01.
  EXPECT_EQ(Date::ParseIso("2016-01-03")->ToIsoWeek(), "2015-W53");
  EXPECT_EQ(Date::ParseIso("2016-01-04")->ToIsoWeek(), "2016-W01");
  EXPECT_EQ(Date::ParseIso("2018-12-31")->ToIsoWeek(), "2019-W01");
  EXPECT_EQ(Date::ParseIso("2020-12-31")->ToIsoWeek(), "2020-W53");
}

TEST(DateTest, Arithmetic) {
  const auto a = *Date::ParseIso("2024-12-31");
  EXPECT_EQ((a + Days{1}).ToIso(), "2025-01-01");
  EXPECT_EQ((a - *Date::ParseIso("2024-01-01")).value, 365);
}

}  // namespace
}  // namespace tahadhari
