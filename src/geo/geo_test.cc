#include "geo/geo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace tahadhari::geo {
namespace {

constexpr double kPi = std::numbers::pi;

LatLon P(double lat, double lon) { return LatLon{Degrees{lat}, Degrees{lon}}; }

double Rad(double deg) { return deg * kPi / 180.0; }
double Deg(double rad) { return rad * 180.0 / kPi; }

double NormalizeLon(double lon) {
  while (lon > 180.0) lon -= 360.0;
  while (lon < -180.0) lon += 360.0;
  return lon;
}

// The point `km` from `c` along initial bearing `bearing_deg` (spherical destination formula).
LatLon Destination(LatLon c, double bearing_deg, double km) {
  const double d = km / kEarthRadius.value;
  const double phi1 = Rad(c.lat.value), lambda1 = Rad(c.lon.value), theta = Rad(bearing_deg);
  const double sin_phi2 = std::clamp(
      std::sin(phi1) * std::cos(d) + std::cos(phi1) * std::sin(d) * std::cos(theta), -1.0, 1.0);
  const double phi2 = std::asin(sin_phi2);
  const double lambda2 = lambda1 + std::atan2(std::sin(theta) * std::sin(d) * std::cos(phi1),
                                              std::cos(d) - std::sin(phi1) * sin_phi2);
  return P(std::clamp(Deg(phi2), -90.0, 90.0), NormalizeLon(Deg(lambda2)));
}

// ---------------------------------------------------------------------------------------------
// Distance

TEST(DistanceTest, NairobiToMombasa) {
  const LatLon nairobi = P(-1.2921, 36.8219), mombasa = P(-4.0435, 39.6682);
  const double km = Distance(nairobi, mombasa).value;
  EXPECT_NEAR(km, 440.0, 4.4);
  EXPECT_DOUBLE_EQ(km, Distance(mombasa, nairobi).value);
}

TEST(DistanceTest, ZeroDistance) {
  for (const LatLon p :
       {P(0, 0), P(-1.2921, 36.8219), P(90, 0), P(-90, 123), P(12, 180), P(-33.9, -180)}) {
    EXPECT_EQ(Distance(p, p).value, 0.0) << p.lat.value << "," << p.lon.value;
  }
  // The same place written with longitude +180 and -180, and the pole at any longitude.
  EXPECT_NEAR(Distance(P(10, 180), P(10, -180)).value, 0.0, 1e-9);
  EXPECT_NEAR(Distance(P(90, 0), P(90, 77)).value, 0.0, 1e-9);
}

TEST(DistanceTest, Antipodal) {
  const double half = kPi * kEarthRadius.value;
  EXPECT_NEAR(Distance(P(0, 0), P(0, 180)).value, half, 1e-6);
  EXPECT_NEAR(Distance(P(90, 0), P(-90, 0)).value, half, 1e-6);
  EXPECT_NEAR(Distance(P(-1.2921, 36.8219), P(1.2921, 36.8219 - 180)).value, half, 1e-6);
  EXPECT_NEAR(Distance(P(45, -120), P(-45, 60)).value, half, 1e-6);
}

TEST(DistanceTest, KnownArcs) {
  // A quarter of a great circle and one degree of meridian.
  EXPECT_NEAR(Distance(P(0, 0), P(0, 90)).value, kPi / 2 * kEarthRadius.value, 1e-6);
  EXPECT_NEAR(Distance(P(0, 0), P(90, 0)).value, kPi / 2 * kEarthRadius.value, 1e-6);
  EXPECT_NEAR(Distance(P(10, 20), P(11, 20)).value, kPi / 180 * kEarthRadius.value, 1e-9);
  // Across the antimeridian the short way round.
  EXPECT_NEAR(Distance(P(0, 179.5), P(0, -179.5)).value, kPi / 180 * kEarthRadius.value, 1e-9);
}

TEST(DistanceTest, SmallDistancesAreStable) {
  // One metre apart along a meridian, near the equator and at high latitude.
  const double metre_deg = Deg(0.001 / kEarthRadius.value);
  EXPECT_NEAR(Distance(P(0.5, 36.8), P(0.5 + metre_deg, 36.8)).value, 0.001, 1e-9);
  EXPECT_NEAR(Distance(P(-70, 10), P(-70 + metre_deg, 10)).value, 0.001, 1e-9);
  // One centimetre along a parallel at the equator.
  const double cm_deg = Deg(0.00001 / kEarthRadius.value);
  EXPECT_NEAR(Distance(P(0, 100), P(0, 100 + cm_deg)).value, 0.00001, 1e-11);
}

TEST(DistanceTest, SymmetricAndTriangleInequality) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lat(-90, 90), lon(-180, 180);
  for (int i = 0; i < 2000; ++i) {
    const LatLon a = P(lat(rng), lon(rng)), b = P(lat(rng), lon(rng)), c = P(lat(rng), lon(rng));
    const double ab = Distance(a, b).value, bc = Distance(b, c).value, ac = Distance(a, c).value;
    EXPECT_NEAR(ab, Distance(b, a).value, 1e-9);
    EXPECT_GE(ab, 0.0);
    EXPECT_LE(ab, kPi * kEarthRadius.value + 1e-9);
    EXPECT_LE(ac, ab + bc + 1e-6);
  }
}

TEST(DistanceTest, AgreesWithDestinationFormula) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(-80, 80), lon(-180, 180), bearing(0, 360),
      km(0.01, 15000);
  for (int i = 0; i < 2000; ++i) {
    const LatLon c = P(lat(rng), lon(rng));
    const double d = km(rng);
    const LatLon p = Destination(c, bearing(rng), d);
    EXPECT_NEAR(Distance(c, p).value, d, 1e-6 * std::max(1.0, d));
  }
}

// ---------------------------------------------------------------------------------------------
// BoundingBox

TEST(BoundingBoxTest, ContainsIsInclusive) {
  const BoundingBox box{{30}, {-5}, {42}, {5}};
  EXPECT_TRUE(box.Contains(P(0, 36)));
  EXPECT_TRUE(box.Contains(P(-5, 30)));
  EXPECT_TRUE(box.Contains(P(5, 42)));
  EXPECT_FALSE(box.Contains(P(5.0000001, 36)));
  EXPECT_FALSE(box.Contains(P(0, 29.9999999)));
  EXPECT_FALSE(box.Contains(P(0, 42.0000001)));
  EXPECT_FALSE(box.Contains(P(-6, 36)));
}

TEST(BoundingBoxTest, CrossingTheAntimeridian) {
  const BoundingBox box{{170}, {-10}, {-170}, {10}};
  EXPECT_TRUE(box.Contains(P(0, 175)));
  EXPECT_TRUE(box.Contains(P(0, -175)));
  EXPECT_TRUE(box.Contains(P(0, 180)));
  EXPECT_TRUE(box.Contains(P(0, -180)));
  EXPECT_TRUE(box.Contains(P(10, 170)));
  EXPECT_TRUE(box.Contains(P(-10, -170)));
  EXPECT_FALSE(box.Contains(P(0, 0)));
  EXPECT_FALSE(box.Contains(P(0, 169.9)));
  EXPECT_FALSE(box.Contains(P(0, -169.9)));
  EXPECT_FALSE(box.Contains(P(11, 175)));
}

TEST(BoxAroundTest, ZeroRadiusContainsCentre) {
  for (const LatLon c : {P(0, 0), P(-1.2921, 36.8219), P(89.999, 180), P(-90, 0), P(12, -180)}) {
    const BoundingBox box = BoxAround(c, Kilometers{0});
    EXPECT_TRUE(box.Contains(c)) << c.lat.value << "," << c.lon.value;
  }
}

TEST(BoxAroundTest, ExtentMatchesTheSphericalCap) {
  // 100 km around Nairobi: latitude extent r/R, longitude extent asin(sin(r/R)/cos(lat)).
  const LatLon c = P(-1.2921, 36.8219);
  const double ang = 100.0 / kEarthRadius.value;
  const BoundingBox box = BoxAround(c, Kilometers{100});
  EXPECT_NEAR(box.north.value - c.lat.value, Deg(ang), 1e-6);
  EXPECT_NEAR(c.lat.value - box.south.value, Deg(ang), 1e-6);
  const double dlon = Deg(std::asin(std::sin(ang) / std::cos(Rad(c.lat.value))));
  EXPECT_NEAR(box.east.value - c.lon.value, dlon, 1e-6);
  EXPECT_NEAR(c.lon.value - box.west.value, dlon, 1e-6);
}

TEST(BoxAroundTest, NearThePoleSpansAllLongitudes) {
  const BoundingBox box = BoxAround(P(89.5, 10), Kilometers{200});
  EXPECT_EQ(box.west.value, -180.0);
  EXPECT_EQ(box.east.value, 180.0);
  EXPECT_EQ(box.north.value, 90.0);
  EXPECT_TRUE(box.Contains(P(89.9, -170)));
  const BoundingBox south = BoxAround(P(-89.9, -100), Kilometers{50});
  EXPECT_EQ(south.west.value, -180.0);
  EXPECT_EQ(south.east.value, 180.0);
  EXPECT_EQ(south.south.value, -90.0);
}

TEST(BoxAroundTest, HugeRadiusCoversTheGlobe) {
  const BoundingBox box = BoxAround(P(0, 0), Kilometers{25000});
  EXPECT_EQ(box.west.value, -180.0);
  EXPECT_EQ(box.east.value, 180.0);
  EXPECT_EQ(box.south.value, -90.0);
  EXPECT_EQ(box.north.value, 90.0);
}

TEST(BoxAroundTest, WrapsAcrossTheAntimeridian) {
  const BoundingBox box = BoxAround(P(-17.7, 179.9), Kilometers{100});  // Fiji
  EXPECT_GT(box.west.value, box.east.value) << "box should cross the antimeridian";
  EXPECT_TRUE(box.Contains(P(-17.7, -179.8)));
  EXPECT_TRUE(box.Contains(P(-17.7, 179.5)));
  EXPECT_FALSE(box.Contains(P(-17.7, 0)));
  const BoundingBox west = BoxAround(P(65, -179.95), Kilometers{30});
  EXPECT_GT(west.west.value, west.east.value);
  EXPECT_TRUE(west.Contains(P(65, 179.9)));
  EXPECT_TRUE(west.Contains(P(65, -179.7)));
}

// Checks that every point within `radius` of `c` that we can generate lies in the box.
void ExpectConservative(LatLon c, double radius_km, std::mt19937_64& rng, int samples) {
  const BoundingBox box = BoxAround(c, Kilometers{radius_km});
  std::uniform_real_distribution<double> bearing(0, 360), frac(0, 1);
  std::vector<LatLon> points;
  for (int i = 0; i < samples; ++i) {
    points.push_back(Destination(c, bearing(rng), radius_km * frac(rng)));
    points.push_back(Destination(c, bearing(rng), radius_km));  // on the circle itself
  }
  for (double b = 0; b < 360; b += 7.5) points.push_back(Destination(c, b, radius_km));
  // The two points of greatest longitude extent: bearing acos(tan(d) tan(lat)).
  const double d = radius_km / kEarthRadius.value;
  const double cos_theta = std::tan(d) * std::tan(Rad(c.lat.value));
  if (std::abs(cos_theta) <= 1.0) {
    const double theta = Deg(std::acos(cos_theta));
    for (double eps : {-1e-6, 0.0, 1e-6}) {
      points.push_back(Destination(c, theta + eps, radius_km));
      points.push_back(Destination(c, 360 - theta + eps, radius_km));
    }
  }
  for (const LatLon& p : points) {
    if (Distance(c, p).value > radius_km) continue;  // rounding pushed it just outside
    ASSERT_TRUE(box.Contains(p)) << "centre " << c.lat.value << "," << c.lon.value << " radius "
                                 << radius_km << " km; point " << p.lat.value << "," << p.lon.value
                                 << " at " << Distance(c, p).value << " km; box W" << box.west.value
                                 << " S" << box.south.value << " E" << box.east.value << " N"
                                 << box.north.value;
  }
}

TEST(BoxAroundTest, ConservativeForRandomCentres) {
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> lat(-90, 90), lon(-180, 180), log_km(-3, 4.3);
  for (int i = 0; i < 3000; ++i) {
    ExpectConservative(P(lat(rng), lon(rng)), std::pow(10.0, log_km(rng)), rng, 40);
  }
}

TEST(BoxAroundTest, ConservativeNearPolesAndAntimeridian) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> polar(80, 90), edge(179, 180), any_lon(-180, 180),
      any_lat(-89, 89), log_km(-2, 3.7);
  for (int i = 0; i < 1500; ++i) {
    const double r = std::pow(10.0, log_km(rng));
    ExpectConservative(P(polar(rng), any_lon(rng)), r, rng, 30);
    ExpectConservative(P(-polar(rng), any_lon(rng)), r, rng, 30);
    ExpectConservative(P(any_lat(rng), edge(rng)), r, rng, 30);
    ExpectConservative(P(any_lat(rng), -edge(rng)), r, rng, 30);
  }
  for (const LatLon c :
       {P(0, 180), P(0, -180), P(90, 0), P(-90, 0), P(89.999999, 45), P(-45, 180), P(60, -180)}) {
    for (double r : {0.001, 1.0, 50.0, 500.0, 5000.0}) ExpectConservative(c, r, rng, 200);
  }
}

}  // namespace
}  // namespace tahadhari::geo
