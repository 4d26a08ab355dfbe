// Internal to store/: bulk (re)loading of a GeoPackage R*Tree index.
//
// Why hand-written: SQLite's rtree module has no bulk-load API, and inserting rows one by one
// costs ~10 µs each (bench/ingest.sh: 3 M GDELT rows spend ~30 s in R*Tree inserts alone, more
// than the whole sqlite3 .import we must match). Sort-Tile-Recursive packing written straight
// into the module's shadow tables (%_node, %_rowid, %_parent, in the format documented in
// SQLite's ext/rtree/rtree.c: big-endian 16-bit depth and cell count, then cells of a 64-bit id
// and four 32-bit floats) builds the same structure in ~1 s, readable by SQLite, GDAL and QGIS.
// `SELECT rtreecheck(...)` verifies it in store tests. Not thread-safe (one connection).
#pragma once

#include <sqlite3.h>

#include <string>

namespace tahadhari::store::internal {

/// Replaces the contents of rtree `rtree` (created as rtree(id, minx, maxx, miny, maxy)) with one
/// point entry per row of `points_sql`, a query returning (id, GeoPackage point blob); rows whose
/// blob is not a non-empty point are skipped. Runs inside the caller's
/// transaction. Boxes are rounded outwards to float32 so each contains its point.
/// Throws StoreError on SQLite failure, or if the shadow tables have an unexpected layout.
void BulkLoadRtree(sqlite3* db, const std::string& rtree, const std::string& points_sql);

}  // namespace tahadhari::store::internal
