// geo/: administrative boundary polygons read from GeoJSON and checked with GEOS.
// Thread-safety: ReadBoundaries is reentrant (one GEOS context per call).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace tahadhari::geo {

/// One boundary polygon: its name, its other properties (a JSON object as text), and the
/// geometry as little-endian 2D WKB (Polygon or MultiPolygon) with its envelope in degrees.
struct Boundary {
  std::string name;
  std::string properties_json;
  std::vector<uint8_t> wkb;
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct BoundaryProblem {
  size_t feature = 0;  // 0-based index in the FeatureCollection
  FieldError error;    // field "geometry" or the name field, the value, the reason
};

struct BoundaryFile {
  std::vector<Boundary> boundaries;
  std::vector<BoundaryProblem> problems;  // features that were not loaded, and why
};

/// Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features. Each feature is checked
/// with GEOS (parsable, polygonal, coordinates within WGS84 ranges, valid per OGC rules); a
/// feature that fails is reported in `problems` with the reason and skipped, the rest load.
/// `name_field` names the property holding the area name; when empty, the first of "name",
/// "NAME", "NAME_1", "ADM1_NAME", "ADM2_NAME", "admin1Name", "COUNTY", "COUNTY_NAM", "DIST_NAME",
/// "REG_NAME", "shapeName" present is used.
/// Throws IoError if the file cannot be read, FormatError if it is not a FeatureCollection.
BoundaryFile ReadBoundaries(const std::filesystem::path& path, const std::string& name_field);

}  // namespace tahadhari::geo
