#include <memory>

#include <gtest/gtest.h>

#include "core/testing.h"
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "store/store.h"

namespace tahadhari::analysis {
namespace {

namespace fs = std::filesystem;
using store::ColumnIndex;
using store::Store;

using testing_util::TempDir;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// A store built from `events`, with the index and the fetched records in row order.
struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::shared_ptr<const ColumnIndex> columns;
  std::vector<store::StoredEvent> rows;  // rows[i] is index row i

  explicit Fixture(const std::vector<Event>& events) {
    store = Store::Open(dir.path() / "store.gpkg", Store::Mode::kReadWrite);
    auto batch = store->BeginBatch({"stats.csv", "acled", 0});
    for (const auto& e : events) batch->Upsert(e);
    batch->Commit();
    columns = store->Columns();
    const auto fids = columns->fid();
    rows = store->Fetch(std::vector<int64_t>(fids.begin(), fids.end()));
  }
  std::vector<uint32_t> AllRows() const {
    std::vector<uint32_t> r(columns->size());
    for (uint32_t i = 0; i < r.size(); ++i) r[i] = i;
    return r;
  }
};

Event MakeEvent(const std::string& id, Date date, const std::string& type,
                std::optional<int32_t> fatalities, const std::string& actor1 = "",
                const std::string& actor2 = "") {
  Event e;
  e.source = "acled";
  e.source_id = id;
  e.date_start = e.date_end = date;
  e.event_type = type;
  e.fatalities = fatalities;
  e.actor1.name = actor1;
  e.actor2.name = actor2;
  e.country_iso3 = "KEN";
  return e;
}

bool IsTime(StatKey k) {
  return k == StatKey::kDay || k == StatKey::kWeek || k == StatKey::kMonth || k == StatKey::kYear;
}

// The values of one key for one event, by the documented rules.
std::vector<std::string> KeyValues(StatKey k, const Event& e) {
  switch (k) {
    case StatKey::kDay: return {e.date_start.ToIso()};
    case StatKey::kWeek: return {e.date_start.ToIsoWeek()};
    case StatKey::kMonth: return {e.date_start.ToMonth()};
    case StatKey::kYear: return {std::to_string(e.date_start.year())};
    case StatKey::kType: return {e.event_type};
    case StatKey::kSubType: return {e.sub_event_type};
    case StatKey::kAdmin1: return {e.admin1};
    case StatKey::kCountry: return {e.country_iso3};
    case StatKey::kSource: return {e.source};
    case StatKey::kActor: {
      std::set<std::string> names;
      if (!e.actor1.name.empty()) names.insert(e.actor1.name);
      if (!e.actor2.name.empty()) names.insert(e.actor2.name);
      if (names.empty()) names.insert("");
      return {names.begin(), names.end()};
    }
  }
  return {};
}

StatsResult BruteForce(const Fixture& fx, const std::vector<uint32_t>& rows,
                       const std::vector<StatKey>& keys) {
  StatsResult r;
  for (StatKey k : keys) r.key_names.emplace_back(StatKeyName(k));
  std::map<std::vector<std::string>, std::pair<int64_t, int64_t>> groups;
  for (uint32_t row : rows) {
    const Event& e = fx.rows[row].event;
    const int64_t f = e.fatalities.value_or(0);
    ++r.total_events;
    r.total_fatalities += f;
    const auto v0 = KeyValues(keys[0], e);
    const auto v1 = keys.size() > 1 ? KeyValues(keys[1], e) : std::vector<std::string>{""};
    for (const auto& a : v0) {
      for (const auto& b : v1) {
        std::vector<std::string> key = {a};
        if (keys.size() > 1) key.push_back(b);
        auto& g = groups[key];
        ++g.first;
        g.second += f;
      }
    }
  }
  for (const auto& [key, counts] : groups) r.rows.push_back({key, counts.first, counts.second});
  // Time keys' labels sort chronologically as strings (four-digit years, zero-padded fields).
  const bool by_time = IsTime(keys[0]);
  std::sort(r.rows.begin(), r.rows.end(), [&](const StatsRow& a, const StatsRow& b) {
    if (!by_time && a.events != b.events) return a.events > b.events;
    return a.keys < b.keys;
  });
  return r;
}

std::string Describe(const StatsRow& r) {
  std::string s;
  for (const auto& k : r.keys) s += "[" + k + "]";
  return s + " events=" + std::to_string(r.events) + " fatalities=" + std::to_string(r.fatalities);
}

void ExpectSame(const StatsResult& got, const StatsResult& want, const std::string& label) {
  SCOPED_TRACE(label);
  EXPECT_EQ(got.key_names, want.key_names);
  EXPECT_EQ(got.total_events, want.total_events);
  EXPECT_EQ(got.total_fatalities, want.total_fatalities);
  ASSERT_EQ(got.rows.size(), want.rows.size());
  for (size_t i = 0; i < got.rows.size(); ++i) {
    ASSERT_EQ(Describe(got.rows[i]), Describe(want.rows[i])) << "row " << i;
  }
}

// ---------------------------------------------------------------------------------------------

TEST(StatKeyTest, ParseAndName) {
  const std::vector<std::pair<std::string, StatKey>> names = {
      {"day", StatKey::kDay},       {"week", StatKey::kWeek},       {"month", StatKey::kMonth},
      {"year", StatKey::kYear},     {"type", StatKey::kType},       {"sub-type", StatKey::kSubType},
      {"admin1", StatKey::kAdmin1}, {"country", StatKey::kCountry}, {"actor", StatKey::kActor},
      {"source", StatKey::kSource}};
  for (const auto& [name, key] : names) {
    EXPECT_EQ(ParseStatKey(name), key) << name;
    EXPECT_EQ(StatKeyName(key), name);
    EXPECT_NE(std::string(kStatKeyNames).find(name), std::string::npos) << name;
  }
  EXPECT_EQ(ParseStatKey("date"), StatKey::kDay);
  EXPECT_EQ(ParseStatKey("event_type"), StatKey::kType);
  EXPECT_EQ(ParseStatKey("sub_event_type"), StatKey::kSubType);
  EXPECT_EQ(ParseStatKey("iso3"), StatKey::kCountry);
  EXPECT_EQ(ParseStatKey("decade"), std::nullopt);
  EXPECT_EQ(ParseStatKey(""), std::nullopt);
}

TEST(ComputeStatsTest, UnknownFatalitiesCountAsEventsButNotInSums) {
  Fixture fx({MakeEvent("a", D(2016, 3, 1), "Riots", std::nullopt),
              MakeEvent("b", D(2016, 3, 2), "Riots", 0),
              MakeEvent("c", D(2016, 3, 3), "Riots", std::nullopt),
              MakeEvent("d", D(2016, 4, 1), "Battles", 5)});
  const std::vector<StatKey> keys = {StatKey::kType};
  const auto r = ComputeStats(*fx.columns, fx.AllRows(), keys);
  EXPECT_EQ(r.key_names, std::vector<std::string>{"type"});
  EXPECT_EQ(r.total_events, 4);
  EXPECT_EQ(r.total_fatalities, 5);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].keys, std::vector<std::string>{"Riots"});
  EXPECT_EQ(r.rows[0].events, 3);
  EXPECT_EQ(r.rows[0].fatalities, 0);
  EXPECT_EQ(r.rows[1].keys, std::vector<std::string>{"Battles"});
  EXPECT_EQ(r.rows[1].events, 1);
  EXPECT_EQ(r.rows[1].fatalities, 5);
  // By month: March has only unknown or zero fatalities.
  const std::vector<StatKey> month = {StatKey::kMonth};
  const auto m = ComputeStats(*fx.columns, fx.AllRows(), month);
  ASSERT_EQ(m.rows.size(), 2u);
  EXPECT_EQ(m.rows[0].keys, std::vector<std::string>{"2016-03"});
  EXPECT_EQ(m.rows[0].events, 3);
  EXPECT_EQ(m.rows[0].fatalities, 0);
  EXPECT_EQ(m.rows[1].keys, std::vector<std::string>{"2016-04"});
  EXPECT_EQ(m.rows[1].fatalities, 5);
}

TEST(ComputeStatsTest, TimeKeysAscendRegardlessOfCounts) {
  Fixture fx({MakeEvent("a", D(2016, 5, 1), "Riots", 1), MakeEvent("b", D(2014, 5, 1), "Riots", 1),
              MakeEvent("c", D(2014, 6, 1), "Riots", 1), MakeEvent("d", D(2014, 7, 1), "Riots", 1),
              MakeEvent("e", D(2015, 1, 1), "Riots", 2),
              MakeEvent("f", D(2009, 12, 31), "Riots", 3)});
  const std::vector<StatKey> keys = {StatKey::kYear};
  const auto r = ComputeStats(*fx.columns, fx.AllRows(), keys);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].keys[0], "2009");
  EXPECT_EQ(r.rows[1].keys[0], "2014");
  EXPECT_EQ(r.rows[1].events, 3);
  EXPECT_EQ(r.rows[2].keys[0], "2015");
  EXPECT_EQ(r.rows[3].keys[0], "2016");
}

TEST(ComputeStatsTest, IsoWeeksAcrossYearBoundaries) {
  Fixture fx({MakeEvent("a", D(2015, 12, 28), "Riots", 1),   // Monday of 2015-W53
              MakeEvent("b", D(2016, 1, 3), "Riots", 2),     // Sunday of 2015-W53
              MakeEvent("c", D(2016, 1, 4), "Riots", 4),     // 2016-W01
              MakeEvent("d", D(2018, 12, 31), "Riots", 8),   // 2019-W01
              MakeEvent("e", D(2016, 3, 1), "Riots", 16)});  // 2016-W09
  const std::vector<StatKey> keys = {StatKey::kWeek};
  const auto r = ComputeStats(*fx.columns, fx.AllRows(), keys);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(Describe(r.rows[0]), "[2015-W53] events=2 fatalities=3");
  EXPECT_EQ(Describe(r.rows[1]), "[2016-W01] events=1 fatalities=4");
  EXPECT_EQ(Describe(r.rows[2]), "[2016-W09] events=1 fatalities=16");
  EXPECT_EQ(Describe(r.rows[3]), "[2019-W01] events=1 fatalities=8");
}

TEST(ComputeStatsTest, CategoriesByCountThenName) {
  Fixture fx(
      {MakeEvent("1", D(2016, 1, 1), "Riots", 1), MakeEvent("2", D(2016, 1, 1), "Riots", 1),
       MakeEvent("3", D(2016, 1, 1), "Battles", 1), MakeEvent("4", D(2016, 1, 1), "Battles", 1),
       MakeEvent("5", D(2016, 1, 1), "Protests", 0), MakeEvent("6", D(2016, 1, 1), "Protests", 0),
       MakeEvent("7", D(2016, 1, 1), "Protests", 0),
       MakeEvent("8", D(2016, 1, 1), "Violence against civilians", 9)});
  const std::vector<StatKey> keys = {StatKey::kType};
  const auto r = ComputeStats(*fx.columns, fx.AllRows(), keys);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].keys[0], "Protests");
  EXPECT_EQ(r.rows[1].keys[0], "Battles");  // tie on 2 events: by name
  EXPECT_EQ(r.rows[2].keys[0], "Riots");
  EXPECT_EQ(r.rows[3].keys[0], "Violence against civilians");
}

TEST(ComputeStatsTest, ActorCountsEachDistinctActorOnce) {
  Fixture fx({MakeEvent("1", D(2016, 1, 1), "Battles", 2, "Al Shabaab", "Military Forces"),
              MakeEvent("2", D(2016, 1, 2), "Battles", 3, "Al Shabaab", "Al Shabaab"),
              MakeEvent("3", D(2016, 1, 3), "Protests", std::nullopt, "", "Protesters"),
              MakeEvent("4", D(2016, 1, 4), "Riots", 1, "", "")});
  const std::vector<StatKey> keys = {StatKey::kActor};
  const auto r = ComputeStats(*fx.columns, fx.AllRows(), keys);
  EXPECT_EQ(r.total_events, 4);
  EXPECT_EQ(r.total_fatalities, 6);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(Describe(r.rows[0]), "[Al Shabaab] events=2 fatalities=5");
  EXPECT_EQ(Describe(r.rows[1]), "[] events=1 fatalities=1");
  EXPECT_EQ(Describe(r.rows[2]), "[Military Forces] events=1 fatalities=2");
  EXPECT_EQ(Describe(r.rows[3]), "[Protesters] events=1 fatalities=0");
}

TEST(ComputeStatsTest, EmptySelection) {
  Fixture fx({MakeEvent("1", D(2016, 1, 1), "Riots", 1)});
  const std::vector<StatKey> keys = {StatKey::kMonth, StatKey::kType};
  const auto r = ComputeStats(*fx.columns, std::vector<uint32_t>{}, keys);
  EXPECT_EQ(r.key_names, (std::vector<std::string>{"month", "type"}));
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.total_events, 0);
  EXPECT_EQ(r.total_fatalities, 0);
}

// Random events against the brute force, for every key alone and in pairs.
class ComputeStatsRandomTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937_64 rng(4242);
    const std::vector<std::string> types = {"Battles", "Riots", "Protests",
                                            "Violence against civilians", "Strategic developments"};
    const std::vector<std::string> subs = {"Armed clash", "Attack", "Peaceful protest", ""};
    const std::vector<std::string> actors = {
        "Al Shabaab",      "Police Forces of Kenya", "Military Forces of Somalia",
        "Rioters (Kenya)", "Civilians (Kenya)",      ""};
    const std::vector<std::string> admin1 = {"Nairobi", "Garissa", "Lamu", "Lower Juba", ""};
    const std::vector<std::string> countries = {"KEN", "SOM", "ETH", ""};
    const std::vector<std::string> sources = {"acled", "ucdp", "gdelt2", "news"};
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    std::vector<Event> events;
    for (int i = 0; i < 2500; ++i) {
      Event e;
      e.source = pick(sources);
      e.source_id = std::to_string(i);
      // 2013-12-20 .. ~2021: crosses several ISO week-year boundaries.
      e.date_start = e.date_end = D(2013, 12, 20) + Days{static_cast<int32_t>(rng() % 2700)};
      e.event_type = pick(types);
      e.sub_event_type = pick(subs);
      e.actor1.name = pick(actors);
      e.actor2.name = rng() % 5 == 0 ? e.actor1.name : pick(actors);
      e.admin1 = pick(admin1);
      e.country_iso3 = pick(countries);
      if (rng() % 3 != 0) e.fatalities = static_cast<int32_t>(rng() % 25);
      events.push_back(e);
    }
    fx_ = std::make_unique<Fixture>(events);
  }
  static void TearDownTestSuite() { fx_.reset(); }
  static std::unique_ptr<Fixture> fx_;
};
std::unique_ptr<Fixture> ComputeStatsRandomTest::fx_;

const std::vector<StatKey> kAllKeys = {
    StatKey::kDay,     StatKey::kWeek,   StatKey::kMonth,   StatKey::kYear,  StatKey::kType,
    StatKey::kSubType, StatKey::kAdmin1, StatKey::kCountry, StatKey::kActor, StatKey::kSource};

TEST_F(ComputeStatsRandomTest, SingleKeysMatchBruteForce) {
  const auto rows = fx_->AllRows();
  for (StatKey k : kAllKeys) {
    const std::vector<StatKey> keys = {k};
    ExpectSame(ComputeStats(*fx_->columns, rows, keys), BruteForce(*fx_, rows, keys),
               std::string(StatKeyName(k)));
  }
}

TEST_F(ComputeStatsRandomTest, KeyPairsMatchBruteForce) {
  const auto rows = fx_->AllRows();
  for (StatKey a : kAllKeys) {
    for (StatKey b : kAllKeys) {
      const std::vector<StatKey> keys = {a, b};
      ExpectSame(ComputeStats(*fx_->columns, rows, keys), BruteForce(*fx_, rows, keys),
                 std::string(StatKeyName(a)) + " x " + std::string(StatKeyName(b)));
      if (HasFatalFailure()) return;
    }
  }
}

TEST_F(ComputeStatsRandomTest, SelectedSubsetsMatchBruteForce) {
  // Rows from ColumnIndex::Select (date order) and a sparse hand-picked subset.
  store::EventFilter f;
  f.types = {"riots", "BATTLES"};
  f.from = D(2015, 6, 1);
  const auto selected = fx_->columns->Select(f);
  ASSERT_FALSE(selected.empty());
  std::vector<uint32_t> sparse;
  for (uint32_t i = 0; i < fx_->columns->size(); i += 7) sparse.push_back(i);
  for (const std::vector<uint32_t>* rows :
       {&selected, static_cast<const std::vector<uint32_t>*>(&sparse)}) {
    for (const auto& keys :
         std::vector<std::vector<StatKey>>{{StatKey::kYear},
                                           {StatKey::kMonth},
                                           {StatKey::kWeek},
                                           {StatKey::kType},
                                           {StatKey::kActor},
                                           {StatKey::kYear, StatKey::kType},
                                           {StatKey::kActor, StatKey::kMonth},
                                           {StatKey::kType, StatKey::kActor},
                                           {StatKey::kCountry, StatKey::kWeek}}) {
      ExpectSame(ComputeStats(*fx_->columns, *rows, keys), BruteForce(*fx_, *rows, keys),
                 "subset of " + std::to_string(rows->size()) + " by " +
                     std::string(StatKeyName(keys[0])) +
                     (keys.size() > 1 ? "," + std::string(StatKeyName(keys[1])) : ""));
    }
  }
}

TEST(ComputeStatsLargeTest, ManyGroupsMatchBruteForce) {
  // 3000 distinct actors over ~6 years of days: actor x day has millions of possible groups,
  // more than a dense table holds, so the sparse grouping path is used.
  std::mt19937_64 rng(99);
  std::vector<Event> events;
  for (int i = 0; i < 3000; ++i) {
    Event e = MakeEvent(
        std::to_string(i), D(2010, 1, 1) + Days{static_cast<int32_t>(rng() % 2200)},
        i % 2 ? "Riots" : "Battles",
        rng() % 4 ? std::optional<int32_t>(static_cast<int32_t>(rng() % 9)) : std::nullopt,
        "Actor " + std::to_string(i), i % 3 == 0 ? "Shared actor" : "");
    events.push_back(e);
  }
  Fixture fx(events);
  const auto rows = fx.AllRows();
  for (const auto& keys : std::vector<std::vector<StatKey>>{{StatKey::kActor, StatKey::kDay},
                                                            {StatKey::kDay, StatKey::kActor},
                                                            {StatKey::kActor, StatKey::kWeek},
                                                            {StatKey::kDay},
                                                            {StatKey::kActor}}) {
    ExpectSame(ComputeStats(*fx.columns, rows, keys), BruteForce(fx, rows, keys),
               std::string(StatKeyName(keys[0])) +
                   (keys.size() > 1 ? " x " + std::string(StatKeyName(keys[1])) : ""));
  }
}

TEST_F(ComputeStatsRandomTest, ActorTotalsMayExceedEvents) {
  const auto rows = fx_->AllRows();
  const std::vector<StatKey> keys = {StatKey::kActor};
  const auto r = ComputeStats(*fx_->columns, rows, keys);
  int64_t sum = 0;
  for (const auto& row : r.rows) sum += row.events;
  EXPECT_GT(sum, r.total_events);
  EXPECT_EQ(r.total_events, static_cast<int64_t>(rows.size()));
  // Non-actor keys partition the events exactly.
  const std::vector<StatKey> type = {StatKey::kType};
  const auto t = ComputeStats(*fx_->columns, rows, type);
  int64_t events = 0, fatalities = 0;
  for (const auto& row : t.rows) {
    events += row.events;
    fatalities += row.fatalities;
  }
  EXPECT_EQ(events, t.total_events);
  EXPECT_EQ(fatalities, t.total_fatalities);
}

}  // namespace
}  // namespace tahadhari::analysis
