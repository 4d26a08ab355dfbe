#include "store/store.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <system_error>

#include "store/colindex_internal.h"
#include "store/gpkg.h"
#include "store/impl.h"
#include "store/rtree_bulk.h"
#include "store/sqlite.h"

namespace tahadhari::store {
namespace {

constexpr int kBusyTimeoutMs = 30'000;
// Bulk mode (indexes and R*Tree rebuilt at commit) pays off for large batches
// (Store::kLargeBatchRows) when the new rows are at least 1/kBulkRatio of those already stored. Measured with GDELT rows into a
// 3,000,000-event store: incremental upserts cost ~70 µs per new row (120,000 rows in 8.6 s,
// random places in five B-trees; ~135 µs while the R*Tree trigger made SQLite keep statement
// journals), a rebuild ~5 µs per stored row (17.3 s).
constexpr int64_t kBulkRatio = 20;
constexpr int64_t kBulkRatioWithReaders = 4;  // see BatchImpl's constructor
// Records per INSERT statement in UpsertAll(): each statement pays AUTOINCREMENT's
// sqlite_sequence read and write once, so grouping removes most of that per-row cost; 16
// keeps the statement at 528 parameters.
constexpr size_t kGroupRows = 16;
constexpr size_t kParamsPerRow = 33;  // ?1..?33 of BatchImpl::BindEvent (6 unused)
constexpr int kFidParam = 34;         // the WHERE fid = ? of the UPDATE
// Page cache for large ingests and scans (negative = KiB, SQLite convention).
constexpr const char* kWriterCacheSizePragma = "PRAGMA cache_size = -524288";
// Readers share the OS page cache through mmap, so each connection's own cache stays small
// (a server has one read connection per worker thread).
constexpr const char* kReaderCacheSizePragma = "PRAGMA cache_size = -32768";
constexpr const char* kMmapPragma = "PRAGMA mmap_size = 1073741824";
constexpr const char* kTempStorePragma = "PRAGMA temp_store = MEMORY";
// Page cache of a bulk load (see BatchImpl's constructor); kWriterCacheSizePragma restores the
// writer's afterwards.
constexpr const char* kBulkCacheSizePragma = "PRAGMA cache_size = -65536";
// For bulk index rebuilds (see BatchImpl::Commit); kTempStorePragma and kBulkCacheSizePragma
// restore the bulk load's settings afterwards.
constexpr const char* kIndexBuildPragmas = "PRAGMA temp_store = FILE; PRAGMA cache_size = -4096";
constexpr const char* kEventsRtree = "rtree_events_geom";

// Columns of Fetch(); the provenance (path, ingest time) comes from the `ingests` row.
constexpr const char* kEventColumns =
    "fid, latitude, longitude, source, source_id, ingest_id, source_line, "
    "date_start, date_end, date_precision, geo_precision, country_iso3, admin1, admin2, place, "
    "event_type, sub_event_type, source_event_code, mapping_lossy, actor1, actor1_category, "
    "assoc_actor1, actor2, actor2_category, assoc_actor2, fatalities, fatalities_low, "
    "fatalities_high, reported_by, notes, url";

std::string NowUtc() {
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
}

// CSV-quotes a field for the rejects file (RFC 4180).
std::string CsvQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

namespace {

class BatchImpl final : public Store::Batch {
 public:
  BatchImpl(Store::Impl* impl, std::filesystem::path rejects_csv, const Store::BatchInfo& info)
      : impl_(impl),
        db_(impl->db.get()),
        rejects_csv_(std::move(rejects_csv)),
        ingested_at_(NowUtc()) {
    // Large batches (only they) learn whether they share the store, keep the R*Tree entries of
    // new rows aside for Commit(), and may rebuild the indexes in bulk.
    deferred_rtree_ = info.expected_rows >= Store::kLargeBatchRows;
    if (deferred_rtree_) {
      sql::Stmt count(db_, "SELECT count(*) FROM events");
      const int64_t existing = count.Step() ? count.Int(0) : 0;
      count.Reset();  // no statement may be active when the journal mode changes
      // Leaving WAL mode needs the only connection: SQLite refuses at once when another one
      // has the store open, which is how a batch learns that it shares the store.
      const bool alone = LeaveWal();
      shared_ = !alone;
      if (alone && info.allow_rebuild && info.expected_rows * kBulkRatio >= existing) {
        // With no other connection open, a bulk load uses a rollback journal: pages appended
        // to the file are written once, instead of once to the WAL and again at the checkpoint.
        // Atomicity is the same (a hot journal is rolled back on the next open); readers that
        // open the store meanwhile wait (busy timeout) instead of reading the old snapshot.
        rollback_journal_ = true;
        bulk_ = true;
        sql::Exec(db_, "PRAGMA synchronous = FULL");
      } else if (alone) {
        EnterWal();  // an incremental load: back to WAL mode
      } else {
        // With readers present (e.g. a running server) the load stays in WAL mode. A rebuild
        // then takes both cores from the readers and leaves them a large WAL to rebuild their
        // column index through, so it is chosen only for loads of at least
        // 1/kBulkRatioWithReaders of the store; smaller ones go in incrementally, on one core.
        bulk_ = info.allow_rebuild && info.expected_rows * kBulkRatioWithReaders >= existing;
      }
    }
    sql::Exec(db_, "BEGIN IMMEDIATE");
    impl_->batch_open = true;
    {
      sql::Stmt start(db_, "INSERT INTO ingests (started_at, path, format) VALUES (?, ?, ?)");
      start.BindText(1, ingested_at_).BindText(2, info.path).BindText(3, info.format);
      start.Run();
      ingest_id_ = sqlite3_last_insert_rowid(db_);
    }
    // The R*Tree entries of a large load's new rows are written at Commit(): with the insert
    // trigger in place every INSERT writes to a virtual table, which makes SQLite copy each page
    // the statement touches into a statement journal (about half of an incremental load's time
    // into a 3M-event store).
    if (deferred_rtree_) sql::Exec(db_, gpkg::kRtreeInsertTriggerDrop);
    if (bulk_) {
      sql::Exec(db_, gpkg::kSecondaryIndexDrop);
      // Rows are appended and every index is rebuilt at the end, so a large cache buys nothing
      // here: a small one writes table pages out as they fill (instead of all at COMMIT) and
      // leaves half a gigabyte of heap untouched.
      sql::Exec(db_, kBulkCacheSizePragma);
    }
    lookup_ =
        sql::Stmt(db_, "SELECT fid, content_hash FROM events WHERE source = ? AND source_id = ?");
    insert_ = sql::Stmt(db_, InsertSql(1));
    insert_group_ = sql::Stmt(db_, InsertSql(kGroupRows));
    {
      sql::Stmt max_fid(db_, "SELECT max(fid) FROM events");
      last_fid_ = max_fid.Step() ? max_fid.Int(0) : 0;
    }
    first_new_fid_ = last_fid_ + 1;
    update_ = sql::Stmt(
        db_,
        "UPDATE events SET geom = ?1, source = ?2, source_id = ?3, ingest_id = ?4, "
        "source_line = ?5, date_start = ?7, date_end = ?8, date_precision = ?9, "
        "latitude = ?10, longitude = ?11, geo_precision = ?12, country_iso3 = ?13, admin1 = ?14, "
        "admin2 = ?15, place = ?16, event_type = ?17, sub_event_type = ?18, "
        "source_event_code = ?19, mapping_lossy = ?20, actor1 = ?21, actor1_category = ?22, "
        "assoc_actor1 = ?23, actor2 = ?24, actor2_category = ?25, assoc_actor2 = ?26, "
        "fatalities = ?27, fatalities_low = ?28, fatalities_high = ?29, reported_by = ?30, "
        "notes = ?31, url = ?32, content_hash = ?33 WHERE fid = ?34");
    reject_ = sql::Stmt(
        db_,
        "INSERT INTO rejects (path, line, field, value, reason, raw) VALUES (?, ?, ?, ?, ?, ?)");
    log_ =
        sql::Stmt(db_,
                  "UPDATE ingests SET rows_read = ?1, inserted = ?2, updated = ?3, unchanged = ?4, "
                  "rejected = ?5, seconds = ?6 WHERE id = ?7");
  }

  ~BatchImpl() override {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    if (bulk_) sqlite3_exec(db_, kWriterCacheSizePragma, nullptr, nullptr, nullptr);
    RestoreWal();
    impl_->batch_open = false;
  }

  bool shared() const override { return shared_; }

  // Switches to a rollback journal; false (and still WAL) when another connection has the store
  // open: leaving WAL needs the only connection, and SQLite refuses at once (SQLITE_BUSY).
  bool LeaveWal() {
    sqlite3_stmt* raw = nullptr;
    bool left = false;
    if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode = DELETE", -1, &raw, nullptr) == SQLITE_OK) {
      const unsigned char* now_mode =
          sqlite3_step(raw) == SQLITE_ROW ? sqlite3_column_text(raw, 0) : nullptr;
      left = now_mode != nullptr &&
             std::string_view(reinterpret_cast<const char*>(now_mode)) == "delete";
    }
    sqlite3_finalize(raw);
    return left;
  }

  // Back to WAL (and its synchronous level) after a rollback-journal bulk load.
  void RestoreWal() {
    if (!rollback_journal_) return;
    rollback_journal_ = false;
    EnterWal();
  }

  // Best effort: should a connection that opened the store meanwhile hold it, the store stays
  // in rollback-journal mode (as safe, only less concurrent) until the next batch or open.
  void EnterWal() {
    sqlite3_exec(db_, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", nullptr, nullptr,
                 nullptr);
  }

  UpsertResult Upsert(const Event& e, uint64_t hash) override {
    assert(!e.source.empty() && !e.source_id.empty());
    const auto signed_hash = static_cast<int64_t>(hash);
    // Insert first: new records (the common case) cost one statement; a conflict on
    // (source, source_id) inserts nothing and falls through to the compare-and-update path.
    BindEvent(insert_, 0, 0, e, signed_hash);
    insert_.RunKeepBindings();
    if (sqlite3_changes(db_) == 1) {
      ++changes_;
      last_fid_ = sqlite3_last_insert_rowid(db_);
      NoteInserted(last_fid_, e);
      return UpsertResult::kInserted;
    }
    const auto [fid, old_hash] = Lookup(e);
    return UpdateIfChanged(e, signed_hash, fid, old_hash);
  }

  UpsertCounts UpsertAll(std::span<const Event> events, std::span<const uint64_t> hashes) override {
    assert(events.size() == hashes.size());
    UpsertCounts counts;
    size_t i = 0;
    for (; i + kGroupRows <= events.size(); i += kGroupRows) {
      for (size_t r = 0; r < kGroupRows; ++r) {
        assert(!events[i + r].source.empty() && !events[i + r].source_id.empty());
        BindEvent(insert_group_, static_cast<int>(r * kParamsPerRow), r, events[i + r],
                  static_cast<int64_t>(hashes[i + r]));
      }
      const int64_t before = last_fid_;
      insert_group_.RunKeepBindings();
      const auto inserted = static_cast<size_t>(sqlite3_changes(db_));
      if (inserted > 0) {
        changes_ += static_cast<int64_t>(inserted);
        last_fid_ = sqlite3_last_insert_rowid(db_);
      }
      // A multi-row INSERT gives its rows consecutive fids in VALUES order (AUTOINCREMENT, one
      // writer); should that ever not hold, the loop below looks each fid up instead.
      if (inserted == kGroupRows && last_fid_ == before + static_cast<int64_t>(kGroupRows)) {
        counts.inserted += static_cast<int64_t>(kGroupRows);
        for (size_t r = 0; r < kGroupRows; ++r) {
          NoteInserted(before + 1 + static_cast<int64_t>(r), events[i + r]);
        }
        continue;
      }
      // Some rows hit stored keys (or repeat a key of the group). Fids only grow, so a row's
      // stored fid above `before` means this statement inserted it — for the first row of the
      // group with that key; any later one is an update of it, exactly as one-by-one upserts.
      std::array<int64_t, kGroupRows> claimed{};
      auto claimed_end = claimed.begin();
      for (size_t r = 0; r < kGroupRows; ++r) {
        const Event& e = events[i + r];
        const auto [fid, old_hash] = Lookup(e);
        if (fid > before && std::find(claimed.begin(), claimed_end, fid) == claimed_end) {
          *claimed_end++ = fid;
          NoteInserted(fid, e);
          counts.Add(UpsertResult::kInserted);
        } else {
          counts.Add(UpdateIfChanged(e, static_cast<int64_t>(hashes[i + r]), fid, old_hash));
        }
      }
    }
    for (; i < events.size(); ++i) counts.Add(Upsert(events[i], hashes[i]));
    return counts;
  }

  // The stored (fid, content hash) of e's key. REQUIRES: the key is stored.
  std::pair<int64_t, int64_t> Lookup(const Event& e) {
    lookup_.BindStatic(1, e.source).BindStatic(2, e.source_id);
    if (!lookup_.Step()) {
      lookup_.Reset();
      throw StoreError("store: upsert found neither a new row nor the existing one");
    }
    const std::pair<int64_t, int64_t> row{lookup_.Int(0), lookup_.Int(1)};
    lookup_.Reset();
    return row;
  }

  // In a large load, remembers the point of a row this batch inserted, for the R*Tree (the
  // insert trigger is dropped meanwhile). REQUIRES: fids arrive in increasing order.
  void NoteInserted(int64_t fid, const Event& e) {
    if (!deferred_rtree_ || !e.location) return;
    assert(new_points_.empty() || new_points_.back().id < fid);
    new_points_.push_back(internal::PointEntry(fid, *e.location));
  }

  // Moves the remembered points of new rows to `out`, less those of rows updated later in the
  // batch: their update trigger has put their last state into the R*Tree already.
  void AppendNewPoints(std::vector<internal::RtreeEntry>* out) {
    std::sort(updated_new_fids_.begin(), updated_new_fids_.end());
    for (const internal::RtreeEntry& p : new_points_) {
      if (!std::binary_search(updated_new_fids_.begin(), updated_new_fids_.end(), p.id)) {
        out->push_back(p);
      }
    }
    std::vector<internal::RtreeEntry>().swap(new_points_);
  }

  UpsertResult UpdateIfChanged(const Event& e, int64_t signed_hash, int64_t fid, int64_t old_hash) {
    if (old_hash == signed_hash) return UpsertResult::kUnchanged;
    // The update triggers keep the R*Tree right for this row from now on, also for a row this
    // batch inserted: its remembered point is then dropped at Commit().
    if (deferred_rtree_ && fid >= first_new_fid_) updated_new_fids_.push_back(fid);
    BindEvent(update_, 0, 0, e, signed_hash);
    update_.Bind(kFidParam, fid);
    update_.Run();
    ++changes_;
    return UpsertResult::kUpdated;
  }

  void AddReject(const Reject& r) override {
    reject_.BindText(1, r.path)
        .Bind(2, r.line)
        .Bind(3, r.error.field)
        .Bind(4, r.error.value)
        .BindText(5, r.error.reason)
        .Bind(6, r.raw);
    reject_.Run();
    pending_rejects_ +=
        fmt::format("{},{},{},{},{},{},{}\n", CsvQuote(ingested_at_), CsvQuote(r.path), r.line,
                    CsvQuote(r.error.field), CsvQuote(r.error.value), CsvQuote(r.error.reason),
                    CsvQuote(r.raw));
  }

  void LogIngest(const IngestLog& l) override {
    pending_log_ = l;
    logged_at_ = std::chrono::steady_clock::now();
  }

  void WriteLog() {
    if (!pending_log_) return;
    const IngestLog& l = *pending_log_;
    const double seconds =
        l.seconds +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - logged_at_).count();
    log_.Bind(1, l.read)
        .Bind(2, l.inserted)
        .Bind(3, l.updated)
        .Bind(4, l.unchanged)
        .Bind(5, l.rejected)
        .Bind(6, seconds)
        .Bind(7, ingest_id_);
    log_.Run();
  }

  void Commit() override {
    std::future<std::unique_ptr<internal::PackedRtree>> rtree;
    try {
      if (bulk_) {
        // The R*Tree is packed on another thread while this one rebuilds the indexes: its
        // entries are those already in it (rows stored before this batch, and rows whose
        // update trigger fired) and the points of the rows this batch inserted.
        const size_t cells_per_node = internal::RtreeCellsPerNode(db_, kEventsRtree);
        std::vector<internal::RtreeEntry> entries;
        internal::ReadRtree(db_, kEventsRtree, &entries);
        AppendNewPoints(&entries);
        rtree =
            std::async(std::launch::async, internal::PackRtree, std::move(entries), cells_per_node);
        // Index rebuilds sort through temp files with a small page cache: SQLite's sorter then
        // cuts the keys into many runs that its helper thread sorts while this one reads the
        // table (one in-memory run is sorted on one core). Measured on 1M ACLED events: the 4
        // rebuilds take 2.5 s instead of 4.0-4.3 s; runs of 4 MB (the cache size) beat 8 MB by
        // 0.3-0.5 s and 1-2 MB by 0.1-0.2 s (sqlite3 CLI, same table). Dirty pages beyond the small
        // cache are written out early; they are still covered by the journal (or WAL) until COMMIT.
        {
          struct RestoreSettings {  // also when a rebuild fails
            sqlite3* db;
            ~RestoreSettings() {
              sqlite3_exec(db, kTempStorePragma, nullptr, nullptr, nullptr);
              sqlite3_exec(db, kBulkCacheSizePragma, nullptr, nullptr, nullptr);
            }
          } restore{db_};
          sql::Exec(db_, kIndexBuildPragmas);
          sql::Exec(db_, gpkg::kSecondaryIndexDdl);
        }
        internal::WriteRtree(db_, kEventsRtree, *rtree.get());
      } else if (deferred_rtree_) {
        std::vector<internal::RtreeEntry> entries;
        AppendNewPoints(&entries);
        internal::InsertRtree(db_, kEventsRtree, std::move(entries));
      }
      if (deferred_rtree_) sql::Exec(db_, gpkg::kRtreeInsertTriggerDdl);
      WriteLog();
      if (changes_ > 0) {
        sql::Exec(db_,
                  "UPDATE tahadhari_meta SET value = CAST(value AS INTEGER) + 1 "
                  "WHERE key = 'generation'; "
                  "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                  "WHERE table_name = 'events'");
      }
      sql::Exec(db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      done_ = true;
      throw;
    }
    done_ = true;
    RestoreWal();
    if (changes_ > 0) impl_->columns.reset();
    AppendRejectsCsv();
  }

 private:
  // The INSERT of `rows` records per statement: parameters ?1..?33 of BindEvent() for the
  // first record, the same numbers plus kParamsPerRow for the next, and so on. A record whose
  // key is stored already is skipped (UpsertAll() then updates it). OR IGNORE rather than
  // ON CONFLICT DO NOTHING: then no constraint can abort the statement halfway, and SQLite
  // keeps no statement journal for it (NOT NULL columns are always bound).
  static std::string InsertSql(size_t rows) {
    std::string sql =
        "INSERT OR IGNORE INTO events (geom, source, source_id, ingest_id, source_line, "
        "date_start, date_end, date_precision, latitude, longitude, geo_precision, country_iso3, "
        "admin1, admin2, place, event_type, sub_event_type, source_event_code, mapping_lossy, "
        "actor1, actor1_category, assoc_actor1, actor2, actor2_category, assoc_actor2, "
        "fatalities, fatalities_low, fatalities_high, reported_by, notes, url, content_hash) "
        "VALUES ";
    // Parameter 6 is not a column (kept free so UPDATE and INSERT share the numbering).
    constexpr std::array<int, kParamsPerRow - 1> kColumnParams = {
        1,  2,  3,  4,  5,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33};
    for (size_t r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ", (";
      for (size_t k = 0; k < kColumnParams.size(); ++k) {
        if (k > 0) sql += ", ";
        sql += fmt::format("?{}", kColumnParams[k] + static_cast<int>(r * kParamsPerRow));
      }
      sql += ')';
    }
    return sql;
  }

  // Binds every field of `e` as parameters base+1..base+33 without copying, using the
  // encoding buffers of group row `slot`: `e` and this object outlive the statement's Run().
  void BindEvent(sql::Stmt& s, int base, size_t slot, const Event& e, int64_t hash) {
    RowBuffers& buf = buffers_[slot];
    e.date_start.FormatIso(buf.date_start.data());
    e.date_end.FormatIso(buf.date_end.data());
    if (e.location) {
      buf.blob = gpkg::EncodePoint(*e.location);
      s.BindStaticBlob(base + 1, buf.blob.data(), static_cast<int>(buf.blob.size()));
      s.Bind(base + 10, e.location->lat.value).Bind(base + 11, e.location->lon.value);
    } else {
      s.BindNull(base + 1).BindNull(base + 10).BindNull(base + 11);
    }
    s.BindStatic(base + 2, e.source)
        .BindStatic(base + 3, e.source_id)
        .Bind(base + 4, ingest_id_)
        .Bind(base + 5, e.source_line)
        .BindStatic(base + 7, {buf.date_start.data(), buf.date_start.size()})
        .BindStatic(base + 8, {buf.date_end.data(), buf.date_end.size()})
        .BindStatic(base + 9, ToString(e.date_precision))
        .BindStatic(base + 12, ToString(e.geo_precision))
        .BindStatic(base + 13, e.country_iso3)
        .BindStatic(base + 14, e.admin1)
        .BindStatic(base + 15, e.admin2)
        .BindStatic(base + 16, e.place)
        .BindStatic(base + 17, e.event_type)
        .BindStatic(base + 18, e.sub_event_type)
        .BindStatic(base + 19, e.source_event_code)
        .Bind(base + 20, static_cast<int64_t>(e.mapping_lossy ? 1 : 0))
        .BindStatic(base + 21, e.actor1.name)
        .BindStatic(base + 22, e.actor1.category)
        .BindStatic(base + 23, e.actor1.associated)
        .BindStatic(base + 24, e.actor2.name)
        .BindStatic(base + 25, e.actor2.category)
        .BindStatic(base + 26, e.actor2.associated)
        .Bind(base + 27, e.fatalities)
        .Bind(base + 28, e.fatalities_low)
        .Bind(base + 29, e.fatalities_high)
        .BindStatic(base + 30, e.reported_by)
        .BindStatic(base + 31, e.notes)
        .BindStatic(base + 32, e.url)
        .Bind(base + 33, hash);
  }

  void AppendRejectsCsv() {
    if (pending_rejects_.empty()) return;
    std::error_code ec;
    const bool fresh = !std::filesystem::exists(rejects_csv_, ec);
    std::ofstream out(rejects_csv_, std::ios::app | std::ios::binary);
    if (fresh) out << "logged_at,path,line,field,value,reason,raw\n";
    out << pending_rejects_;
    if (!out) {
      fmt::print(stderr,
                 "warning: could not append to {} (the rejects are kept in the store's "
                 "`rejects` table)\n",
                 rejects_csv_.string());
    }
  }

  Store::Impl* impl_;
  sqlite3* db_;
  std::filesystem::path rejects_csv_;
  std::string ingested_at_;
  sql::Stmt lookup_, insert_, insert_group_, update_, reject_, log_;
  std::string pending_rejects_;
  // Text and blob encodings bound in place, one set per record of a group insert.
  struct RowBuffers {
    std::array<char, Date::kIsoLength> date_start{}, date_end{};
    std::array<uint8_t, gpkg::kPointBlobSize> blob{};
  };
  std::array<RowBuffers, kGroupRows> buffers_{};
  int64_t last_fid_ = 0;  // highest fid stored (fids only grow: AUTOINCREMENT)
  int64_t first_new_fid_ = 0;  // fids from here on were inserted by this batch
  // Large loads only (deferred_rtree_): points of the rows this batch inserted, in fid order,
  // and the fids of those rows it updated later.
  std::vector<internal::RtreeEntry> new_points_;
  std::vector<int64_t> updated_new_fids_;
  int64_t changes_ = 0;
  int64_t ingest_id_ = 0;
  std::optional<IngestLog> pending_log_;
  std::chrono::steady_clock::time_point logged_at_;
  bool bulk_ = false;
  bool deferred_rtree_ = false;  // R*Tree entries of new rows written at Commit()
  bool rollback_journal_ = false;
  bool shared_ = false;
  bool done_ = false;
};

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::Open(const std::filesystem::path& path, Mode mode) {
  // Allocation statistics cost a global mutex per malloc; we never read them.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->mode = mode;
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (mode == Mode::kReadOnly && !exists) {
    throw StoreError(fmt::format(
        "{}: no store here (run `tahadhari ingest --store {} FILE` or `tahadhari demo` first)",
        path.string(), path.string()));
  }
  if (mode == Mode::kReadWrite && path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      throw IoError(
          fmt::format("{}: cannot create folder: {}", path.parent_path().string(), ec.message()));
    }
  }
  if (mode == Mode::kReadOnly && exists) {
    // A process killed during a rollback-journal bulk load leaves a hot journal, which only a
    // read-write connection can roll back: let one do that first.
    const auto journal = std::filesystem::path(path.string() + "-journal");
    if (std::filesystem::file_size(journal, ec) > 0 && !ec) {
      Open(path, Mode::kReadWrite);
    }
  }
  sqlite3* raw = nullptr;
  const int flags = (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                              : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  impl->db.reset(raw);
  sql::Check(raw, rc, fmt::format("{}: cannot open store", path.string()));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  gpkg::RegisterFunctions(raw);
  sql::Exec(raw, mode == Mode::kReadWrite ? kWriterCacheSizePragma : kReaderCacheSizePragma);
  sql::Exec(raw, kMmapPragma);
  sql::Exec(raw, kTempStorePragma);
  sql::Exec(raw, "PRAGMA threads = 2");  // sorter helper thread for index rebuilds

  // New files get 8 KiB pages: fewer, larger B-tree pages make bulk loads and index rebuilds
  // faster (no effect on an existing file). 16 KiB was measured too: a 1M-row ACLED load ~5%
  // faster, but a bbox+date `events` and a `stats --country` on the 3M-row GDELT store ~13%
  // slower (each scattered row read pulls a larger page), so 8 KiB stays.
  if (!exists && mode == Mode::kReadWrite) sql::Exec(raw, "PRAGMA page_size = 8192");
  // Is this one of ours?
  sql::Stmt app(raw, "PRAGMA application_id");
  const int64_t app_id = app.Step() ? app.Int(0) : 0;
  app.Reset();
  sql::Stmt has_events(raw,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                       "name IN ('events', 'tahadhari_meta')");
  const int64_t our_tables = has_events.Step() ? has_events.Int(0) : 0;
  has_events.Reset();
  sql::Stmt any_table(raw, "SELECT count(*) FROM sqlite_master");
  const int64_t tables = any_table.Step() ? any_table.Int(0) : 0;
  any_table.Reset();
  if (tables > 0 && (app_id != gpkg::kApplicationId || our_tables < 2)) {
    throw StoreError(fmt::format(
        "{}: this SQLite file is not a tahadhari store (no `events` layer and tahadhari "
        "metadata); give another --store path",
        path.string()));
  }
  if (mode == Mode::kReadWrite) {
    sql::Exec(raw, "PRAGMA journal_mode = WAL");
    sql::Exec(raw, "PRAGMA synchronous = NORMAL");
    gpkg::CreateSchema(raw);  // idempotent: also adds tables introduced by newer versions
    sql::Exec(raw,
              "INSERT OR IGNORE INTO tahadhari_meta VALUES "
              "('store_id', lower(hex(randomblob(16))))");
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

const std::filesystem::path& Store::path() const { return impl_->path; }

std::filesystem::path Store::RejectsPath() const {
  auto p = impl_->path;
  p.replace_extension(".rejects.csv");
  return p;
}

std::unique_ptr<Store::Batch> Store::BeginBatch(const BatchInfo& info) {
  assert(impl_->mode == Mode::kReadWrite && !impl_->batch_open);
  return std::make_unique<BatchImpl>(impl_.get(), RejectsPath(), info);
}

int64_t Store::Generation() { return impl_->ReadGeneration(); }

int64_t Store::CountEvents() {
  sql::Stmt s(impl_->db.get(), "SELECT count(*) FROM events");
  return s.Step() ? s.Int(0) : 0;
}

std::shared_ptr<const ColumnIndex> Store::Columns() {
  const int64_t generation = impl_->ReadGeneration();
  if (impl_->columns && impl_->columns->generation() == generation) return impl_->columns;
  const auto cache = impl_->CachePath();
  if (impl_->store_id.empty()) {
    sql::Stmt id(impl_->db.get(), "SELECT value FROM tahadhari_meta WHERE key = 'store_id'");
    impl_->store_id = id.Step() ? std::string(id.Text(0)) : std::string();
  }
  auto loaded = internal::LoadColumnIndex(cache, impl_->store_id, generation);
  if (!loaded) {
    // Build from a consistent snapshot: the generation is re-read inside the read transaction.
    sql::Exec(impl_->db.get(), "BEGIN");
    try {
      const int64_t snapshot_generation = impl_->ReadGeneration();
      loaded = internal::BuildColumnIndex(impl_->db.get(), snapshot_generation);
      sql::Exec(impl_->db.get(), "COMMIT");
    } catch (...) {
      sqlite3_exec(impl_->db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    internal::SaveColumnIndex(*loaded, impl_->store_id, cache);
  }
  impl_->columns = loaded;
  return loaded;
}

std::optional<int64_t> Store::FindFid(std::string_view source, std::string_view source_id) {
  sql::Stmt s(impl_->db.get(), "SELECT fid FROM events WHERE source = ? AND source_id = ?");
  s.BindText(1, source).BindText(2, source_id);
  if (!s.Step()) return std::nullopt;
  return s.Int(0);
}

void Store::FetchEach(std::span<const int64_t> fids,
                      const std::function<void(const EventView&)>& fn) {
  if (!impl_->fetch.prepared()) {
    impl_->fetch = sql::Stmt(impl_->db.get(),
                             fmt::format("SELECT {} FROM events WHERE fid = ?", kEventColumns));
    impl_->fetch_ingest =
        sql::Stmt(impl_->db.get(), "SELECT path, started_at FROM ingests WHERE id = ?");
  }
  // An event's ingest is always stored before it (foreign key), so a miss is a lookup away.
  auto provenance = [&](int64_t ingest_id) -> const std::pair<std::string, std::string>& {
    auto it = impl_->ingests.find(ingest_id);
    if (it != impl_->ingests.end()) return it->second;
    sql::Stmt& q = impl_->fetch_ingest;
    q.Bind(1, ingest_id);
    std::pair<std::string, std::string> row;
    if (q.Step()) row = {std::string(q.Text(0)), std::string(q.Text(1))};
    q.Reset();
    return impl_->ingests.emplace(ingest_id, std::move(row)).first->second;
  };
  sql::Stmt& s = impl_->fetch;
  // One read transaction for the whole list: otherwise every lookup takes and drops the WAL
  // read lock (two fcntl calls and a WAL-index search per row).
  struct ReadTxn {
    sqlite3* db;
    bool own;
    explicit ReadTxn(sqlite3* d) : db(d), own(sqlite3_get_autocommit(d) != 0) {
      if (own) sql::Exec(db, "BEGIN");
    }
    ~ReadTxn() {
      if (own) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    ReadTxn(const ReadTxn&) = delete;
    ReadTxn& operator=(const ReadTxn&) = delete;
  } txn(impl_->db.get());
  // Leaves the statement reset however fn exits (it may throw).
  struct ResetOnExit {
    sql::Stmt& stmt;
    ~ResetOnExit() { stmt.Reset(); }
  };
  EventView v;
  for (const int64_t fid : fids) {
    ResetOnExit reset{s};
    s.Bind(1, fid);
    if (!s.Step()) continue;
    v.fid = s.Int(0);
    v.location.reset();
    if (!s.IsNull(1) && !s.IsNull(2)) v.location = LatLon{Degrees{s.Real(1)}, Degrees{s.Real(2)}};
    v.source = s.Text(3);
    v.source_id = s.Text(4);
    const auto& [ingest_path, ingest_time] = provenance(s.Int(5));
    v.source_file = ingest_path;
    v.ingested_at = ingest_time;
    v.source_line = s.Int(6);
    v.date_start = Date::ParseIso(s.Text(7)).value_or(Date{});
    v.date_end = Date::ParseIso(s.Text(8)).value_or(v.date_start);
    v.date_precision = ParseDatePrecision(s.Text(9)).value_or(DatePrecision::kDay);
    v.geo_precision = ParseGeoPrecision(s.Text(10)).value_or(GeoPrecision::kExact);
    v.country_iso3 = s.Text(11);
    v.admin1 = s.Text(12);
    v.admin2 = s.Text(13);
    v.place = s.Text(14);
    v.event_type = s.Text(15);
    v.sub_event_type = s.Text(16);
    v.source_event_code = s.Text(17);
    v.mapping_lossy = s.Int(18) != 0;
    v.actor1 = s.Text(19);
    v.actor1_category = s.Text(20);
    v.assoc_actor1 = s.Text(21);
    v.actor2 = s.Text(22);
    v.actor2_category = s.Text(23);
    v.assoc_actor2 = s.Text(24);
    v.fatalities = s.OptInt(25);
    v.fatalities_low = s.OptInt(26);
    v.fatalities_high = s.OptInt(27);
    v.reported_by = s.Text(28);
    v.notes = s.Text(29);
    v.url = s.Text(30);
    fn(v);
  }
}

std::vector<StoredEvent> Store::Fetch(std::span<const int64_t> fids) {
  std::vector<StoredEvent> out;
  out.reserve(fids.size());
  FetchEach(fids, [&out](const EventView& v) {
    StoredEvent se;
    se.fid = v.fid;
    se.ingested_at = v.ingested_at;
    Event& e = se.event;
    e.location = v.location;
    e.source = v.source;
    e.source_id = v.source_id;
    e.source_file = v.source_file;
    e.source_line = v.source_line;
    e.date_start = v.date_start;
    e.date_end = v.date_end;
    e.date_precision = v.date_precision;
    e.geo_precision = v.geo_precision;
    e.country_iso3 = v.country_iso3;
    e.admin1 = v.admin1;
    e.admin2 = v.admin2;
    e.place = v.place;
    e.event_type = v.event_type;
    e.sub_event_type = v.sub_event_type;
    e.source_event_code = v.source_event_code;
    e.mapping_lossy = v.mapping_lossy;
    e.actor1 = {std::string(v.actor1), std::string(v.actor1_category), std::string(v.assoc_actor1)};
    e.actor2 = {std::string(v.actor2), std::string(v.actor2_category), std::string(v.assoc_actor2)};
    e.fatalities = v.fatalities;
    e.fatalities_low = v.fatalities_low;
    e.fatalities_high = v.fatalities_high;
    e.reported_by = v.reported_by;
    e.notes = v.notes;
    e.url = v.url;
    out.push_back(std::move(se));
  });
  return out;
}

EventView ViewOf(const StoredEvent& se) {
  const Event& e = se.event;
  EventView v;
  v.fid = se.fid;
  v.location = e.location;
  v.source = e.source;
  v.source_id = e.source_id;
  v.source_file = e.source_file;
  v.ingested_at = se.ingested_at;
  v.source_line = e.source_line;
  v.date_start = e.date_start;
  v.date_end = e.date_end;
  v.date_precision = e.date_precision;
  v.geo_precision = e.geo_precision;
  v.country_iso3 = e.country_iso3;
  v.admin1 = e.admin1;
  v.admin2 = e.admin2;
  v.place = e.place;
  v.event_type = e.event_type;
  v.sub_event_type = e.sub_event_type;
  v.source_event_code = e.source_event_code;
  v.mapping_lossy = e.mapping_lossy;
  v.actor1 = e.actor1.name;
  v.actor1_category = e.actor1.category;
  v.assoc_actor1 = e.actor1.associated;
  v.actor2 = e.actor2.name;
  v.actor2_category = e.actor2.category;
  v.assoc_actor2 = e.actor2.associated;
  v.fatalities = e.fatalities;
  v.fatalities_low = e.fatalities_low;
  v.fatalities_high = e.fatalities_high;
  v.reported_by = e.reported_by;
  v.notes = e.notes;
  v.url = e.url;
  return v;
}

std::vector<IngestLog> Store::RecentIngests(int limit) {
  sql::Stmt s(impl_->db.get(),
              "SELECT path, format, rows_read, inserted, updated, unchanged, rejected, seconds "
              "FROM ingests WHERE rows_read > 0 OR rejected > 0 ORDER BY id DESC LIMIT ?");
  s.Bind(1, static_cast<int64_t>(limit));
  std::vector<IngestLog> out;
  while (s.Step()) {
    out.push_back({std::string(s.Text(0)), std::string(s.Text(1)), s.Int(2), s.Int(3), s.Int(4),
                   s.Int(5), s.Int(6), s.Real(7)});
  }
  return out;
}

}  // namespace tahadhari::store
