// Internal to ingest/: the taxonomy and code tables under data/mappings/ (documented in
// docs/taxonomy.md), loaded once per process. Immutable after load; safe to share.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tahadhari::ingest {

struct TypeMapping {
  std::string event_type;
  std::string sub_event_type;
  bool lossy = true;
};

class Mappings {
 public:
  /// Loads every table from `dir` (normally DataDir()/"mappings"). Throws IoError/FormatError
  /// naming the file and line of anything unreadable.
  static Mappings Load(const std::filesystem::path& dir);
  /// The process-wide tables from DataDir(), loaded on first use (thread-safe).
  static const Mappings& Default();

  /// ISO3 for a FIPS 10-4 country code (GDELT geo fields); nullopt when unknown.
  std::optional<std::string_view> IsoFromFips(std::string_view fips) const;
  /// ISO3 for a Gleditsch–Ward state number (UCDP country_id); nullopt when unknown.
  std::optional<std::string_view> IsoFromGw(int gwno) const;
  /// Longest-prefix match of a CAMEO event code; nullopt when no prefix is listed.
  const TypeMapping* FromCameo(std::string_view code) const;
  /// UCDP type_of_violence (1, 2, 3).
  const TypeMapping* FromUcdp(int type_of_violence) const;
  /// ACLED-style actor category for a CAMEO actor type code (GOV, MIL, REB, ...); empty if none.
  std::string_view CategoryFromGdeltType(std::string_view type_code) const;

 private:
  std::unordered_map<std::string, std::string> fips_iso3_;
  std::unordered_map<int, std::string> gw_iso3_;
  std::unordered_map<std::string, TypeMapping> cameo_;
  std::unordered_map<int, TypeMapping> ucdp_;
  std::unordered_map<std::string, std::string> actor_category_;
};

}  // namespace tahadhari::ingest
