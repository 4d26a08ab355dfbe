// Internal to store/: bulk (re)loading of a GeoPackage R*Tree index.
//
// Why hand-written: SQLite's rtree module has no bulk-load API, and inserting rows one by one
// costs ~10 µs each (bench/ingest.sh: 3 M GDELT rows spend ~30 s in R*Tree inserts alone, more
// than the whole sqlite3 .import we must match). Sort-Tile-Recursive packing written straight
// into the module's shadow tables (%_node, %_rowid, %_parent, in the format documented in
// SQLite's ext/rtree/rtree.c: big-endian 16-bit depth and cell count, then cells of a 64-bit id
// and four 32-bit floats) builds the same structure in ~1 s per million points, readable by
// SQLite, GDAL and QGIS. `SELECT rtreecheck(...)` verifies it in store tests.
// Thread-safety: PackRtree() is pure computation and may run on any thread; the functions that
// take a connection must not run concurrently with other use of it.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/units.h"

namespace tahadhari::store::internal {

/// One R*Tree entry: a row id and its box (minx, maxx, miny, maxy) in float32, as the rtree
/// module stores it.
struct RtreeEntry {
  int64_t id = 0;
  std::array<float, 4> box{};
};

/// The entry of a point, its box rounded outwards to float32 so that it contains the point.
RtreeEntry PointEntry(int64_t id, LatLon p);

/// An R*Tree packed in memory (Sort-Tile-Recursive) by PackRtree(), ready for WriteRtree().
struct PackedRtree {
  struct Node {
    std::vector<RtreeEntry> cells;  // leaves: row ids; internal: indexes into `nodes`
    bool leaf = true;
    int64_t number = 0;
  };
  Node root;
  std::vector<Node> nodes;  // numbered 2, 3, ... in this order
  int depth = 0;
  size_t node_bytes = 0;
  // (row id, number of its leaf node) for every entry, in row-id order: the rows of the
  // module's %_rowid table, sorted here so that the sort runs with the packing (off the
  // connection's thread) and WriteRtree() only appends.
  std::vector<std::pair<int64_t, int64_t>> leaf_of;
};

/// Cells per node of rtree `rtree` (from its root node's size). Throws StoreError if the shadow
/// tables have a layout this code does not write, or on SQLite failure.
size_t RtreeCellsPerNode(sqlite3* db, const std::string& rtree);

/// Appends every entry of rtree `rtree` to `out`. Throws StoreError on SQLite failure.
void ReadRtree(sqlite3* db, const std::string& rtree, std::vector<RtreeEntry>* out);

/// Packs `entries` into nodes of `cells_per_node` cells. Pure computation: thread-safe, and may
/// run while the connection does other work. REQUIRES: cells_per_node >= 2; ids are unique.
std::unique_ptr<PackedRtree> PackRtree(std::vector<RtreeEntry> entries, size_t cells_per_node);

/// Replaces the contents of rtree `rtree` with `packed` (built for RtreeCellsPerNode(db, rtree)
/// cells per node). Runs inside the caller's transaction. Throws StoreError on SQLite failure.
void WriteRtree(sqlite3* db, const std::string& rtree, const PackedRtree& packed);

/// Inserts `entries` into rtree `rtree` one by one through the rtree module (which keeps the
/// tree balanced), in Z-order of their boxes' centres so that consecutive inserts reach the same
/// nodes. For adding entries to a large tree, where a rebuild would cost more. Runs inside the
/// caller's transaction. Throws StoreError on SQLite failure (e.g. an id already present).
void InsertRtree(sqlite3* db, const std::string& rtree, std::vector<RtreeEntry> entries);

}  // namespace tahadhari::store::internal
