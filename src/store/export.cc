#include "store/export.h"

#include <fmt/format.h>

namespace tahadhari::store {
namespace {

std::string OptToString(const std::optional<int32_t>& v) {
  return v ? std::to_string(*v) : std::string();
}
nlohmann::json OptToJson(const std::optional<int32_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::string Coord(const std::optional<LatLon>& p, bool lat) {
  if (!p) return {};
  return fmt::format("{}", lat ? p->lat.value : p->lon.value);
}

}  // namespace

const std::vector<std::string>& EventFieldNames() {
  static const std::vector<std::string> kNames = {
      "fid",           "source",          "source_id",         "date_start",
      "date_end",      "date_precision",  "event_type",        "sub_event_type",
      "source_event_code", "mapping_lossy", "actor1",          "actor1_category",
      "assoc_actor1",  "actor2",          "actor2_category",   "assoc_actor2",
      "country_iso3",  "admin1",          "admin2",            "place",
      "latitude",      "longitude",       "geo_precision",     "fatalities",
      "fatalities_low", "fatalities_high", "reported_by",      "notes",
      "url",           "source_file",     "source_line",       "ingested_at"};
  return kNames;
}

std::vector<std::string> EventCsvValues(const StoredEvent& s) {
  const Event& e = s.event;
  return {std::to_string(s.fid), e.source, e.source_id, e.date_start.ToIso(), e.date_end.ToIso(),
          std::string(ToString(e.date_precision)), e.event_type, e.sub_event_type,
          e.source_event_code, e.mapping_lossy ? "1" : "0", e.actor1.name, e.actor1.category,
          e.actor1.associated, e.actor2.name, e.actor2.category, e.actor2.associated,
          e.country_iso3, e.admin1, e.admin2, e.place, Coord(e.location, true),
          Coord(e.location, false), std::string(ToString(e.geo_precision)),
          OptToString(e.fatalities), OptToString(e.fatalities_low),
          OptToString(e.fatalities_high), e.reported_by, e.notes, e.url, e.source_file,
          std::to_string(e.source_line), s.ingested_at};
}

nlohmann::json EventProperties(const StoredEvent& s) {
  const Event& e = s.event;
  nlohmann::json j = nlohmann::json::object();
  j["fid"] = s.fid;
  j["source"] = e.source;
  j["source_id"] = e.source_id;
  j["date_start"] = e.date_start.ToIso();
  j["date_end"] = e.date_end.ToIso();
  j["date_precision"] = ToString(e.date_precision);
  j["event_type"] = e.event_type;
  j["sub_event_type"] = e.sub_event_type;
  j["source_event_code"] = e.source_event_code;
  j["mapping_lossy"] = e.mapping_lossy;
  j["actor1"] = e.actor1.name;
  j["actor1_category"] = e.actor1.category;
  j["assoc_actor1"] = e.actor1.associated;
  j["actor2"] = e.actor2.name;
  j["actor2_category"] = e.actor2.category;
  j["assoc_actor2"] = e.actor2.associated;
  j["country_iso3"] = e.country_iso3;
  j["admin1"] = e.admin1;
  j["admin2"] = e.admin2;
  j["place"] = e.place;
  j["latitude"] = e.location ? nlohmann::json(e.location->lat.value) : nlohmann::json(nullptr);
  j["longitude"] = e.location ? nlohmann::json(e.location->lon.value) : nlohmann::json(nullptr);
  j["geo_precision"] = ToString(e.geo_precision);
  j["fatalities"] = OptToJson(e.fatalities);
  j["fatalities_low"] = OptToJson(e.fatalities_low);
  j["fatalities_high"] = OptToJson(e.fatalities_high);
  j["reported_by"] = e.reported_by;
  j["notes"] = e.notes;
  j["url"] = e.url;
  j["source_file"] = e.source_file;
  j["source_line"] = e.source_line;
  j["ingested_at"] = s.ingested_at;
  return j;
}

nlohmann::json EventFeature(const StoredEvent& s) {
  nlohmann::json f = {{"type", "Feature"}, {"id", s.fid}};
  if (s.event.location) {
    f["geometry"] = {{"type", "Point"},
                     {"coordinates", {s.event.location->lon.value, s.event.location->lat.value}}};
  } else {
    f["geometry"] = nullptr;
  }
  f["properties"] = EventProperties(s);
  return f;
}

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace tahadhari::store
