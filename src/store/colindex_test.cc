// ColumnIndex::Select against a brute-force filter over the full records from Store::Fetch().
#include <gtest/gtest.h>

#include "core/testing.h"
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "geo/geo.h"
#include "store/store.h"

namespace tahadhari::store {
namespace {

namespace fs = std::filesystem;

using testing_util::TempDir;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Randomly changes the case of each letter.
std::string Jumble(const std::string& s, std::mt19937_64& rng) {
  std::string out = s;
  for (char& c : out) {
    if (rng() % 2)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

template <typename T>
const T& Pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[rng() % v.size()];
}

const std::vector<std::string> kTypes = {
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
    "Riots",   "Strategic developments"};
const std::vector<std::string> kSubTypes = {"Armed clash", "Attack", "Peaceful protest",
                                            "Mob violence", ""};
const std::vector<std::string> kActors = {"Al Shabaab",
                                          "Police Forces of Kenya (2013-)",
                                          "Military Forces of Somalia (2017-)",
                                          "Rioters (Kenya)",
                                          "Protesters (Kenya)",
                                          "Civilians (Somalia)",
                                          "Pokot Ethnic Militia (Kenya)",
                                          ""};
const std::vector<std::string> kAssoc = {
    "", "", "", "Clan Militia; Youth (Kenya)", "Students (Kenya); Teachers (Kenya)", "AMISOM"};
const std::vector<std::string> kCountries = {"KEN", "SOM", "ETH", "FJI", "RUS", "NZL", ""};
const std::vector<std::string> kAdmin1 = {"Nairobi",  "Garissa", "Lower Juba",
                                          "Banaadir", "Mandera", ""};
const std::vector<std::string> kSources = {"acled", "ucdp", "gdelt1", "gdelt2", "news", "report"};

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

LatLon RandomLocation(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  switch (rng() % 6) {
    case 0:  // near the antimeridian
      return {Degrees{-60 + 120 * u(rng)},
              Degrees{rng() % 2 ? 170 + 10 * u(rng) : -180 + 10 * u(rng)}};
    case 1:  // exactly on it
      return {Degrees{-30 + 60 * u(rng)}, Degrees{rng() % 2 ? 180.0 : -180.0}};
    case 2:  // polar
      return {Degrees{rng() % 2 ? 80 + 10 * u(rng) : -90 + 10 * u(rng)},
              Degrees{-180 + 360 * u(rng)}};
    case 3:  // anywhere
      return {Degrees{-90 + 180 * u(rng)}, Degrees{-180 + 360 * u(rng)}};
    default:  // East Africa, dense
      return {Degrees{-5 + 10 * u(rng)}, Degrees{34 + 8 * u(rng)}};
  }
}

Event RandomEvent(int i, std::mt19937_64& rng) {
  Event e;
  e.source = Pick(kSources, rng);
  e.source_id = "id" + std::to_string(i);
  // Few distinct days so that many events share a date (ties broken by fid).
  e.date_start = D(2015, 1, 1) + Days{static_cast<int32_t>(rng() % 400) * 5};
  e.date_end = e.date_start;
  if (rng() % 10 != 0) e.location = RandomLocation(rng);
  e.event_type = Pick(kTypes, rng);
  e.sub_event_type = Pick(kSubTypes, rng);
  e.actor1 = {Pick(kActors, rng), "", Pick(kAssoc, rng)};
  e.actor2 = {Pick(kActors, rng), "", Pick(kAssoc, rng)};
  e.country_iso3 = Pick(kCountries, rng);
  e.admin1 = Pick(kAdmin1, rng);
  if (rng() % 4 != 0) e.fatalities = static_cast<int32_t>(rng() % 30);
  return e;
}

bool AnyEq(const std::vector<std::string>& wanted, const std::string& value) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return Lower(w) == Lower(value); });
}

bool Matches(const EventFilter& f, const Event& e) {
  if (f.from && e.date_start < *f.from) return false;
  if (f.to && e.date_start > *f.to) return false;
  if (!f.types.empty() && !AnyEq(f.types, e.event_type)) return false;
  if (!f.sub_types.empty() && !AnyEq(f.sub_types, e.sub_event_type)) return false;
  if (!f.countries.empty() && !AnyEq(f.countries, e.country_iso3)) return false;
  if (!f.admin1.empty() && !AnyEq(f.admin1, e.admin1)) return false;
  if (!f.sources.empty() && !AnyEq(f.sources, e.source)) return false;
  if (!f.actor.empty()) {
    const std::string needle = Lower(f.actor);
    bool hit = false;
    for (const std::string* s :
         {&e.actor1.name, &e.actor2.name, &e.actor1.associated, &e.actor2.associated}) {
      if (Lower(*s).find(needle) != std::string::npos) hit = true;
    }
    if (!hit) return false;
  }
  if (f.bbox || f.near) {
    if (!e.location) return false;
    if (f.bbox) {
      const auto& b = *f.bbox;
      const double lat = e.location->lat.value, lon = e.location->lon.value;
      if (lat < b.south.value || lat > b.north.value) return false;
      const bool in_lon = b.west.value <= b.east.value ? lon >= b.west.value && lon <= b.east.value
                                                       : lon >= b.west.value || lon <= b.east.value;
      if (!in_lon) return false;
    }
    if (f.near && geo::Distance(*f.near, *e.location).value > f.within.value) return false;
  }
  return true;
}

class ColumnIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    store_ = Store::Open(dir_->path() / "store.gpkg", Store::Mode::kReadWrite);
    std::mt19937_64 rng(1234);
    auto batch = store_->BeginBatch({"random.csv", "acled", 0});
    for (int i = 0; i < 3000; ++i) batch->Upsert(RandomEvent(i, rng));
    // A few hand-placed events for the targeted tests.
    auto fixed = [&](const std::string& id, double lat, double lon, const std::string& actor,
                     const std::string& assoc) {
      Event e;
      e.source = "report";
      e.source_id = id;
      e.date_start = e.date_end = D(2016, 6, 1);
      e.location = LatLon{Degrees{lat}, Degrees{lon}};
      e.event_type = "Riots";
      e.actor1 = {actor, "", assoc};
      e.country_iso3 = "FJI";
      batch->Upsert(e);
    };
    fixed("fiji-east", -17.7, 179.5, "Fiji Police", "");
    fixed("fiji-west", -17.7, -179.5, "Fiji Police", "Harbour Watch; Night Youth");
    fixed("greenwich", 51.48, 0.0, "London Rioters", "");
    batch->Commit();
    all_ = std::make_unique<std::vector<StoredEvent>>();
    const auto c = store_->Columns();
    const auto fids = c->fid();
    *all_ = store_->Fetch(std::vector<int64_t>(fids.begin(), fids.end()));
  }
  static void TearDownTestSuite() {
    all_.reset();
    store_.reset();
    dir_.reset();
  }

  // Select's fids, and the brute-force fids ordered by (date, fid).
  static size_t Compare(const ColumnIndex& c, const EventFilter& f, const std::string& label) {
    const auto rows = c.Select(f);
    Check(c, f, rows, label);
    return rows.size();
  }
  static void Check(const ColumnIndex& c, const EventFilter& f, const std::vector<uint32_t>& rows,
                    const std::string& label) {
    std::vector<int64_t> got;
    for (uint32_t r : rows) {
      ASSERT_LT(r, c.size());
      got.push_back(c.fid()[r]);
    }
    std::vector<const StoredEvent*> want_events;
    for (const auto& se : *all_) {
      if (Matches(f, se.event)) want_events.push_back(&se);
    }
    std::sort(want_events.begin(), want_events.end(),
              [](const StoredEvent* a, const StoredEvent* b) {
                if (a->event.date_start != b->event.date_start)
                  return a->event.date_start < b->event.date_start;
                return a->fid < b->fid;
              });
    std::vector<int64_t> want;
    for (const auto* se : want_events) want.push_back(se->fid);
    ASSERT_EQ(got.size(), want.size()) << label;
    EXPECT_EQ(got, want) << label;
    // Ordered by (date, fid).
    for (size_t i = 1; i < rows.size(); ++i) {
      const int32_t d0 = c.day()[rows[i - 1]], d1 = c.day()[rows[i]];
      ASSERT_TRUE(d0 < d1 || (d0 == d1 && c.fid()[rows[i - 1]] < c.fid()[rows[i]])) << label;
    }
  }

  static int64_t FidOf(const std::string& source_id) {
    for (const auto& se : *all_)
      if (se.event.source_id == source_id) return se.fid;
    return -1;
  }
  static std::vector<int64_t> SelectFids(const ColumnIndex& c, const EventFilter& f) {
    std::vector<int64_t> out;
    for (uint32_t r : c.Select(f)) out.push_back(c.fid()[r]);
    return out;
  }
  static bool Has(const std::vector<int64_t>& v, int64_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<Store> store_;
  static std::unique_ptr<std::vector<StoredEvent>> all_;
};

std::unique_ptr<TempDir> ColumnIndexTest::dir_;
std::unique_ptr<Store> ColumnIndexTest::store_;
std::unique_ptr<std::vector<StoredEvent>> ColumnIndexTest::all_;

TEST_F(ColumnIndexTest, EmptyFilterSelectsEverythingInDateOrder) {
  const auto c = store_->Columns();
  ASSERT_EQ(c->size(), all_->size());
  Compare(*c, EventFilter{}, "empty filter");
  EXPECT_EQ(c->Select(EventFilter{}).size(), c->size());
}

TEST_F(ColumnIndexTest, BboxAcrossTheAntimeridian) {
  const auto c = store_->Columns();
  EventFilter f;
  f.bbox = geo::BoundingBox{{179}, {-18}, {-179}, {-17}};
  const auto fids = SelectFids(*c, f);
  EXPECT_TRUE(Has(fids, FidOf("fiji-east")));
  EXPECT_TRUE(Has(fids, FidOf("fiji-west")));
  EXPECT_FALSE(Has(fids, FidOf("greenwich")));
  Compare(*c, f, "fiji box");
  // The same box not crossing: 179 .. 180 only.
  f.bbox = geo::BoundingBox{{179}, {-18}, {180}, {-17}};
  const auto east_only = SelectFids(*c, f);
  EXPECT_TRUE(Has(east_only, FidOf("fiji-east")));
  EXPECT_FALSE(Has(east_only, FidOf("fiji-west")));
}

TEST_F(ColumnIndexTest, NearWithinAcrossTheAntimeridian) {
  const auto c = store_->Columns();
  EventFilter f;
  f.near = LatLon{Degrees{-17.7}, Degrees{180.0}};
  f.within = Kilometers{60};  // each Fiji event is ~53 km from the antimeridian point
  const auto fids = SelectFids(*c, f);
  EXPECT_TRUE(Has(fids, FidOf("fiji-east")));
  EXPECT_TRUE(Has(fids, FidOf("fiji-west")));
  Compare(*c, f, "near Fiji");
  f.within = Kilometers{40};
  const auto none = SelectFids(*c, f);
  EXPECT_FALSE(Has(none, FidOf("fiji-east")));
  EXPECT_FALSE(Has(none, FidOf("fiji-west")));
}

TEST_F(ColumnIndexTest, NearWithZeroRadiusFindsTheExactPoint) {
  const auto c = store_->Columns();
  EventFilter f;
  f.near = LatLon{Degrees{51.48}, Degrees{0.0}};
  f.within = Kilometers{0};
  const auto fids = SelectFids(*c, f);
  EXPECT_TRUE(Has(fids, FidOf("greenwich")));
  Compare(*c, f, "zero radius");
}

TEST_F(ColumnIndexTest, TypesCountriesAndSourcesAreCaseInsensitive) {
  const auto c = store_->Columns();
  EventFilter f;
  f.types = {"rIoTs"};
  f.countries = {"fji"};
  f.sources = {"REPORT"};
  const auto fids = SelectFids(*c, f);
  EXPECT_TRUE(Has(fids, FidOf("fiji-east")));
  EXPECT_TRUE(Has(fids, FidOf("fiji-west")));
  Compare(*c, f, "case-insensitive");
  f.types = {"Riot"};  // exact value, not a prefix
  EXPECT_TRUE(SelectFids(*c, f).empty());
}

TEST_F(ColumnIndexTest, ActorMatchesAssociatedActorsBySubstring) {
  const auto c = store_->Columns();
  EventFilter f;
  f.actor = "NIGHT yOuTh";
  const auto fids = SelectFids(*c, f);
  EXPECT_TRUE(Has(fids, FidOf("fiji-west")));
  EXPECT_FALSE(Has(fids, FidOf("fiji-east")));
  Compare(*c, f, "assoc actor");
  f.actor = "no such actor anywhere";
  EXPECT_TRUE(SelectFids(*c, f).empty());
}

TEST_F(ColumnIndexTest, SpatialFiltersExcludeEventsWithoutLocation) {
  const auto c = store_->Columns();
  EventFilter f;
  f.bbox = geo::BoundingBox{{-180}, {-90}, {180}, {90}};
  const auto rows = c->Select(f);
  size_t located = 0;
  for (const auto& se : *all_) located += se.event.location ? 1 : 0;
  EXPECT_EQ(rows.size(), located);
  EXPECT_LT(located, all_->size());
  for (uint32_t r : rows) EXPECT_FALSE(std::isnan(c->lat()[r]));
}

TEST_F(ColumnIndexTest, RandomFiltersMatchBruteForce) {
  const auto c = store_->Columns();
  std::mt19937_64 rng(777);
  std::uniform_real_distribution<double> u(0, 1);
  int non_empty = 0;
  for (int t = 0; t < 600; ++t) {
    EventFilter f;
    std::string label = "filter " + std::to_string(t) + ":";
    if (rng() % 4 == 0) {
      double w = -180 + 360 * u(rng), e = -180 + 360 * u(rng);
      if (rng() % 3 == 0) {  // force a crossing box near the antimeridian
        w = 150 + 30 * u(rng);
        e = -180 + 30 * u(rng);
      }
      double s = -90 + 180 * u(rng), n = -90 + 180 * u(rng);
      if (s > n) std::swap(s, n);
      f.bbox = geo::BoundingBox{{w}, {s}, {e}, {n}};
      label += " bbox W" + std::to_string(w) + " S" + std::to_string(s) + " E" + std::to_string(e) +
               " N" + std::to_string(n);
    }
    if (rng() % 4 == 0) {
      f.near = RandomLocation(rng);
      f.within = Kilometers{std::pow(10.0, -1 + 4.5 * u(rng))};
      label += " near " + std::to_string(f.near->lat.value) + "," +
               std::to_string(f.near->lon.value) + " within " + std::to_string(f.within.value);
    }
    if (rng() % 3 == 0) {
      f.from = D(2015, 1, 1) + Days{static_cast<int32_t>(rng() % 2100)};
      label += " from " + f.from->ToIso();
    }
    if (rng() % 3 == 0) {
      f.to = D(2015, 1, 1) + Days{static_cast<int32_t>(rng() % 2100)};
      label += " to " + f.to->ToIso();
    }
    if (rng() % 3 == 0) {
      for (size_t k = 0, n = 1 + rng() % 2; k < n; ++k)
        f.types.push_back(Jumble(Pick(kTypes, rng), rng));
      label += " types";
    }
    if (rng() % 5 == 0) {
      const std::string v = Pick(kSubTypes, rng);
      f.sub_types.push_back(Jumble(v.empty() ? "Attack" : v, rng));
      label += " sub_types " + f.sub_types[0];
    }
    if (rng() % 3 == 0) {
      std::string a = Pick(kActors, rng);
      if (rng() % 3 == 0) a = Pick(kAssoc, rng);
      if (a.empty()) a = "kenya";
      const size_t from = rng() % a.size();
      f.actor = Jumble(a.substr(from, 1 + rng() % (a.size() - from)), rng);
      label += " actor '" + f.actor + "'";
    }
    if (rng() % 4 == 0) {
      for (size_t k = 0, n = 1 + rng() % 2; k < n; ++k) {
        const std::string v = Pick(kCountries, rng);
        f.countries.push_back(Jumble(v.empty() ? "KEN" : v, rng));
      }
      label += " countries";
    }
    if (rng() % 4 == 0) {
      const std::string v = Pick(kAdmin1, rng);
      f.admin1.push_back(Jumble(v.empty() ? "Garissa" : v, rng));
      label += " admin1";
    }
    if (rng() % 4 == 0) {
      for (size_t k = 0, n = 1 + rng() % 3; k < n; ++k)
        f.sources.push_back(Jumble(Pick(kSources, rng), rng));
      label += " sources";
    }
    if (Compare(*c, f, label) > 0) ++non_empty;
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(non_empty, 200) << "too few filters selected anything to be a meaningful check";
}

TEST_F(ColumnIndexTest, CachedIndexSelectsTheSame) {
  // A second Store object loads the index from the .colidx cache (mapped file).
  const auto built = store_->Columns();
  auto other = Store::Open(dir_->path() / "store.gpkg", Store::Mode::kReadOnly);
  const auto cached = other->Columns();
  ASSERT_EQ(cached->size(), built->size());
  std::mt19937_64 rng(31);
  for (int t = 0; t < 50; ++t) {
    EventFilter f;
    f.types = {Pick(kTypes, rng)};
    f.actor = rng() % 2 ? "police" : "";
    if (rng() % 2) f.near = RandomLocation(rng), f.within = Kilometers{2000};
    EXPECT_EQ(cached->Select(f), built->Select(f));
    Compare(*cached, f, "cached " + std::to_string(t));
  }
}

}  // namespace
}  // namespace tahadhari::store
