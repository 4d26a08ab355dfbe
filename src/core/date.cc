#include "core/date.h"

#include <chrono>

#include <fmt/format.h>

namespace tahadhari {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

std::chrono::year_month_day Ymd(int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

// Parses exactly `n` ASCII digits; -1 when any is not a digit.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (month < 1 || month > 12 || day < 1 || !ymd.ok()) return std::nullopt;
  return Date(static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::ParseIso(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const int y = Digits(t, 0, 4), m = Digits(t, 5, 2), d = Digits(t, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return FromYmd(y, m, d);
}

std::optional<Date> Date::ParseCompact(std::string_view t) {
  if (t.size() != 8) return std::nullopt;
  const int y = Digits(t, 0, 4), m = Digits(t, 4, 2), d = Digits(t, 6, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return FromYmd(y, m, d);
}

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).day())); }

void Date::IsoWeek(int* iso_year, int* week) const {
  // ISO weekday: Monday=1..Sunday=7. 1970-01-01 was a Thursday.
  constexpr int kThursdayOffset = 3;
  constexpr int kDaysPerWeek = 7;
  const int wd = ((days_ % kDaysPerWeek) + kDaysPerWeek + kThursdayOffset) % kDaysPerWeek + 1;
  // The Thursday of this ISO week decides the ISO year.
  const Date thursday = Date(days_ + (4 - wd));
  const int y = thursday.year();
  const Date jan1 = *FromYmd(y, 1, 1);
  *iso_year = y;
  *week = (thursday.days_ - jan1.days_) / kDaysPerWeek + 1;
}

std::string Date::ToIso() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year(), month(), day());
}
void Date::FormatIso(char* out) const {
  const auto ymd = Ymd(days_);
  int y = static_cast<int>(ymd.year());
  const auto m = static_cast<unsigned>(ymd.month());
  const auto d = static_cast<unsigned>(ymd.day());
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<char>('0' + y % 10);
    y /= 10;
  }
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
}

std::string Date::ToMonth() const { return fmt::format("{:04d}-{:02d}", year(), month()); }
std::string Date::ToIsoWeek() const {
  int y = 0, w = 0;
  IsoWeek(&y, &w);
  return fmt::format("{:04d}-W{:02d}", y, w);
}

}  // namespace tahadhari
