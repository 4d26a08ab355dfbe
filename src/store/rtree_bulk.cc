#include "store/rtree_bulk.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.h"
#include "store/sqlite.h"

namespace tahadhari::store::internal {
namespace {

constexpr size_t kNodeHeaderBytes = 4;  // 16-bit depth (root only) + 16-bit cell count
constexpr size_t kCellBytes = 8 + 4 * sizeof(float);  // id + minx, maxx, miny, maxy
constexpr int64_t kRootNode = 1;
constexpr size_t kRowidGroup = 128;  // %_rowid rows per INSERT in WriteRtree() (256 parameters)

using Cell = RtreeEntry;  // in leaves: a row id; in internal cells: an index into `nodes`
using Node = PackedRtree::Node;

float Cx(const Cell& c) { return (c.box[0] + c.box[1]) * 0.5F; }
float Cy(const Cell& c) { return (c.box[2] + c.box[3]) * 0.5F; }

float Down(double v) {
  float f = static_cast<float>(v);
  if (static_cast<double>(f) > v) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}
float Up(double v) {
  float f = static_cast<float>(v);
  if (static_cast<double>(f) < v) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

void PutBe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v & 0xFF);
    v >>= 8;
  }
}

// Packs `entries` into nodes of at most `m` cells by Sort-Tile-Recursive; returns parent cells.
std::vector<Cell> PackLevel(std::vector<Cell> entries, size_t m, bool leaf,
                            std::vector<Node>* nodes) {
  const size_t n = entries.size();
  const size_t pages = (n + m - 1) / m;
  const auto slices = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(pages))));
  const size_t per_slice = slices * m;
  std::sort(entries.begin(), entries.end(),
            [](const Cell& a, const Cell& b) { return Cx(a) < Cx(b); });
  std::vector<Cell> parents;
  for (size_t s = 0; s < n; s += per_slice) {
    const auto begin = entries.begin() + static_cast<std::ptrdiff_t>(s);
    const auto end = entries.begin() + static_cast<std::ptrdiff_t>(std::min(n, s + per_slice));
    std::sort(begin, end, [](const Cell& a, const Cell& b) { return Cy(a) < Cy(b); });
    for (auto it = begin; it < end; it += static_cast<std::ptrdiff_t>(
                                         std::min<size_t>(m, static_cast<size_t>(end - it)))) {
      Node node;
      node.leaf = leaf;
      const auto stop = it + static_cast<std::ptrdiff_t>(std::min<size_t>(m, static_cast<size_t>(end - it)));
      node.cells.assign(it, stop);
      Cell parent{static_cast<int64_t>(nodes->size()),
                  {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                   std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}};
      for (const Cell& c : node.cells) {
        parent.box[0] = std::min(parent.box[0], c.box[0]);
        parent.box[1] = std::max(parent.box[1], c.box[1]);
        parent.box[2] = std::min(parent.box[2], c.box[2]);
        parent.box[3] = std::max(parent.box[3], c.box[3]);
      }
      nodes->push_back(std::move(node));
      parents.push_back(parent);
    }
  }
  return parents;
}

}  // namespace

RtreeEntry PointEntry(int64_t id, LatLon p) {
  const double x = p.lon.value, y = p.lat.value;
  return {id, {Down(x), Up(x), Down(y), Up(y)}};
}

size_t RtreeCellsPerNode(sqlite3* db, const std::string& rtree) {
  // The layout we write must be the one this SQLite uses.
  {
    sql::Stmt schema(db, "SELECT sql FROM sqlite_master WHERE name = ?");
    schema.BindText(1, rtree + "_rowid");
    if (!schema.Step() ||
        std::string(schema.Text(0)).find("(rowid INTEGER PRIMARY KEY,nodeno)") ==
            std::string::npos) {
      throw StoreError(fmt::format("store: {}: unexpected R*Tree layout; cannot bulk load", rtree));
    }
  }
  size_t node_bytes = 0;
  {
    sql::Stmt size(db, fmt::format("SELECT length(data) FROM \"{}_node\" WHERE nodeno = 1", rtree));
    if (size.Step()) node_bytes = static_cast<size_t>(size.Int(0));
  }
  if (node_bytes <= kNodeHeaderBytes + kCellBytes) {
    throw StoreError(fmt::format("store: {}: cannot read the R*Tree node size", rtree));
  }
  return (node_bytes - kNodeHeaderBytes) / kCellBytes;
}

void ReadRtree(sqlite3* db, const std::string& rtree, std::vector<RtreeEntry>* out) {
  // The module returns each stored float32 widened to double: narrowing it back is exact.
  sql::Stmt rows(db, fmt::format("SELECT id, minx, maxx, miny, maxy FROM \"{}\"", rtree));
  while (rows.Step()) {
    out->push_back({rows.Int(0),
                    {static_cast<float>(rows.Real(1)), static_cast<float>(rows.Real(2)),
                     static_cast<float>(rows.Real(3)), static_cast<float>(rows.Real(4))}});
  }
}

std::unique_ptr<PackedRtree> PackRtree(std::vector<RtreeEntry> entries, size_t cells_per_node) {
  assert(cells_per_node >= 2);
  const size_t m = cells_per_node;
  auto packed = std::make_unique<PackedRtree>();
  packed->node_bytes = kNodeHeaderBytes + m * kCellBytes;
  const size_t entry_count = entries.size();
  // Build bottom-up; the last level packed holds the root's cells.
  if (entries.size() <= m) {
    packed->root.cells = std::move(entries);
  } else {
    std::vector<Cell> level = PackLevel(std::move(entries), m, true, &packed->nodes);
    packed->depth = 1;
    while (level.size() > m) {
      level = PackLevel(std::move(level), m, false, &packed->nodes);
      ++packed->depth;
    }
    packed->root.cells = std::move(level);
    packed->root.leaf = false;
  }
  // Number nodes: root is 1, the others follow in creation order.
  packed->root.number = kRootNode;
  for (size_t i = 0; i < packed->nodes.size(); ++i) {
    packed->nodes[i].number = static_cast<int64_t>(i) + 2;
  }
  packed->leaf_of.reserve(entry_count);
  auto note_leaf = [&](const Node& node) {
    if (!node.leaf) return;
    for (const Cell& c : node.cells) packed->leaf_of.emplace_back(c.id, node.number);
  };
  note_leaf(packed->root);
  for (const Node& node : packed->nodes) note_leaf(node);
  std::sort(packed->leaf_of.begin(), packed->leaf_of.end());
  return packed;
}

void WriteRtree(sqlite3* db, const std::string& rtree, const PackedRtree& packed) {
  const std::vector<Node>& nodes = packed.nodes;
  const size_t node_bytes = packed.node_bytes;
  sql::Exec(db, fmt::format("DELETE FROM \"{0}_node\"; DELETE FROM \"{0}_rowid\"; "
                            "DELETE FROM \"{0}_parent\";", rtree));
  sql::Stmt put_node(db,
                     fmt::format("INSERT INTO \"{}_node\" (nodeno, data) VALUES (?, ?)", rtree));
  sql::Stmt put_parent(db, fmt::format("INSERT INTO \"{}_parent\" (nodeno, parentnode) VALUES (?, ?)", rtree));
  std::vector<uint8_t> blob(node_bytes);
  auto write = [&](const Node& node, int node_depth) {
    std::fill(blob.begin(), blob.end(), 0);
    PutBe(blob.data(), static_cast<uint64_t>(node.number == kRootNode ? node_depth : 0), 2);
    PutBe(blob.data() + 2, node.cells.size(), 2);
    uint8_t* p = blob.data() + kNodeHeaderBytes;
    for (const Cell& c : node.cells) {
      const int64_t id = node.leaf ? c.id : nodes[static_cast<size_t>(c.id)].number;
      PutBe(p, static_cast<uint64_t>(id), 8);
      for (size_t k = 0; k < 4; ++k) {
        uint32_t bits = 0;
        std::memcpy(&bits, &c.box[k], sizeof bits);
        PutBe(p + 8 + 4 * k, bits, 4);
      }
      p += kCellBytes;
      if (!node.leaf) {
        put_parent.Bind(1, id).Bind(2, node.number);
        put_parent.Run();
      }
    }
    put_node.Bind(1, node.number).BindBlob(2, blob.data(), static_cast<int>(blob.size()));
    put_node.Run();
  };
  write(packed.root, packed.depth);
  for (const Node& node : nodes) write(node, 0);
  // The (row id, leaf) rows, in row-id order: STR order is random in row ids, and appending to
  // the _rowid b-tree in key order is several times cheaper than inserting at random places.
  // kRowidGroup rows per statement, which takes the per-statement overhead off most rows (these
  // rows took 0.35 s per million one by one; the gain of grouping is small next to the b-tree
  // appends themselves).
  const std::string insert_rowid =
      fmt::format("INSERT INTO \"{}_rowid\" (rowid, nodeno) VALUES ", rtree);
  std::string group_sql = insert_rowid;
  for (size_t r = 0; r < kRowidGroup; ++r) group_sql += r == 0 ? "(?, ?)" : ", (?, ?)";
  sql::Stmt put_group(db, group_sql);
  sql::Stmt put_rowid(db, insert_rowid + "(?, ?)");
  const auto& rows = packed.leaf_of;
  size_t i = 0;
  for (; i + kRowidGroup <= rows.size(); i += kRowidGroup) {
    for (size_t r = 0; r < kRowidGroup; ++r) {
      const int param = static_cast<int>(2 * r);
      put_group.Bind(param + 1, rows[i + r].first).Bind(param + 2, rows[i + r].second);
    }
    put_group.RunKeepBindings();
  }
  for (; i < rows.size(); ++i) {
    put_rowid.Bind(1, rows[i].first).Bind(2, rows[i].second);
    put_rowid.Run();
  }
}

void InsertRtree(sqlite3* db, const std::string& rtree, std::vector<RtreeEntry> entries) {
  // Z-order (Morton) key of the centre on a 2^16 x 2^16 grid of the globe.
  constexpr double kGridCells = 65536.0;
  constexpr double kLonSpan = 360.0, kLatSpan = 180.0, kLonMin = -180.0, kLatMin = -90.0;
  auto spread = [](uint64_t v) {  // bits of a 16-bit value to the even positions of 32
    v &= 0xFFFF;
    v = (v | (v << 8)) & 0x00FF00FF;
    v = (v | (v << 4)) & 0x0F0F0F0F;
    v = (v | (v << 2)) & 0x33333333;
    v = (v | (v << 1)) & 0x55555555;
    return v;
  };
  auto cell = [&](double v, double min, double span) {
    const double c = std::floor((v - min) / span * kGridCells);
    return static_cast<uint64_t>(std::clamp(c, 0.0, kGridCells - 1));
  };
  std::vector<std::pair<uint64_t, size_t>> order;
  order.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const uint64_t x = cell(Cx(entries[i]), kLonMin, kLonSpan);
    const uint64_t y = cell(Cy(entries[i]), kLatMin, kLatSpan);
    order.emplace_back(spread(x) | (spread(y) << 1), i);
  }
  std::sort(order.begin(), order.end());
  sql::Stmt put(db, fmt::format("INSERT INTO \"{}\" VALUES (?, ?, ?, ?, ?)", rtree));
  for (const auto& [key, i] : order) {
    const RtreeEntry& e = entries[i];
    put.Bind(1, e.id)
        .Bind(2, static_cast<double>(e.box[0]))
        .Bind(3, static_cast<double>(e.box[1]))
        .Bind(4, static_cast<double>(e.box[2]))
        .Bind(5, static_cast<double>(e.box[3]));
    put.Run();
  }
}

}  // namespace tahadhari::store::internal
