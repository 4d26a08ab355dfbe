// Internal to store/: GeoPackage 1.3 plumbing — schema, geometry blobs and the SQL functions the
// gpkg_rtree_index triggers need. Not thread-safe per connection.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/units.h"

namespace tahadhari::store::gpkg {

/// 'GPKG' as the SQLite application_id, and 1.3.0 as user_version (GeoPackage 1.3 §1.1.1).
inline constexpr int32_t kApplicationId = 0x47504B47;
inline constexpr int32_t kUserVersion = 10300;
inline constexpr int32_t kWgs84SrsId = 4326;

/// Size of a GeoPackage binary point without envelope: 8-byte header + 21-byte WKB point.
inline constexpr size_t kPointBlobSize = 29;

/// Encodes a WGS84 point as a GeoPackage geometry blob (little-endian, no envelope, SRS 4326).
std::array<uint8_t, kPointBlobSize> EncodePoint(LatLon p);

/// Wraps little-endian 2D WKB as a GeoPackage geometry blob with an [minx, maxx, miny, maxy]
/// envelope (SRS 4326).
std::vector<uint8_t> EncodeWkb(std::span<const uint8_t> wkb, double min_x, double max_x,
                               double min_y, double max_y);
/// The WKB inside a GeoPackage geometry blob (after header and envelope); empty when malformed.
std::span<const uint8_t> WkbOf(std::span<const uint8_t> blob);

/// Decodes a GeoPackage point blob; nullopt when it is not a non-empty 2D point.
std::optional<LatLon> DecodePoint(std::span<const uint8_t> blob);

/// Registers ST_MinX, ST_MaxX, ST_MinY, ST_MaxY and ST_IsEmpty on `db` (for the rtree triggers).
/// They read the header envelope when present, else a WKB point body. Throws StoreError.
void RegisterFunctions(sqlite3* db);

/// The secondary indexes of `events` (date, type, country, admin1), as CREATE statements, and
/// their names; dropped and rebuilt around bulk loads.
extern const char* const kSecondaryIndexDdl;
extern const char* const kSecondaryIndexDrop;
/// The rtree insert trigger, dropped during bulk loads (the index is rebuilt afterwards).
extern const char* const kRtreeInsertTriggerDdl;
extern const char* const kRtreeInsertTriggerDrop;

/// Creates the GeoPackage core tables, the tahadhari tables (events, rejects, ingests, meta) and
/// the events R*Tree with its triggers, when absent. Idempotent. Throws StoreError.
void CreateSchema(sqlite3* db);

}  // namespace tahadhari::store::gpkg
