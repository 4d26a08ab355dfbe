#include <algorithm>
#include <array>
#include <cassert>
#include <unordered_map>

#include "analysis/analysis.h"

namespace tahadhari::analysis {
namespace {

using Dim = store::ColumnIndex::Dim;

struct KeyInfo {
  StatKey key;
  std::string_view name;
  std::string_view alias;
};
constexpr std::array<KeyInfo, 10> kKeys = {{{StatKey::kDay, "day", "date"},
                                            {StatKey::kWeek, "week", ""},
                                            {StatKey::kMonth, "month", ""},
                                            {StatKey::kYear, "year", ""},
                                            {StatKey::kType, "type", "event_type"},
                                            {StatKey::kSubType, "sub-type", "sub_event_type"},
                                            {StatKey::kAdmin1, "admin1", ""},
                                            {StatKey::kCountry, "country", "iso3"},
                                            {StatKey::kActor, "actor", ""},
                                            {StatKey::kSource, "source", ""}}};

bool IsTimeKey(StatKey k) {
  return k == StatKey::kDay || k == StatKey::kWeek || k == StatKey::kMonth || k == StatKey::kYear;
}

constexpr int64_t kMonthsPerYear = 12;
constexpr int64_t kWeekFactor = 100;

// An integer that orders like the key and can be turned back into its label.
int64_t TimeBucket(StatKey k, Date d) {
  switch (k) {
    case StatKey::kDay: return d.days_since_epoch();
    case StatKey::kYear: return d.year();
    case StatKey::kMonth: return int64_t{d.year()} * kMonthsPerYear + (d.month() - 1);
    default: {
      int y = 0, w = 0;
      d.IsoWeek(&y, &w);
      return int64_t{y} * kWeekFactor + w;
    }
  }
}

std::string TimeLabel(StatKey k, int64_t bucket) {
  switch (k) {
    case StatKey::kDay: return Date::FromDays(static_cast<int32_t>(bucket)).ToIso();
    case StatKey::kYear: return std::to_string(bucket);
    case StatKey::kMonth:
      return Date::FromYmd(static_cast<int>(bucket / kMonthsPerYear),
                           static_cast<int>(bucket % kMonthsPerYear) + 1, 1)
          ->ToMonth();
    default: {
      const std::string w = std::to_string(bucket % kWeekFactor);
      return std::to_string(bucket / kWeekFactor) + "-W" + (w.size() < 2 ? "0" + w : w);
    }
  }
}

Dim DimOf(StatKey k) {
  switch (k) {
    case StatKey::kType: return Dim::kType;
    case StatKey::kSubType: return Dim::kSubType;
    case StatKey::kAdmin1: return Dim::kAdmin1;
    case StatKey::kCountry: return Dim::kCountry;
    case StatKey::kSource: return Dim::kSource;
    default: return Dim::kActor1;
  }
}

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const {
    return std::hash<int64_t>()(p.first * 1000003 ^ p.second);
  }
};

}  // namespace

std::optional<StatKey> ParseStatKey(std::string_view name) {
  for (const auto& k : kKeys)
    if (k.name == name || (!k.alias.empty() && k.alias == name)) return k.key;
  return std::nullopt;
}

std::string_view StatKeyName(StatKey key) {
  for (const auto& k : kKeys)
    if (k.key == key) return k.name;
  return "?";
}

StatsResult ComputeStats(const store::ColumnIndex& c, std::span<const uint32_t> rows,
                         std::span<const StatKey> keys) {
  assert(!keys.empty() && keys.size() <= 2);
  StatsResult result;
  for (StatKey k : keys) result.key_names.emplace_back(StatKeyName(k));
  const auto day = c.day();
  const auto fat = c.fatalities();
  const auto a1 = c.codes(Dim::kActor1);
  const auto a2 = c.codes(Dim::kActor2);

  // Values of one key for one row (an event has up to two actors).
  auto values = [&](StatKey k, uint32_t row, std::array<int64_t, 2>* out) -> int {
    if (IsTimeKey(k)) {
      (*out)[0] = TimeBucket(k, Date::FromDays(day[row]));
      return 1;
    }
    if (k == StatKey::kActor) {
      int n = 0;
      if (a1[row] != 0) (*out)[n++] = a1[row];
      if (a2[row] != 0 && a2[row] != a1[row]) (*out)[n++] = a2[row];
      if (n == 0) (*out)[n++] = 0;
      return n;
    }
    (*out)[0] = c.codes(DimOf(k))[row];
    return 1;
  };

  std::unordered_map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>, PairHash> groups;
  const std::span<const uint32_t> codes_cache[2] = {
      IsTimeKey(keys[0]) || keys[0] == StatKey::kActor ? std::span<const uint32_t>{}
                                                       : c.codes(DimOf(keys[0])),
      keys.size() < 2 || IsTimeKey(keys[1]) || keys[1] == StatKey::kActor
          ? std::span<const uint32_t>{}
          : c.codes(DimOf(keys[1]))};
  std::array<int64_t, 2> v0{}, v1{};
  for (const uint32_t row : rows) {
    const int64_t f = fat[row] == store::ColumnIndex::kUnknownFatalities ? 0 : fat[row];
    ++result.total_events;
    result.total_fatalities += f;
    int n0, n1 = 1;
    if (!codes_cache[0].empty()) {
      v0[0] = codes_cache[0][row];
      n0 = 1;
    } else {
      n0 = values(keys[0], row, &v0);
    }
    if (keys.size() > 1) {
      if (!codes_cache[1].empty()) {
        v1[0] = codes_cache[1][row];
      } else {
        n1 = values(keys[1], row, &v1);
      }
    } else {
      v1[0] = 0;
    }
    for (int i = 0; i < n0; ++i) {
      for (int j = 0; j < n1; ++j) {
        auto& g = groups[{v0[i], v1[j]}];
        ++g.first;
        g.second += f;
      }
    }
  }

  struct Sortable {
    std::array<int64_t, 2> raw;
    StatsRow row;
  };
  std::vector<Sortable> out;
  out.reserve(groups.size());
  auto label = [&](StatKey k, int64_t v) -> std::string {
    if (IsTimeKey(k)) return TimeLabel(k, v);
    return c.dictionary(DimOf(k))[static_cast<size_t>(v)];
  };
  for (const auto& [key, counts] : groups) {
    Sortable s{{key.first, key.second}, {}};
    s.row.keys.push_back(label(keys[0], key.first));
    if (keys.size() > 1) s.row.keys.push_back(label(keys[1], key.second));
    s.row.events = counts.first;
    s.row.fatalities = counts.second;
    out.push_back(std::move(s));
  }
  const bool by_time = IsTimeKey(keys[0]);
  std::sort(out.begin(), out.end(), [&](const Sortable& a, const Sortable& b) {
    if (!by_time && a.row.events != b.row.events) return a.row.events > b.row.events;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (IsTimeKey(keys[i])) {
        if (a.raw[i] != b.raw[i]) return a.raw[i] < b.raw[i];
      } else if (a.row.keys[i] != b.row.keys[i]) {
        return a.row.keys[i] < b.row.keys[i];
      }
    }
    return false;
  });
  for (auto& s : out) result.rows.push_back(std::move(s.row));
  return result;
}

}  // namespace tahadhari::analysis
