#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "cli/cli.h"
#include "core/paths.h"

namespace tahadhari::cli {
namespace {

constexpr size_t kMaxCellWidth = 48;

std::vector<double> ParseNumbers(const std::string& s, size_t expected, const char* flag,
                                 const char* shape) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    const std::string part = s.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
    double v = 0;
    const char* b = part.data();
    const char* e = part.data() + part.size();
    while (b < e && *b == ' ') ++b;
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || b == e) {
      throw UsageError(fmt::format("{} {}: '{}' is not a number (expected {})", flag, s, part,
                                   shape));
    }
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() != expected) {
    throw UsageError(fmt::format("{} {}: expected {} comma-separated numbers ({}), got {}", flag,
                                 s, expected, shape, out.size()));
  }
  return out;
}

Date ParseDateFlag(const std::string& s, const char* flag) {
  const auto d = Date::ParseIso(s);
  if (!d) throw UsageError(fmt::format("{} {}: not a date (expected YYYY-MM-DD)", flag, s));
  return *d;
}

}  // namespace

void AddStoreOption(CLI::App* app, std::string* store) {
  *store = DefaultStorePath().string();
  app->add_option("--store", *store, "Store file (GeoPackage); env TAHADHARI_STORE")
      ->capture_default_str();
}

void AddFilterOptions(CLI::App* app, FilterFlags* f) {
  app->add_option("--bbox", f->bbox, "Only events inside W,S,E,N (degrees, WGS84)");
  app->add_option("--near", f->near, "Centre LAT,LON for --within");
  app->add_option("--within", f->within_km, "Radius in km around --near");
  app->add_option("--from", f->from, "First date (YYYY-MM-DD, inclusive)");
  app->add_option("--to", f->to, "Last date (YYYY-MM-DD, inclusive)");
  app->add_option("--type", f->types, "ACLED event type(s), e.g. Battles")->delimiter(',');
  app->add_option("--sub-type", f->sub_types, "ACLED sub-event type(s)")->delimiter(',');
  app->add_option("--actor", f->actor, "Actor name contains this text (case-insensitive)");
  app->add_option("--country", f->countries, "ISO3 country code(s), e.g. KEN,SOM")
      ->delimiter(',');
  app->add_option("--admin1", f->admin1, "Admin1 name(s), e.g. Garissa")->delimiter(',');
  app->add_option("--source", f->sources, "Source(s): acled, ucdp, gdelt1, gdelt2, news, report")
      ->delimiter(',');
}

store::EventFilter ToFilter(const FilterFlags& f) {
  store::EventFilter out;
  if (!f.bbox.empty()) {
    const auto v = ParseNumbers(f.bbox, 4, "--bbox", "W,S,E,N in degrees");
    if (std::abs(v[0]) > 180 || std::abs(v[2]) > 180 || std::abs(v[1]) > 90 ||
        std::abs(v[3]) > 90) {
      throw UsageError(fmt::format("--bbox {}: out of range (longitudes within ±180, latitudes "
                                   "within ±90)", f.bbox));
    }
    if (v[1] > v[3]) {
      throw UsageError(fmt::format("--bbox {}: south ({}) is north of north ({}); the order is "
                                   "W,S,E,N", f.bbox, v[1], v[3]));
    }
    out.bbox = geo::BoundingBox{Degrees{v[0]}, Degrees{v[1]}, Degrees{v[2]}, Degrees{v[3]}};
  }
  if (!f.near.empty() || f.within_km >= 0) {
    if (f.near.empty() || f.within_km < 0) {
      throw UsageError("--near and --within go together: --near LAT,LON --within KM");
    }
    const auto v = ParseNumbers(f.near, 2, "--near", "LAT,LON in degrees");
    const LatLon p{Degrees{v[0]}, Degrees{v[1]}};
    if (!p.IsValid()) {
      throw UsageError(fmt::format("--near {}: out of range (latitude within ±90, longitude "
                                   "within ±180; the order is LAT,LON)", f.near));
    }
    out.near = p;
    out.within = Kilometers{f.within_km};
  }
  if (!f.from.empty()) out.from = ParseDateFlag(f.from, "--from");
  if (!f.to.empty()) out.to = ParseDateFlag(f.to, "--to");
  if (out.from && out.to && *out.from > *out.to) {
    throw UsageError(fmt::format("--from {} is after --to {}", f.from, f.to));
  }
  out.types = f.types;
  out.sub_types = f.sub_types;
  out.actor = f.actor;
  out.countries = f.countries;
  out.admin1 = f.admin1;
  out.sources = f.sources;
  return out;
}

void AddFormatOption(CLI::App* app, std::string* format, const std::vector<std::string>& allowed) {
  *format = allowed.front();
  std::string joined;
  for (const auto& a : allowed) {
    if (!joined.empty()) joined += '|';
    joined += a;
  }
  app->add_option("--format", *format, "Output format: " + joined)
      ->check(CLI::IsMember(allowed))
      ->capture_default_str();
}

bool Interactive() { return isatty(STDOUT_FILENO) != 0 && isatty(STDERR_FILENO) != 0; }

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  auto cell = [](const std::string& s) {
    std::string c = s;
    std::replace(c.begin(), c.end(), '\n', ' ');
    if (c.size() > kMaxCellWidth) c = c.substr(0, kMaxCellWidth - 3) + "...";
    return c;
  };
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], cell(r[i]).size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string out;
    for (size_t i = 0; i < r.size(); ++i) {
      out += fmt::format("{:<{}}", cell(r[i]), width[i]);
      if (i + 1 < r.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    fmt::print("{}\n", out);
  };
  line(header);
  std::vector<std::string> rule;
  for (size_t w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& r : rows) line(r);
}

}  // namespace tahadhari::cli
