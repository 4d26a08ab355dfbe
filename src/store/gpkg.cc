#include "store/gpkg.h"

#include <cmath>
#include <cstring>
#include <string>

#include "store/sqlite.h"

namespace tahadhari::store::gpkg {
namespace {

constexpr uint8_t kFlagLittleEndian = 0x01;
constexpr uint8_t kFlagEmpty = 0x10;
constexpr uint8_t kEnvelopeShift = 1;
constexpr uint8_t kEnvelopeMask = 0x07;
constexpr size_t kHeaderSize = 8;
constexpr uint32_t kWkbPoint = 1;
// Envelope sizes in bytes by indicator 0..4 (GeoPackage 1.3 §2.1.3.1.1).
constexpr std::array<size_t, 5> kEnvelopeBytes = {0, 32, 48, 48, 64};

template <typename T>
T ReadLe(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // x86-64 and aarch64 are little-endian; blobs we write are too
  return v;
}

struct Envelope {
  double minx, maxx, miny, maxy;
  bool empty;
};

std::optional<Envelope> ReadEnvelope(const uint8_t* data, size_t size) {
  if (size < kHeaderSize || data[0] != 'G' || data[1] != 'P') return std::nullopt;
  const uint8_t flags = data[3];
  if ((flags & kFlagLittleEndian) == 0) return std::nullopt;  // we only write little-endian
  if ((flags & kFlagEmpty) != 0) return Envelope{0, 0, 0, 0, true};
  const size_t indicator = (flags >> kEnvelopeShift) & kEnvelopeMask;
  if (indicator >= kEnvelopeBytes.size()) return std::nullopt;
  const uint8_t* env = data + kHeaderSize;
  if (indicator != 0) {
    if (size < kHeaderSize + kEnvelopeBytes[indicator]) return std::nullopt;
    return Envelope{ReadLe<double>(env), ReadLe<double>(env + 8), ReadLe<double>(env + 16),
                    ReadLe<double>(env + 24), false};
  }
  // No envelope: only a WKB point can be read directly.
  const uint8_t* wkb = env;
  const size_t wkb_size = size - kHeaderSize;
  if (wkb_size < 21 || wkb[0] != 1 || ReadLe<uint32_t>(wkb + 1) != kWkbPoint) return std::nullopt;
  const double x = ReadLe<double>(wkb + 5), y = ReadLe<double>(wkb + 13);
  if (std::isnan(x) || std::isnan(y)) return Envelope{0, 0, 0, 0, true};
  return Envelope{x, x, y, y, false};
}

void EnvelopeFunction(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  const auto which = reinterpret_cast<intptr_t>(sqlite3_user_data(ctx));
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* data = static_cast<const uint8_t*>(sqlite3_value_blob(argv[0]));
  const auto env = ReadEnvelope(data, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  if (!env) {
    sqlite3_result_null(ctx);
    return;
  }
  switch (which) {
    case 0: sqlite3_result_double(ctx, env->minx); break;
    case 1: sqlite3_result_double(ctx, env->maxx); break;
    case 2: sqlite3_result_double(ctx, env->miny); break;
    case 3: sqlite3_result_double(ctx, env->maxy); break;
    default: sqlite3_result_int(ctx, env->empty ? 1 : 0); break;
  }
}

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));

CREATE TABLE IF NOT EXISTS events (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom POINT,
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  ingest_id INTEGER NOT NULL REFERENCES ingests(id),
  source_line INTEGER,
  date_start DATE NOT NULL,
  date_end DATE NOT NULL,
  date_precision TEXT NOT NULL,
  latitude DOUBLE,
  longitude DOUBLE,
  geo_precision TEXT NOT NULL,
  country_iso3 TEXT,
  admin1 TEXT,
  admin2 TEXT,
  place TEXT,
  event_type TEXT,
  sub_event_type TEXT,
  source_event_code TEXT,
  mapping_lossy BOOLEAN NOT NULL DEFAULT 0,
  actor1 TEXT,
  actor1_category TEXT,
  assoc_actor1 TEXT,
  actor2 TEXT,
  actor2_category TEXT,
  assoc_actor2 TEXT,
  fatalities INTEGER,
  fatalities_low INTEGER,
  fatalities_high INTEGER,
  reported_by TEXT,
  notes TEXT,
  url TEXT,
  content_hash INTEGER NOT NULL);
-- source_id first: it tells keys apart at the first column, where the source (the same for a
-- whole file) would make every comparison of an insert's seek go on to the second.
CREATE UNIQUE INDEX IF NOT EXISTS events_source_id ON events(source_id, source);

INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
  VALUES ('events', 'features', 'events', 'Conflict events from ACLED, UCDP, GDELT, news and field reports', 4326);
INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('events', 'geom', 'POINT', 4326, 0, 0);
INSERT OR IGNORE INTO gpkg_extensions VALUES
  ('events', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');

CREATE VIRTUAL TABLE IF NOT EXISTS rtree_events_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_update1 AFTER UPDATE OF geom ON events
  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_update2 AFTER UPDATE OF geom ON events
  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END;
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_update3 AFTER UPDATE ON events
  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_update4 AFTER UPDATE ON events
  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_delete AFTER DELETE ON events
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END;

CREATE TABLE IF NOT EXISTS rejects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  logged_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  path TEXT NOT NULL, line INTEGER NOT NULL, field TEXT, value TEXT, reason TEXT NOT NULL, raw TEXT);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('rejects', 'attributes', 'rejects', 'Input records that could not be stored, with the reason');
CREATE TABLE IF NOT EXISTS ingests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at DATETIME NOT NULL,
  path TEXT NOT NULL, format TEXT NOT NULL, rows_read INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
  seconds DOUBLE NOT NULL DEFAULT 0);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
  VALUES ('ingests', 'attributes', 'ingests', 'One row per ingested file');
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, role TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  revoked_at DATETIME);
CREATE TABLE IF NOT EXISTS boundaries (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom GEOMETRY, level TEXT NOT NULL,
  name TEXT NOT NULL, properties TEXT, source TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS boundaries_level ON boundaries(level, name);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
  VALUES ('boundaries', 'features', 'boundaries', 'Administrative boundaries (admin1, admin2)', 4326);
INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('boundaries', 'geom', 'GEOMETRY', 4326, 0, 0);
CREATE TABLE IF NOT EXISTS tahadhari_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
INSERT OR IGNORE INTO tahadhari_meta VALUES ('schema_version', '1'), ('generation', '0'),
  ('store_id', lower(hex(randomblob(16))));
)SQL";

}  // namespace

// One column each: these indexes serve SQL clients (a QGIS filter, sqlite3); tahadhari's own
// queries run on the column index (colindex.cc). A second key column only made the rebuild after
// a bulk load sort wider keys: measured on 1M ACLED events, (event_type, sub_event_type) took
// 0.76 s against 0.48 s for event_type, and (country_iso3, date_start) 0.88 s against 0.47 s.
// SQLite filters a sub-type or a country's date range with one of these plus the row itself.
const char* const kSecondaryIndexDdl = R"SQL(
CREATE INDEX IF NOT EXISTS events_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_type ON events(event_type);
CREATE INDEX IF NOT EXISTS events_country ON events(country_iso3);
CREATE INDEX IF NOT EXISTS events_admin1 ON events(admin1);
)SQL";
const char* const kSecondaryIndexDrop =
    "DROP INDEX IF EXISTS events_date; DROP INDEX IF EXISTS events_type; "
    "DROP INDEX IF EXISTS events_country; DROP INDEX IF EXISTS events_admin1;";
const char* const kRtreeInsertTriggerDdl = R"SQL(
CREATE TRIGGER IF NOT EXISTS rtree_events_geom_insert AFTER INSERT ON events
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
)SQL";
const char* const kRtreeInsertTriggerDrop = "DROP TRIGGER IF EXISTS rtree_events_geom_insert;";

std::array<uint8_t, kPointBlobSize> EncodePoint(LatLon p) {
  std::array<uint8_t, kPointBlobSize> b{};
  b[0] = 'G';
  b[1] = 'P';
  b[2] = 0;                  // version 1
  b[3] = kFlagLittleEndian;  // no envelope, not empty, standard geometry
  const int32_t srs = kWgs84SrsId;
  std::memcpy(&b[4], &srs, sizeof srs);
  b[8] = 1;  // WKB little-endian
  const uint32_t type = kWkbPoint;
  std::memcpy(&b[9], &type, sizeof type);
  std::memcpy(&b[13], &p.lon.value, sizeof(double));
  std::memcpy(&b[21], &p.lat.value, sizeof(double));
  return b;
}

std::vector<uint8_t> EncodeWkb(std::span<const uint8_t> wkb, double min_x, double max_x,
                               double min_y, double max_y) {
  constexpr uint8_t kEnvelopeXY = 1;
  const size_t prefix = kHeaderSize + kEnvelopeBytes[kEnvelopeXY];
  std::vector<uint8_t> b(prefix + wkb.size());
  b[0] = 'G';
  b[1] = 'P';
  b[2] = 0;
  b[3] = static_cast<uint8_t>(kFlagLittleEndian | (kEnvelopeXY << kEnvelopeShift));
  const int32_t srs = kWgs84SrsId;
  std::memcpy(&b[4], &srs, sizeof srs);
  const double env[4] = {min_x, max_x, min_y, max_y};
  std::memcpy(&b[kHeaderSize], env, sizeof env);
  if (!wkb.empty()) std::memcpy(b.data() + prefix, wkb.data(), wkb.size());
  return b;
}

std::span<const uint8_t> WkbOf(std::span<const uint8_t> blob) {
  if (blob.size() < kHeaderSize || blob[0] != 'G' || blob[1] != 'P') return {};
  const size_t indicator = (blob[3] >> kEnvelopeShift) & kEnvelopeMask;
  if (indicator >= kEnvelopeBytes.size()) return {};
  const size_t skip = kHeaderSize + kEnvelopeBytes[indicator];
  if (blob.size() < skip) return {};
  return blob.subspan(skip);
}

std::optional<LatLon> DecodePoint(std::span<const uint8_t> blob) {
  const auto env = ReadEnvelope(blob.data(), blob.size());
  if (!env || env->empty || env->minx != env->maxx || env->miny != env->maxy) return std::nullopt;
  return LatLon{Degrees{env->miny}, Degrees{env->minx}};
}

void RegisterFunctions(sqlite3* db) {
  static constexpr const char* kNames[] = {"ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY",
                                           "ST_IsEmpty"};
  for (intptr_t i = 0; i < static_cast<intptr_t>(std::size(kNames)); ++i) {
    sql::Check(db,
               sqlite3_create_function_v2(db, kNames[i], 1,
                                          SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                          reinterpret_cast<void*>(i), EnvelopeFunction, nullptr,
                                          nullptr, nullptr),
               "store: registering GeoPackage SQL functions");
  }
}

void CreateSchema(sqlite3* db) {
  sql::Exec(db, "BEGIN IMMEDIATE");
  try {
    sql::Exec(db, kSchema);
    sql::Exec(db, kSecondaryIndexDdl);
    sql::Exec(db, kRtreeInsertTriggerDdl);
    sql::Exec(db, "PRAGMA application_id = " + std::to_string(kApplicationId) +
                      "; PRAGMA user_version = " + std::to_string(kUserVersion));
    sql::Exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace tahadhari::store::gpkg
