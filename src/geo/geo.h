// geo/: distances and areas on the WGS84 ellipsoid approximated by a sphere, and bounding boxes.
// Thread-safety: pure functions, safe to call concurrently.
#pragma once

#include "core/units.h"

namespace tahadhari::geo {

/// Mean Earth radius (IUGG R1), used for every great-circle computation.
inline constexpr Kilometers kEarthRadius{6371.0088};

/// Great-circle distance by the haversine formula on a sphere of radius kEarthRadius.
/// REQUIRES: a.IsValid() && b.IsValid().
/// Error bound: versus the WGS84 geodesic, within 0.56 % of the true distance (spherical model);
/// numerically stable for small distances (no cos-formula cancellation).
Kilometers Distance(LatLon a, LatLon b);

/// An axis-aligned box in degrees. west > east means the box crosses the antimeridian.
struct BoundingBox {
  Degrees west, south, east, north;
  /// True when p lies inside or on the edge of the box.
  bool Contains(LatLon p) const;
};

/// The smallest box that contains every point within `radius` of `center` (great-circle).
/// REQUIRES: center.IsValid(), radius.value >= 0. Near a pole the box spans all longitudes.
/// Guaranteed conservative: Distance(center, p) <= radius implies box.Contains(p).
BoundingBox BoxAround(LatLon center, Kilometers radius);

}  // namespace tahadhari::geo
