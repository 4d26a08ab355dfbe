// store/: the single source of truth — one GeoPackage 1.3 file (SQLite, WAL mode) holding the
// `events` point layer with its gpkg R*Tree index, a rejects log and ingest history — plus an
// in-memory column index (ColumnIndex) derived from it for fast scans, cached beside the store
// in `<store>.colidx` and rebuilt automatically whenever the store has changed.
// Nothing outside store/ writes SQL.
//
// Thread-safety: a Store object is used by one thread at a time. Several Store objects (in one or
// several processes) may open the same file: any number of readers run concurrently with one
// writer (WAL); a second writer waits up to kBusyTimeout, then fails with StoreError.
// A ColumnIndex is immutable once built and safe to share between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "geo/boundaries.h"
#include "geo/geo.h"

namespace tahadhari::store {

class ColumnIndex;

/// What a filter selects. Empty vectors and unset optionals mean "no constraint".
/// Several values in one vector are alternatives (OR); different fields combine with AND.
struct EventFilter {
  std::optional<geo::BoundingBox> bbox;  // inclusive edges
  std::optional<LatLon> near;            // with within: great-circle distance <= within
  Kilometers within{0.0};
  std::optional<Date> from;            // date_start >= from
  std::optional<Date> to;              // date_start <= to
  std::vector<std::string> types;      // exact event_type, case-insensitive
  std::vector<std::string> sub_types;  // exact sub_event_type, case-insensitive
  std::string actor;                   // case-insensitive substring of actor1/actor2 or associates
  std::vector<std::string> countries;  // ISO3, case-insensitive
  std::vector<std::string> admin1;     // exact admin1 name, case-insensitive
  std::vector<std::string> sources;    // acled, ucdp, gdelt1, gdelt2, news, report
};

/// A stored event with its store row id (fid).
struct StoredEvent {
  int64_t fid = 0;
  std::string ingested_at;  // UTC, ISO-8601
  Event event;
};

/// A stored event read in place: the text fields are views into the store's row buffers, so
/// reading one costs no allocation. Valid only during the FetchEach() callback that receives it
/// (copy what must outlive it). Field meanings are those of Event and StoredEvent.
struct EventView {
  int64_t fid = 0;
  std::optional<LatLon> location;
  std::string_view source, source_id, source_file, ingested_at;
  int64_t source_line = 0;
  Date date_start, date_end;
  DatePrecision date_precision = DatePrecision::kDay;
  GeoPrecision geo_precision = GeoPrecision::kExact;
  std::string_view country_iso3, admin1, admin2, place;
  std::string_view event_type, sub_event_type, source_event_code;
  bool mapping_lossy = false;
  std::string_view actor1, actor1_category, assoc_actor1;
  std::string_view actor2, actor2_category, assoc_actor2;
  std::optional<int32_t> fatalities, fatalities_low, fatalities_high;
  std::string_view reported_by, notes, url;
};

/// The view of an owned StoredEvent (its views point into `e`, which must outlive the view).
EventView ViewOf(const StoredEvent& e);

enum class UpsertResult { kInserted, kUpdated, kUnchanged };

/// One rejected input record, as logged in the store and in the rejects CSV.
struct Reject {
  std::string path;
  int64_t line = 0;
  FieldError error;
  std::string raw;  // the raw input line (first physical line of the record)
};

/// The summary of ingesting one file, as logged in the store.
struct IngestLog {
  std::string path;
  std::string format;
  int64_t read = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  double seconds = 0.0;
};

class Store {
 public:
  enum class Mode { kReadOnly, kReadWrite };

  /// Opens (kReadWrite: creating the file and its parent folder if absent) a tahadhari store.
  /// Throws StoreError if the file is not a tahadhari GeoPackage or cannot be opened, and
  /// IoError if the folder cannot be created.
  static std::unique_ptr<Store> Open(const std::filesystem::path& path, Mode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const;
  /// The rejects CSV beside the store: `<store stem>.rejects.csv`.
  std::filesystem::path RejectsPath() const;

  /// A write transaction. Nothing it does is visible to others, or survives a crash, until
  /// Commit(); destroying it without Commit() rolls everything back.
  class Batch {
   public:
    virtual ~Batch() = default;
    /// Inserts the event, or updates the stored one with the same (source, source_id) when its
    /// content differs. REQUIRES: !e.source.empty() && !e.source_id.empty().
    /// Throws StoreError on SQLite failure (e.g. disk full).
    /// `content_hash` must equal e.ContentHash() (callers may compute it on another thread).
    virtual UpsertResult Upsert(const Event& e, uint64_t content_hash) = 0;
    UpsertResult Upsert(const Event& e) { return Upsert(e, e.ContentHash()); }
    /// Counts of what UpsertAll() did.
    struct UpsertCounts {
      int64_t inserted = 0, updated = 0, unchanged = 0;
      void Add(UpsertResult r) {
        switch (r) {
          case UpsertResult::kInserted: ++inserted; break;
          case UpsertResult::kUpdated: ++updated; break;
          case UpsertResult::kUnchanged: ++unchanged; break;
        }
      }
    };
    /// Upsert(events[i], hashes[i]) for every i, in order, with the same result (a later
    /// duplicate of a key updates the earlier one), but new records go in several per SQL
    /// statement, which is ~1.5x cheaper per row for large loads. Throws as Upsert() does.
    /// REQUIRES: events.size() == hashes.size(); each event as for Upsert().
    virtual UpsertCounts UpsertAll(std::span<const Event> events,
                                   std::span<const uint64_t> content_hashes) = 0;
    /// Logs a rejected record (stored in the `rejects` table; appended to the rejects CSV on
    /// commit).
    virtual void AddReject(const Reject& r) = 0;
    /// Records the counts of the batch's file (path and format come from BatchInfo).
    virtual void LogIngest(const IngestLog& log) = 0;
    /// Makes everything durable and visible atomically. Throws StoreError on failure (and the
    /// batch is rolled back).
    virtual void Commit() = 0;
    /// True when the batch is large (BatchInfo::expected_rows >= kLargeBatchRows) and another
    /// connection, in this process or another (e.g. a running server), had the store open
    /// when it began. Always false for smaller batches, which do not check.
    virtual bool shared() const = 0;
  };
  /// Batches from this many expected rows check for other connections (Batch::shared()), and
  /// may rebuild indexes in bulk.
  static constexpr int64_t kLargeBatchRows = 100'000;
  /// Describes what a batch loads: every event of the batch records this source file (the row of
  /// the `ingests` table it points to holds the path, format and time).
  struct BatchInfo {
    std::string path;    // source file, or e.g. "api" for HTTP reports
    std::string format;  // acled, ucdp, gdelt1, gdelt2, news, report
    /// Estimate of rows (0 if unknown). Large loads into a comparatively small store drop the
    /// secondary indexes and the R*Tree trigger for the batch and rebuild them in bulk at
    /// Commit(), inside the same transaction (3-5x faster; same result).
    int64_t expected_rows = 0;
    /// False keeps the indexes in place whatever the sizes (a large batch then still writes
    /// its R*Tree entries at Commit()); tests use it to reach that path on a small store.
    bool allow_rebuild = true;
  };
  /// REQUIRES: opened kReadWrite, no other Batch open on this object.
  std::unique_ptr<Batch> BeginBatch(const BatchInfo& info);

  /// Increments whenever a committed batch changed events; persisted in the file.
  int64_t Generation();
  int64_t CountEvents();

  /// The column index for the current generation: loaded from the `.colidx` cache when it
  /// matches, else rebuilt from the events table (and the cache rewritten, best effort).
  /// Cost: O(1) when cached in this object; ~1 s per million events to rebuild.
  std::shared_ptr<const ColumnIndex> Columns();

  /// The fid of the record (source, source_id), if stored.
  std::optional<int64_t> FindFid(std::string_view source, std::string_view source_id);

  /// Full records for the given fids, in the given order; fids that no longer exist are skipped.
  std::vector<StoredEvent> Fetch(std::span<const int64_t> fids);

  /// Calls fn once per stored fid, in the given order, with the record read in place (no copy
  /// of its text; see EventView); fids that no longer exist are skipped. All rows are read in
  /// one read transaction, so they come from one snapshot of the store. An exception thrown by
  /// fn propagates after the transaction is closed. Fetch() is this plus a copy per record.
  void FetchEach(std::span<const int64_t> fids, const std::function<void(const EventView&)>& fn);

  /// The most recent ingests, newest first.
  std::vector<IngestLog> RecentIngests(int limit);

  // ----- access tokens (store/tokens.cc) -----
  enum class Role { kViewer, kEditor };
  struct TokenInfo {
    int64_t id = 0;
    std::string name;
    Role role = Role::kViewer;
  };
  /// Creates a random bearer token for `name` and returns it; it is shown only this once: the
  /// store keeps only its SHA-256. REQUIRES: opened kReadWrite; !name.empty().
  std::string CreateToken(const std::string& name, Role role);
  /// The token's owner and role, or nullopt when no stored hash matches (or it was revoked).
  std::optional<TokenInfo> FindToken(std::string_view token);
  /// Revokes every token of `name`; returns how many. REQUIRES: opened kReadWrite.
  int RevokeTokens(const std::string& name);
  std::vector<TokenInfo> ListTokens();

  // ----- boundaries (store/boundaries.cc) -----
  /// Replaces the boundaries of `level` (admin1, admin2) that came from `source` (a file name)
  /// with `boundaries`, in one transaction, as features of the GeoPackage layer `boundaries`;
  /// boundaries from other sources (other countries) stay. REQUIRES: opened kReadWrite.
  void ReplaceBoundaries(const std::string& level, const std::string& source,
                         const std::vector<geo::Boundary>& boundaries);
  /// The stored boundaries of `level` (all levels when empty), ordered by name.
  std::vector<geo::Boundary> Boundaries(const std::string& level);

  /// Implementation detail, defined in store.cc.
  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// A read-only, columnar copy of the fields used for filtering and grouping, with string columns
/// dictionary-encoded. Rows are ordered by (date_start, fid): row position order is date order,
/// so a date range is one contiguous run of rows.
class ColumnIndex {
 public:
  /// Identifies a dictionary-encoded column.
  /// The four actor roles share one dictionary.
  enum class Dim {
    kCountry,
    kAdmin1,
    kType,
    kSubType,
    kSource,
    kActor1,
    kActor2,
    kAssoc1,
    kAssoc2
  };
  static constexpr size_t kDimCount = 9;

  virtual ~ColumnIndex() = default;
  virtual size_t size() const = 0;
  virtual int64_t generation() const = 0;
  virtual std::span<const int64_t> fid() const = 0;
  virtual std::span<const int32_t> day() const = 0;         // date_start, days since 1970-01-01
  /// The smallest and largest day() (0, 0 when empty); computed once, when the index is made.
  virtual std::pair<int32_t, int32_t> day_range() const = 0;
  virtual std::span<const double> lat() const = 0;          // NaN when no location
  virtual std::span<const double> lon() const = 0;          // NaN when no location
  virtual std::span<const int32_t> fatalities() const = 0;  // kUnknownFatalities when unknown
  /// Row positions ordered by (date_start, fid): date ranges are binary searches in it. Since
  /// rows are stored in that order, this is the identity 0..size()-1.
  virtual std::span<const uint32_t> by_day() const = 0;

  /// Posting lists: rows grouped by a key, each group in ascending row order (= (date_start,
  /// fid) order), so a filter on the key plus a date range reads only its slices. kCell keys are
  /// grid cells of kCellDegrees (CellOf; rows without a location are absent); kCountry, kAdmin1
  /// and kType keys are dictionary codes. Only keys with rows have a group: keys holds the
  /// groups' keys in increasing order, offsets has keys.size()+1 entries, and group g (key
  /// keys[g]) is rows[offsets[g], offsets[g+1]).
  enum class Posting { kCell, kCountry, kAdmin1, kType };
  static constexpr size_t kPostingCount = 4;
  virtual std::span<const uint32_t> posting_keys(Posting p) const = 0;
  virtual std::span<const uint32_t> posting_offsets(Posting p) const = 0;
  virtual std::span<const uint32_t> posting_rows(Posting p) const = 0;
  /// Grid cells are kCellDegrees squares: a 1° bbox reads at most (1 + 2 * 0.25)² of its area in
  /// candidates (a 1° grid read up to 4x), and a 16° square still names at most 4,096 cells.
  static constexpr double kCellDegrees = 0.25;
  static constexpr uint32_t kGridLatCells = 720;   // 180 / kCellDegrees
  static constexpr uint32_t kGridLonCells = 1440;  // 360 / kCellDegrees
  /// The grid cell of a valid position (±90/±180 fall in edge cells).
  static uint32_t CellOf(double lat, double lon);
  /// The south-west corner of a cell, in degrees.
  static LatLon CellCorner(uint32_t cell);
  /// Dictionary codes per row for `dim`.
  virtual std::span<const uint32_t> codes(Dim dim) const = 0;
  /// The distinct values of a dimension; codes index into it. Code 0 is always "" (missing).
  /// The actor roles return the same shared dictionary.
  virtual const std::vector<std::string>& dictionary(Dim dim) const = 0;

  static constexpr int32_t kUnknownFatalities = -1;

  enum class SelectOrder {
    kByDate,  // ascending row position = (date_start, fid) order
    kAny,     // any order (cheaper for aggregations: no sort when several groups are read)
  };
  /// Row positions matching `filter`, each once, in `order`. Only the rows inside the filter's
  /// date range are visited. Pure CPU; thread-safe. Codes outside their dictionary (a damaged
  /// cache) never match.
  std::vector<uint32_t> Select(const EventFilter& filter,
                               SelectOrder order = SelectOrder::kByDate) const;
};

}  // namespace tahadhari::store
