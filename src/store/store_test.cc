#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/testing.h"
#include "store/export.h"

namespace tahadhari::store {
namespace {

namespace fs = std::filesystem;

using testing_util::ReadFile;
using testing_util::TempDir;
using testing_util::WriteFile;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// A deterministic, varied event for index i.
Event MakeEvent(int i) {
  static const char* kTypes[] = {"Battles",
                                 "Riots",
                                 "Protests",
                                 "Violence against civilians",
                                 "Explosions/Remote violence",
                                 "Strategic developments"};
  static const char* kCountries[] = {"KEN", "SOM", "ETH", ""};
  static const char* kAdmin1[] = {"Nairobi", "Garissa", "Lamu", "Banaadir", ""};
  static const char* kActors[] = {"Al Shabaab", "Police Forces of Kenya (2013-)", "Rioters (Kenya)",
                                  "Civilians (Kenya)", ""};
  Event e;
  e.source = i % 7 == 0 ? "ucdp" : "acled";
  e.source_id = "EV" + std::to_string(i);
  e.source_file = "fixture.csv";
  e.source_line = i + 2;
  e.notes = "Event number " + std::to_string(i) + ", with \"quotes\" and a comma";
  e.url = i % 3 == 0 ? "https://example.org/" + std::to_string(i) : "";
  e.reported_by = i % 2 == 0 ? "Daily Nation (Kenya)" : "";
  e.date_start = D(2010, 1, 1) + Days{(i * 37) % 2500};
  e.date_end = e.date_start + Days{i % 3};
  e.date_precision = static_cast<DatePrecision>(i % 4);
  if (i % 11 != 5) {
    e.location = LatLon{Degrees{-4.0 + (i % 97) * 0.0731}, Degrees{34.0 + (i % 89) * 0.0917}};
  }
  e.geo_precision = static_cast<GeoPrecision>(i % 5);
  e.country_iso3 = kCountries[i % 4];
  e.admin1 = kAdmin1[i % 5];
  e.admin2 = i % 2 ? "Admin2-" + std::to_string(i % 13) : "";
  e.place = "Place " + std::to_string(i % 17);
  e.event_type = kTypes[i % 6];
  e.sub_event_type = i % 4 == 0 ? "Armed clash" : "";
  e.source_event_code = i % 5 == 0 ? "cameo:190" : "";
  e.mapping_lossy = i % 5 == 0;
  e.actor1 = {kActors[i % 5], i % 2 ? "Rebel group" : "", i % 9 == 0 ? "Militia A; Militia B" : ""};
  e.actor2 = {kActors[(i + 2) % 5], "", ""};
  if (i % 4 != 3) e.fatalities = (i * 13) % 40;
  if (i % 7 == 0) {
    e.fatalities_low = 0;
    e.fatalities_high = 50;
  }
  return e;
}

fs::path NewStorePath(const TempDir& dir) { return dir.path() / "store.gpkg"; }

std::unique_ptr<Store> OpenRw(const fs::path& p) { return Store::Open(p, Store::Mode::kReadWrite); }

void InsertEvents(Store& s, int from, int to, int64_t expected_rows = 0) {
  auto batch = s.BeginBatch({"fixture.csv", "acled", expected_rows});
  for (int i = from; i < to; ++i) batch->Upsert(MakeEvent(i));
  batch->Commit();
}

// Direct sqlite3 access for checks the Store API does not expose.
class RawDb {
 public:
  explicit RawDb(const fs::path& p) {
    EXPECT_EQ(sqlite3_open_v2(p.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  sqlite3* get() const { return db_; }
  int64_t Int(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    int64_t v = -1;
    if (s != nullptr && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }
  std::string Text(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    std::string v = "<no row>";
    if (s != nullptr && sqlite3_step(s) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(s, 0);
      v = t != nullptr ? reinterpret_cast<const char*>(t) : "<null>";
    }
    sqlite3_finalize(s);
    return v;
  }
  std::vector<int64_t> Ids(const std::string& sql, std::initializer_list<double> params) const {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    std::vector<int64_t> out;
    if (s == nullptr) return out;
    int i = 1;
    for (double p : params) sqlite3_bind_double(s, i++, p);
    while (sqlite3_step(s) == SQLITE_ROW) out.push_back(sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Compares the content fields of two events (not provenance of the read).
void ExpectSameContent(const Event& a, const Event& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.reported_by, b.reported_by);
  EXPECT_EQ(a.date_start, b.date_start);
  EXPECT_EQ(a.date_end, b.date_end);
  EXPECT_EQ(a.date_precision, b.date_precision);
  EXPECT_EQ(a.location.has_value(), b.location.has_value());
  if (a.location && b.location) {
    EXPECT_EQ(*a.location, *b.location);
  }
  EXPECT_EQ(a.geo_precision, b.geo_precision);
  EXPECT_EQ(a.country_iso3, b.country_iso3);
  EXPECT_EQ(a.admin1, b.admin1);
  EXPECT_EQ(a.admin2, b.admin2);
  EXPECT_EQ(a.place, b.place);
  EXPECT_EQ(a.event_type, b.event_type);
  EXPECT_EQ(a.sub_event_type, b.sub_event_type);
  EXPECT_EQ(a.source_event_code, b.source_event_code);
  EXPECT_EQ(a.mapping_lossy, b.mapping_lossy);
  EXPECT_EQ(a.actor1.name, b.actor1.name);
  EXPECT_EQ(a.actor1.category, b.actor1.category);
  EXPECT_EQ(a.actor1.associated, b.actor1.associated);
  EXPECT_EQ(a.actor2.name, b.actor2.name);
  EXPECT_EQ(a.actor2.category, b.actor2.category);
  EXPECT_EQ(a.actor2.associated, b.actor2.associated);
  EXPECT_EQ(a.fatalities, b.fatalities);
  EXPECT_EQ(a.fatalities_low, b.fatalities_low);
  EXPECT_EQ(a.fatalities_high, b.fatalities_high);
  EXPECT_EQ(a.ContentHash(), b.ContentHash());
}

std::vector<StoredEvent> FetchAll(Store& s) {
  const auto cols = s.Columns();
  const auto fids = cols->fid();
  return s.Fetch(std::vector<int64_t>(fids.begin(), fids.end()));
}

// Checks that the column index holds exactly what Fetch() returns, row by row.
void ExpectColumnsMatchFetch(Store& s, const ColumnIndex& c) {
  using Dim = ColumnIndex::Dim;
  ASSERT_EQ(static_cast<int64_t>(c.size()), s.CountEvents());
  const auto fids = c.fid();
  // Rows are in (date_start, fid) order.
  for (size_t i = 1; i < c.size(); ++i) {
    ASSERT_TRUE(c.day()[i - 1] < c.day()[i] ||
                (c.day()[i - 1] == c.day()[i] && fids[i - 1] < fids[i]))
        << "rows " << i - 1 << " and " << i << " are not in (date, fid) order";
  }
  const auto events = s.Fetch(std::vector<int64_t>(fids.begin(), fids.end()));
  ASSERT_EQ(events.size(), c.size());
  auto str = [&](Dim d, size_t row) -> std::string {
    const uint32_t code = c.codes(d)[row];
    const auto& dict = c.dictionary(d);
    return code < dict.size() ? dict[code] : "<code " + std::to_string(code) + " out of range>";
  };
  // by_day(): a permutation of the rows ordered by (date_start, fid).
  const auto order = c.by_day();
  ASSERT_EQ(order.size(), c.size());
  std::vector<uint32_t> expected_order(c.size());
  for (uint32_t i = 0; i < expected_order.size(); ++i) expected_order[i] = i;
  std::stable_sort(expected_order.begin(), expected_order.end(),
                   [&](uint32_t a, uint32_t b) { return c.day()[a] < c.day()[b]; });
  EXPECT_TRUE(std::equal(order.begin(), order.end(), expected_order.begin()))
      << "by_day() is not the rows ordered by (date, fid)";
  for (size_t i = 0; i < c.size(); ++i) {
    const Event& e = events[i].event;
    SCOPED_TRACE("row " + std::to_string(i) + " fid " + std::to_string(fids[i]));
    EXPECT_EQ(events[i].fid, fids[i]);
    EXPECT_EQ(c.day()[i], e.date_start.days_since_epoch());
    if (e.location) {
      EXPECT_EQ(c.lat()[i], e.location->lat.value);
      EXPECT_EQ(c.lon()[i], e.location->lon.value);
    } else {
      EXPECT_TRUE(std::isnan(c.lat()[i]));
      EXPECT_TRUE(std::isnan(c.lon()[i]));
    }
    EXPECT_EQ(c.fatalities()[i], e.fatalities.value_or(ColumnIndex::kUnknownFatalities));
    EXPECT_EQ(str(Dim::kCountry, i), e.country_iso3);
    EXPECT_EQ(str(Dim::kAdmin1, i), e.admin1);
    EXPECT_EQ(str(Dim::kType, i), e.event_type);
    EXPECT_EQ(str(Dim::kSubType, i), e.sub_event_type);
    EXPECT_EQ(str(Dim::kSource, i), e.source);
    EXPECT_EQ(str(Dim::kActor1, i), e.actor1.name);
    EXPECT_EQ(str(Dim::kActor2, i), e.actor2.name);
    EXPECT_EQ(str(Dim::kAssoc1, i), e.actor1.associated);
    EXPECT_EQ(str(Dim::kAssoc2, i), e.actor2.associated);
  }
  for (size_t d = 0; d < ColumnIndex::kDimCount; ++d) {
    const auto& dict = c.dictionary(static_cast<Dim>(d));
    ASSERT_FALSE(dict.empty());
    EXPECT_EQ(dict[0], "");
  }
  EXPECT_EQ(&c.dictionary(Dim::kActor1), &c.dictionary(Dim::kAssoc2));
}

// ---------------------------------------------------------------------------------------------

TEST(StoreTest, CreatesStoreAndParentFolders) {
  TempDir dir;
  const fs::path p = dir.path() / "nested" / "deeper" / "events.gpkg";
  auto s = OpenRw(p);
  EXPECT_TRUE(fs::exists(p));
  EXPECT_EQ(s->path(), p);
  EXPECT_EQ(s->RejectsPath(), dir.path() / "nested" / "deeper" / "events.rejects.csv");
  EXPECT_EQ(s->CountEvents(), 0);
  EXPECT_EQ(s->Generation(), 0);
  EXPECT_TRUE(s->RecentIngests(10).empty());
  EXPECT_EQ(s->Columns()->size(), 0u);
  s.reset();
  // Reopening an existing store, read-write and read-only.
  EXPECT_EQ(OpenRw(p)->CountEvents(), 0);
  EXPECT_EQ(Store::Open(p, Store::Mode::kReadOnly)->CountEvents(), 0);
}

TEST(StoreTest, GeoPackageHeader) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  OpenRw(p).reset();
  {
    RawDb db(p);
    EXPECT_EQ(db.Int("PRAGMA application_id"), 0x47504B47);
    EXPECT_EQ(db.Int("PRAGMA user_version"), 10300);
    EXPECT_EQ(db.Text("SELECT data_type FROM gpkg_contents WHERE table_name = 'events'"),
              "features");
    EXPECT_EQ(db.Text("SELECT geometry_type_name FROM gpkg_geometry_columns "
                      "WHERE table_name = 'events'"),
              "POINT");
    EXPECT_EQ(db.Int("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'events'"), 4326);
    EXPECT_EQ(db.Int("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326)"), 3);
    EXPECT_EQ(db.Text("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'events'"),
              "gpkg_rtree_index");
  }
  // The SQLite header itself: application_id at offset 68 spells "GPKG", user_version at 60.
  const std::string bytes = ReadFile(p);
  ASSERT_GE(bytes.size(), 100u);
  EXPECT_EQ(bytes.substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_EQ(bytes.substr(68, 4), "GPKG");
  const auto uv = static_cast<uint32_t>(
      (static_cast<uint8_t>(bytes[60]) << 24) | (static_cast<uint8_t>(bytes[61]) << 16) |
      (static_cast<uint8_t>(bytes[62]) << 8) | static_cast<uint8_t>(bytes[63]));
  EXPECT_EQ(uv, 10300u);
}

TEST(StoreTest, UpsertInsertUpdateUnchangedBySourceAndId) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  Event a = MakeEvent(1);
  {
    auto batch = s->BeginBatch({"a.csv", "acled", 0});
    EXPECT_EQ(batch->Upsert(a), UpsertResult::kInserted);
    EXPECT_EQ(batch->Upsert(a), UpsertResult::kUnchanged);
    // Provenance of the read is not content.
    Event moved = a;
    moved.source_file = "other.csv";
    moved.source_line = 999;
    EXPECT_EQ(batch->Upsert(moved), UpsertResult::kUnchanged);
    Event changed = a;
    changed.fatalities = a.fatalities.value_or(0) + 5;
    EXPECT_EQ(batch->Upsert(changed), UpsertResult::kUpdated);
    EXPECT_EQ(batch->Upsert(changed), UpsertResult::kUnchanged);
    // Same id from another source is another event.
    Event other_source = a;
    other_source.source = a.source == "acled" ? "gdelt2" : "acled";
    EXPECT_EQ(batch->Upsert(other_source), UpsertResult::kInserted);
    Event other_id = a;
    other_id.source_id = a.source_id + "-b";
    EXPECT_EQ(batch->Upsert(other_id), UpsertResult::kInserted);
    batch->Commit();
  }
  EXPECT_EQ(s->CountEvents(), 3);
  Event changed = a;
  changed.fatalities = a.fatalities.value_or(0) + 5;
  {
    auto batch = s->BeginBatch({"b.csv", "acled", 0});
    EXPECT_EQ(batch->Upsert(changed), UpsertResult::kUnchanged);
    Event relocated = changed;
    relocated.location = LatLon{Degrees{2.5}, Degrees{45.3}};
    EXPECT_EQ(batch->Upsert(relocated), UpsertResult::kUpdated);
    Event unlocated = relocated;
    unlocated.location.reset();
    EXPECT_EQ(batch->Upsert(unlocated), UpsertResult::kUpdated);
    Event unknown = unlocated;
    unknown.fatalities.reset();
    EXPECT_EQ(batch->Upsert(unknown), UpsertResult::kUpdated);
    Event renoted = unknown;
    renoted.notes += " (corrected)";
    EXPECT_EQ(batch->Upsert(renoted), UpsertResult::kUpdated);
    batch->Commit();
    changed = renoted;
  }
  EXPECT_EQ(s->CountEvents(), 3);
  const auto all = FetchAll(*s);
  ASSERT_EQ(all.size(), 3u);
  const auto it = std::find_if(all.begin(), all.end(), [&](const StoredEvent& e) {
    return e.event.source == a.source && e.event.source_id == a.source_id;
  });
  ASSERT_NE(it, all.end());
  ExpectSameContent(it->event, changed);
  EXPECT_EQ(it->event.source_file, "b.csv");  // provenance follows the batch that last wrote it
}

TEST(StoreTest, FetchRoundTripsEveryField) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  std::vector<Event> events;
  for (int i = 0; i < 60; ++i) events.push_back(MakeEvent(i));
  {
    auto batch = s->BeginBatch({"round.csv", "acled", 0});
    for (const auto& e : events) ASSERT_EQ(batch->Upsert(e), UpsertResult::kInserted);
    batch->Commit();
  }
  const auto stored = FetchAll(*s);
  ASSERT_EQ(stored.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(events[i].source_id);
    ExpectSameContent(stored[i].event, events[i]);
    EXPECT_EQ(stored[i].event.source_file, "round.csv");
    EXPECT_EQ(stored[i].event.source_line, events[i].source_line);
    EXPECT_FALSE(stored[i].ingested_at.empty());
  }
  // Fetch keeps the order asked for and skips fids that do not exist.
  const std::vector<int64_t> ask = {stored[5].fid, 999999, stored[2].fid, -1, stored[5].fid};
  const auto got = s->Fetch(ask);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].fid, stored[5].fid);
  EXPECT_EQ(got[1].fid, stored[2].fid);
  EXPECT_EQ(got[2].fid, stored[5].fid);
  EXPECT_TRUE(s->Fetch({}).empty());
}

// UpsertAll (records grouped per INSERT) must leave the same store and counts as Upsert one
// by one: new keys, stored keys changed and unchanged, and keys repeated inside one group.
TEST(StoreTest, UpsertAllEqualsOneByOneUpserts) {
  TempDir dir;
  auto one = OpenRw(dir.path() / "one.gpkg");
  auto all = OpenRw(dir.path() / "all.gpkg");
  std::vector<Event> first;
  for (int i = 0; i < 40; ++i) first.push_back(MakeEvent(i));
  std::vector<Event> second;
  for (int i = 0; i < 100; ++i) {
    Event e = MakeEvent(i % 3 == 0 ? i / 3 : 1000 + i);  // every third: a key stored by `first`
    if (i % 6 == 0) e.notes += " (revised)";             // half of those change
    second.push_back(e);
    if (i % 10 == 4) {  // the same key again right after, sometimes changed
      Event again = e;
      if (i % 20 == 4) again.fatalities = 99;
      second.push_back(again);
    }
  }
  Store::Batch::UpsertCounts expect, got;
  for (const auto* events : {&first, &second}) {
    auto b1 = one->BeginBatch({"one.csv", "acled", 0});
    for (const auto& e : *events) {
      switch (b1->Upsert(e)) {
        case UpsertResult::kInserted: ++expect.inserted; break;
        case UpsertResult::kUpdated: ++expect.updated; break;
        case UpsertResult::kUnchanged: ++expect.unchanged; break;
      }
    }
    b1->Commit();
    std::vector<uint64_t> hashes;
    for (const auto& e : *events) hashes.push_back(e.ContentHash());
    auto b2 = all->BeginBatch({"one.csv", "acled", 0});
    const auto c = b2->UpsertAll(*events, hashes);
    b2->Commit();
    got.inserted += c.inserted;
    got.updated += c.updated;
    got.unchanged += c.unchanged;
  }
  EXPECT_GT(expect.updated, 0);
  EXPECT_GT(expect.unchanged, 0);
  EXPECT_EQ(got.inserted, expect.inserted);
  EXPECT_EQ(got.updated, expect.updated);
  EXPECT_EQ(got.unchanged, expect.unchanged);
  const auto a = FetchAll(*one);
  const auto b = FetchAll(*all);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].event.source_id);
    EXPECT_EQ(a[i].fid, b[i].fid);
    ExpectSameContent(a[i].event, b[i].event);
  }
}

TEST(StoreTest, FetchEachViewsEqualFetchAndSurviveAThrowingCallback) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  {
    auto batch = s->BeginBatch({"views.csv", "acled", 0});
    for (int i = 0; i < 20; ++i) batch->Upsert(MakeEvent(i));
    batch->Commit();
  }
  const auto stored = FetchAll(*s);
  std::vector<int64_t> fids;
  for (const auto& e : stored) fids.push_back(e.fid);
  fids.push_back(999999);  // skipped, as in Fetch()
  size_t i = 0;
  s->FetchEach(fids, [&](const EventView& v) {
    ASSERT_LT(i, stored.size());
    // The in-place view serialises exactly like the owned copy.
    std::string from_view, from_copy;
    AppendEventFeatureJson(v, &from_view);
    AppendEventFeatureJson(stored[i], &from_copy);
    EXPECT_EQ(from_view, from_copy);
    ++i;
  });
  EXPECT_EQ(i, stored.size());
  // A callback that throws leaves the store usable (statement reset, read transaction closed).
  EXPECT_THROW(s->FetchEach(fids, [](const EventView&) { throw std::runtime_error("stop"); }),
               std::runtime_error);
  EXPECT_EQ(s->Fetch(fids).size(), stored.size());
  auto batch = s->BeginBatch({"after.csv", "acled", 0});
  EXPECT_EQ(batch->Upsert(MakeEvent(100)), UpsertResult::kInserted);
  batch->Commit();
}

TEST(StoreTest, BatchWithoutCommitLeavesNothing) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  {
    auto batch = s->BeginBatch({"lost.csv", "acled", 0});
    for (int i = 0; i < 50; ++i) batch->Upsert(MakeEvent(i));
    batch->AddReject({"lost.csv", 7, {"latitude", "95", "out of range"}, "raw,line"});
    batch->LogIngest({"lost.csv", "acled", 51, 50, 0, 0, 1, 0.1});
    // destroyed without Commit()
  }
  EXPECT_EQ(s->CountEvents(), 0);
  EXPECT_EQ(s->Generation(), 0);
  EXPECT_TRUE(s->RecentIngests(10).empty());
  EXPECT_EQ(s->Columns()->size(), 0u);
  EXPECT_FALSE(fs::exists(s->RejectsPath()));
  {
    RawDb db(p);
    EXPECT_EQ(db.Int("SELECT count(*) FROM events"), 0);
    EXPECT_EQ(db.Int("SELECT count(*) FROM rejects"), 0);
    EXPECT_EQ(db.Int("SELECT count(*) FROM ingests"), 0);
    EXPECT_EQ(db.Int("SELECT count(*) FROM rtree_events_geom"), 0);
  }
  // Another connection sees nothing either, and a new batch works normally afterwards.
  EXPECT_EQ(Store::Open(p, Store::Mode::kReadOnly)->CountEvents(), 0);
  InsertEvents(*s, 0, 3);
  EXPECT_EQ(s->CountEvents(), 3);
  EXPECT_EQ(s->Generation(), 1);
}

TEST(StoreTest, UncommittedBatchIsInvisibleToOtherConnections) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto writer = OpenRw(p);
  InsertEvents(*writer, 0, 5);
  auto reader = Store::Open(p, Store::Mode::kReadOnly);
  auto batch = writer->BeginBatch({"pending.csv", "acled", 0});
  for (int i = 5; i < 20; ++i) batch->Upsert(MakeEvent(i));
  EXPECT_EQ(reader->CountEvents(), 5);
  EXPECT_EQ(reader->Generation(), 1);
  batch->Commit();
  EXPECT_EQ(reader->CountEvents(), 20);
  EXPECT_EQ(reader->Generation(), 2);
}

TEST(StoreTest, GenerationIncreasesOnlyWhenSomethingChanged) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  EXPECT_EQ(s->Generation(), 0);
  InsertEvents(*s, 0, 10);
  EXPECT_EQ(s->Generation(), 1);
  InsertEvents(*s, 0, 10);  // all unchanged
  EXPECT_EQ(s->Generation(), 1);
  {
    auto batch = s->BeginBatch({"rejects-only.csv", "acled", 0});
    batch->AddReject({"rejects-only.csv", 2, {"event_date", "2016-02-30", "impossible"}, "x"});
    batch->LogIngest({"rejects-only.csv", "acled", 1, 0, 0, 0, 1, 0.0});
    batch->Commit();
  }
  EXPECT_EQ(s->Generation(), 1);
  {
    auto batch = s->BeginBatch({"empty.csv", "acled", 0});
    batch->Commit();
  }
  EXPECT_EQ(s->Generation(), 1);
  {
    auto batch = s->BeginBatch({"update.csv", "acled", 0});
    Event e = MakeEvent(3);
    e.place = "Somewhere else";
    EXPECT_EQ(batch->Upsert(e), UpsertResult::kUpdated);
    batch->Commit();
  }
  EXPECT_EQ(s->Generation(), 2);
  {
    auto batch = s->BeginBatch({"rolled-back.csv", "acled", 0});
    batch->Upsert(MakeEvent(100));
  }
  EXPECT_EQ(s->Generation(), 2);
  InsertEvents(*s, 10, 12);
  EXPECT_EQ(s->Generation(), 3);
  s.reset();
  EXPECT_EQ(Store::Open(p, Store::Mode::kReadOnly)->Generation(), 3);  // persisted
}

TEST(StoreTest, RejectsAreLoggedInTableAndCsv) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  {
    auto batch = s->BeginBatch({"in.csv", "acled", 0});
    batch->AddReject({"in.csv", 12, {"latitude", "95", "out of range"}, "a,\"b\",95"});
    batch->AddReject({"in.csv", 40, {"", "", "unbalanced quote"}, "x,\"y"});
    batch->LogIngest({"in.csv", "acled", 2, 0, 0, 0, 2, 0.5});
    batch->Commit();
  }
  RawDb db(p);
  EXPECT_EQ(db.Int("SELECT count(*) FROM rejects"), 2);
  EXPECT_EQ(db.Text("SELECT field FROM rejects WHERE line = 12"), "latitude");
  EXPECT_EQ(db.Text("SELECT raw FROM rejects WHERE line = 12"), "a,\"b\",95");
  const std::string csv = ReadFile(s->RejectsPath());
  EXPECT_EQ(csv.rfind("logged_at,path,line,field,value,reason,raw\n", 0), 0u);
  EXPECT_NE(csv.find("\"in.csv\",12,\"latitude\",\"95\",\"out of range\",\"a,\"\"b\"\",95\""),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"in.csv\",40,\"\",\"\",\"unbalanced quote\",\"x,\"\"y\""), std::string::npos)
      << csv;
  // A second batch appends without repeating the header.
  {
    auto batch = s->BeginBatch({"in2.csv", "acled", 0});
    batch->AddReject({"in2.csv", 3, {"fatalities", "many", "not a number"}, "z"});
    batch->Commit();
  }
  const std::string csv2 = ReadFile(s->RejectsPath());
  EXPECT_EQ(csv2.rfind(csv, 0), 0u);
  EXPECT_EQ(std::count(csv2.begin(), csv2.end(), '\n'), 4);
  EXPECT_NE(csv2.find("\"in2.csv\",3,\"fatalities\",\"many\""), std::string::npos);
}

TEST(StoreTest, RecentIngestsNewestFirst) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  for (int k = 0; k < 3; ++k) {
    const std::string name = "file" + std::to_string(k) + ".csv";
    auto batch = s->BeginBatch({name, k == 1 ? "ucdp" : "acled", 0});
    for (int i = 0; i < 4; ++i) batch->Upsert(MakeEvent(k * 10 + i));
    batch->LogIngest({name, k == 1 ? "ucdp" : "acled", 5, 4, 0, 0, 1, 0.25});
    batch->Commit();
  }
  const auto logs = s->RecentIngests(2);
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].path, "file2.csv");
  EXPECT_EQ(logs[1].path, "file1.csv");
  EXPECT_EQ(logs[1].format, "ucdp");
  EXPECT_EQ(logs[0].read, 5);
  EXPECT_EQ(logs[0].inserted, 4);
  EXPECT_EQ(logs[0].rejected, 1);
  EXPECT_GE(logs[0].seconds, 0.25);
  EXPECT_EQ(s->RecentIngests(10).size(), 3u);
}

TEST(StoreTest, ColumnsMatchFetch) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  InsertEvents(*s, 0, 400);
  const auto c = s->Columns();
  EXPECT_EQ(c->generation(), s->Generation());
  ExpectColumnsMatchFetch(*s, *c);
  // After updates the index follows.
  {
    auto batch = s->BeginBatch({"upd.csv", "acled", 0});
    for (int i = 0; i < 400; i += 3) {
      Event e = MakeEvent(i);
      e.event_type = "Riots";
      e.admin1 = "Mombasa";
      e.fatalities.reset();
      e.location = LatLon{Degrees{-4.0435}, Degrees{39.6682}};
      batch->Upsert(e);
    }
    batch->Commit();
  }
  const auto c2 = s->Columns();
  EXPECT_EQ(c2->generation(), s->Generation());
  ExpectColumnsMatchFetch(*s, *c2);
}

TEST(StoreTest, ColumnsObjectIsReusedUntilTheStoreChanges) {
  TempDir dir;
  auto s = OpenRw(NewStorePath(dir));
  InsertEvents(*s, 0, 20);
  const auto a = s->Columns();
  EXPECT_EQ(s->Columns().get(), a.get());
  InsertEvents(*s, 0, 20);  // unchanged: same generation, same object
  EXPECT_EQ(s->Columns().get(), a.get());
  InsertEvents(*s, 20, 25);
  const auto b = s->Columns();
  EXPECT_NE(b.get(), a.get());
  EXPECT_EQ(b->size(), 25u);
  EXPECT_EQ(a->size(), 20u);  // the old snapshot stays valid and unchanged
  EXPECT_EQ(b->generation(), a->generation() + 1);
}

TEST(StoreTest, ColumnsSeeChangesMadeThroughAnotherStoreObject) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto reader = Store::Open(p.string(), Store::Mode::kReadWrite);
  auto writer = OpenRw(p);
  InsertEvents(*writer, 0, 10);
  EXPECT_EQ(reader->Columns()->size(), 10u);
  InsertEvents(*writer, 10, 15);
  EXPECT_EQ(reader->Columns()->size(), 15u);
  ExpectColumnsMatchFetch(*reader, *reader->Columns());
}

// Layout of the .colidx cache (see colindex.cc), 8-byte aligned sections: magic (8), store id
// (32 hex digits), generation (8), row count n (8), then fid (8n), day (4n), lat (8n), lon (8n),
// fatalities (4n), by_day (4n), 9 code columns (4n each), then 6 dictionaries.
constexpr size_t kMagicAt = 0, kStoreIdAt = 8, kGenerationAt = 40, kRowCountAt = 48,
                 kHeaderSize = 56;
size_t Pad8(size_t n) { return (n + 7) / 8 * 8; }
size_t LatOffset(size_t n) { return kHeaderSize + 8 * n + Pad8(4 * n); }
size_t ByDayOffset(size_t n) { return LatOffset(n) + 16 * n + Pad8(4 * n); }
size_t CodesOffset(size_t n) { return ByDayOffset(n) + Pad8(4 * n); }
size_t FirstDictionaryOffset(size_t n) { return CodesOffset(n) + 9 * Pad8(4 * n); }
uint64_t ReadU64(const std::string& b, size_t at) {
  uint64_t v = 0;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}
std::string StoreId(const fs::path& p) {
  RawDb db(p);
  return db.Text("SELECT value FROM tahadhari_meta WHERE key = 'store_id'");
}

TEST(StoreTest, ColidxCacheIsWrittenAndReused) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  size_t n = 0;
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 30);
    n = s->Columns()->size();
  }
  ASSERT_TRUE(fs::exists(cache));
  std::string bytes = ReadFile(cache);
  ASSERT_GE(bytes.size(), FirstDictionaryOffset(n));
  EXPECT_EQ(bytes.substr(kMagicAt, 6), "THDXCI");
  const std::string store_id = StoreId(p);
  EXPECT_EQ(store_id.size(), 32u);
  EXPECT_EQ(bytes.substr(kStoreIdAt, 32), store_id);
  EXPECT_EQ(ReadU64(bytes, kGenerationAt), 1u);
  EXPECT_EQ(ReadU64(bytes, kRowCountAt), n);

  // Mark the cache: a new Store object must use it as is (same generation) rather than rebuild.
  const double marker = 12.345678;
  std::memcpy(bytes.data() + LatOffset(n), &marker, sizeof marker);
  WriteFile(cache, bytes);
  const auto mtime = fs::last_write_time(cache);
  {
    auto s = OpenRw(p);
    const auto c = s->Columns();
    ASSERT_EQ(c->size(), n);
    EXPECT_EQ(c->lat()[0], marker) << "the cache was not reused";
    EXPECT_EQ(fs::last_write_time(cache), mtime);
    // A change makes it stale: rebuilt from the events table and rewritten.
    InsertEvents(*s, 30, 31);
    const auto c2 = s->Columns();
    EXPECT_EQ(c2->size(), n + 1);
    EXPECT_NE(c2->lat()[0], marker);
    EXPECT_EQ(c2->generation(), 2);
    ExpectColumnsMatchFetch(*s, *c2);
  }
  bytes = ReadFile(cache);
  EXPECT_EQ(ReadU64(bytes, kGenerationAt), 2u);
  EXPECT_EQ(ReadU64(bytes, kRowCountAt), n + 1);
  // A store changed by another process while the cache was not updated (a stale cache).
  {
    auto s = OpenRw(p);
    auto batch = s->BeginBatch({"x.csv", "acled", 0});
    batch->Upsert(MakeEvent(500));
    batch->Commit();  // generation 3; the cache still says 2
  }
  {
    auto s = OpenRw(p);
    ExpectColumnsMatchFetch(*s, *s->Columns());
    EXPECT_EQ(s->Columns()->size(), n + 2);
  }
}

// Opens the store afresh (no in-memory index) and checks Columns() equals a rebuilt index.
void ExpectCacheIgnored(const fs::path& store_path, const std::string& label) {
  SCOPED_TRACE(label);
  auto s = OpenRw(store_path);
  std::shared_ptr<const ColumnIndex> c;
  ASSERT_NO_THROW(c = s->Columns());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->generation(), s->Generation());
  ExpectColumnsMatchFetch(*s, *c);
}

TEST(StoreTest, TruncatedColidxIsIgnored) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 25);
    s->Columns();
  }
  const std::string good = ReadFile(cache);
  ASSERT_GT(good.size(), 100u);
  std::vector<size_t> lengths = {0, 1, 7, 8, 15, 16, 17, 23, 24, 25, 31, 32};
  // Every section boundary region is hit: small steps at the start, then ~400 cut points over
  // the rest.
  const size_t step = std::max<size_t>(13, good.size() / 400);
  for (size_t len = 33; len < good.size(); len += step) lengths.push_back(len);
  for (size_t k = 1; k <= 16 && k < good.size(); ++k) lengths.push_back(good.size() - k);
  for (const size_t len : lengths) {
    WriteFile(cache, good.substr(0, len));
    ExpectCacheIgnored(
        p, "truncated to " + std::to_string(len) + " of " + std::to_string(good.size()) + " bytes");
    if (HasFatalFailure()) return;
    // Only the final section's zero padding may be missing from an accepted file; anything
    // shorter must have been rebuilt and rewritten.
    if (len + 8 <= good.size()) {
      EXPECT_TRUE(ReadFile(cache) == good) << "cache not rewritten after truncation to " << len;
    }
  }
}

TEST(StoreTest, CorruptedColidxIsIgnored) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  size_t n = 0;
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 25);
    n = s->Columns()->size();
  }
  const std::string good = ReadFile(cache);
  ASSERT_GT(good.size(), FirstDictionaryOffset(n));
  auto variant = [&](const std::string& label, auto mutate) {
    std::string bytes = good;
    mutate(bytes);
    WriteFile(cache, bytes);
    ExpectCacheIgnored(p, label);
  };
  auto put64 = [](std::string& b, size_t at, uint64_t v) { std::memcpy(b.data() + at, &v, 8); };
  auto put32 = [](std::string& b, size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); };
  variant("bad magic", [&](std::string& b) { b[0] = 'X'; });
  variant("zeroed magic", [&](std::string& b) { std::fill(b.begin(), b.begin() + 8, '\0'); });
  variant("other store id",
          [&](std::string& b) { b[kStoreIdAt] = b[kStoreIdAt] == 'a' ? 'b' : 'a'; });
  variant("other generation", [&](std::string& b) { put64(b, kGenerationAt, 7); });
  variant("negative generation", [&](std::string& b) { put64(b, kGenerationAt, ~uint64_t{0}); });
  variant("row count + 1", [&](std::string& b) { put64(b, kRowCountAt, n + 1); });
  variant("row count * 1000", [&](std::string& b) { put64(b, kRowCountAt, n * 1000); });
  variant("row count 2^40", [&](std::string& b) { put64(b, kRowCountAt, uint64_t{1} << 40); });
  variant("row count 2^61", [&](std::string& b) { put64(b, kRowCountAt, uint64_t{1} << 61); });
  variant("row count max", [&](std::string& b) { put64(b, kRowCountAt, ~uint64_t{0}); });
  variant("by_day row out of range", [&](std::string& b) { put32(b, ByDayOffset(n), 1000000); });
  const size_t dict0 = FirstDictionaryOffset(n);
  variant("dictionary count huge", [&](std::string& b) { put64(b, dict0, uint64_t{1} << 40); });
  variant("dictionary count max", [&](std::string& b) { put64(b, dict0, ~uint64_t{0}); });
  variant("dictionary count zero", [&](std::string& b) { put64(b, dict0, 0); });
  variant("dictionary offset past the end",
          [&](std::string& b) { put32(b, dict0 + 12, 0x7FFFFFFF); });
  variant("dictionary offsets decreasing", [&](std::string& b) {
    uint32_t second = 0;
    std::memcpy(&second, b.data() + dict0 + 16, 4);
    put32(b, dict0 + 12, second + 1);
  });
  variant("garbage tail", [&](std::string& b) {
    std::mt19937 rng(5);
    for (size_t i = dict0; i < b.size(); ++i) b[i] = static_cast<char>(rng());
  });
  variant("all 0xFF after the header",
          [&](std::string& b) { std::fill(b.begin() + kHeaderSize, b.end(), '\xFF'); });
  variant("not a cache at all", [&](std::string& b) { b = "hello, this is a text file\n"; });
}

TEST(StoreTest, ColidxWithOverflowingDictionaryCountIsIgnored) {
  // A dictionary count of 2^62-1 makes (count+1)*4 wrap to 0 bytes: the offsets section is
  // then "in range", and the loader must still refuse the file instead of failing.
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  size_t n = 0;
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 25);
    n = s->Columns()->size();
  }
  std::string bytes = ReadFile(cache);
  const uint64_t count = (uint64_t{1} << 62) - 1;
  std::memcpy(bytes.data() + FirstDictionaryOffset(n), &count, 8);
  WriteFile(cache, bytes);
  ExpectCacheIgnored(p, "dictionary count 2^62-1");
}

TEST(StoreTest, ColidxWithOverflowingRowCountIsIgnored) {
  // A row count of 2^62 + n makes every column size wrap to its true size, so every section
  // looks in range: the loader must not then scan 2^62 codes.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  size_t n = 0;
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 25);
    n = s->Columns()->size();
  }
  std::string bytes = ReadFile(cache);
  const uint64_t wrapped = (uint64_t{1} << 62) + n;
  std::memcpy(bytes.data() + kRowCountAt, &wrapped, 8);
  WriteFile(cache, bytes);
  // The child exits without unwinding, so it removes its own copy of the folder first.
  auto finish = [&](int code) {
    std::error_code ec;
    fs::remove_all(dir.path(), ec);
    std::exit(code);
  };
  EXPECT_EXIT(
      {
        auto s = OpenRw(p);
        const auto c = s->Columns();
        if (c->size() != n) {
          std::fprintf(stderr, "damaged cache accepted: size() = %zu\n", c->size());
          finish(3);
        }
        EventFilter f;
        f.from = D(2012, 1, 1);
        finish(c->Select(f).size() <= n ? 0 : 4);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(StoreTest, OutOfRangeCodesInCacheNeverMatch) {
  // Codes are not validated when the cache is loaded; Select() must bounds-check them: a row
  // whose code is outside its dictionary matches no value of that dimension.
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  const fs::path cache = p.string() + ".colidx";
  size_t n = 0;
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 25);
    n = s->Columns()->size();
  }
  std::string bytes = ReadFile(cache);
  const size_t column = Pad8(4 * n);
  const uint32_t bad_type = 1000000, bad_actor = 0xFFFFFFFFu;
  std::memcpy(bytes.data() + CodesOffset(n) + 2 * column, &bad_type, 4);  // kType, row 0
  for (size_t dim = 5; dim < 9; ++dim) {  // all four actor roles of the last row
    std::memcpy(bytes.data() + CodesOffset(n) + dim * column + 4 * (n - 1), &bad_actor, 4);
  }
  WriteFile(cache, bytes);
  auto s = OpenRw(p);
  std::shared_ptr<const ColumnIndex> c;
  ASSERT_NO_THROW(c = s->Columns());
  ASSERT_EQ(c->size(), n);
  EXPECT_EQ(c->Select(EventFilter{}).size(), n);
  for (const auto& type : c->dictionary(ColumnIndex::Dim::kType)) {
    if (type.empty()) continue;
    EventFilter f;
    f.types = {type};
    const auto rows = c->Select(f);
    EXPECT_EQ(std::count(rows.begin(), rows.end(), 0u), 0) << type;
  }
  for (const auto& actor : c->dictionary(ColumnIndex::Dim::kActor1)) {
    if (actor.empty()) continue;
    EventFilter f;
    f.actor = actor;
    const auto rows = c->Select(f);
    EXPECT_EQ(std::count(rows.begin(), rows.end(), static_cast<uint32_t>(n - 1)), 0) << actor;
  }
}

TEST(StoreTest, ColidxOfADeletedStoreIsNotUsedForANewStoreAtThePath) {
  // A store deleted and created again at the same path reaches the same generation numbers;
  // the .colidx left beside it describes other events and must not be used.
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  {
    auto s = OpenRw(p);
    InsertEvents(*s, 0, 40);
    ASSERT_EQ(s->Columns()->size(), 40u);
  }
  ASSERT_TRUE(fs::exists(p.string() + ".colidx"));
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  auto s = OpenRw(p);
  InsertEvents(*s, 1000, 1010);  // generation 1 again, 10 other events
  ASSERT_EQ(s->Generation(), 1);
  const auto c = s->Columns();
  EXPECT_EQ(c->size(), 10u) << "stale .colidx from the deleted store was used";
  ExpectColumnsMatchFetch(*s, *c);
}

// ---------------------------------------------------------------------------------------------
// Bulk loads and the R*Tree

std::vector<int64_t> RtreeQuery(const RawDb& db, double w, double s, double e, double n) {
  return db.Ids(
      "SELECT id FROM rtree_events_geom WHERE maxx >= ?1 AND minx <= ?2 AND "
      "maxy >= ?3 AND miny <= ?4",
      {w, e, s, n});
}
std::vector<int64_t> BruteQuery(const RawDb& db, double w, double s, double e, double n) {
  return db.Ids(
      "SELECT fid FROM events WHERE geom IS NOT NULL AND longitude BETWEEN ?1 AND ?2 "
      "AND latitude BETWEEN ?3 AND ?4",
      {w, e, s, n});
}

void ExpectRtreeConsistent(const fs::path& p, uint64_t seed) {
  RawDb db(p);
  EXPECT_EQ(db.Text("SELECT rtreecheck('rtree_events_geom')"), "ok");
  EXPECT_EQ(db.Int("SELECT count(*) FROM rtree_events_geom"),
            db.Int("SELECT count(*) FROM events WHERE geom IS NOT NULL"));
  EXPECT_EQ(db.Int("SELECT count(*) FROM rtree_events_geom r JOIN events e ON e.fid = r.id "
                   "WHERE r.minx > e.longitude OR r.maxx < e.longitude OR "
                   "r.miny > e.latitude OR r.maxy < e.latitude"),
            0);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> lon(-180, 180), lat(-90, 90), size(0.01F, 40.0F);
  for (int q = 0; q < 40; ++q) {
    const float w = lon(rng), s = lat(rng);
    const float e = std::min(180.0F, w + size(rng)), n = std::min(90.0F, s + size(rng));
    const auto r = RtreeQuery(db, w, s, e, n);
    const auto b = BruteQuery(db, w, s, e, n);
    ASSERT_EQ(r, b) << "box W" << w << " S" << s << " E" << e << " N" << n;
  }
  // The whole world.
  EXPECT_EQ(RtreeQuery(db, -180, -90, 180, 90), BruteQuery(db, -180, -90, 180, 90));
}

std::set<std::string> SchemaNames(const fs::path& p, const char* type) {
  RawDb db(p);
  sqlite3_stmt* s = nullptr;
  const std::string sql = std::string("SELECT name FROM sqlite_master WHERE type = '") + type + "'";
  sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &s, nullptr);
  std::set<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW)
    out.insert(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  return out;
}

void ExpectIndexesAndTriggerPresent(const fs::path& p) {
  const auto indexes = SchemaNames(p, "index");
  for (const char* name :
       {"events_date", "events_type", "events_country", "events_admin1", "events_source_id"}) {
    EXPECT_TRUE(indexes.count(name)) << "index " << name << " missing";
  }
  EXPECT_TRUE(SchemaNames(p, "trigger").count("rtree_events_geom_insert"))
      << "rtree insert trigger missing";
}

// Synthetic events with float-exact coordinates (so R*Tree float32 boxes are exact points).
Event RandomEvent(int64_t i, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> lon(-180, 180), lat(-90, 90);
  Event e;
  e.source = "gdelt2";
  e.source_id = std::to_string(i);
  e.date_start = e.date_end = D(2019, 1, 1) + Days{static_cast<int32_t>(i % 365)};
  if (i % 50 != 7) {
    e.location =
        LatLon{Degrees{static_cast<double>(lat(rng))}, Degrees{static_cast<double>(lon(rng))}};
  }
  e.event_type = "Protests";
  e.country_iso3 = i % 2 ? "KEN" : "SOM";
  return e;
}

TEST(StoreBulkTest, LargeBatchOnEmptyStoreLeavesValidRtree) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  std::mt19937_64 rng(20191024);
  constexpr int64_t kRows = 120'000;
  {
    auto batch = s->BeginBatch({"bulk.csv", "gdelt2", kRows});
    for (int64_t i = 0; i < kRows; ++i) {
      ASSERT_EQ(batch->Upsert(RandomEvent(i, rng)), UpsertResult::kInserted);
    }
    batch->Commit();
  }
  EXPECT_EQ(s->CountEvents(), kRows);
  EXPECT_EQ(s->Generation(), 1);
  ExpectRtreeConsistent(p, 1);
  ExpectIndexesAndTriggerPresent(p);
  {
    RawDb db(p);
    EXPECT_EQ(db.Int("SELECT count(*) FROM rtree_events_geom"), kRows - kRows / 50);
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  }

  // A small incremental batch afterwards: inserts and moves go through the triggers.
  {
    auto batch = s->BeginBatch({"small.csv", "gdelt2", 0});
    for (int64_t i = kRows; i < kRows + 200; ++i) batch->Upsert(RandomEvent(i, rng));
    for (int64_t i = 0; i < 300; ++i) {
      Event e = RandomEvent(i * 397, rng);  // new random location for an existing id
      e.place = "moved " + std::to_string(i);
      if (i % 10 == 0) e.location.reset();
      EXPECT_EQ(batch->Upsert(e), UpsertResult::kUpdated);
    }
    batch->Commit();
  }
  ExpectRtreeConsistent(p, 2);

  // A second bulk batch into the now non-empty store (20 * expected >= existing): updates and
  // inserts, R*Tree rebuilt over everything.
  {
    auto batch = s->BeginBatch({"bulk2.csv", "gdelt2", kRows});
    for (int64_t i = 0; i < 2000; ++i) {
      Event e = RandomEvent(i * 31, rng);
      batch->Upsert(e);
    }
    for (int64_t i = kRows + 200; i < kRows + 3000; ++i) batch->Upsert(RandomEvent(i, rng));
    // Rows this batch inserted, changed again in it: moved, location removed, and (ids with
    // i % 50 == 7 were stored without one) location added. The R*Tree must hold their last state.
    for (int64_t i = kRows + 200; i < kRows + 3000; i += 7) {
      Event e = RandomEvent(i, rng);
      e.place = "changed in batch";
      if (i % 3 == 0) e.location.reset();
      if (i % 50 == 7) e.location = LatLon{Degrees{1.5}, Degrees{2.5}};
      EXPECT_EQ(batch->Upsert(e), UpsertResult::kUpdated);
    }
    // ... and through UpsertAll, with a key repeated inside one group of rows.
    std::vector<Event> group;
    std::vector<uint64_t> hashes;
    for (int64_t i = kRows + 3000; i < kRows + 3100; ++i) {
      group.push_back(RandomEvent(i, rng));
      if (i % 5 == 0) {
        group.push_back(RandomEvent(i, rng));  // same id, another place
        if (i % 10 == 0) group.back().location.reset();
      }
    }
    for (const Event& e : group) hashes.push_back(e.ContentHash());
    batch->UpsertAll(group, hashes);
    batch->Commit();
  }
  EXPECT_EQ(s->CountEvents(), kRows + 3100);
  ExpectRtreeConsistent(p, 3);
  ExpectIndexesAndTriggerPresent(p);
  ExpectColumnsMatchFetch(*s, *s->Columns());
}

// A bulk load while another connection has the store open (a running server's readers): the
// switch to a rollback journal is refused, the load stays in WAL mode and still succeeds, and
// the reader keeps its snapshot until it looks again.
TEST(StoreBulkTest, BulkBatchWithAReaderOpenStaysInWalMode) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  InsertEvents(*s, 0, 10);
  auto reader = Store::Open(p, Store::Mode::kReadOnly);
  ASSERT_EQ(reader->CountEvents(), 10);
  std::mt19937_64 rng(7);
  constexpr int64_t kRows = 120'000;  // >= Store::kLargeBatchRows: a bulk batch
  std::vector<Event> events;
  std::vector<uint64_t> hashes;
  for (int64_t i = 0; i < kRows; ++i) {
    events.push_back(RandomEvent(100 + i, rng));
    hashes.push_back(events.back().ContentHash());
  }
  {
    auto batch = s->BeginBatch({"bulk.tsv", "gdelt2", kRows});
    const auto counts = batch->UpsertAll(events, hashes);
    EXPECT_EQ(counts.inserted, kRows);
    batch->Commit();
  }
  {
    RawDb db(p);
    EXPECT_EQ(db.Text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  }
  EXPECT_EQ(reader->CountEvents(), 10 + kRows);
  ExpectRtreeConsistent(p, 2);
  ExpectIndexesAndTriggerPresent(p);
}

// A large batch that keeps the indexes (a big store, or one being served) drops only the R*Tree
// insert trigger and adds the new rows' entries at commit: the R*Tree must end up exactly as the
// trigger would have left it, also for rows changed again later in the batch.
TEST(StoreBulkTest, LargeIncrementalBatchWritesRtreeEntriesAtCommit) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  std::mt19937_64 rng(11);
  constexpr int64_t kStored = 2000, kNew = 3000;
  {
    auto batch = s->BeginBatch({"small.csv", "gdelt2", 0});
    for (int64_t i = 0; i < kStored; ++i) batch->Upsert(RandomEvent(i, rng));
    batch->Commit();
  }
  {
    Store::BatchInfo info{"large.csv", "gdelt2", Store::kLargeBatchRows};
    info.allow_rebuild = false;
    auto batch = s->BeginBatch(info);
    std::vector<Event> events;
    std::vector<uint64_t> hashes;
    for (int64_t i = kStored; i < kStored + kNew; ++i) events.push_back(RandomEvent(i, rng));
    for (int64_t i = 0; i < kStored; i += 9) events.push_back(RandomEvent(i, rng));  // moved
    for (int64_t i = kStored; i < kStored + kNew; i += 7) {  // changed again in the batch
      Event e = RandomEvent(i, rng);
      e.place = "changed in batch";
      if (i % 3 == 0) e.location.reset();
      if (i % 50 == 7) e.location = LatLon{Degrees{-1.5}, Degrees{40.5}};
      events.push_back(e);
    }
    for (const Event& e : events) hashes.push_back(e.ContentHash());
    const auto counts = batch->UpsertAll(events, hashes);
    EXPECT_EQ(counts.inserted, kNew);
    batch->Commit();
  }
  EXPECT_EQ(s->CountEvents(), kStored + kNew);
  ExpectRtreeConsistent(p, 5);
  ExpectIndexesAndTriggerPresent(p);
  {
    RawDb db(p);
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
  }
  // Left without a commit: rolled back, trigger back in place.
  {
    Store::BatchInfo info{"large2.csv", "gdelt2", Store::kLargeBatchRows};
    info.allow_rebuild = false;
    auto batch = s->BeginBatch(info);
    for (int64_t i = 0; i < 100; ++i) batch->Upsert(RandomEvent(100'000 + i, rng));
  }
  EXPECT_EQ(s->CountEvents(), kStored + kNew);
  ExpectIndexesAndTriggerPresent(p);
  InsertEvents(*s, 10, 30);
  ExpectRtreeConsistent(p, 6);
}

TEST(StoreBulkTest, RolledBackBulkBatchKeepsIndexesAndTrigger) {
  TempDir dir;
  const fs::path p = NewStorePath(dir);
  auto s = OpenRw(p);
  InsertEvents(*s, 0, 10);
  std::mt19937_64 rng(3);
  {
    auto batch = s->BeginBatch({"bulk.csv", "gdelt2", 500'000});
    for (int64_t i = 0; i < 1000; ++i) batch->Upsert(RandomEvent(i, rng));
  }
  EXPECT_EQ(s->CountEvents(), 10);
  ExpectIndexesAndTriggerPresent(p);
  // New rows still reach the R*Tree through the trigger.
  InsertEvents(*s, 10, 30);
  ExpectRtreeConsistent(p, 4);
}

// ---------------------------------------------------------------------------------------------
// Opening

TEST(StoreOpenTest, ReadOnlyOpenOfMissingFileThrows) {
  TempDir dir;
  const fs::path p = dir.path() / "missing.gpkg";
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadOnly), StoreError);
  EXPECT_FALSE(fs::exists(p));
  try {
    Store::Open(p, Store::Mode::kReadOnly);
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
}

TEST(StoreOpenTest, ForeignSqliteFileThrows) {
  TempDir dir;
  const fs::path p = dir.path() / "other.sqlite";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('x')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadWrite), StoreError);
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadOnly), StoreError);
  // Untouched: no tahadhari tables were added.
  RawDb db(p);
  EXPECT_EQ(db.Int("SELECT count(*) FROM sqlite_master WHERE name = 'events'"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM people"), 1);
  EXPECT_EQ(db.Int("PRAGMA application_id"), 0);
}

TEST(StoreOpenTest, OtherGeoPackageThrows) {
  TempDir dir;
  const fs::path p = dir.path() / "other.gpkg";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(p.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; "
                           "CREATE TABLE roads (fid INTEGER PRIMARY KEY)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadWrite), StoreError);
}

TEST(StoreOpenTest, NonSqliteFileThrowsStoreError) {
  TempDir dir;
  const fs::path p = dir.path() / "notes.gpkg";
  WriteFile(p, std::string(4096, 'x'));
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadWrite), StoreError);
  EXPECT_THROW(Store::Open(p, Store::Mode::kReadOnly), StoreError);
  EXPECT_EQ(ReadFile(p), std::string(4096, 'x'));
}

}  // namespace
}  // namespace tahadhari::store
