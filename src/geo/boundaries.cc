#include "geo/boundaries.h"

#include <geos_c.h>

#include <cstdarg>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tahadhari::geo {
namespace {

constexpr double kMaxLon = 180.0;
constexpr double kMaxLat = 90.0;
constexpr const char* kNameFields[] = {"name",   "NAME",       "NAME_1",    "ADM1_NAME",
                                       "ADM2_NAME", "admin1Name", "COUNTY", "COUNTY_NAM",
                                       "DIST_NAME", "REG_NAME",   "shapeName"};

// RAII holders for GEOS objects.
struct Context {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Context() { GEOS_finish_r(h); }
};
struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(h, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

std::string GeosMessage(GEOSContextHandle_t h, char* msg) {
  std::string s = msg != nullptr ? msg : "unknown GEOS error";
  GEOSFree_r(h, msg);
  return s;
}

}  // namespace

BoundaryFile ReadBoundaries(const std::filesystem::path& path, const std::string& name_field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open", path.string()));
  std::stringstream buf;
  buf << in.rdbuf();
  const auto doc = nlohmann::json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    throw FormatError(fmt::format("{}: not valid JSON (expected a GeoJSON FeatureCollection)",
                                  path.string()));
  }
  if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    throw FormatError(fmt::format("{}: not a GeoJSON FeatureCollection (no \"features\" array)",
                                  path.string()));
  }
  Context ctx;
  GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(ctx.h);
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx.h);
  GEOSWKBWriter_setByteOrder_r(ctx.h, writer, GEOS_WKB_NDR);
  GEOSWKBWriter_setOutputDimension_r(ctx.h, writer, 2);
  struct Cleanup {
    GEOSContextHandle_t h;
    GEOSGeoJSONReader* r;
    GEOSWKBWriter* w;
    ~Cleanup() {
      GEOSGeoJSONReader_destroy_r(h, r);
      GEOSWKBWriter_destroy_r(h, w);
    }
  } cleanup{ctx.h, reader, writer};

  BoundaryFile out;
  const auto& features = doc["features"];
  for (size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    auto problem = [&](std::string field, std::string value, std::string reason) {
      out.problems.push_back({i, FieldError{std::move(field), std::move(value), std::move(reason)}});
    };
    const auto props = f.contains("properties") && f["properties"].is_object()
                           ? f["properties"]
                           : nlohmann::json::object();
    std::string name;
    std::string used_field = name_field;
    if (used_field.empty()) {
      for (const char* candidate : kNameFields) {
        if (props.contains(candidate)) {
          used_field = candidate;
          break;
        }
      }
    }
    if (!used_field.empty() && props.contains(used_field) && props[used_field].is_string()) {
      name = props[used_field].get<std::string>();
    }
    if (name.empty()) {
      problem(used_field.empty() ? "properties" : used_field, "",
              "no area name (give --name-field with the property that holds it)");
      continue;
    }
    if (!f.contains("geometry") || !f["geometry"].is_object()) {
      problem("geometry", name, "missing geometry");
      continue;
    }
    const std::string geojson = f["geometry"].dump();
    GeomPtr g(GEOSGeoJSONReader_readGeometry_r(ctx.h, reader, geojson.c_str()),
              GeomDeleter{ctx.h});
    if (!g) {
      problem("geometry", name, "not a readable GeoJSON geometry");
      continue;
    }
    if (GEOSGeomTypeId_r(ctx.h, g.get()) == GEOS_GEOMETRYCOLLECTION) {
      // Keep the polygonal parts of a collection (some GAUL regions mix in stray lines).
      std::vector<GEOSGeometry*> parts;
      for (int k = 0; k < GEOSGetNumGeometries_r(ctx.h, g.get()); ++k) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(ctx.h, g.get(), k);
        const int t = GEOSGeomTypeId_r(ctx.h, part);
        if (t == GEOS_POLYGON) parts.push_back(GEOSGeom_clone_r(ctx.h, part));
        if (t == GEOS_MULTIPOLYGON) {
          for (int m = 0; m < GEOSGetNumGeometries_r(ctx.h, part); ++m) {
            parts.push_back(GEOSGeom_clone_r(ctx.h, GEOSGetGeometryN_r(ctx.h, part, m)));
          }
        }
      }
      if (!parts.empty()) {
        g.reset(GEOSGeom_createCollection_r(ctx.h, GEOS_MULTIPOLYGON, parts.data(),
                                            static_cast<unsigned>(parts.size())));
      }
    }
    const int type = GEOSGeomTypeId_r(ctx.h, g.get());
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
      problem("geometry", name, fmt::format("{} is not a Polygon or MultiPolygon",
                                            GeosMessage(ctx.h, GEOSGeomType_r(ctx.h, g.get()))));
      continue;
    }
    if (GEOSisEmpty_r(ctx.h, g.get()) == 1) {
      problem("geometry", name, "empty geometry");
      continue;
    }
    Boundary b;
    GEOSGeom_getXMin_r(ctx.h, g.get(), &b.min_x);
    GEOSGeom_getYMin_r(ctx.h, g.get(), &b.min_y);
    GEOSGeom_getXMax_r(ctx.h, g.get(), &b.max_x);
    GEOSGeom_getYMax_r(ctx.h, g.get(), &b.max_y);
    if (b.min_x < -kMaxLon || b.max_x > kMaxLon || b.min_y < -kMaxLat || b.max_y > kMaxLat) {
      problem("geometry", name, fmt::format("coordinates out of WGS84 range (x {}..{}, y {}..{}); "
                                            "is the file in another projection?",
                                            b.min_x, b.max_x, b.min_y, b.max_y));
      continue;
    }
    if (GEOSisValid_r(ctx.h, g.get()) != 1) {
      problem("geometry", name,
              "invalid polygon: " + GeosMessage(ctx.h, GEOSisValidReason_r(ctx.h, g.get())));
      continue;
    }
    size_t size = 0;
    unsigned char* wkb = GEOSWKBWriter_write_r(ctx.h, writer, g.get(), &size);
    b.wkb.assign(wkb, wkb + size);
    GEOSFree_r(ctx.h, wkb);
    b.name = std::move(name);
    b.properties_json = props.dump();
    out.boundaries.push_back(std::move(b));
  }
  return out;
}

}  // namespace tahadhari::geo
