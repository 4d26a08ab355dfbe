// OGC API – Features Part 1 (Core, GeoJSON) over the events layer and the boundaries layer.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>

#include "server/internal.h"
#include "store/export.h"

namespace tahadhari::server::internal {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultLimit = 10;
constexpr int64_t kMaxLimit = 10000;
constexpr const char* kGeoJson = "application/geo+json";
constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* kConformance[] = {
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"};

json Link(const std::string& href, const std::string& rel, const std::string& type,
          const std::string& title = "") {
  json l = {{"href", href}, {"rel", rel}, {"type", type}};
  if (!title.empty()) l["title"] = title;
  return l;
}

std::string NowRfc3339() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// The query string of `req` with `offset` replaced (for paging links); keeps every filter.
std::string QueryWith(const httplib::Request& req, int64_t offset) {
  std::string q;
  for (const auto& [k, v] : req.params) {
    if (k == "offset") continue;
    q += (q.empty() ? "" : "&") + httplib::detail::encode_query_param(k) + "=" +
         httplib::detail::encode_query_param(v);
  }
  q += (q.empty() ? "" : "&") + fmt::format("offset={}", offset);
  return q;
}

json EventsCollection(const std::string& base, const store::ColumnIndex& c) {
  double w = 180, s = 90, e = -180, n = -90;
  const auto lat = c.lat(), lon = c.lon();
  for (size_t i = 0; i < c.size(); ++i) {
    if (std::isnan(lat[i])) continue;
    w = std::min(w, lon[i]);
    e = std::max(e, lon[i]);
    s = std::min(s, lat[i]);
    n = std::max(n, lat[i]);
  }
  json bbox = c.size() > 0 && w <= e ? json::array({json::array({w, s, e, n})})
                                     : json::array({json::array({-180, -90, 180, 90})});
  json interval = json::array({json::array({nullptr, nullptr})});
  if (c.size() > 0) {
    const auto order = c.by_day();
    interval =
        json::array({json::array({Date::FromDays(c.day()[order.front()]).ToIso() + "T00:00:00Z",
                                  Date::FromDays(c.day()[order.back()]).ToIso() + "T23:59:59Z"})});
  }
  const std::string self = base + "/collections/events";
  return {{"id", "events"},
          {"title", "Conflict events"},
          {"description",
           "One record per reported event from ACLED, UCDP, GDELT, news and field reports "
           "(docs/event-model.md). Filters: bbox, datetime, type, sub_type, actor, country, "
           "admin1, source."},
          {"itemType", "feature"},
          {"crs", json::array({kCrs84})},
          {"extent",
           {{"spatial", {{"bbox", bbox}, {"crs", kCrs84}}},
            {"temporal",
             {{"interval", interval},
              {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}}}}},
          {"links", json::array({Link(self, "self", "application/json", "This collection"),
                                 Link(self + "/items", "items", kGeoJson, "Events as GeoJSON")})}};
}

json BoundariesCollection(const std::string& base) {
  const std::string self = base + "/collections/boundaries";
  return {{"id", "boundaries"},
          {"title", "Administrative boundaries"},
          {"description", "Polygons loaded with `tahadhari boundaries load` (level=admin1|admin2)"},
          {"itemType", "feature"},
          {"crs", json::array({kCrs84})},
          {"links", json::array({Link(self, "self", "application/json"),
                                 Link(self + "/items", "items", kGeoJson)})}};
}

// Little-endian WKB (Polygon / MultiPolygon) → GeoJSON geometry. nullopt when malformed.
class WkbReader {
 public:
  explicit WkbReader(std::span<const uint8_t> b) : b_(b) {}
  std::optional<json> Geometry() {
    uint32_t type = 0;
    if (!Header(&type)) return std::nullopt;
    if (type == 3) {
      auto rings = Polygon();
      if (!rings) return std::nullopt;
      return json{{"type", "Polygon"}, {"coordinates", *rings}};
    }
    if (type == 6) {
      uint32_t n = 0;
      if (!U32(&n)) return std::nullopt;
      json polys = json::array();
      for (uint32_t i = 0; i < n; ++i) {
        uint32_t t = 0;
        if (!Header(&t) || t != 3) return std::nullopt;
        auto rings = Polygon();
        if (!rings) return std::nullopt;
        polys.push_back(std::move(*rings));
      }
      return json{{"type", "MultiPolygon"}, {"coordinates", polys}};
    }
    return std::nullopt;
  }

 private:
  bool Header(uint32_t* type) {
    if (pos_ >= b_.size() || b_[pos_] != 1) return false;  // little-endian only (we write it)
    ++pos_;
    return U32(type);
  }
  bool U32(uint32_t* v) {
    if (pos_ + 4 > b_.size()) return false;
    std::memcpy(v, b_.data() + pos_, 4);
    pos_ += 4;
    return true;
  }
  bool F64(double* v) {
    if (pos_ + 8 > b_.size()) return false;
    std::memcpy(v, b_.data() + pos_, 8);
    pos_ += 8;
    return true;
  }
  std::optional<json> Polygon() {
    uint32_t rings = 0;
    if (!U32(&rings)) return std::nullopt;
    json out = json::array();
    for (uint32_t r = 0; r < rings; ++r) {
      uint32_t points = 0;
      if (!U32(&points) || points > b_.size()) return std::nullopt;
      json ring = json::array();
      for (uint32_t p = 0; p < points; ++p) {
        double x = 0, y = 0;
        if (!F64(&x) || !F64(&y)) return std::nullopt;
        ring.push_back({x, y});
      }
      out.push_back(std::move(ring));
    }
    return out;
  }
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
};

constexpr const char* kOpenApi = R"JSON({
 "openapi": "3.0.3",
 "info": {"title": "tahadhari", "version": "0.1.0",
          "description": "Conflict events as OGC API - Features (Part 1 Core, GeoJSON) and a JSON API; see docs/api.md."},
 "paths": {
  "/": {"get": {"summary": "Landing page", "responses": {"200": {"description": "links"}}}},
  "/conformance": {"get": {"summary": "Conformance classes", "responses": {"200": {"description": "conformsTo"}}}},
  "/collections": {"get": {"summary": "Collections", "responses": {"200": {"description": "collections"}}}},
  "/collections/{collectionId}": {"get": {"summary": "One collection",
     "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}}],
     "responses": {"200": {"description": "collection"}, "404": {"description": "unknown"}}}},
  "/collections/{collectionId}/items": {"get": {"summary": "Features",
     "parameters": [
      {"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}},
      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}},
      {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
      {"name": "bbox", "in": "query", "style": "form", "explode": false,
       "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
      {"name": "datetime", "in": "query", "schema": {"type": "string"}},
      {"name": "type", "in": "query", "schema": {"type": "string"}},
      {"name": "sub_type", "in": "query", "schema": {"type": "string"}},
      {"name": "actor", "in": "query", "schema": {"type": "string"}},
      {"name": "country", "in": "query", "schema": {"type": "string"}},
      {"name": "admin1", "in": "query", "schema": {"type": "string"}},
      {"name": "source", "in": "query", "schema": {"type": "string"}}],
     "responses": {"200": {"description": "GeoJSON FeatureCollection",
       "content": {"application/geo+json": {"schema": {"type": "object"}}}},
       "400": {"description": "bad parameter"}}}},
  "/collections/{collectionId}/items/{featureId}": {"get": {"summary": "One feature",
     "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}],
     "responses": {"200": {"description": "GeoJSON Feature"}, "404": {"description": "unknown"}}}}
 }
})JSON";

}  // namespace

void AddOgcRoutes(httplib::Server& svr, Context& ctx) {
  svr.Get("/", Guard(ctx, [](const httplib::Request& req, httplib::Response& res) {
            const std::string accept = req.get_header_value("Accept");
            if (!req.has_param("f") && accept.find("text/html") != std::string::npos) {
              res.set_redirect("/app/");
              return;
            }
            const std::string base = Context::BaseUrl(req);
            Send(res, 200,
                 {{"title", "tahadhari"},
                  {"description",
                   "Conflict early warning: events from ACLED, UCDP, GDELT, news and "
                   "field reports"},
                  {"links",
                   json::array(
                       {Link(base + "/", "self", "application/json", "This document"),
                        Link(base + "/api", "service-desc",
                             "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
                        Link(base + "/conformance", "conformance", "application/json",
                             "Conformance classes"),
                        Link(base + "/collections", "data", "application/json", "Collections"),
                        Link(base + "/app/", "alternate", "text/html", "Dashboard")})}});
          }));
  svr.Get("/api", Guard(ctx, [](const httplib::Request&, httplib::Response& res) {
            res.set_content(kOpenApi, "application/vnd.oai.openapi+json;version=3.0");
          }));
  svr.Get("/conformance", Guard(ctx, [](const httplib::Request&, httplib::Response& res) {
            Send(res, 200, {{"conformsTo", kConformance}});
          }));
  svr.Get("/collections", Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const std::string base = Context::BaseUrl(req);
            Send(res, 200,
                 {{"links", json::array({Link(base + "/collections", "self", "application/json")})},
                  {"collections", json::array({EventsCollection(base, *ctx.columns->Get()),
                                               BoundariesCollection(base)})}});
          }));
  svr.Get(R"(/collections/([^/]+))",
          Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const std::string id = req.matches[1];
            const std::string base = Context::BaseUrl(req);
            if (id == "events") return Send(res, 200, EventsCollection(base, *ctx.columns->Get()));
            if (id == "boundaries") return Send(res, 200, BoundariesCollection(base));
            throw HttpError{404, "NotFound", "no collection '" + id + "' (try events)"};
          }));
  svr.Get(
      "/collections/events/items",
      Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
        const auto filter = FilterFromQuery(req);
        const int64_t limit = IntParam(req, "limit", kDefaultLimit, 1, kMaxLimit, true);
        const int64_t offset = IntParam(req, "offset", 0, 0, INT64_MAX, false);
        const auto columns = ctx.columns->Get();
        const auto rows = columns->Select(filter);
        const size_t begin = std::min(rows.size(), static_cast<size_t>(offset));
        const size_t end = std::min(rows.size(), begin + static_cast<size_t>(limit));
        std::vector<int64_t> fids;
        fids.reserve(end - begin);
        for (size_t i = begin; i < end; ++i) fids.push_back(columns->fid()[rows[i]]);
        auto& store = ThreadStore(ctx.options.store);
        const std::string base = Context::BaseUrl(req) + "/collections/events/items";
        json links =
            json::array({Link(base + "?" + QueryWith(req, offset), "self", kGeoJson, "This page")});
        if (end < rows.size()) {
          links.push_back(Link(base + "?" + QueryWith(req, static_cast<int64_t>(end)), "next",
                               kGeoJson, "Next page"));
        }
        if (begin > 0) {
          links.push_back(Link(base + "?" + QueryWith(req, std::max<int64_t>(0, offset - limit)),
                               "prev", kGeoJson, "Previous page"));
        }
        if (req.has_param("f") && req.get_param_value("f") == "csv") {
          // The same page as CSV (the columns of `tahadhari events --format csv`).
          std::string csv;
          for (const auto& name : store::EventFieldNames()) {
            if (!csv.empty()) csv += ',';
            csv += name;
          }
          csv += '\n';
          for (const auto& e : store.Fetch(fids)) {
            bool first = true;
            for (const auto& v : store::EventCsvValues(e)) {
              if (!first) csv += ',';
              csv += store::CsvField(v);
              first = false;
            }
            csv += '\n';
          }
          res.set_header("Content-Disposition", "attachment; filename=\"events.csv\"");
          res.set_content(std::move(csv), "text/csv; charset=utf-8");
          return;
        }
        // Features are serialised straight from the store's row buffers into the body (no Event
        // copies, no intermediate array). The header assumes every fid is still stored; in the
        // rare case that some were not (a change since the column index was taken), it is
        // rewritten with the count actually returned.
        auto header = [&](size_t returned) {
          return fmt::format(
              R"({{"type":"FeatureCollection","numberMatched":{},"numberReturned":{},"timeStamp":"{}","links":{},"features":[)",
              rows.size(), returned, NowRfc3339(), links.dump());
        };
        constexpr size_t kFeatureBytesGuess = 1024;  // a GDELT/ACLED feature is ~0.9 kB
        std::string body = header(fids.size());
        const size_t header_bytes = body.size();
        body.reserve(header_bytes + fids.size() * kFeatureBytesGuess + 2);
        size_t returned = 0;
        store.FetchEach(fids, [&](const store::EventView& e) {
          if (returned++ > 0) body += ',';
          store::AppendEventFeatureJson(e, &body);
        });
        if (returned != fids.size()) body.replace(0, header_bytes, header(returned));
        body += "]}";
        res.set_content(std::move(body), kGeoJson);
      }));
  svr.Get(R"(/collections/events/items/([^/]+))",
          Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const std::string id = req.matches[1];
            int64_t fid = 0;
            const auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), fid);
            if (ec != std::errc() || p != id.data() + id.size()) {
              throw HttpError{404, "NotFound", "no event with id '" + id + "'"};
            }
            const int64_t fids[] = {fid};
            const auto events = ThreadStore(ctx.options.store).Fetch(fids);
            if (events.empty()) throw HttpError{404, "NotFound", "no event with id " + id};
            json f = store::EventFeature(events.front());
            const std::string base = Context::BaseUrl(req) + "/collections/events";
            f["links"] = json::array({Link(base + "/items/" + id, "self", kGeoJson),
                                      Link(base, "collection", "application/json")});
            Send(res, 200, f, kGeoJson);
          }));
  svr.Get("/collections/boundaries/items",
          Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const std::string level = req.has_param("level") ? req.get_param_value("level") : "";
            const auto boundaries = ThreadStore(ctx.options.store).Boundaries(level);
            json features = json::array();
            int64_t id = 0;
            for (const auto& b : boundaries) {
              auto geometry = WkbReader(b.wkb).Geometry();
              json props = json::parse(b.properties_json, nullptr, false);
              if (props.is_discarded() || !props.is_object()) props = json::object();
              props["name"] = b.name;
              features.push_back({{"type", "Feature"},
                                  {"id", ++id},
                                  {"geometry", geometry ? *geometry : json(nullptr)},
                                  {"properties", props}});
            }
            Send(res, 200,
                 {{"type", "FeatureCollection"},
                  {"numberMatched", features.size()},
                  {"numberReturned", features.size()},
                  {"timeStamp", NowRfc3339()},
                  {"links", json::array()},
                  {"features", features}},
                 kGeoJson);
          }));
}

}  // namespace tahadhari::server::internal
