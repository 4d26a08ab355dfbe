#include "store/export.h"

#include <gtest/gtest.h>

namespace tahadhari::store {
namespace {

StoredEvent Sample() {
  StoredEvent s;
  s.fid = 42;
  s.ingested_at = "2026-01-01T00:00:00Z";
  Event& e = s.event;
  e.source = "acled";
  e.source_id = "KEN1";
  e.source_file = "/tmp/a \"b\".csv";
  e.source_line = 7;
  e.date_start = *Date::ParseIso("2016-02-29");
  e.date_end = *Date::ParseIso("2016-03-01");
  e.location = LatLon{Degrees{-0.4532}, Degrees{39.6461}};
  e.event_type = "Violence against civilians";
  e.actor1.name = "Al Shabaab";
  e.actor2.name = "Civilians (Kenya)";
  e.notes = "Quote \" backslash \\ newline\n tab\t control \x01 unicode Muqdisho \xC3\xA9 bad \xFF end";
  e.fatalities = 3;
  e.fatalities_high = 5;
  return s;
}

TEST(ExportTest, FastFeatureJsonEqualsJsonTree) {
  for (bool located : {true, false}) {
    StoredEvent s = Sample();
    if (!located) s.event.location.reset();
    std::string fast;
    AppendEventFeatureJson(s, &fast);
    const auto parsed = nlohmann::json::parse(fast);  // must be valid JSON
    auto tree = EventFeature(s);
    // The tree keeps the invalid byte; the fast writer replaces it with U+FFFD, as dump() does.
    tree = nlohmann::json::parse(tree.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    EXPECT_EQ(parsed, tree) << fast;
  }
}

TEST(ExportTest, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace tahadhari::store
