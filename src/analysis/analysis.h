// analysis/: statistics over the store's column index — counts and fatality sums grouped by
// time buckets and categories (the `stats` command, /api/stats and /api/timeline).
// Thread-safety: pure functions over an immutable ColumnIndex; safe to call concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace tahadhari::analysis {

enum class StatKey { kDay, kWeek, kMonth, kYear, kType, kSubType, kAdmin1, kCountry, kActor, kSource };

/// The names --by accepts, for help and error texts.
inline constexpr const char* kStatKeyNames =
    "day, week, month, year, type, sub-type, admin1, country, actor, source";

/// Parses one key name (as listed in kStatKeyNames); nullopt when unknown.
std::optional<StatKey> ParseStatKey(std::string_view name);
/// The column name used in output ("month", "type", ...).
std::string_view StatKeyName(StatKey key);

struct StatsRow {
  std::vector<std::string> keys;  // one value per key: "2016", "2016-03", "2016-W09", "Riots"...
  int64_t events = 0;
  int64_t fatalities = 0;  // sum over events with known fatalities; unknown counts as nothing
};

struct StatsResult {
  std::vector<std::string> key_names;
  std::vector<StatsRow> rows;
  int64_t total_events = 0;      // distinct events selected
  int64_t total_fatalities = 0;  // over distinct events
};

/// Groups the selected rows by `keys` (one or two). Time keys group by date_start (ISO weeks,
/// "YYYY-MM" months). The `actor` key counts an event once for each distinct actor named as
/// actor 1 or actor 2, so its counts may sum to more than the events selected.
/// Ordering: ascending by keys when the first key is a time key; otherwise by events descending,
/// then keys ascending. REQUIRES: 1 <= keys.size() <= 2; every row < columns.size().
StatsResult ComputeStats(const store::ColumnIndex& columns, std::span<const uint32_t> rows,
                         std::span<const StatKey> keys);

struct TimelineBucket {
  Date start;         // first day of the bucket
  std::string label;  // as in StatsRow keys: "2016-03", "2016-W09", "2016-03-01", "2016"
  int64_t events = 0;
  int64_t fatalities = 0;
};

struct Timeline {
  StatKey interval = StatKey::kMonth;
  std::vector<TimelineBucket> buckets;  // contiguous, in time order, empty buckets included
  int64_t total_events = 0;
  int64_t total_fatalities = 0;
};

/// Counts per day/week/month/year over the selected rows, with the empty buckets between the
/// first and last event (or `from`/`to` when given) filled with zeros.
/// REQUIRES: interval is a time key; rows < columns.size(). At most kMaxTimelineBuckets buckets
/// are produced (the rest are cut, newest kept).
Timeline ComputeTimeline(const store::ColumnIndex& columns, std::span<const uint32_t> rows,
                         StatKey interval, std::optional<Date> from, std::optional<Date> to);
inline constexpr size_t kMaxTimelineBuckets = 20000;

/// True for day, week, month and year.
bool IsTimeKey(StatKey key);

}  // namespace tahadhari::analysis
