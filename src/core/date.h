// Calendar dates as a count of days since 1970-01-01 (proleptic Gregorian), with ISO-8601
// parsing/formatting and ISO weeks. Thread-safety: value type; all functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/units.h"

namespace tahadhari {

class Date {
 public:
  constexpr Date() = default;
  /// REQUIRES: nothing. Returns nullopt when (y, m, d) is not a real calendar day or the year
  /// is outside [1, 9999].
  static std::optional<Date> FromYmd(int year, int month, int day);
  /// Parses "YYYY-MM-DD" exactly (ten characters). nullopt on any other shape or impossible day.
  static std::optional<Date> ParseIso(std::string_view text);
  /// Parses "YYYYMMDD" exactly (eight digits, as GDELT's SQLDATE). nullopt otherwise.
  static std::optional<Date> ParseCompact(std::string_view text);
  /// The date `days` days after 1970-01-01 (negative before).
  static constexpr Date FromDays(int32_t days) { return Date(days); }

  constexpr int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  /// ISO-8601 week-numbering year and week (1..53).
  void IsoWeek(int* iso_year, int* week) const;

  /// "YYYY-MM-DD".
  std::string ToIso() const;
  /// Writes "YYYY-MM-DD" (exactly kIsoLength chars, no terminator) without allocating.
  static constexpr size_t kIsoLength = 10;
  void FormatIso(char* out) const;
  /// "YYYY-MM".
  std::string ToMonth() const;
  /// "YYYY-Www" (ISO week).
  std::string ToIsoWeek() const;

  constexpr Date operator+(Days d) const { return Date(days_ + d.value); }
  constexpr Days operator-(Date other) const { return Days{days_ - other.days_}; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace tahadhari
