#include "ingest/mappings.h"

#include <charconv>
#include <functional>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "core/paths.h"
#include "ingest/csv.h"
#include "ingest/input.h"

namespace tahadhari::ingest {
namespace {

// Calls `row(get)` for each data row of a headed CSV table, where get(name) returns the field.
void ForEachRow(const std::filesystem::path& path, const std::vector<std::string>& required,
                const std::function<void(const std::function<std::string_view(std::string_view)>&,
                                         int64_t line)>& row) {
  const auto input = InputFile::Open(path);
  RecordReader reader(input->data(), ',', true);
  Record rec;
  std::optional<FieldError> err;
  if (!reader.Next(&rec, &err) || err) {
    throw FormatError(fmt::format("{}:1: missing or broken header row", path.string()));
  }
  std::vector<std::string> header(rec.fields.begin(), rec.fields.end());
  for (const auto& name : required) {
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      throw FormatError(fmt::format("{}:1: {}: required column missing", path.string(), name));
    }
  }
  while (reader.Next(&rec, &err)) {
    if (err || rec.fields.size() != header.size()) {
      throw FormatError(fmt::format("{}:{}: expected {} columns, found {}", path.string(),
                                    rec.line, header.size(), rec.fields.size()));
    }
    row(
        [&](std::string_view name) -> std::string_view {
          for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return rec.fields[i];
          return {};
        },
        rec.line);
  }
}

int ToInt(std::string_view s, const std::filesystem::path& path, int64_t line,
          std::string_view field) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw FormatError(fmt::format("{}:{}: {}: {}: not an integer", path.string(), line, field, s));
  }
  return v;
}

}  // namespace

Mappings Mappings::Load(const std::filesystem::path& dir) {
  Mappings m;
  ForEachRow(dir / "fips_iso3.csv", {"fips", "iso3"}, [&](const auto& get, int64_t) {
    m.fips_iso3_.emplace(std::string(get("fips")), std::string(get("iso3")));
  });
  const auto gw = dir / "gw_iso3.csv";
  ForEachRow(gw, {"gwno", "iso3"}, [&](const auto& get, int64_t line) {
    m.gw_iso3_.emplace(ToInt(get("gwno"), gw, line, "gwno"), std::string(get("iso3")));
  });
  ForEachRow(dir / "cameo_acled.csv", {"cameo", "event_type", "sub_event_type", "lossy"},
             [&](const auto& get, int64_t) {
               m.cameo_.emplace(std::string(get("cameo")),
                                TypeMapping{std::string(get("event_type")),
                                            std::string(get("sub_event_type")),
                                            get("lossy") != "0"});
             });
  const auto ucdp = dir / "ucdp_acled.csv";
  ForEachRow(ucdp, {"type_of_violence", "event_type", "sub_event_type", "lossy"},
             [&](const auto& get, int64_t line) {
               m.ucdp_.emplace(ToInt(get("type_of_violence"), ucdp, line, "type_of_violence"),
                               TypeMapping{std::string(get("event_type")),
                                           std::string(get("sub_event_type")),
                                           get("lossy") != "0"});
             });
  ForEachRow(dir / "gdelt_actor_category.csv", {"type_code", "category"},
             [&](const auto& get, int64_t) {
               m.actor_category_.emplace(std::string(get("type_code")),
                                         std::string(get("category")));
             });
  return m;
}

const Mappings& Mappings::Default() {
  static const Mappings m = Load(DataDir() / "mappings");
  return m;
}

std::optional<std::string_view> Mappings::IsoFromFips(std::string_view fips) const {
  const auto it = fips_iso3_.find(std::string(fips));
  if (it == fips_iso3_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string_view> Mappings::IsoFromGw(int gwno) const {
  const auto it = gw_iso3_.find(gwno);
  if (it == gw_iso3_.end()) return std::nullopt;
  return it->second;
}

const TypeMapping* Mappings::FromCameo(std::string_view code) const {
  for (size_t len = code.size(); len > 0; --len) {
    const auto it = cameo_.find(std::string(code.substr(0, len)));
    if (it != cameo_.end()) return &it->second;
  }
  return nullptr;
}

const TypeMapping* Mappings::FromUcdp(int type_of_violence) const {
  const auto it = ucdp_.find(type_of_violence);
  return it == ucdp_.end() ? nullptr : &it->second;
}

std::string_view Mappings::CategoryFromGdeltType(std::string_view type_code) const {
  const auto it = actor_category_.find(std::string(type_code));
  return it == actor_category_.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace tahadhari::ingest
