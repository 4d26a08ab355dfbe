#include "core/event.h"

#include <array>
#include <cstring>
#include <string>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace tahadhari {
namespace {
constexpr std::array<std::string_view, 4> kDatePrecisionNames = {"day", "week", "month", "year"};
constexpr std::array<std::string_view, 5> kGeoPrecisionNames = {"exact", "near", "admin2", "admin1",
                                                                 "country"};
constexpr int kFirstInter = 1;
}  // namespace

std::string_view ToString(DatePrecision p) { return kDatePrecisionNames[static_cast<size_t>(p)]; }
std::string_view ToString(GeoPrecision p) { return kGeoPrecisionNames[static_cast<size_t>(p)]; }

std::optional<DatePrecision> ParseDatePrecision(std::string_view s) {
  for (size_t i = 0; i < kDatePrecisionNames.size(); ++i)
    if (kDatePrecisionNames[i] == s) return static_cast<DatePrecision>(i);
  return std::nullopt;
}
std::optional<GeoPrecision> ParseGeoPrecision(std::string_view s) {
  for (size_t i = 0; i < kGeoPrecisionNames.size(); ++i)
    if (kGeoPrecisionNames[i] == s) return static_cast<GeoPrecision>(i);
  return std::nullopt;
}

std::string_view ActorCategoryFromInter(int inter) {
  const int index = inter - kFirstInter;
  if (index < 0 || index >= static_cast<int>(std::size(kActorCategories))) return {};
  return kActorCategories[index];
}

uint64_t Event::ContentHash() const {
  XXH3_state_t state_storage;
  XXH3_state_t* state = &state_storage;
  XXH3_64bits_reset(state);
  auto add_str = [&](std::string_view s) {
    const uint64_t n = s.size();
    XXH3_64bits_update(state, &n, sizeof n);
    XXH3_64bits_update(state, s.data(), s.size());
  };
  auto add_pod = [&](const auto& v) { XXH3_64bits_update(state, &v, sizeof v); };
  auto add_opt = [&](const std::optional<int32_t>& v) {
    add_pod(v.has_value());
    add_pod(v.value_or(0));
  };
  add_str(source);
  add_str(source_id);
  add_str(notes);
  add_str(url);
  add_str(reported_by);
  add_pod(date_start.days_since_epoch());
  add_pod(date_end.days_since_epoch());
  add_pod(date_precision);
  add_pod(location.has_value());
  if (location) {
    add_pod(location->lat.value);
    add_pod(location->lon.value);
  }
  add_pod(geo_precision);
  for (const std::string* s : {&country_iso3, &admin1, &admin2, &place, &event_type,
                               &sub_event_type, &source_event_code, &actor1.name,
                               &actor1.category, &actor1.associated, &actor2.name,
                               &actor2.category, &actor2.associated})
    add_str(*s);
  add_pod(mapping_lossy);
  add_opt(fatalities);
  add_opt(fatalities_low);
  add_opt(fatalities_high);
  return XXH3_64bits_digest(state);
}

}  // namespace tahadhari
