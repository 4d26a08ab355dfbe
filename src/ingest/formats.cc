#include "ingest/formats.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"

namespace tahadhari::ingest {
namespace {

constexpr size_t kGdelt1ShortColumns = 57;  // pre-April-2013 rows: no SOURCEURL
constexpr size_t kGdelt1Columns = 58;
constexpr size_t kGdelt2Columns = 61;
constexpr size_t kMaxShownValue = 80;  // longest value quoted back in a message
// Events dated more than this many days after today are rejected as impossible.
constexpr int kFutureToleranceDays = 1;

std::string Shown(std::string_view v) {
  if (v.size() <= kMaxShownValue) return std::string(v);
  return std::string(v.substr(0, kMaxShownValue)) + "...";
}

FieldError Bad(std::string_view field, std::string_view value, std::string reason) {
  return FieldError{std::string(field), Shown(value), std::move(reason)};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsMissing(std::string_view s, bool na_is_missing) {
  s = Trim(s);
  return s.empty() || (na_is_missing && s == "NA");
}

std::optional<double> ToDouble(std::string_view s) {
  s = Trim(s);
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ToInt(std::string_view s) {
  s = Trim(s);
  int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Date Today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::FromDays(static_cast<int32_t>(now.time_since_epoch().count()));
}

// Month names for "31 December 2016" style dates (older ACLED exports).
std::optional<int> MonthFromName(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i] || (lower.size() == 3 && kMonths[i].substr(0, 3) == lower))
      return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// Parses "YYYY-MM-DD", "YYYY-MM-DD hh:mm:ss[.fff]" and "D Month YYYY".
std::optional<FieldError> ParseDate(std::string_view field, std::string_view raw, Date* out) {
  const std::string_view s = Trim(raw);
  if (s.empty()) return Bad(field, raw, "missing date (expected YYYY-MM-DD)");
  std::optional<Date> d;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (s.size() == 10 || s[10] == ' ' || s[10] == 'T') {
      d = Date::ParseIso(s.substr(0, 10));
      if (!d) return Bad(field, raw, "impossible date (no such day in the calendar)");
    }
  } else {
    // "31 December 2016"
    const size_t a = s.find(' '), b = s.rfind(' ');
    if (a != std::string_view::npos && b != a) {
      const auto day = ToInt(s.substr(0, a));
      const auto month = MonthFromName(s.substr(a + 1, b - a - 1));
      const auto year = ToInt(s.substr(b + 1));
      if (day && month && year) {
        d = Date::FromYmd(static_cast<int>(*year), *month, static_cast<int>(*day));
        if (!d) return Bad(field, raw, "impossible date (no such day in the calendar)");
      }
    }
  }
  if (!d) return Bad(field, raw, "not a date (expected YYYY-MM-DD or '31 December 2016')");
  if (*d > Today() + Days{kFutureToleranceDays}) return Bad(field, raw, "date is in the future");
  *out = *d;
  return std::nullopt;
}

std::optional<FieldError> ParseCoordinate(std::string_view field, std::string_view raw,
                                          double limit, double* out) {
  if (IsMissing(raw, true)) return Bad(field, raw, "missing coordinate");
  const auto v = ToDouble(raw);
  if (!v) return Bad(field, raw, "not a number (expected decimal degrees, e.g. -1.2921)");
  if (std::abs(*v) > limit) {
    return Bad(field, raw, fmt::format("out of range (must be between -{0} and {0})", limit));
  }
  *out = *v;
  return std::nullopt;
}

std::optional<FieldError> ParseCount(std::string_view field, std::string_view raw, bool na,
                                     std::optional<int32_t>* out) {
  if (IsMissing(raw, na)) {
    out->reset();
    return std::nullopt;
  }
  const auto v = ToInt(raw);
  if (!v) return Bad(field, raw, "not a whole number (expected a count such as 0 or 12)");
  if (*v < 0) return Bad(field, raw, "negative count");
  if (*v > INT32_MAX) return Bad(field, raw, "count too large");
  *out = static_cast<int32_t>(*v);
  return std::nullopt;
}

// Finds columns of a headed format by name.
class Columns {
 public:
  explicit Columns(const Record& header) {
    for (size_t i = 0; i < header.fields.size(); ++i) {
      std::string name(Trim(header.fields[i]));
      if (i == 0 && name.size() >= 3 && name.compare(0, 3, "\xEF\xBB\xBF") == 0) name.erase(0, 3);
      index_.emplace(std::move(name), i);
    }
    width_ = header.fields.size();
  }
  std::optional<size_t> Find(std::string_view name) const {
    const auto it = index_.find(std::string(name));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  size_t Require(std::string_view name, const std::string& file, std::string_view format) const {
    const auto i = Find(name);
    if (!i) {
      throw FormatError(fmt::format("{}:1: {}: required {} column missing from the header",
                                    file, name, format));
    }
    return *i;
  }
  size_t width() const { return width_; }

 private:
  std::unordered_map<std::string, size_t> index_;
  size_t width_ = 0;
};

constexpr size_t kAbsent = SIZE_MAX;
std::string_view Get(const Record& r, size_t col) {
  return col == kAbsent || col >= r.fields.size() ? std::string_view{} : r.fields[col];
}

std::optional<FieldError> CheckWidth(const Record& r, size_t width, std::string_view what) {
  if (r.fields.size() == width) return std::nullopt;
  return FieldError{"", "",
                    fmt::format("expected {} columns ({}), found {}{}", width, what,
                                r.fields.size(),
                                r.fields.size() < width ? " (truncated line?)" : "")};
}

// ---------------------------------------------------------------------------------------------
// ACLED export CSV.
class AcledMapper final : public RowMapper {
 public:
  AcledMapper(const Record& header, const std::string& file) : cols_(header) {
    id_ = cols_.Require("event_id_cnty", file, "ACLED");
    date_ = cols_.Require("event_date", file, "ACLED");
    type_ = cols_.Require("event_type", file, "ACLED");
    lat_ = cols_.Require("latitude", file, "ACLED");
    lon_ = cols_.Require("longitude", file, "ACLED");
    auto opt = [&](std::string_view n) { return cols_.Find(n).value_or(kAbsent); };
    time_precision_ = opt("time_precision");
    sub_type_ = opt("sub_event_type");
    actor1_ = opt("actor1");
    assoc1_ = opt("assoc_actor_1");
    inter1_ = opt("inter1");
    actor2_ = opt("actor2");
    assoc2_ = opt("assoc_actor_2");
    inter2_ = opt("inter2");
    country_ = opt("country");
    admin1_ = opt("admin1");
    admin2_ = opt("admin2");
    location_ = opt("location");
    geo_precision_ = opt("geo_precision");
    source_ = opt("source");
    notes_ = opt("notes");
    fatalities_ = opt("fatalities");
    iso3_ = opt("iso3");
  }
  bool has_header() const override { return true; }
  char delimiter() const override { return ','; }
  bool quoted() const override { return true; }
  size_t expected_fields() const override { return cols_.width(); }

  std::optional<FieldError> Map(const Record& r, Event* e) const override {
    if (auto err = CheckWidth(r, cols_.width(), "as in the header")) return err;
    e->source = "acled";
    e->source_id = Trim(Get(r, id_));
    if (e->source_id.empty()) return Bad("event_id_cnty", "", "missing event id");
    if (auto err = ParseDate("event_date", Get(r, date_), &e->date_start)) return err;
    e->date_end = e->date_start;
    if (auto err = Precision("time_precision", Get(r, time_precision_), 3, &e->date_precision,
                             {DatePrecision::kDay, DatePrecision::kWeek, DatePrecision::kMonth}))
      return err;
    double lat = 0, lon = 0;
    if (auto err = ParseCoordinate("latitude", Get(r, lat_), 90.0, &lat)) return err;
    if (auto err = ParseCoordinate("longitude", Get(r, lon_), 180.0, &lon)) return err;
    e->location = LatLon{Degrees{lat}, Degrees{lon}};
    if (auto err = Precision("geo_precision", Get(r, geo_precision_), 3, &e->geo_precision,
                             {GeoPrecision::kExact, GeoPrecision::kNear, GeoPrecision::kAdmin2}))
      return err;
    e->event_type = Trim(Get(r, type_));
    if (e->event_type.empty()) return Bad("event_type", "", "missing event type");
    e->sub_event_type = Trim(Get(r, sub_type_));
    e->source_event_code.clear();
    e->mapping_lossy = false;
    if (auto err = Actor("actor1", "inter1", r, actor1_, assoc1_, inter1_, &e->actor1)) return err;
    if (auto err = Actor("actor2", "inter2", r, actor2_, assoc2_, inter2_, &e->actor2)) return err;
    e->country_iso3 = Trim(Get(r, iso3_));
    e->admin1 = Trim(Get(r, admin1_));
    e->admin2 = Trim(Get(r, admin2_));
    e->place = Trim(Get(r, location_));
    e->reported_by = Trim(Get(r, source_));
    e->notes = Get(r, notes_);
    e->url.clear();
    if (auto err = ParseCount("fatalities", Get(r, fatalities_), false, &e->fatalities))
      return err;
    e->fatalities_low.reset();
    e->fatalities_high.reset();
    return std::nullopt;
  }

 private:
  template <typename P>
  static std::optional<FieldError> Precision(std::string_view field, std::string_view raw,
                                             int max, P* out, std::initializer_list<P> values) {
    if (IsMissing(raw, false)) {
      *out = *values.begin();
      return std::nullopt;
    }
    const auto v = ToInt(raw);
    if (!v || *v < 1 || *v > max) {
      return Bad(field, raw, fmt::format("expected a precision code from 1 to {}", max));
    }
    *out = *(values.begin() + (*v - 1));
    return std::nullopt;
  }

  static std::optional<FieldError> Actor(std::string_view name_field, std::string_view inter_field,
                                         const Record& r, size_t name, size_t assoc, size_t inter,
                                         tahadhari::Actor* out) {
    out->name = Trim(Get(r, name));
    out->associated = Trim(Get(r, assoc));
    out->category.clear();
    const std::string_view code = Get(r, inter);
    if (!IsMissing(code, false)) {
      const auto v = ToInt(code);
      if (!v) return Bad(inter_field, code, "not an ACLED inter code (expected 0 to 8)");
      out->category = ActorCategoryFromInter(static_cast<int>(*v));
    }
    (void)name_field;
    return std::nullopt;
  }

  Columns cols_;
  size_t id_, date_, type_, lat_, lon_, time_precision_, sub_type_, actor1_, assoc1_, inter1_,
      actor2_, assoc2_, inter2_, country_, admin1_, admin2_, location_, geo_precision_, source_,
      notes_, fatalities_, iso3_;
};

// ---------------------------------------------------------------------------------------------
// UCDP GED CSV.
class UcdpMapper final : public RowMapper {
 public:
  UcdpMapper(const Record& header, const Mappings& m, const std::string& file)
      : cols_(header), m_(m) {
    id_ = cols_.Require("id", file, "UCDP GED");
    tov_ = cols_.Require("type_of_violence", file, "UCDP GED");
    start_ = cols_.Require("date_start", file, "UCDP GED");
    end_ = cols_.Require("date_end", file, "UCDP GED");
    lat_ = cols_.Require("latitude", file, "UCDP GED");
    lon_ = cols_.Require("longitude", file, "UCDP GED");
    best_ = cols_.Require("best", file, "UCDP GED");
    auto opt = [&](std::string_view n) { return cols_.Find(n).value_or(kAbsent); };
    low_ = opt("low");
    high_ = opt("high");
    side_a_ = opt("side_a");
    side_b_ = opt("side_b");
    gwnoa_ = opt("gwnoa");
    gwnob_ = opt("gwnob");
    where_prec_ = opt("where_prec");
    date_prec_ = opt("date_prec");
    country_id_ = opt("country_id");
    adm1_ = opt("adm_1");
    adm2_ = opt("adm_2");
    where_ = opt("where_coordinates");
    headline_ = opt("source_headline");
    article_ = opt("source_article");
    office_ = opt("source_office");
  }
  bool has_header() const override { return true; }
  char delimiter() const override { return ','; }
  bool quoted() const override { return true; }
  size_t expected_fields() const override { return cols_.width(); }

  std::optional<FieldError> Map(const Record& r, Event* e) const override {
    if (auto err = CheckWidth(r, cols_.width(), "as in the header")) return err;
    e->source = "ucdp";
    e->source_id = Trim(Get(r, id_));
    if (IsMissing(e->source_id, true)) return Bad("id", e->source_id, "missing event id");
    if (auto err = ParseDate("date_start", Get(r, start_), &e->date_start)) return err;
    if (auto err = ParseDate("date_end", Get(r, end_), &e->date_end)) return err;
    if (e->date_end < e->date_start) {
      return Bad("date_end", Get(r, end_), "ends before date_start");
    }
    // UCDP date_prec: 1 exact day, 2 two to six days, 3 one week, 4 two to thirty days (month),
    // 5 more than a month (year).
    e->date_precision = DatePrecision::kDay;
    if (const auto dp = Get(r, date_prec_); !IsMissing(dp, true)) {
      const auto v = ToInt(dp);
      if (!v || *v < 1 || *v > 5) return Bad("date_prec", dp, "expected a code from 1 to 5");
      static constexpr DatePrecision kMap[] = {DatePrecision::kDay, DatePrecision::kWeek,
                                               DatePrecision::kWeek, DatePrecision::kMonth,
                                               DatePrecision::kYear};
      e->date_precision = kMap[*v - 1];
    }
    double lat = 0, lon = 0;
    if (auto err = ParseCoordinate("latitude", Get(r, lat_), 90.0, &lat)) return err;
    if (auto err = ParseCoordinate("longitude", Get(r, lon_), 180.0, &lon)) return err;
    e->location = LatLon{Degrees{lat}, Degrees{lon}};
    // UCDP where_prec: 1 exact, 2 within 25 km, 3 second-order unit, 4 first-order unit,
    // 5 parts of a country larger than admin1, 6 country, 7 international waters/airspace.
    e->geo_precision = GeoPrecision::kExact;
    if (const auto wp = Get(r, where_prec_); !IsMissing(wp, true)) {
      const auto v = ToInt(wp);
      if (!v || *v < 1 || *v > 7) return Bad("where_prec", wp, "expected a code from 1 to 7");
      static constexpr GeoPrecision kMap[] = {GeoPrecision::kExact,   GeoPrecision::kNear,
                                              GeoPrecision::kAdmin2,  GeoPrecision::kAdmin1,
                                              GeoPrecision::kAdmin1,  GeoPrecision::kCountry,
                                              GeoPrecision::kCountry};
      e->geo_precision = kMap[*v - 1];
    }
    const auto tov_raw = Get(r, tov_);
    const auto tov = ToInt(tov_raw);
    const TypeMapping* type = tov ? m_.FromUcdp(static_cast<int>(*tov)) : nullptr;
    if (type == nullptr) return Bad("type_of_violence", tov_raw, "expected 1, 2 or 3");
    e->event_type = type->event_type;
    e->sub_event_type = type->sub_event_type;
    e->source_event_code = fmt::format("ucdp:{}", *tov);
    e->mapping_lossy = type->lossy;
    e->country_iso3.clear();
    if (const auto cid = Get(r, country_id_); !IsMissing(cid, true)) {
      const auto v = ToInt(cid);
      if (!v) return Bad("country_id", cid, "not a Gleditsch-Ward country number");
      e->country_iso3 = m_.IsoFromGw(static_cast<int>(*v)).value_or("");
    }
    SetSide(Get(r, side_a_), Get(r, gwnoa_), *tov, /*is_side_b=*/false, e->country_iso3,
            &e->actor1);
    SetSide(Get(r, side_b_), Get(r, gwnob_), *tov, /*is_side_b=*/true, e->country_iso3,
            &e->actor2);
    e->admin1 = NaToEmpty(Get(r, adm1_));
    e->admin2 = NaToEmpty(Get(r, adm2_));
    e->place = NaToEmpty(Get(r, where_));
    e->reported_by = NaToEmpty(Get(r, office_));
    e->notes = NaToEmpty(Get(r, headline_));
    if (const auto article = NaToEmpty(Get(r, article_)); !article.empty()) {
      e->notes = e->notes.empty() ? article : e->notes + "\n" + article;
    }
    e->url.clear();
    if (auto err = ParseCount("best", Get(r, best_), true, &e->fatalities)) return err;
    if (auto err = ParseCount("low", Get(r, low_), true, &e->fatalities_low)) return err;
    if (auto err = ParseCount("high", Get(r, high_), true, &e->fatalities_high)) return err;
    return std::nullopt;
  }

 private:
  static std::string NaToEmpty(std::string_view s) {
    return IsMissing(s, true) ? std::string() : std::string(Trim(s));
  }
  // UCDP sides onto ACLED categories (docs/taxonomy.md): a government is State forces in its own
  // country and External/Other forces abroad (by its Gleditsch-Ward number); one-sided
  // violence's side_b is Civilians; clan, ethnic and communal groups are Identity militia;
  // other non-government sides are Rebel group (lossy for type 2).
  void SetSide(std::string_view raw, std::string_view gwno, int64_t tov, bool is_side_b,
               const std::string& event_iso3, tahadhari::Actor* out) const {
    static constexpr std::string_view kIdentityWords[] = {"clan", "ethnic", "tribe", "communit"};
    out->name = NaToEmpty(raw);
    out->associated.clear();
    out->category.clear();
    if (out->name.empty()) return;
    if (out->name.rfind("Government of", 0) == 0) {
      out->category = "State forces";
      // gwnoa/gwnob may list several states ("2, 200"): the first is the main party.
      const auto first = Trim(gwno.substr(0, gwno.find(',')));
      const auto number = ToInt(first);
      const auto iso = number ? m_.IsoFromGw(static_cast<int>(*number)) : std::nullopt;
      if (iso && !event_iso3.empty() && *iso != event_iso3) out->category = "External/Other forces";
      return;
    }
    if (tov == 3 && is_side_b) {
      out->category = "Civilians";
      return;
    }
    std::string lower = out->name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto word : kIdentityWords) {
      if (lower.find(word) != std::string::npos) {
        out->category = "Identity militia";
        return;
      }
    }
    out->category = "Rebel group";
  }

  Columns cols_;
  const Mappings& m_;
  size_t id_, tov_, start_, end_, lat_, lon_, best_, low_, high_, side_a_, side_b_, where_prec_,
      date_prec_, country_id_, adm1_, adm2_, where_, headline_, article_, office_, gwnoa_, gwnob_;
};

// ---------------------------------------------------------------------------------------------
// GDELT 1.0 (57/58 columns) and 2.0 (61 columns) event exports: tab-separated, no header.
class GdeltMapper final : public RowMapper {
 public:
  GdeltMapper(Format format, const Mappings& m) : v2_(format == Format::kGdelt2), m_(m) {}
  bool has_header() const override { return false; }
  char delimiter() const override { return '\t'; }
  bool quoted() const override { return false; }
  size_t expected_fields() const override { return 0; }

  std::optional<FieldError> Map(const Record& r, Event* e) const override {
    const size_t n = r.fields.size();
    if (v2_ && n != kGdelt2Columns) {
      return FieldError{"", "", fmt::format("expected {} tab-separated columns (GDELT 2.0), "
                                            "found {}{}", kGdelt2Columns, n,
                                            n < kGdelt2Columns ? " (truncated line?)" : "")};
    }
    if (!v2_ && n != kGdelt1Columns && n != kGdelt1ShortColumns) {
      return FieldError{"", "", fmt::format("expected {} or {} tab-separated columns (GDELT 1.0), "
                                            "found {}{}", kGdelt1ShortColumns, kGdelt1Columns, n,
                                            n < kGdelt1ShortColumns ? " (truncated line?)" : "")};
    }
    // Column positions (0-based) from GDELT's codebooks; geography blocks are 7 fields in 1.0
    // and 8 in 2.0 (ADM2Code added after ADM1Code).
    constexpr size_t kId = 0, kSqlDate = 1, kActor1Name = 6, kActor1Type1 = 12,
                     kActor2Name = 16, kActor2Type1 = 22, kEventCode = 26;
    const size_t geo_width = v2_ ? 8 : 7;
    const size_t action_geo = 35 + 2 * geo_width;  // after Actor1Geo_* and Actor2Geo_*
    e->source = v2_ ? "gdelt2" : "gdelt1";
    e->source_id = Trim(r.fields[kId]);
    if (!ToInt(e->source_id)) return Bad("GLOBALEVENTID", e->source_id, "not a numeric event id");
    const std::string_view sqldate = Trim(r.fields[kSqlDate]);
    const auto date = Date::ParseCompact(sqldate);
    if (!date) return Bad("SQLDATE", sqldate, "not a real date (expected YYYYMMDD)");
    if (*date > Today() + Days{kFutureToleranceDays}) return Bad("SQLDATE", sqldate, "date is in the future");
    e->date_start = e->date_end = *date;
    e->date_precision = DatePrecision::kDay;

    const std::string_view code = Trim(r.fields[kEventCode]);
    const TypeMapping* type = m_.FromCameo(code);
    if (code.empty() || type == nullptr) {
      return Bad("EventCode", code, "not a CAMEO event code listed in data/mappings/cameo_acled.csv");
    }
    e->event_type = type->event_type;
    e->sub_event_type = type->sub_event_type;
    e->source_event_code.assign("cameo:").append(code);
    e->mapping_lossy = type->lossy;
    SetActor(r.fields[kActor1Name], r.fields[kActor1Type1], code, &e->actor1);
    SetActor(r.fields[kActor2Name], r.fields[kActor2Type1], {}, &e->actor2);

    // ActionGeo block: Type, FullName, CountryCode, ADM1Code, [ADM2Code], Lat, Long, FeatureID.
    const std::string_view geo_type = Trim(r.fields[action_geo]);
    const std::string_view full_name = Trim(r.fields[action_geo + 1]);
    const std::string_view fips = Trim(r.fields[action_geo + 2]);
    const std::string_view lat_raw = r.fields[action_geo + (v2_ ? 5 : 4)];
    const std::string_view lon_raw = r.fields[action_geo + (v2_ ? 6 : 5)];
    e->location.reset();
    e->geo_precision = GeoPrecision::kCountry;
    if (!IsMissing(lat_raw, false) || !IsMissing(lon_raw, false)) {
      double lat = 0, lon = 0;
      if (auto err = ParseCoordinate("ActionGeo_Lat", lat_raw, 90.0, &lat)) return err;
      if (auto err = ParseCoordinate("ActionGeo_Long", lon_raw, 180.0, &lon)) return err;
      e->location = LatLon{Degrees{lat}, Degrees{lon}};
    }
    // GDELT geo types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
    if (geo_type == "3" || geo_type == "4") {
      e->geo_precision = GeoPrecision::kExact;
    } else if (geo_type == "2" || geo_type == "5") {
      e->geo_precision = GeoPrecision::kAdmin1;
    }
    e->country_iso3 = fips.empty() ? std::string() : std::string(m_.IsoFromFips(fips).value_or(""));
    SplitFullName(full_name, geo_type, e);
    e->admin2.clear();
    e->fatalities.reset();
    e->fatalities_low.reset();
    e->fatalities_high.reset();
    e->notes.clear();
    e->url.clear();
    e->reported_by.clear();
    if (n == kGdelt2Columns || n == kGdelt1Columns) {
      e->url = Trim(r.fields[n - 1]);
      e->reported_by = UrlHost(e->url);
    }
    return std::nullopt;
  }

 private:
  void SetActor(std::string_view name, std::string_view type1, std::string_view event_code,
                tahadhari::Actor* out) const {
    out->name = Trim(name);
    out->associated.clear();
    out->category = m_.CategoryFromGdeltType(Trim(type1));
    // Actor 1 of a CAMEO protest (14x) is protesting, or rioting for violent protest (145x).
    if (!out->name.empty() && event_code.size() >= 2 && event_code.substr(0, 2) == "14" &&
        (out->category.empty() || out->category == "Civilians")) {
      out->category = event_code.substr(0, 3) == "145" ? "Rioters" : "Protesters";
    }
  }
  // "Garissa, North Eastern, Kenya": place, admin1, country.
  static void SplitFullName(std::string_view full, std::string_view geo_type, Event* e) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= full.size()) {
      const size_t comma = full.find(',', start);
      const size_t end = comma == std::string_view::npos ? full.size() : comma;
      parts.push_back(Trim(full.substr(start, end - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    e->place.clear();
    e->admin1.clear();
    if (full.empty()) return;
    if (geo_type == "3" || geo_type == "4") {
      e->place = parts.front();
      if (parts.size() >= 3) e->admin1 = parts[parts.size() - 2];
    } else if (geo_type == "2" || geo_type == "5") {
      e->admin1 = parts.front();
      e->place = parts.front();
    } else {
      e->place = full;
    }
  }
  static std::string UrlHost(std::string_view url) {
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    url.remove_prefix(scheme + 3);
    const size_t end = url.find_first_of("/:?#");
    std::string host(url.substr(0, end));
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    return host;
  }

  bool v2_;
  const Mappings& m_;
};

}  // namespace

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kAcled: return "acled";
    case Format::kUcdp: return "ucdp";
    case Format::kGdelt1: return "gdelt1";
    case Format::kGdelt2: return "gdelt2";
  }
  return "?";
}

std::optional<Format> ParseFormatName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (Format f : {Format::kAcled, Format::kUcdp, Format::kGdelt1, Format::kGdelt2})
    if (FormatName(f) == lower) return f;
  return std::nullopt;
}

Format DetectFormat(std::string_view data, const std::string& name) {
  static constexpr const char* kExpected =
      "expected one of: an ACLED export CSV (header with event_id_cnty, event_date, event_type, "
      "latitude, longitude), a UCDP GED CSV (header with id, type_of_violence, date_start, best), "
      "a GDELT 1.0 event file (57 or 58 tab-separated columns) or a GDELT 2.0 event file (61 "
      "tab-separated columns), plain or .zip; use --format to override";
  size_t nl = data.find('\n');
  std::string_view first = data.substr(0, nl == std::string_view::npos ? data.size() : nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (data.empty()) throw FormatError(fmt::format("{}: empty file (0 bytes); {}", name, kExpected));
  if (Trim(first).empty()) {
    throw FormatError(fmt::format("{}:1: first line is blank; {}", name, kExpected));
  }
  auto has = [&](std::string_view col) {
    return first.find(col) != std::string_view::npos;
  };
  if (has("event_id_cnty") && has("event_date")) return Format::kAcled;
  if (has("type_of_violence") && has("date_start")) return Format::kUcdp;
  const size_t tabs = static_cast<size_t>(std::count(first.begin(), first.end(), '\t'));
  if (tabs + 1 == kGdelt2Columns) return Format::kGdelt2;
  if (tabs + 1 == kGdelt1Columns || tabs + 1 == kGdelt1ShortColumns) return Format::kGdelt1;
  throw FormatError(fmt::format("{}:1: unknown format ({} tab-separated columns on the first "
                                "line, no known header); {}",
                                name, tabs + 1, kExpected));
}

std::unique_ptr<RowMapper> MakeMapper(Format format, const Record& header, const Mappings& m,
                                      const std::string& name) {
  switch (format) {
    case Format::kAcled: return std::make_unique<AcledMapper>(header, name);
    case Format::kUcdp: return std::make_unique<UcdpMapper>(header, m, name);
    case Format::kGdelt1:
    case Format::kGdelt2: return std::make_unique<GdeltMapper>(format, m);
  }
  return nullptr;
}

}  // namespace tahadhari::ingest
