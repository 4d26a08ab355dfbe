// The event model: one record per reported event from any source (see docs/event-model.md).
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/units.h"

namespace tahadhari {

/// How precisely the source dates the event (ACLED time_precision, UCDP date_prec).
enum class DatePrecision : uint8_t { kDay = 0, kWeek = 1, kMonth = 2, kYear = 3 };

/// How precisely the source places the event (ACLED geo_precision, UCDP where_prec, GDELT geo type).
enum class GeoPrecision : uint8_t { kExact = 0, kNear = 1, kAdmin2 = 2, kAdmin1 = 3, kCountry = 4 };

std::string_view ToString(DatePrecision p);
std::string_view ToString(GeoPrecision p);
std::optional<DatePrecision> ParseDatePrecision(std::string_view s);
std::optional<GeoPrecision> ParseGeoPrecision(std::string_view s);

/// ACLED-style actor categories (ACLED `inter` codes 1..8).
inline constexpr std::string_view kActorCategories[] = {
    "State forces", "Rebel group", "Political militia", "Identity militia",
    "Rioters",      "Protesters",  "Civilians",         "External/Other forces"};

/// The six ACLED event types: the canonical taxonomy.
inline constexpr std::string_view kEventTypes[] = {
    "Battles",  "Explosions/Remote violence", "Violence against civilians",
    "Protests", "Riots",                      "Strategic developments"};

/// Returns the category for an ACLED `inter` code (1..8); empty for 0 or unknown codes.
std::string_view ActorCategoryFromInter(int inter);

struct Actor {
  std::string name;        // as the source names it, e.g. "Al Shabaab"
  std::string category;    // one of kActorCategories, or empty when unknown
  std::string associated;  // associated actors, "; "-separated, as given
};

struct Event {
  // Identity and provenance.
  std::string source;       // acled, ucdp, gdelt1, gdelt2, news, report
  std::string source_id;    // the source's own id (ACLED event_id_cnty, UCDP id, GDELT GLOBALEVENTID)
  std::string source_file;  // file the record was read from
  int64_t source_line = 0;  // 1-based physical line of the record's first line
  std::string notes;        // source notes / text
  std::string url;          // source URL where the source has one
  std::string reported_by;  // who reported it: ACLED `source`, UCDP source_office, URL host, reporter

  // Time.
  Date date_start;
  Date date_end;
  DatePrecision date_precision = DatePrecision::kDay;

  // Place.
  std::optional<LatLon> location;  // absent when the source gives no coordinates
  GeoPrecision geo_precision = GeoPrecision::kExact;
  std::string country_iso3;
  std::string admin1;
  std::string admin2;
  std::string place;

  // What.
  std::string event_type;         // one of kEventTypes
  std::string sub_event_type;     // ACLED sub-event type
  std::string source_event_code;  // code as given: UCDP type_of_violence, GDELT CAMEO EventCode
  bool mapping_lossy = false;     // true when source_event_code maps onto the taxonomy lossily

  // Who.
  Actor actor1;
  Actor actor2;

  // Fatalities: unknown is not zero.
  std::optional<int32_t> fatalities;
  std::optional<int32_t> fatalities_low;
  std::optional<int32_t> fatalities_high;

  /// A 64-bit hash of every field except provenance of the read (source_file, source_line).
  /// Two records with the same content hash are treated as unchanged on re-ingest.
  uint64_t ContentHash() const;
};

}  // namespace tahadhari
