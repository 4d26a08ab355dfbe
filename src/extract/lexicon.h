// Internal to extract/: the dictionaries under DataDir()/extract (gazetteer, actors, demonyms,
// ethnic groups, event triggers) compiled into one token trie for longest-match look-up.
// Immutable after Load(); safe to share between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/units.h"
#include "extract/text.h"

namespace tahadhari::extract {

// Event-trigger and status features (the second column of triggers.csv).
#define TAHADHARI_FEATURES(X)                                                                    \
  X(PROTEST) X(STRIKE) X(RIOT) X(LOOT) X(BURN) X(MOB) X(RIOTCLASH) X(INTERVENE) X(ARREST)         \
  X(KILL) X(INJURE) X(ATTACK) X(CLASH) X(GRENADE) X(IED) X(SUICIDE) X(SHELL) X(AIR) X(ABDUCT)     \
  X(SEXUAL) X(DISRUPT) X(AGREEMENT) X(RELEASE) X(RECRUIT) X(CAPTURE) X(RETAKE) X(DISPLACE)        \
  X(OTHER_SD) X(WITHDRAW) X(DEPLOY) X(BASE) X(ESTABLISH) X(HANDOVER) X(SUCCEED) X(BEGIN) X(CLOSE) \
  X(REOPEN) X(HALT) X(PLANNED) X(REQUEST) X(DENY) X(NEG) X(ATTRIB) X(CLAIM) X(HISTORY)            \
  X(ONGOING_PAST) X(SINCE) X(ONGOING) X(SERIES) X(SD_MOVE) X(SD_PROPERTY) X(SD_OTHER)         \
  X(SD_DISRUPT) X(SD_ARREST) X(SD_AGREEMENT) X(SD_BASE) X(SD_TRANSFER) X(SD_CHANGE)        \
  X(RIOTACT)

enum class Feature : uint8_t {
#define TAHADHARI_ENUM(f) f,
  TAHADHARI_FEATURES(TAHADHARI_ENUM)
#undef TAHADHARI_ENUM
      kCount
};
std::string_view FeatureName(Feature f);

enum class PlaceKind : uint8_t { kCity, kAdmin2, kAdmin1, kBorder, kCountry };

struct PlaceEntry {
  PlaceKind kind = PlaceKind::kCity;
  std::string name, iso3, admin1, admin2;
  LatLon loc;
  bool ambiguous = false;  // also a common word, ethnonym or person name
};

enum class Role : uint8_t { kAgent, kVictim, kAny };

struct ActorEntry {
  std::string name;      // may contain {country} and {ethnic}
  std::string category;  // ACLED actor category
  std::string iso3;      // fixed country, else empty
  Role role = Role::kAny;
  bool generic = false;  // "police", "gunmen": a class of actor rather than a named group
};

struct DemonymEntry {
  std::string iso3, country;
};
struct EthnicEntry {
  std::string name, iso3;
};

enum class PayloadType : uint8_t { kPlace, kActor, kTrigger, kDemonym, kEthnic };
struct Payload {
  PayloadType type;
  uint32_t index;  // into places/actors/demonyms/ethnics, or the Feature for triggers
};

struct LexMatch {
  uint32_t begin = 0, end = 0;  // token range [begin, end)
  Payload payload{};
  int32_t demonym = -1;  // the <demonym> filled in, if the pattern had one
  int32_t ethnic = -1;   // the <ethnic> filled in
};

class Lexicon {
 public:
  /// Loads every file from `dir`. Throws IoError/FormatError naming the file and line.
  static Lexicon Load(const std::filesystem::path& dir);
  /// The process-wide dictionaries from DataDir()/extract, loaded on first use (thread-safe).
  static const Lexicon& Get();

  /// Sets Token::id for each token. An unknown capitalised word ending in -s whose stem is
  /// known ("Nairobis", "Somalis") takes the stem's id, and its norm loses the -s.
  void Identify(std::vector<Token>* tokens) const;
  /// Every dictionary match (all lengths) in the tokens, ordered by begin.
  void FindAll(const std::vector<Token>& tokens, std::vector<LexMatch>* out) const;

  std::vector<PlaceEntry> places;
  std::vector<ActorEntry> actors;
  std::vector<DemonymEntry> demonyms;
  std::vector<EthnicEntry> ethnics;
  /// Index of the country row for an ISO3 code in `places`, or -1.
  int32_t CountryPlace(std::string_view iso3) const;
  /// Country name for an ISO3 code ("Kenya"); the code itself when unknown.
  std::string CountryName(std::string_view iso3) const;

 private:
  void Add(const std::vector<std::string>& words, Payload p, const std::string& where);
  int32_t Intern(const std::string& word);
  void Walk(const std::vector<Token>& tokens, uint32_t start, uint32_t pos, uint32_t node,
            int32_t demonym, int32_t ethnic,
            const std::vector<std::vector<LexMatch>>& classes, std::vector<LexMatch>* out) const;

  struct Node {
    std::vector<Payload> payloads;
  };
  static constexpr int32_t kDemonymClass = 0;
  static constexpr int32_t kEthnicClass = 1;
  std::unordered_map<std::string, int32_t> vocab_;
  std::vector<Node> nodes_;
  std::unordered_map<uint64_t, uint32_t> edges_;
  std::unordered_map<std::string, int32_t> country_place_;
};

}  // namespace tahadhari::extract
