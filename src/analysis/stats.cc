#include <algorithm>
#include <array>
#include <cassert>
#include <climits>
#include <unordered_map>
#include <utility>

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

}  // namespace

bool IsTimeKey(StatKey k) {
  return k == StatKey::kDay || k == StatKey::kWeek || k == StatKey::kMonth || k == StatKey::kYear;
}

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

namespace {

// One grouping key resolved to dense bucket ids, with their labels and sort ranks.
struct DenseKey {
  StatKey key;
  bool is_time = false;
  int32_t min_day = 0;
  std::vector<uint32_t> day_bucket;   // time keys: bucket of (day - min_day)
  std::vector<std::string> time_labels;         // time keys: label per bucket
  const std::vector<std::string>* dict = nullptr;  // dictionary keys: the dictionary (not copied)
  std::span<const uint32_t> codes;    // dictionary keys (not actor): per-row code
  size_t buckets() const { return dict != nullptr ? dict->size() : time_labels.size(); }
  const std::string& label(size_t i) const {
    return dict != nullptr ? (*dict)[i] : time_labels[i];
  }
};

constexpr size_t kMaxDenseGroups = size_t{1} << 22;

// Time keys get buckets for the whole span of the index (`whole_span`: no pass over the rows,
// which may be millions; buckets without events are not reported anyway) or for the span of
// `rows` (fewer buckets, for when the groups would otherwise not fit kMaxDenseGroups).
DenseKey Resolve(const store::ColumnIndex& c, std::span<const uint32_t> rows, StatKey k,
                 bool whole_span) {
  DenseKey dk;
  dk.key = k;
  dk.is_time = IsTimeKey(k);
  if (!dk.is_time) {
    dk.dict = &c.dictionary(DimOf(k));  // no copy: dictionaries can be large
    if (k != StatKey::kActor) dk.codes = c.codes(DimOf(k));
    return dk;
  }
  if (rows.empty()) return dk;
  auto [lo, hi] = c.day_range();
  if (!whole_span) {
    const auto day = c.day();
    lo = INT32_MAX;
    hi = INT32_MIN;
    for (const uint32_t r : rows) {
      lo = std::min(lo, day[r]);
      hi = std::max(hi, day[r]);
    }
  }
  dk.min_day = lo;
  dk.day_bucket.resize(static_cast<size_t>(hi - lo) + 1);
  int64_t previous = INT64_MIN;
  for (int32_t d = lo; d <= hi; ++d) {
    const int64_t b = TimeBucket(k, Date::FromDays(d));  // non-decreasing in d
    if (b != previous) {
      dk.time_labels.push_back(TimeLabel(k, b));
      previous = b;
    }
    dk.day_bucket[static_cast<size_t>(d - lo)] = static_cast<uint32_t>(dk.time_labels.size() - 1);
  }
  return dk;
}

}  // namespace

StatsResult ComputeStats(const store::ColumnIndex& c, std::span<const uint32_t> rows,
                         std::span<const StatKey> keys) {
  assert(!keys.empty() && keys.size() <= 2);
  StatsResult result;
  for (StatKey k : keys) result.key_names.emplace_back(StatKeyName(k));
  const bool two_keys = keys.size() > 1;
  DenseKey k0 = Resolve(c, rows, keys[0], /*whole_span=*/true);
  DenseKey k1 = two_keys ? Resolve(c, rows, keys[1], /*whole_span=*/true) : DenseKey{};
  const size_t groups = std::max<size_t>(k0.buckets(), 1) *
                        (two_keys ? std::max<size_t>(k1.buckets(), 1) : 1);
  if (groups > kMaxDenseGroups && (k0.is_time || k1.is_time)) {
    k0 = Resolve(c, rows, keys[0], /*whole_span=*/false);
    if (two_keys) k1 = Resolve(c, rows, keys[1], /*whole_span=*/false);
  }
  const size_t n1 = keys.size() > 1 ? std::max<size_t>(k1.buckets(), 1) : 1;
  const auto day = c.day();
  const auto fat = c.fatalities();
  const auto a1 = c.codes(Dim::kActor1);
  const auto a2 = c.codes(Dim::kActor2);

  // Bucket ids of one key for one row (an event counts once per distinct actor); codes outside
  // their dictionary (a damaged cache) fall into bucket 0, the empty label.
  auto ids = [&](const DenseKey& k, uint32_t row, std::array<uint32_t, 2>* out) -> int {
    const size_t limit = k.buckets();
    auto safe = [limit](uint32_t code) { return code < limit ? code : 0U; };
    if (k.is_time) {
      (*out)[0] = k.day_bucket[static_cast<size_t>(day[row] - k.min_day)];
      return 1;
    }
    if (k.key == StatKey::kActor) {
      int n = 0;
      const uint32_t x = safe(a1[row]), y = safe(a2[row]);
      if (x != 0) (*out)[n++] = x;
      if (y != 0 && y != x) (*out)[n++] = y;
      if (n == 0) (*out)[n++] = 0;
      return n;
    }
    (*out)[0] = safe(k.codes[row]);
    return 1;
  };

  struct Acc {
    int64_t events = 0, fatalities = 0;
  };
  const size_t total_groups = std::max<size_t>(k0.buckets(), 1) * n1;
  const bool dense = total_groups <= kMaxDenseGroups;
  std::vector<Acc> dense_groups(dense ? total_groups : 0);
  std::unordered_map<uint64_t, Acc> sparse_groups;
  const bool has_actor =
      k0.key == StatKey::kActor || (keys.size() > 1 && k1.key == StatKey::kActor);
  if (dense && !has_actor) {
    // Fast path (the common case): one bucket per key per row, dense counters, and the bucket
    // functions inlined into a tight loop.
    auto bucket_fn = [&](const DenseKey& k) {
      const uint32_t* bucket = k.day_bucket.data();
      const int32_t min_day = k.min_day;
      const uint32_t* codes = k.codes.data();
      const auto limit = static_cast<uint32_t>(k.buckets());
      const bool is_time = k.is_time;
      const int32_t* days = day.data();
      return [=](uint32_t row) -> uint32_t {
        if (is_time) return bucket[days[row] - min_day];
        const uint32_t code = codes[row];
        return code < limit ? code : 0U;
      };
    };
    const auto b0 = bucket_fn(k0);
    const bool two = keys.size() > 1;
    const auto b1 = two ? bucket_fn(k1) : bucket_fn(k0);
    const int32_t* fats = fat.data();
    Acc* acc = dense_groups.data();
    for (const uint32_t row : rows) {
      const int32_t raw = fats[row];
      const int64_t f = raw == store::ColumnIndex::kUnknownFatalities ? 0 : raw;
      result.total_fatalities += f;
      const uint64_t g = uint64_t{b0(row)} * n1 + (two ? b1(row) : 0U);
      ++acc[g].events;
      acc[g].fatalities += f;
    }
    result.total_events = static_cast<int64_t>(rows.size());
  } else {
    std::array<uint32_t, 2> v0{}, v1{};
    for (const uint32_t row : rows) {
      const int64_t f = fat[row] == store::ColumnIndex::kUnknownFatalities ? 0 : fat[row];
      ++result.total_events;
      result.total_fatalities += f;
      const int m0 = ids(k0, row, &v0);
      const int m1 = keys.size() > 1 ? ids(k1, row, &v1) : (v1[0] = 0, 1);
      for (int i = 0; i < m0; ++i) {
        for (int j = 0; j < m1; ++j) {
          const uint64_t g = uint64_t{v0[i]} * n1 + v1[j];
          Acc& a = dense ? dense_groups[g] : sparse_groups[g];
          ++a.events;
          a.fatalities += f;
        }
      }
    }
  }

  struct Sortable {
    uint64_t group;
    StatsRow row;
  };
  std::vector<Sortable> out;
  auto emit = [&](uint64_t g, const Acc& a) {
    if (a.events == 0) return;
    Sortable s{g, {}};
    s.row.keys.push_back(k0.label(g / n1));
    if (keys.size() > 1) s.row.keys.push_back(k1.label(g % n1));
    s.row.events = a.events;
    s.row.fatalities = a.fatalities;
    out.push_back(std::move(s));
  };
  if (dense) {
    for (size_t g = 0; g < dense_groups.size(); ++g) emit(g, dense_groups[g]);
  } else {
    for (const auto& [g, a] : sparse_groups) emit(g, a);
  }
  // Time buckets are numbered in time order, so comparing bucket ids orders them by time.
  const bool by_time = k0.is_time;
  std::sort(out.begin(), out.end(), [&](const Sortable& a, const Sortable& b) {
    if (!by_time && a.row.events != b.row.events) return a.row.events > b.row.events;
    const uint64_t a0 = a.group / n1, b0 = b.group / n1;
    if (a0 != b0) return k0.is_time ? a0 < b0 : a.row.keys[0] < b.row.keys[0];
    if (keys.size() < 2) return false;
    const uint64_t a1k = a.group % n1, b1k = b.group % n1;
    if (a1k == b1k) return false;
    return k1.is_time ? a1k < b1k : a.row.keys[1] < b.row.keys[1];
  });
  for (auto& s : out) result.rows.push_back(std::move(s.row));
  return result;
}

namespace {
// First day of the bucket containing d.
Date BucketStart(StatKey k, Date d) {
  switch (k) {
    case StatKey::kYear: return *Date::FromYmd(d.year(), 1, 1);
    case StatKey::kMonth: return *Date::FromYmd(d.year(), d.month(), 1);
    case StatKey::kWeek: {
      constexpr int kDaysPerWeek = 7, kThursdayOffset = 3;
      const int wd = ((d.days_since_epoch() % kDaysPerWeek) + kDaysPerWeek + kThursdayOffset) %
                     kDaysPerWeek;  // 0 = Monday
      return d + Days{-wd};
    }
    default: return d;
  }
}
Date NextBucket(StatKey k, Date start) {
  switch (k) {
    case StatKey::kYear: return *Date::FromYmd(start.year() + 1, 1, 1);
    case StatKey::kMonth:
      return start.month() == 12 ? *Date::FromYmd(start.year() + 1, 1, 1)
                                 : *Date::FromYmd(start.year(), start.month() + 1, 1);
    case StatKey::kWeek: return start + Days{7};
    default: return start + Days{1};
  }
}
}  // namespace

Timeline ComputeTimeline(const store::ColumnIndex& c, std::span<const uint32_t> rows,
                         StatKey interval, std::optional<Date> from, std::optional<Date> to) {
  assert(IsTimeKey(interval));
  Timeline t;
  t.interval = interval;
  const auto day = c.day();
  const auto fat = c.fatalities();
  if (rows.empty() && (!from || !to)) return t;
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (const uint32_t r : rows) {
    lo = std::min(lo, day[r]);
    hi = std::max(hi, day[r]);
  }
  Date first = from ? *from : Date::FromDays(lo);
  Date last = to ? *to : Date::FromDays(hi);
  if (last < first) return t;
  // Bucket boundaries, newest kMaxTimelineBuckets kept.
  std::vector<Date> starts;
  for (Date s = BucketStart(interval, first); s <= last; s = NextBucket(interval, s)) {
    starts.push_back(s);
  }
  if (starts.size() > kMaxTimelineBuckets) {
    starts.erase(starts.begin(), starts.end() - static_cast<std::ptrdiff_t>(kMaxTimelineBuckets));
  }
  t.buckets.resize(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    t.buckets[i].start = starts[i];
    t.buckets[i].label = TimeLabel(interval, TimeBucket(interval, starts[i]));
  }
  for (const uint32_t r : rows) {
    const Date d = Date::FromDays(day[r]);
    const int64_t f = fat[r] == store::ColumnIndex::kUnknownFatalities ? 0 : fat[r];
    ++t.total_events;
    t.total_fatalities += f;
    const auto it = std::upper_bound(starts.begin(), starts.end(), d);
    if (it == starts.begin()) continue;
    auto& b = t.buckets[static_cast<size_t>(it - starts.begin() - 1)];
    ++b.events;
    b.fatalities += f;
  }
  return t;
}

}  // namespace tahadhari::analysis
