// Typed units: angles, distances and durations never cross an API as a bare double.
// Thread-safety: value types; safe to share when not mutated.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <numbers>

namespace tahadhari {

/// An angle in degrees (WGS84 latitude or longitude when used in LatLon).
struct Degrees {
  double value = 0.0;
  constexpr auto operator<=>(const Degrees&) const = default;
};

/// An angle in radians.
struct Radians {
  double value = 0.0;
  constexpr auto operator<=>(const Radians&) const = default;
};

/// A distance in kilometres.
struct Kilometers {
  double value = 0.0;
  constexpr auto operator<=>(const Kilometers&) const = default;
};

/// A duration in whole days.
struct Days {
  int32_t value = 0;
  constexpr auto operator<=>(const Days&) const = default;
};

/// Exact conversion (up to one rounding of the product).
constexpr Radians ToRadians(Degrees d) { return Radians{d.value * std::numbers::pi / 180.0}; }
constexpr Degrees ToDegrees(Radians r) { return Degrees{r.value * 180.0 / std::numbers::pi}; }

/// A WGS84 position. Valid when -90 <= lat <= 90 and -180 <= lon <= 180.
struct LatLon {
  Degrees lat;
  Degrees lon;
  constexpr bool operator==(const LatLon&) const = default;
  /// True when both coordinates are finite and within the WGS84 ranges above.
  bool IsValid() const {
    return std::isfinite(lat.value) && std::isfinite(lon.value) && lat.value >= -90.0 &&
           lat.value <= 90.0 && lon.value >= -180.0 && lon.value <= 180.0;
  }
};

}  // namespace tahadhari
