#include "store/export.h"

#include <iterator>

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

namespace {

// Appends s as a JSON string literal (RFC 8259 escaping; invalid UTF-8 becomes U+FFFD).
void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      size_t j = i + 1;
      while (j < s.size()) {
        const auto d = static_cast<unsigned char>(s[j]);
        if (d < 0x20 || d == '"' || d == '\\' || d >= 0x80) break;
        ++j;
      }
      out->append(s.data() + i, j - i);
      i = j;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
      }
      ++i;
      continue;
    }
    // Multi-byte UTF-8: copy when well-formed, else U+FFFD.
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out->append(s.data() + i, len);
      i += len;
    } else {
      out->append("\xEF\xBF\xBD");
      ++i;
    }
  }
  out->push_back('"');
}

void AppendKey(std::string_view key, std::string* out) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void AppendOpt(const std::optional<int32_t>& v, std::string* out) {
  if (v) {
    fmt::format_to(std::back_inserter(*out), "{}", *v);
  } else {
    out->append("null");
  }
}

}  // namespace

void AppendEventFeatureJson(const EventView& e, std::string* out) {
  auto num = [&](auto v) { fmt::format_to(std::back_inserter(*out), "{}", v); };
  out->append(R"({"type":"Feature","id":)");
  num(e.fid);
  if (e.location) {
    fmt::format_to(std::back_inserter(*out), R"(,"geometry":{{"type":"Point","coordinates":[{},{}]}})",
                   e.location->lon.value, e.location->lat.value);
  } else {
    out->append(R"(,"geometry":null)");
  }
  out->append(R"(,"properties":{"fid":)");
  num(e.fid);
  auto str = [&](std::string_view key, std::string_view value) {
    out->push_back(',');
    AppendKey(key, out);
    AppendJsonString(value, out);
  };
  str("source", e.source);
  str("source_id", e.source_id);
  char date[Date::kIsoLength];
  e.date_start.FormatIso(date);
  str("date_start", {date, sizeof date});
  e.date_end.FormatIso(date);
  str("date_end", {date, sizeof date});
  str("date_precision", ToString(e.date_precision));
  str("event_type", e.event_type);
  str("sub_event_type", e.sub_event_type);
  str("source_event_code", e.source_event_code);
  out->append(e.mapping_lossy ? R"(,"mapping_lossy":true)" : R"(,"mapping_lossy":false)");
  str("actor1", e.actor1);
  str("actor1_category", e.actor1_category);
  str("assoc_actor1", e.assoc_actor1);
  str("actor2", e.actor2);
  str("actor2_category", e.actor2_category);
  str("assoc_actor2", e.assoc_actor2);
  str("country_iso3", e.country_iso3);
  str("admin1", e.admin1);
  str("admin2", e.admin2);
  str("place", e.place);
  if (e.location) {
    fmt::format_to(std::back_inserter(*out), R"(,"latitude":{},"longitude":{})",
                   e.location->lat.value, e.location->lon.value);
  } else {
    out->append(R"(,"latitude":null,"longitude":null)");
  }
  str("geo_precision", ToString(e.geo_precision));
  out->append(R"(,"fatalities":)");
  AppendOpt(e.fatalities, out);
  out->append(R"(,"fatalities_low":)");
  AppendOpt(e.fatalities_low, out);
  out->append(R"(,"fatalities_high":)");
  AppendOpt(e.fatalities_high, out);
  str("reported_by", e.reported_by);
  str("notes", e.notes);
  str("url", e.url);
  str("source_file", e.source_file);
  out->append(R"(,"source_line":)");
  num(e.source_line);
  str("ingested_at", e.ingested_at);
  out->append("}}");
}

void AppendEventFeatureJson(const StoredEvent& e, std::string* out) {
  AppendEventFeatureJson(ViewOf(e), out);
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
