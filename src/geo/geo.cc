#include "geo/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tahadhari::geo {
namespace {
constexpr double kHalf = 0.5;
constexpr double kMaxLat = 90.0;
constexpr double kMaxLon = 180.0;
constexpr double kFullCircle = 360.0;
// Widen boxes by this many degrees so rounding never excludes a point on the circle's edge.
constexpr double kBoxSlackDegrees = 1e-9;
}  // namespace

Kilometers Distance(LatLon a, LatLon b) {
  const double phi1 = ToRadians(a.lat).value, phi2 = ToRadians(b.lat).value;
  const double dphi = phi2 - phi1;
  const double dlambda = ToRadians(Degrees{b.lon.value - a.lon.value}).value;
  const double s1 = std::sin(dphi * kHalf), s2 = std::sin(dlambda * kHalf);
  const double h = std::clamp(s1 * s1 + std::cos(phi1) * std::cos(phi2) * s2 * s2, 0.0, 1.0);
  return Kilometers{2.0 * kEarthRadius.value * std::asin(std::sqrt(h))};
}

bool BoundingBox::Contains(LatLon p) const {
  if (p.lat.value < south.value || p.lat.value > north.value) return false;
  if (west.value <= east.value) return p.lon.value >= west.value && p.lon.value <= east.value;
  return p.lon.value >= west.value || p.lon.value <= east.value;  // crosses the antimeridian
}

BoundingBox BoxAround(LatLon center, Kilometers radius) {
  const double angular = radius.value / kEarthRadius.value;  // radians
  const double dlat = ToDegrees(Radians{angular}).value + kBoxSlackDegrees;
  const double south = std::max(-kMaxLat, center.lat.value - dlat);
  const double north = std::min(kMaxLat, center.lat.value + dlat);
  if (south <= -kMaxLat || north >= kMaxLat || angular >= std::numbers::pi / 2) {
    return {{-kMaxLon}, {south}, {kMaxLon}, {north}};
  }
  // Maximum longitude extent of a spherical cap (exact for the sphere).
  const double s = std::sin(angular) / std::cos(ToRadians(center.lat).value);
  if (s >= 1.0) return {{-kMaxLon}, {south}, {kMaxLon}, {north}};
  const double dlon = ToDegrees(Radians{std::asin(s)}).value + kBoxSlackDegrees;
  double west = center.lon.value - dlon, east = center.lon.value + dlon;
  if (west < -kMaxLon) west += kFullCircle;
  if (east > kMaxLon) east -= kFullCircle;
  return {{west}, {south}, {east}, {north}};
}

}  // namespace tahadhari::geo
