// The extraction pipeline: sentence analysis (dictionary matches, numbers, dates), clause groups,
// event typing, posture facts, status, and discourse context (places, dates and perpetrators
// carried over between sentences of one article).
#include "extract/extract.h"

#include <algorithm>
#include <array>
#include <deque>
#include <bitset>
#include <cctype>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "extract/lexicon.h"
#include "extract/quantities.h"
#include "extract/text.h"

namespace tahadhari::extract {
namespace {

using F = Feature;
using Features = std::bitset<static_cast<size_t>(Feature::kCount)>;
size_t FI(F f) { return static_cast<size_t>(f); }

bool IsViolent(F f) {
  switch (f) {
    case F::KILL: case F::INJURE: case F::ATTACK: case F::CLASH: case F::GRENADE: case F::IED:
    case F::SUICIDE: case F::SHELL: case F::AIR: case F::ABDUCT: case F::SEXUAL: case F::RIOT:
    case F::MOB: case F::RIOTCLASH: case F::PROTEST: case F::BURN: case F::LOOT: case F::RIOTACT:
      return true;
    default:
      return false;
  }
}
bool IsStrategic(F f) {
  switch (f) {
    case F::ARREST: case F::DISRUPT: case F::AGREEMENT: case F::RECRUIT: case F::CAPTURE:
    case F::RETAKE: case F::DISPLACE: case F::OTHER_SD: case F::SD_MOVE: case F::SD_PROPERTY:
    case F::SD_OTHER: case F::SD_DISRUPT: case F::SD_ARREST: case F::SD_AGREEMENT:
    case F::SD_BASE: case F::SD_TRANSFER: case F::SD_CHANGE:
      return true;
    default:
      return false;
  }
}
bool IsPosture(F f) {
  switch (f) {
    case F::WITHDRAW: case F::DEPLOY: case F::BASE: case F::HANDOVER: case F::SUCCEED:
    case F::BEGIN: case F::CLOSE: case F::REOPEN:
      return true;
    default:
      return false;
  }
}

bool IsArmed(std::string_view category) {
  return category == "State forces" || category == "Rebel group" ||
         category == "Political militia" || category == "Identity militia" ||
         category == "External/Other forces";
}

// Auxiliaries that make a following participle passive ("was killed", "were attacked").
constexpr std::string_view kPassiveAux[] = {"was", "were", "is", "are", "been", "being", "be",
                                            "got", "gets", "get"};
// Words that open the object of an active verb ("killed a man", "shot two", "attacked them").
constexpr std::string_view kObjectStart[] = {"a", "an", "the", "his", "her", "their", "its",
                                             "him", "them", "us", "me", "one", "two", "three",
                                             "four", "five", "six", "seven", "eight", "nine",
                                             "ten", "several", "many", "some", "dozens",
                                             "scores", "hundreds", "another", "at", "more",
                                             "up", "over", "about", "nearly", "all", "both"};
// Plural nouns that do not end in -s.
constexpr std::string_view kIrregularPlurals[] = {"men", "women", "children", "people", "police",
                                                  "cattle", "livestock", "personnel", "staff",
                                                  "clergy", "militia", "folk", "kin", "youth"};
template <size_t N>
bool In(std::string_view w, const std::string_view (&list)[N]) {
  for (auto x : list) {
    if (x == w) return true;
  }
  return false;
}
// A plural count noun ("civilians", "men", "police"); -ss/-us/-is endings are singular.
bool IsPluralNoun(std::string_view w) {
  if (In(w, kIrregularPlurals)) return true;
  if (w.size() < 3 || w.back() != 's') return false;
  const std::string_view end = w.substr(w.size() - 2);
  return end != "ss" && end != "us" && end != "is";
}

// ---------------------------------------------------------------------------------------------
// Sentence analysis.

struct PlaceHit {
  uint32_t begin = 0, end = 0;  // tokens
  TextSpan span;
  int32_t place = -1;
  bool anaphor = false;  // "the border": resolved from context
  bool possessive = false;  // "Somalia's"
  bool road = false;        // part of a road's name ("the Nyeri-Nanyuki road")
  bool modifier = false;    // names whose people or thing: "Mandera teachers", "a Nairobi-bound bus"
  bool names_admin1 = false;  // the words also name an admin1 area ("Mombasa", "Lamu")
};

struct ActorHit {
  uint32_t begin = 0, end = 0;
  TextSpan span;
  int32_t actor = -1;
  int32_t demonym = -1, ethnic = -1;
  bool after_by = false;   // "killed by X"
  bool after_of = false;   // "killing of X"
  bool possessive = false;
  bool linked = false;     // "gunmen linked to X", "a cleric who supported X": not a party
};

struct TriggerHit {
  uint32_t begin = 0, end = 0;
  TextSpan span;
  F feature;
  bool negated = false;
  bool valid = true;  // posture triggers need an owner ("withdrawal of troops")
  std::string_view word;
};

struct CountHit {
  NumberMatch n;
  TextSpan span;
};

struct DateHit {
  DateMatch d;
  TextSpan span;
};

struct Sentence {
  TextSpan span;
  std::vector<PlaceHit> places;
  std::vector<ActorHit> actors;
  std::vector<TriggerHit> triggers;
  std::vector<CountHit> numbers;
  std::vector<DateHit> dates;
  std::vector<uint32_t> splits;  // clause boundaries (token index where a clause starts)
  uint32_t ntokens = 0;
  std::vector<std::string> norms;  // normalised words (needed for local rules)
  std::vector<uint16_t> flags;
  Features all;  // every feature of the sentence's (non-negated, valid) triggers
};

constexpr std::string_view kLocative[] = {"in",      "at",     "near", "around", "outside",
                                          "inside",  "towards", "toward", "from", "across",
                                          "to",      "into",    "within"};
// Words after an area's name that name a part of it ("Samburu North", "Embu East").
constexpr std::string_view kAreaDirections[] = {"north", "south", "east", "west", "central"};
// Words after a name that make it a place ("Embu town", "Kibra constituency").
constexpr std::string_view kPlaceNouns[] = {"town",          "township", "municipality",
                                            "constituency", "ward",     "subcounty"};
// Actor acronyms that are also common words or names in lower case ("un", "ola").
constexpr std::string_view kCapsOnlyAcronyms[] = {"un",  "au",  "mrc", "sna", "kpr",
                                                  "ola", "adf", "tdf", "spf", "ldu"};
constexpr std::string_view kTitles[] = {
    "mr", "mrs", "ms", "dr", "president", "governor", "senator", "mp", "cs", "secretary",
    "minister", "chief", "commander", "sheikh", "general", "gen", "col", "colonel", "captain",
    "capt", "sergeant", "sgt", "constable", "inspector", "pastor", "father", "bishop", "hon",
    "imam", "professor", "prof", "mayor", "rep", "deputy", "spokesman", "spokesperson"};
constexpr std::string_view kSplitWords[] = {"including", "while", "whereas", "but", "leading",
                                            "meanwhile", "although", "though", "however",
                                            "resulting", "prompting", "after", "following",
                                            "which", "where", "when", "as", "and", "stating"};


// Nouns after an actor word that make it a modifier ("police custody", "a police informer").
// Posts, stations and camps are not here: an attack on them is an attack on the force.
constexpr std::string_view kActorModified[] = {
    "custody", "cell", "cells", "uniform", "uniforms", "spokesman", "spokesperson",
    "spokeswoman", "informant", "informer", "commissioner", "academy", "college", "hospital",
    "statement", "sources", "source"};

// Words after a place name that make it part of a road's name.
constexpr std::string_view kRoadWords[] = {"road", "highway", "street", "avenue", "rd",
                                           "roads", "highways"};

// Same-named places: the one inside an admin area the sentence names gets this much.
constexpr int kNamedAdmin1Bonus = 25;

struct ArticleContext {
  std::vector<std::string> countries;  // ISO3 in order of first mention
  int32_t last_border = -1;
};

Sentence Analyze(const Lexicon& lex, std::vector<Token>& tokens, TextSpan span,
                 const ExtractOptions& options, ArticleContext* ctx) {
  Sentence s;
  s.span = span;
  s.ntokens = static_cast<uint32_t>(tokens.size());
  lex.Identify(&tokens);
  thread_local std::vector<LexMatch> matches;
  lex.FindAll(tokens, &matches);
  s.norms.reserve(tokens.size());
  s.flags.reserve(tokens.size());
  for (const auto& t : tokens) {
    s.norms.push_back(t.norm);
    s.flags.push_back(t.flags);
  }
  auto tspan = [&](uint32_t b, uint32_t e) {
    return TextSpan{tokens[b].begin, tokens[e - 1].end};
  };
  const size_t n = tokens.size();

  // Dates first (they own their tokens), then numbers on the rest.
  std::vector<bool> used(n, false);
  thread_local std::vector<DateMatch> dates;
  FindDates(tokens, options.published, &dates, &used);
  for (const auto& d : dates) s.dates.push_back({d, tspan(d.begin, d.end)});

  // Triggers: longest match, non-overlapping among triggers.
  std::vector<char> tcover(n, 0);
  std::vector<const LexMatch*> trig;
  for (const auto& m : matches) {
    if (m.payload.type == PayloadType::kTrigger) trig.push_back(&m);
  }
  std::stable_sort(trig.begin(), trig.end(), [](const LexMatch* a, const LexMatch* b) {
    return (a->end - a->begin) > (b->end - b->begin);
  });
  for (const LexMatch* m : trig) {
    bool free = true;
    for (uint32_t k = m->begin; k < m->end; ++k) free &= !tcover[k];
    if (!free) continue;
    // Date words are not triggers ("March" the month is not a march).
    bool date_word = false;
    for (uint32_t k = m->begin; k < m->end; ++k) date_word |= used[k];
    if (date_word) continue;
    for (uint32_t k = m->begin; k < m->end; ++k) tcover[k] = 1;
    // A phrase may carry several features ("lynched" is MOB and KILL).
    for (const LexMatch* o : trig) {
      if (o->begin != m->begin || o->end != m->end) continue;
      TriggerHit h;
      h.begin = o->begin;
      h.end = o->end;
      h.span = tspan(o->begin, o->end);
      h.feature = static_cast<F>(o->payload.index);
      h.word = s.norms[o->begin];
      s.triggers.push_back(h);
    }
  }
  std::stable_sort(s.triggers.begin(), s.triggers.end(),
                   [](const TriggerHit& a, const TriggerHit& b) { return a.begin < b.begin; });
  // Negation: "no", "not", "never", "did not" within three words before (no punctuation between).
  for (auto& h : s.triggers) {
    if (h.feature == F::NEG) continue;
    for (uint32_t k = h.begin; k-- > 0 && h.begin - k <= 3;) {
      if (tokens[k].Is(kPunct)) break;
      const auto& w = s.norms[k];
      if (w == "no" || w == "not" || w == "never" || w == "without" || w == "nobody" ||
          w == "none") {
        h.negated = true;
        break;
      }
    }
  }

  // Places and actors: longest match wins over both kinds.
  struct Cand {
    const LexMatch* m;
    bool place;
  };
  std::vector<Cand> cands;
  for (const auto& m : matches) {
    if (m.payload.type == PayloadType::kPlace || m.payload.type == PayloadType::kActor) {
      cands.push_back({&m, m.payload.type == PayloadType::kPlace});
    }
  }
  auto locative_before = [&](uint32_t b) {
    if (b == 0) return false;
    uint32_t k = b - 1;
    if (s.norms[k] == "the" && k > 0) --k;
    return In(s.norms[k], kLocative);
  };
  // A place ending right before token k (any gazetteer match).
  auto place_ends_at = [&](uint32_t k) {
    for (const auto& o : matches) {
      if (o.payload.type == PayloadType::kPlace && o.end == k) return true;
    }
    return false;
  };
  // Words around a one-word name that make it a place even without a locative: "Embu town",
  // "Kisii University", "(Turkana)", "Lokori, Turkana".
  auto place_context = [&](uint32_t b, uint32_t e) {
    if (e < n && (In(s.norms[e], kPlaceNouns) ||
                  (s.norms[e] == "sub" && e + 1 < n && s.norms[e + 1] == "county") ||
                  (s.norms[e] == "university" && tokens[e].Is(kCapital)))) {
      return true;
    }
    // "Embu East", "Meru South Sub-County": a sub-county named after its county.
    if (e < n && tokens[e].Is(kCapital) && In(s.norms[e], kAreaDirections) &&
        (e + 1 == n || !tokens[e + 1].Is(kCapital))) {
      return true;
    }
    // "Lomut (Turkana)", "Kapedo (Turkana East, Turkana)": an area after a capitalised name.
    if (b > 1 && s.norms[b - 1] == "(" && tokens[b - 2].Is(kCapital) && e < n &&
        (s.norms[e] == ")" || s.norms[e] == ",")) {
      return true;
    }
    if (b > 1 && s.norms[b - 1] == "," && tokens[b - 2].Is(kCapital) && place_ends_at(b - 1) &&
        (e == n || tokens[e].Is(kPunct))) {
      return true;
    }
    return false;
  };
  auto place_ok = [&](const LexMatch& m) {
    const PlaceEntry& p = lex.places[m.payload.index];
    // Every word of a place name is capitalised in running text (except small joiners).
    for (uint32_t k = m.begin; k < m.end; ++k) {
      const auto& w = s.norms[k];
      if (!tokens[k].Is(kCapital) && !tokens[k].Is(kNumber) && w != "of" && w != "es" &&
          w != "al" && w != "el" && w != "la" && w != "county" && w != "district" &&
          w != "border" && w != "region" && w != "province" && w != "sub" && w != "and" &&
          w != "university" && w != "college" && w != "forest" && w != "valley" &&
          w != "delta" && w != "mall" && w != "ya") {
        return false;
      }
    }
    if (m.begin > 0 && In(s.norms[m.begin - 1], kTitles)) return false;
    // "Mohamed Garissa" (a person) — a capitalised unknown word right before a one-word place.
    if (m.end - m.begin == 1 && m.begin > 0 && tokens[m.begin - 1].Is(kCapital) &&
        tokens[m.begin - 1].id < 0 && m.begin > 1 && p.kind != PlaceKind::kCountry) {
      return false;
    }
    if (p.ambiguous && m.end - m.begin == 1 && !locative_before(m.begin) &&
        !place_context(m.begin, m.end)) {
      return false;
    }
    // "Thika Road" (a named road) is not Thika; of "the Nyeri-Nanyuki highway" the road's
    // first town is kept, as ACLED places such events.
    if (m.end < n && In(s.norms[m.end], kRoadWords) &&
        (tokens[m.end].Is(kCapital) || tokens[m.begin].Is(kHyphenBefore))) {
      return false;
    }
    return true;
  };
  std::vector<const LexMatch*> placed;
  std::stable_sort(cands.begin(), cands.end(), [&](const Cand& a, const Cand& b) {
    const uint32_t la = a.m->end - a.m->begin, lb = b.m->end - b.m->begin;
    if (la != lb) return la > lb;
    if (a.m->begin != b.m->begin) return a.m->begin < b.m->begin;
    // Same words: a place after a locative preposition, else the actor.
    const bool loc = locative_before(a.m->begin) || place_context(a.m->begin, a.m->end);
    return loc ? (a.place && !b.place) : (!a.place && b.place);
  });
  std::vector<char> cover(n, 0);
  std::vector<const LexMatch*> chosen_place_matches;
  for (const auto& c : cands) {
    bool free = true;
    for (uint32_t k = c.m->begin; k < c.m->end; ++k) free &= !cover[k];
    if (!free) continue;
    if (c.place && !place_ok(*c.m)) continue;
    if (!c.place) {
      const ActorEntry& a = lex.actors[c.m->payload.index];
      // A bare ethnic name is an actor only when capitalised.
      if (a.name.find("{ethnic}") != std::string::npos && c.m->end - c.m->begin == 1 &&
          !tokens[c.m->begin].Is(kCapital)) {
        continue;
      }
      // "a police post", "in police custody", "police crossfire": a modifier, not the actor.
      if (c.m->end < n && In(s.norms[c.m->end], kActorModified)) continue;
      // "AS militants" (al-Shabaab) only in capitals: "as" is a common word.
      if (s.norms[c.m->begin] == "as" && !tokens[c.m->begin].Is(kAllCaps)) continue;
      // Short all-caps acronyms must be written in capitals ("UN", "AU", "MRC", "KDF").
      if (c.m->end - c.m->begin == 1 && In(s.norms[c.m->begin], kCapsOnlyAcronyms) &&
          !tokens[c.m->begin].Is(kAllCaps)) {
        continue;
      }
    }
    for (uint32_t k = c.m->begin; k < c.m->end; ++k) cover[k] = 1;
    if (c.place) {
      chosen_place_matches.push_back(c.m);
    } else {
      ActorHit h;
      h.begin = c.m->begin;
      h.end = c.m->end;
      h.span = tspan(h.begin, h.end);
      h.actor = static_cast<int32_t>(c.m->payload.index);
      h.demonym = c.m->demonym;
      h.ethnic = c.m->ethnic;
      h.possessive = tokens[h.end - 1].Is(kPossessive);
      s.actors.push_back(h);
    }
  }
  // Admin areas the sentence names ("in Tharaka-Nithi", "Kwale County"): a same-named town in
  // one of them wins ("Kibwezi in Makueni").
  thread_local std::vector<std::pair<const LexMatch*, const std::string*>> named_admin1;
  named_admin1.clear();
  for (const LexMatch* m : chosen_place_matches) {
    for (const auto& o : matches) {
      if (o.begin != m->begin || o.end != m->end || o.payload.type != PayloadType::kPlace) continue;
      const PlaceEntry& p = lex.places[o.payload.index];
      if (p.kind == PlaceKind::kAdmin1 && !p.admin1.empty()) named_admin1.emplace_back(m, &p.admin1);
    }
  }
  // Several places with the same words (Garissa town, Garissa County): choose one.
  for (const LexMatch* m : chosen_place_matches) {
    int32_t best = -1;
    int best_score = -1000;
    auto is_admin = [](std::string_view w) {
      return w == "county" || w == "district" || w == "region" || w == "province" ||
             w == "state" || w == "sub" || w == "subcounty" || w == "constituency";
    };
    bool names_admin1 = false;
    // Countries in which these words name an admin1 area: a town of the same name elsewhere
    // ("Gedo" the Somali region, not the Ethiopian town) is the less likely reading.
    std::string_view admin1_iso3[4];
    size_t n_admin1_iso3 = 0;
    for (const auto& o : matches) {
      if (o.begin != m->begin || o.end != m->end || o.payload.type != PayloadType::kPlace) continue;
      const PlaceEntry& p = lex.places[o.payload.index];
      if (p.kind == PlaceKind::kAdmin1 && n_admin1_iso3 < 4) admin1_iso3[n_admin1_iso3++] = p.iso3;
    }
    // "Samburu County", "Samburu North Sub County", "Tana River district": the admin area.
    uint32_t next = m->end;
    if (next < n && In(s.norms[next], kAreaDirections)) ++next;
    // "Lamu East", "Embu North" (a sub-county named after its county): the admin area.
    const bool direction = next > m->end && tokens[m->end].Is(kCapital);
    // "Garissa Country" (a common slip for County).
    const bool country_slip = m->end < n && s.norms[m->end] == "country" &&
                              tokens[m->end].Is(kCapital);
    const bool admin_word = is_admin(s.norms[m->end - 1]) || (next < n && is_admin(s.norms[next])) ||
                            direction || country_slip;
    for (const auto& o : matches) {
      if (o.begin != m->begin || o.end != m->end || o.payload.type != PayloadType::kPlace) continue;
      const PlaceEntry& p = lex.places[o.payload.index];
      if (p.kind == PlaceKind::kAdmin1) names_admin1 = true;
      int score = 0;
      switch (p.kind) {
        case PlaceKind::kCity: score = admin_word ? 0 : 30; break;
        case PlaceKind::kAdmin2: score = admin_word ? 25 : 10; break;
        case PlaceKind::kAdmin1: score = admin_word ? 35 : 20; break;
        case PlaceKind::kBorder: score = 30; break;
        case PlaceKind::kCountry: score = 30; break;
      }
      if (s.norms[m->end - 1] == "district" && p.kind == PlaceKind::kAdmin2) score += 15;
      if (p.kind != PlaceKind::kAdmin1 && p.kind != PlaceKind::kCountry && n_admin1_iso3 > 0 &&
          std::find(admin1_iso3, admin1_iso3 + n_admin1_iso3, p.iso3) == admin1_iso3 + n_admin1_iso3) {
        score -= 20;
      }
      for (size_t ci = 0; ci < ctx->countries.size(); ++ci) {
        if (ctx->countries[ci] == p.iso3) score += ci == 0 ? 12 : 6;
      }
      if (p.iso3 == options.default_country) score += 4;
      if (p.kind != PlaceKind::kAdmin1) {
        for (const auto& [other, a1] : named_admin1) {
          if (other != m && *a1 == p.admin1) {
            score += kNamedAdmin1Bonus;
            break;
          }
        }
      }
      if (score > best_score) {
        best_score = score;
        best = static_cast<int32_t>(o.payload.index);
      }
    }
    if (best < 0) continue;
    PlaceHit h;
    h.begin = m->begin;
    h.end = m->end;
    h.span = tspan(h.begin, h.end);
    h.place = best;
    h.names_admin1 = names_admin1;
    // "800 Mandera teachers protested in Nairobi", "a Nairobi-bound bus was attacked in Mandera",
    // "pupils marched over the Wajir attack in Eldoret": the place describes people or a thing
    // and ranks below the places where things happen.
    if (m->end < n) {
      static constexpr std::string_view kModified[] = {
          "residents", "teachers", "traders", "students", "youths", "youth", "leaders", "mp",
          "mps", "governor", "senator", "businessman", "businessmen", "man", "woman", "men",
          "women", "supporters", "councillors", "politicians", "bound", "attack", "attacks",
          "bombing", "massacre", "officials", "elders", "farmers", "workers",
          "boda", "matatu", "operators", "herders", "community"};
      const auto& w = s.norms[m->end];
      h.modifier = In(w, kModified) &&
                   !(w == "bound" && !tokens[m->end].Is(kHyphenBefore));
    }
    // "the Nyeri-Nanyuki road", "Thika Road": a town in a road's name.
    for (uint32_t k = m->end; k < n && k <= m->end + 3; ++k) {
      if (In(s.norms[k], kRoadWords)) {
        h.road = true;
        break;
      }
      if (tokens[k].Is(kPunct) || (!tokens[k].Is(kHyphenBefore) && !tokens[k].Is(kCapital))) break;
    }
    s.places.push_back(h);
  }
  // "the border", "the border area": the last border named in the article.
  for (uint32_t k = 1; k < n; ++k) {
    if (s.norms[k] == "border" && !cover[k] && (s.norms[k - 1] == "the" || s.norms[k - 1] == "porous")) {
      PlaceHit h;
      h.begin = k - 1;
      h.end = k + 1;
      if (k + 1 < n && (s.norms[k + 1] == "area" || s.norms[k + 1] == "region")) h.end = k + 2;
      h.span = tspan(h.begin, h.end);
      h.anaphor = true;
      h.place = ctx->last_border;
      if (h.place >= 0) s.places.push_back(h);
    }
  }
  std::sort(s.places.begin(), s.places.end(),
            [](const PlaceHit& a, const PlaceHit& b) { return a.begin < b.begin; });
  for (auto& p : s.places) p.possessive = tokens[p.end - 1].Is(kPossessive);
  std::sort(s.actors.begin(), s.actors.end(),
            [](const ActorHit& a, const ActorHit& b) { return a.begin < b.begin; });
  for (const auto& p : s.places) {
    const PlaceEntry& e = lex.places[static_cast<size_t>(p.place)];
    if (e.kind == PlaceKind::kBorder) ctx->last_border = p.place;
    if (std::find(ctx->countries.begin(), ctx->countries.end(), e.iso3) == ctx->countries.end()) {
      ctx->countries.push_back(e.iso3);
    }
  }
  for (auto& a : s.actors) {
    {
      static constexpr std::string_view kLinkWords[] = {
          "linked", "links", "link", "ties", "allied", "affiliated", "loyal", "sympathetic",
          "supported", "supporting", "join", "joined", "joining", "sympathisers", "sympathizers",
          "sympathiser", "sympathizer"};
      uint32_t k = a.begin;
      if (k > 0 && (s.norms[k - 1] == "the" || s.norms[k - 1] == "suspected")) --k;
      if (k > 0 && (s.norms[k - 1] == "to" || s.norms[k - 1] == "with" || s.norms[k - 1] == "of")) --k;
      a.linked = k > 0 && k < a.begin && In(s.norms[k - 1], kLinkWords);
      if (!a.linked && k > 0 && k == a.begin && In(s.norms[k - 1], kLinkWords) &&
          s.norms[k - 1] != "ties" && s.norms[k - 1] != "links") {
        a.linked = true;  // "supported Al Shabaab", "joined Al Shabaab"
      }
    }
    bool modifier = false;
    for (const auto& t : s.triggers) modifier |= t.begin == a.end && IsViolent(t.feature);
    for (uint32_t k = a.begin; k-- > 0 && a.begin - k <= 2 && !modifier;) {
      if (s.norms[k] == "by") a.after_by = true;
      if (s.norms[k] == "of" || s.norms[k] == "on" || s.norms[k] == "against") a.after_of = true;
      if (tokens[k].Is(kPunct)) break;
    }
  }

  // Numbers (not inside dates or names).
  for (uint32_t k = 0; k < n; ++k) {
    if (cover[k] && !tokens[k].Is(kNumber)) used[k] = used[k] || false;
  }
  thread_local std::vector<NumberMatch> numbers;
  FindNumbers(tokens, used, &numbers);
  for (auto& m : numbers) {
    if (m.begin > 0 && s.norms[m.begin - 1] == "no") {
      m.value = 0;
      m.qualifier.clear();
      --m.begin;
    }
    s.numbers.push_back({m, tspan(m.begin, m.end)});
  }

  // Posture triggers need an owner: "withdrawal of troops", "Kenya's withdrawal", "troops leave".
  bool force_words = false;
  for (uint32_t k = 0; k < n; ++k) {
    const auto& w = s.norms[k];
    if (w == "troops" || w == "forces" || w == "soldiers" || w == "peacekeepers" ||
        w == "mission" || w == "contingent" || w == "army" || w == "military") {
      force_words = true;
    }
  }
  for (const auto& a : s.actors) {
    const auto& cat = lex.actors[static_cast<size_t>(a.actor)].category;
    if (cat == "External/Other forces") force_words = true;
  }
  for (auto& h : s.triggers) {
    if (h.feature == F::WITHDRAW) {
      const bool nominal = h.word == "withdrawal" || h.word == "drawdown" ||
                           h.word == "departure" || h.word == "exit" || h.word == "pullout" ||
                           h.word == "draw";
      if (nominal) {
        bool owner = false;
        // Owner before: possessive actor/country within three words.
        for (const auto& a : s.actors) owner |= a.end <= h.begin && h.begin - a.end <= 2;
        for (const auto& p : s.places) {
          owner |= p.end <= h.begin && h.begin - p.end <= 2 &&
                   lex.places[static_cast<size_t>(p.place)].kind == PlaceKind::kCountry;
        }
        // Owner after: "of <troops|actor>".
        if (h.end < n && s.norms[h.end] == "of") {
          for (uint32_t k = h.end + 1; k < n && k <= h.end + 5; ++k) {
            const auto& w = s.norms[k];
            if (w == "troops" || w == "forces" || w == "soldiers" || w == "peacekeepers") owner = true;
          }
          for (const auto& a : s.actors) owner |= a.begin > h.end && a.begin <= h.end + 4;
        }
        h.valid = owner;
      } else {
        h.valid = force_words;
      }
    } else if (h.feature == F::DEPLOY || h.feature == F::SUCCEED || h.feature == F::BEGIN) {
      h.valid = force_words;
    } else if (h.feature >= F::SD_MOVE && h.feature <= F::SD_CHANGE) {
      // "Movement of forces: ...", "Property destruction: ...": a coder's heading names the
      // strategic development, only at the start of a sentence and before a colon.
      h.valid = h.begin == 0 && h.end < n && s.norms[h.end] == ":";
    } else if (h.feature == F::CLOSE || h.feature == F::REOPEN) {
      bool border = false;
      for (uint32_t k = 0; k < n; ++k) border |= s.norms[k] == "border" || s.norms[k] == "borders";
      h.valid = border;
    }
  }

  for (const auto& h : s.triggers) {
    if (!h.negated && h.valid) s.all.set(FI(h.feature));
  }
  // Clause boundaries.
  s.splits.push_back(0);
  for (uint32_t k = 1; k < n; ++k) {
    const auto& w = s.norms[k];
    // "." inside a sentence: ICU does not end a sentence before a lower-case word ("... in X
    // (Y district). 3 fatalities.").
    if (w == ";" || w == ":" || w == "," || w == "(" || w == "\"" || w == "." ||
        In(w, kSplitWords)) {
      if (s.splits.back() != k) s.splits.push_back(k);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Groups: clauses of a sentence that describe one incident or fact.

struct Group {
  uint32_t begin = 0, end = 0;  // tokens
  Features features;
  bool violent = false, strategic = false, posture = false;
  bool own_place = false, own_date = false;
};

std::vector<Group> MakeGroups(const Sentence& s) {
  std::vector<Group> segs;
  for (size_t i = 0; i < s.splits.size(); ++i) {
    Group g;
    g.begin = s.splits[i];
    g.end = i + 1 < s.splits.size() ? s.splits[i + 1] : s.ntokens;
    segs.push_back(g);
  }
  auto fill = [&](Group* g) {
    g->features.reset();
    g->violent = g->strategic = g->posture = false;
    g->own_place = g->own_date = false;
    for (const auto& t : s.triggers) {
      if (t.begin < g->begin || t.begin >= g->end) continue;
      if (t.negated || !t.valid) continue;
      g->features.set(FI(t.feature));
      g->violent |= IsViolent(t.feature);
      g->strategic |= IsStrategic(t.feature);
      g->posture |= IsPosture(t.feature);
    }
    for (const auto& p : s.places) g->own_place |= p.begin >= g->begin && p.begin < g->end;
    for (const auto& d : s.dates) g->own_date |= d.d.begin >= g->begin && d.d.begin < g->end;
  };
  for (auto& g : segs) fill(&g);
  // Attach clauses without a trigger to the previous clause with one (or the next).
  std::vector<Group> out;
  Group pending;
  bool has_pending = false;
  for (auto& g : segs) {
    const bool trig = g.violent || g.strategic || g.posture;
    if (!trig) {
      if (!out.empty()) {
        out.back().end = g.end;
      } else if (has_pending) {
        pending.end = g.end;
      } else {
        pending = g;
        has_pending = true;
      }
      continue;
    }
    if (has_pending) {
      g.begin = pending.begin;
      has_pending = false;
    }
    if (!out.empty()) {
      Group& prev = out.back();
      fill(&prev);
      const bool same_kind = (prev.violent || prev.strategic) == (g.violent || g.strategic);
      const bool separate = !same_kind || (prev.own_place && g.own_place) ||
                            (prev.own_date && g.own_date);
      if (!separate) {
        prev.end = g.end;
        continue;
      }
    }
    out.push_back(g);
  }
  if (out.empty() && has_pending) return {};
  for (auto& g : out) fill(&g);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Items.

struct Draft {
  Item item;
  size_t sentence = 0;
  int32_t place = -1;
  bool place_inherited = false;
  bool needs_place = false, needs_date = false, needs_agent = false;
  std::string country;  // ISO3 used for {country}
  int32_t agent_actor = -1, agent_demonym = -1, agent_ethnic = -1;
  bool agent_by = false;  // the agent was named with "by" ("killed by police")
  bool fatality_implied = false;  // one death read from a singular victim, not a number
  bool crowd_agent = false;  // the perpetrators are a crowd of residents, students, ... (a riot)
  bool protest_first = false;  // the incident's first event word is a protest word
  int32_t victim_actor = -1, victim_demonym = -1, victim_ethnic = -1;
  TextSpan agent_span, victim_span;
  uint32_t trigger_token = 0;
  Features features;  // of the clause group the item came from
};

std::string FillName(const Lexicon& lex, const ActorEntry& a, int32_t demonym, int32_t ethnic,
                     const std::string& country_iso3, std::string* iso_out) {
  std::string iso = a.iso3;
  if (iso.empty() && demonym >= 0) iso = lex.demonyms[static_cast<size_t>(demonym)].iso3;
  if (iso.empty() && ethnic >= 0 && country_iso3.empty()) {
    iso = lex.ethnics[static_cast<size_t>(ethnic)].iso3;
  }
  if (iso.empty()) iso = country_iso3;
  std::string name = a.name;
  auto replace = [&](std::string_view key, const std::string& value) {
    const size_t p = name.find(key);
    if (p != std::string::npos) name.replace(p, key.size(), value);
  };
  replace("{country}", lex.CountryName(iso));
  if (ethnic >= 0) replace("{ethnic}", lex.ethnics[static_cast<size_t>(ethnic)].name);
  // ACLED names Somalia's communal militias after the clan: "Marehan Clan Militia (Somalia)".
  if (iso == "SOM") replace("Ethnic Militia (", "Clan Militia (");
  if (iso_out) *iso_out = iso;
  return name;
}

int PlaceRank(PlaceKind k) {
  switch (k) {
    case PlaceKind::kCity: return 4;
    case PlaceKind::kAdmin2: return 3;
    case PlaceKind::kAdmin1: return 2;
    case PlaceKind::kBorder: return 2;
    case PlaceKind::kCountry: return 1;
  }
  return 0;
}

void SetPlace(const Lexicon& lex, Draft* d, int32_t place, TextSpan span, std::string_view written) {
  const PlaceEntry& p = lex.places[static_cast<size_t>(place)];
  Event& e = d->item.event;
  d->place = place;
  e.place = p.name;
  e.country_iso3 = p.iso3;
  e.admin1 = p.admin1;
  e.admin2 = p.admin2;
  e.location = p.loc;
  switch (p.kind) {
    case PlaceKind::kCity: e.geo_precision = GeoPrecision::kExact; break;
    case PlaceKind::kAdmin2: e.geo_precision = GeoPrecision::kAdmin2; break;
    case PlaceKind::kAdmin1: e.geo_precision = GeoPrecision::kAdmin1; break;
    case PlaceKind::kBorder: e.geo_precision = GeoPrecision::kAdmin1; break;
    case PlaceKind::kCountry: e.geo_precision = GeoPrecision::kCountry; break;
  }
  d->item.place_text = std::string(written);
  d->item.spans["place"] = span;
}

struct Decision {
  std::string type, sub_type, label;
  bool found = false;
};

Decision DecideViolent(const Features& f, std::string_view cat1, std::string_view cat2,
                       bool protest_actor, bool rioter_actor, bool protest_first = false) {
  Decision d;
  d.found = true;
  auto set = [&](std::string_view t, std::string_view s, std::string_view l) {
    d.type = t;
    d.sub_type = s;
    d.label = l;
  };
  const bool protest = f[FI(F::PROTEST)] || protest_actor;
  // Stones, vandalism, destruction: a riot when a crowd does it, not an armed group or a force
  // ("militants vandalised a mast", "soldiers destroyed a camp").
  // The police named are then usually the crowd's target ("residents hurled stones at police").
  const bool riot_act =
      f[FI(F::RIOTACT)] && (!IsArmed(cat1) || protest || cat1 == "State forces");
  // "Hawkers clashed with police", "running battles with police": a crowd against the police is
  // a riot; an armed group against them is a battle.
  const bool crowd_clash = f[FI(F::RIOTCLASH)] && (!IsArmed(cat1) || cat1 == "State forces");
  const bool riot = f[FI(F::RIOT)] || rioter_actor || (f[FI(F::RIOTCLASH)] && protest) ||
                    riot_act || crowd_clash;
  const bool armed_damage = f[FI(F::RIOTACT)] && !riot_act;
  const bool killing = f[FI(F::KILL)];
  if (f[FI(F::SUICIDE)]) {
    set("Explosions/Remote violence", "Suicide bomb", "suicide bombing");
  } else if (f[FI(F::AIR)]) {
    set("Explosions/Remote violence", "Air/drone strike", "air/drone strike");
  } else if (f[FI(F::SHELL)]) {
    set("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling");
  } else if (f[FI(F::GRENADE)]) {
    set("Explosions/Remote violence", "Grenade", "grenade attack");
  } else if (f[FI(F::IED)]) {
    set("Explosions/Remote violence", "Remote explosive/landmine/IED", "explosion");
  } else if (!protest && (f[FI(F::MOB)] ||
                          (riot && (f[FI(F::ATTACK)] || f[FI(F::INJURE)] || killing) &&
                           !f[FI(F::RIOT)]))) {
    // A crowd that attacks people without demonstrating for anything is a mob ("youths pelted
    // rally-goers with stones and injured two").
    set("Riots", "Mob violence", "mob violence");
  } else if (riot || (protest && (f[FI(F::BURN)] || f[FI(F::LOOT)] || f[FI(F::RIOTCLASH)] ||
                                   f[FI(F::CLASH)]))) {
    set("Riots", "Violent demonstration", "violent demonstration");
  } else if (protest && !f[FI(F::CLASH)] &&
             (protest_first ||
              !(killing && !IsArmed(cat2) && IsArmed(cat1) && cat1 != "State forces"))) {
    // "Journalists protest the killing of a colleague by thugs": the protest comes first and
    // the killing is what it is about.
    if (killing && (cat2 == "State forces" || cat1 == "State forces" || f[FI(F::INTERVENE)])) {
      set("Protests", "Excessive force against protesters", "excessive force against protesters");
    } else if (f[FI(F::INTERVENE)] || f[FI(F::ARREST)]) {
      set("Protests", "Protest with intervention", "protest with intervention");
    } else {
      set("Protests", "Peaceful protest", "peaceful protest");
    }
  } else if (f[FI(F::SEXUAL)]) {
    set("Violence against civilians", "Sexual violence", "sexual violence");
  } else if (f[FI(F::ABDUCT)] && !killing) {
    set("Violence against civilians", "Abduction/forced disappearance", "abduction");
  } else if (f[FI(F::CLASH)] || (IsArmed(cat1) && IsArmed(cat2) &&
                                 (f[FI(F::ATTACK)] || killing || f[FI(F::INJURE)]))) {
    if (f[FI(F::RETAKE)] && (cat1 == "State forces" || cat1 == "External/Other forces")) {
      set("Battles", "Government regains territory", "government regains territory");
    } else if (f[FI(F::CAPTURE)] && cat1 != "State forces" && !cat1.empty()) {
      set("Battles", "Non-state actor overtakes territory", "non-state actor overtakes territory");
    } else {
      set("Battles", "Armed clash", "armed clash");
    }
  } else if (f[FI(F::ATTACK)] || killing || f[FI(F::INJURE)] || f[FI(F::ABDUCT)] ||
             f[FI(F::BURN)] || armed_damage) {
    if ((f[FI(F::BURN)] || armed_damage) && !f[FI(F::ATTACK)] && !killing && !f[FI(F::INJURE)] &&
        !f[FI(F::ABDUCT)]) {
      set("Strategic developments", "Looting/property destruction", "property destruction");
    } else {
      set("Violence against civilians", "Attack", "attack");
    }
  } else if (f[FI(F::LOOT)]) {
    set("Strategic developments", "Looting/property destruction", "looting");
  } else {
    d.found = false;
  }
  return d;
}

Decision DecideStrategic(const Features& f) {
  Decision d;
  d.found = true;
  if (f[FI(F::DISRUPT)]) {
    d = {"Strategic developments", "Disrupted weapons use", "disrupted weapons use", true};
  } else if (f[FI(F::AGREEMENT)]) {
    d = {"Strategic developments", "Agreement", "agreement", true};
  } else if (f[FI(F::ARREST)]) {
    d = {"Strategic developments", "Arrests", "arrests", true};
  } else if (f[FI(F::CAPTURE)] || f[FI(F::RETAKE)]) {
    d = {"Strategic developments", "Non-violent transfer of territory", "transfer of territory", true};
  } else if (f[FI(F::RECRUIT)]) {
    d = {"Strategic developments", "Change to group/activity", "recruitment", true};
  } else if (f[FI(F::DISPLACE)] || f[FI(F::OTHER_SD)]) {
    d = {"Strategic developments", "Other", "displacement", true};
  } else {
    d.found = false;
  }
  return d;
}

// The strategic development a heading names ("Movement of forces: ..."), if any.
Decision HeadingDecision(const Features& f) {
  struct Heading {
    F feature;
    std::string_view sub_type, label;
  };
  static constexpr Heading kHeadings[] = {
      {F::SD_MOVE, "Change to group/activity", "movement of forces"},
      {F::SD_CHANGE, "Change to group/activity", "change to group/activity"},
      {F::SD_PROPERTY, "Looting/property destruction", "property destruction"},
      {F::SD_DISRUPT, "Disrupted weapons use", "disrupted weapons use"},
      {F::SD_ARREST, "Arrests", "arrests"},
      {F::SD_AGREEMENT, "Agreement", "agreement"},
      {F::SD_BASE, "Headquarters or base established", "base established"},
      {F::SD_TRANSFER, "Non-violent transfer of territory", "transfer of territory"},
      {F::SD_OTHER, "Other", "non-violent activity"},
  };
  for (const auto& h : kHeadings) {
    if (f[FI(h.feature)]) {
      return {"Strategic developments", std::string(h.sub_type), std::string(h.label), true};
    }
  }
  return {};
}

constexpr size_t kMaxGroupsPerSentence = 8;
// A number followed by a noun outside the head list is a casualty count when a killing or
// injury word follows within this many words.
constexpr uint32_t kGenericHeadReach = 6;
// Nouns after a number that are never casualties (units, animals, property).
constexpr std::string_view kNotVictims[] = {
    "days", "day", "hours", "hour", "weeks", "week", "months", "month", "years", "year", "times",
    "km", "kilometres", "kilometers", "miles", "metres", "meters", "houses", "house", "homes",
    "shops", "vehicles", "vehicle", "cattle", "animals", "livestock", "goats", "sheep", "camels",
    "cows", "donkeys", "head", "heads", "acres", "rounds", "bullets", "guns", "rifles",
    "firearms", "cars", "buses", "trucks", "lorries", "motorbikes", "huts", "manyattas",
    "villages", "schools", "percent", "per", "shillings", "ksh", "am", "pm", "hrs", "others",
    "of", "in", "at", "on", "to", "were", "was", "are", "is", "had", "have", "has", "by"};
// ChoosePlace: any place not introduced by "from" outranks every place that is; then places in
// the country most places of the sentence lie in; then the finer kind of place.
constexpr int kNotOriginBonus = 1000;
constexpr int kCountryVoteWeight = 10;
constexpr int kMaxCountryVotes = 9;

class ArticleExtractor {
 public:
  ArticleExtractor(const Lexicon& lex, std::string_view text, const ExtractOptions& options)
      : lex_(lex), text_(text), options_(options) {}

  void AddSentence(std::vector<Token>& tokens, TextSpan span) {
    // A piece cut from an over-long "sentence" (kMaxSentenceTokens) is rarely prose: fewer items.
    const size_t max_groups = tokens.size() >= kMaxSentenceTokens ? 3 : kMaxGroupsPerSentence;
    sentences_.push_back(Analyze(lex_, tokens, span, options_, &ctx_));
    const size_t si = sentences_.size() - 1;
    const Sentence& s = sentences_.back();
    // Work per sentence is capped: at most kMaxGroupsPerSentence incidents from one sentence
    // (a run-on or cut piece of a huge line would otherwise yield hundreds).
    size_t groups = 0;
    for (const Group& g : MakeGroups(s)) {
      if (++groups > max_groups) break;
      BuildItems(si, s, g);
    }
    Compact(&sentences_.back());
  }

  // Keeps of a finished sentence only what Complete() reads as context for other items: the
  // place, dates and armed group it would pick. So context memory is a few entries per sentence
  // whatever the sentence's length.
  void Compact(Sentence* s) const {
    int best_any = -1, best_own = -1, rank_any = -1, rank_own = -1;
    for (size_t i = 0; i < s->places.size(); ++i) {
      const PlaceEntry& e = lex_.places[static_cast<size_t>(s->places[i].place)];
      const int r = PlaceRank(e.kind);
      if (r > rank_any) {
        rank_any = r;
        best_any = static_cast<int>(i);
      }
      if (!(e.kind == PlaceKind::kCountry && s->places[i].possessive) && r > rank_own) {
        rank_own = r;
        best_own = static_cast<int>(i);
      }
    }
    std::vector<PlaceHit> places;
    for (int i : {std::min(best_any, best_own), std::max(best_any, best_own)}) {
      if (i >= 0 && (places.empty() || places.back().begin != s->places[static_cast<size_t>(i)].begin)) {
        places.push_back(s->places[static_cast<size_t>(i)]);
      }
    }
    s->places.swap(places);
    int first_day = -1, last_dw = -1;
    for (size_t i = 0; i < s->dates.size(); ++i) {
      const auto& d = s->dates[i].d;
      if (!d.resolved || d.since || d.deadline || d.attributive) continue;
      if (d.precision == DatePrecision::kDay && first_day < 0) first_day = static_cast<int>(i);
      if (d.precision == DatePrecision::kDay || d.precision == DatePrecision::kWeek) {
        last_dw = static_cast<int>(i);
      }
    }
    std::vector<DateHit> dates;
    for (int i : {std::min(first_day, last_dw), std::max(first_day, last_dw)}) {
      if (i >= 0 && (dates.empty() || dates.back().d.begin != s->dates[static_cast<size_t>(i)].d.begin)) {
        dates.push_back(s->dates[static_cast<size_t>(i)]);
      }
    }
    s->dates.swap(dates);
    std::vector<ActorHit> actors;
    for (auto a = s->actors.rbegin(); a != s->actors.rend(); ++a) {
      const ActorEntry& e = lex_.actors[static_cast<size_t>(a->actor)];
      if ((e.category == "Rebel group" || e.category == "Political militia" ||
           e.category == "Identity militia") && !e.generic) {
        actors.push_back(*a);
        break;
      }
    }
    s->actors.swap(actors);
    std::vector<std::string>().swap(s->norms);
    std::vector<uint16_t>().swap(s->flags);
    std::vector<TriggerHit>().swap(s->triggers);
    std::vector<CountHit>().swap(s->numbers);
    std::vector<uint32_t>().swap(s->splits);
  }

  void Finish(std::vector<Item>* out) {
    // Drafts are completed and handed over one at a time; the deque frees its blocks as it
    // empties, so the items exist once in memory, not twice.
    if (out->empty()) out->reserve(drafts_.size());  // later articles: geometric growth
    while (!drafts_.empty()) {
      Complete(&drafts_.front());
      out->push_back(std::move(drafts_.front().item));
      drafts_.pop_front();
    }
  }

 private:
  std::string_view Text(TextSpan sp) const { return text_.substr(sp.begin, sp.end - sp.begin); }

  // The country named as subject before `token` ("Kenya has established"), if any.
  std::string SubjectCountry(const Sentence& s, uint32_t token) const {
    for (const auto& p : s.places) {
      if (p.begin >= token) break;
      const PlaceEntry& e = lex_.places[static_cast<size_t>(p.place)];
      if (e.kind == PlaceKind::kCountry && (p.begin == 0 || s.norms[p.begin - 1] == "," ||
                                            s.norms[p.begin - 1] == "that" ||
                                            s.flags[p.end - 1] & kPossessive)) {
        return e.iso3;
      }
    }
    return {};
  }

  // Whether the words between two places read as the second enclosing the first ("X in Y",
  // "X area of Y", "X village, Y County", "X (Y)") rather than a list ("X, Y and Z").
  static bool Encloses(const Sentence& s, const PlaceHit& p, const PlaceHit& q) {
    static constexpr std::string_view kLinks[] = {
        "in", "of", ",", "(", "area", "areas", "village", "estate", "town", "location",
        "division", "ward", "district", "county", "sub", "market", "centre", "center", "the",
        "sublocation", "constituency", "subcounty"};
    bool link = false;
    for (uint32_t k = p.end; k < q.begin; ++k) {
      const auto& w = s.norms[k];
      if (w == "and" || w == "or" || w == "to" || w == "from") return false;
      if (In(w, kLinks)) {
        link = true;
        continue;
      }
      if (!(s.flags[k] & kCapital)) return false;
    }
    if (!link) return false;
    if (q.end < s.ntokens && (s.norms[q.end] == "and" || s.norms[q.end] == "or")) return false;
    if (q.end + 1 < s.ntokens && s.norms[q.end] == "," && (s.flags[q.end + 1] & kCapital)) {
      return false;
    }
    return true;
  }

  int32_t ChoosePlace(const Sentence& s, const Group& g, uint32_t trigger, bool after_trigger) {
    int32_t best = -1;
    int best_rank = -1;
    for (size_t i = 0; i < s.places.size(); ++i) {
      const PlaceHit& p = s.places[i];
      if (p.begin < g.begin || p.begin >= g.end) continue;
      const PlaceEntry& e = lex_.places[static_cast<size_t>(p.place)];
      // A possessive country is an actor ("Somalia's request"), not where things happen.
      if (e.kind == PlaceKind::kCountry && p.possessive) continue;
      // The country most of the sentence's places lie in wins (a village that shares its name
      // with a town abroad, named beside a Kenyan district and town, is the Kenyan one).
      int votes = 0;
      for (const auto& o : s.places) {
        votes += lex_.places[static_cast<size_t>(o.place)].iso3 == e.iso3 ? 1 : 0;
      }
      // A town named only in a road's name ranks below the admin areas and towns of the clause
      // named otherwise, above a country.
      int rank = std::min(votes, kMaxCountryVotes) * kCountryVoteWeight +
                 (p.road || p.modifier
                      ? std::min(PlaceRank(PlaceKind::kAdmin1) * 2 - 1, PlaceRank(e.kind) * 2 - 1)
                      : PlaceRank(e.kind) * 2);
      // Between equal places, one in the article's first country ("Kibuye" the Rwandan town
      // named after a Kenyan road).
      if (!ctx_.countries.empty() && e.iso3 == ctx_.countries.front()) rank += 1;
      if (after_trigger && p.begin >= trigger) rank += 1;
      // "raiders from Pokot attacked ... in Turkana": where they came from is not where it happened.
      uint32_t k = p.begin;
      if (k > 0 && s.norms[k - 1] == "the") --k;
      if (k == 0 || s.norms[k - 1] != "from") rank += kNotOriginBonus;
      // "a market in Ruiru South, Kiambu county", "the Majengo area of Mombasa": a town
      // followed closely by the admin area it lies in. When the gazetteer's town of that name
      // lies in another admin area it is a namesake of the place meant: the admin area wins.
      if (e.kind == PlaceKind::kCity || e.kind == PlaceKind::kAdmin2 ||
          e.kind == PlaceKind::kAdmin1) {
        for (const auto& q : s.places) {
          if (q.begin < p.end || q.begin > p.end + 5 || !Encloses(s, p, q)) continue;
          const PlaceEntry& qe = lex_.places[static_cast<size_t>(q.place)];
          if ((qe.kind == PlaceKind::kAdmin1 || q.names_admin1) && !qe.admin1.empty() &&
              ((qe.iso3 != e.iso3 && s.norms[q.end - 1] != "province") ||
               (qe.iso3 == e.iso3 && qe.admin1 != e.admin1 && e.kind != PlaceKind::kAdmin1))) {
            rank -= 2 * (PlaceRank(e.kind) - PlaceRank(PlaceKind::kAdmin1)) + 2;
            break;
          }
        }
      }
      if (rank > best_rank) {
        best_rank = rank;
        best = static_cast<int32_t>(i);
      }
    }
    return best;
  }

  // The date nearest to a token within the group (after it preferred), or -1.
  int32_t ChooseDate(const Sentence& s, const Group& g, uint32_t token) const {
    int32_t best = -1;
    int64_t best_dist = 1 << 30;
    for (size_t i = 0; i < s.dates.size(); ++i) {
      const auto& d = s.dates[i].d;
      if (d.begin < g.begin || d.begin >= g.end || d.attributive) continue;
      const int64_t dist = d.begin >= token ? int64_t{d.begin} - token : 2 * (int64_t{token} - d.end) + 1;
      if (dist < best_dist) {
        best_dist = dist;
        best = static_cast<int32_t>(i);
      }
    }
    return best;
  }

  void ApplyDate(Draft* d, const DateHit& h) {
    Item& it = d->item;
    it.spans["date"] = h.span;
    if (h.d.resolved) {
      it.has_date = true;
      it.event.date_start = h.d.start;
      it.event.date_end = h.d.end_date;
      it.event.date_precision = h.d.precision;
      // "Fighting which began on 14/05", "starting 5 May": the incident reported lies
      // between that day and the report.
      if (h.d.onward && it.kind != ItemKind::kPosture && options_.published &&
          *options_.published > h.d.end_date) {
        it.event.date_end = *options_.published;
      }
      it.date_note = h.d.relative ? "relative to the publication date" : "";
    } else {
      it.has_date = false;
      it.date_note = h.d.note;
    }
  }

  void FindCounts(const Sentence& s, const Group& g, Draft* d) {
    auto noun_after = [&](const CountHit& c, uint32_t* head) -> std::string_view {
      // The head noun within three words after the number (skipping adjectives and names).
      for (uint32_t k = c.n.end; k < g.end && k < s.ntokens && k <= c.n.end + 3; ++k) {
        if (s.flags[k] & kPunct) break;
        const auto& w = s.norms[k];
        if (k > c.n.end && (w == "and" || w == "or" || w == "but" || w == "while" ||
                            w == "after" || w == "as" || w == "before")) {
          break;
        }
        static constexpr std::string_view kHeads[] = {
            "people", "persons", "person", "civilians", "civilian", "students", "student",
            "villagers", "residents", "men", "women", "children", "man", "woman", "officers",
            "officer", "policemen", "policeman", "police", "soldiers", "soldier", "troops",
            "militants", "fighters", "attackers", "suspects", "members", "bandits", "raiders",
            "herders", "pupils", "passengers", "worshippers", "others", "bodies", "traders",
            "farmers", "teachers", "workers", "youths", "protesters", "demonstrators",
            "peacekeepers", "forces", "bases", "base", "camps", "attacks", "raids", "incidents",
            "killings", "clashes", "houses", "homes", "gunmen", "militiamen", "rioters", "of",
            "dead", "killed", "injured", "wounded", "died", "were", "was", "are", "have",
            "had", "others", "relatives", "individuals", "recruits", "boys", "girls",
            "tourists", "refugees", "guards", "rangers", "cattle", "animals", "livestock",
            "goats", "herds", "shops", "vehicles", "more", "robbers", "thieves", "criminals",
            "gangsters", "assailants", "insurgents", "rustlers", "thugs", "fatalities", "deaths",
            "death",
            "pastoralists", "tribesmen", "warriors", "mourners", "supporters", "drivers", "thieves",
            "kidnappers", "pirates", "poachers", "fishermen", "gangsters", "members"};
        // "six cattle thieves": the animals are a modifier of the people after them.
        if ((w == "cattle" || w == "livestock" || w == "goat" || w == "camel") && k + 1 < g.end &&
            k + 1 < s.ntokens && In(s.norms[k + 1], kHeads)) {
          continue;
        }
        // "One death reported" (not "3 beaten to death").
        if (w == "death" && k > c.n.end) break;
        if (In(w, kHeads)) {
          *head = k;
          return w;
        }
      }
      // Any other noun right after the number when a killing or injury word follows closely
      // ("1 trader robbed and later killed"), except units and property.
      const uint32_t k = c.n.end;
      bool trigger_word = false;
      for (const auto& t : s.triggers) trigger_word |= t.begin <= k && k < t.end;
      if (k < g.end && k < s.ntokens && (s.flags[k] & kWord) && !trigger_word &&
          !In(s.norms[k], kNotVictims) && !In(s.norms[k], kSplitWords)) {
        for (const auto& t : s.triggers) {
          if (t.negated || t.begin <= k || t.begin > k + kGenericHeadReach || t.begin >= g.end) {
            continue;
          }
          // A verb form ("killed", "shot dead", "died"), not a noun ("escaped death").
          const bool verb = t.word.ends_with("ed") || t.word == "shot" || t.word == "slain" ||
                            t.word == "died" || t.word == "hurt";
          if ((t.feature == F::KILL || t.feature == F::INJURE) && verb) {
            bool apart = false;
            for (uint32_t j = k + 1; j < t.begin; ++j) {
              apart |= (s.flags[j] & kPunct) != 0 || In(s.norms[j], kSplitWords);
            }
            if (!apart) {
              *head = k;
              return s.norms[k];
            }
          }
          break;
        }
      }
      return {};
    };
    auto set = [&](std::optional<Count>* slot, const CountHit& c, const char* key) {
      if (slot->has_value()) {
        if ((*slot)->value == c.n.value && c.n.value != 0) return;
        (*slot)->value += c.n.value;
        (*slot)->span.end = c.span.end;
      } else {
        *slot = Count{c.n.value, c.n.qualifier, c.span};
      }
      d->item.spans[key] = (*slot)->span;
    };
    std::vector<bool> used(s.numbers.size(), false);
    auto near_trigger = [&](uint32_t from, uint32_t to, F f) {
      for (const auto& t : s.triggers) {
        if (t.feature == f && !t.negated && t.begin >= from && t.begin < to) return true;
      }
      return false;
    };
    for (size_t i = 0; i < s.numbers.size(); ++i) {
      const CountHit& c = s.numbers[i];
      if (c.n.begin < g.begin || c.n.begin >= g.end) continue;
      uint32_t head = c.n.end;
      const std::string_view noun = noun_after(c, &head);
      if (noun == "attacks" || noun == "raids" || noun == "incidents" || noun == "killings" ||
          noun == "clashes") {
        set(&d->item.attacks, c, "attacks");
        used[i] = true;
        continue;
      }
      if (noun == "bases" || noun == "base" || noun == "camps") {
        set(&d->item.bases, c, "bases");
        used[i] = true;
        continue;
      }
      if (c.n.vague && noun.empty()) continue;
      if (noun.empty()) {
        // "shot dead 9", "kills 5 and": a bare number right after a killing word.
        const bool ends = c.n.end >= s.ntokens || (s.flags[c.n.end] & kPunct) ||
                          s.norms[c.n.end] == "and" || s.norms[c.n.end] == "in" ||
                          s.norms[c.n.end] == "on" || s.norms[c.n.end] == "at" ||
                          s.norms[c.n.end] == "during" || s.norms[c.n.end] == "others" ||
                          s.norms[c.n.end] == "al" || s.norms[c.n.end] == "of";
        // "killed two Kenya Defence Forces (KDF) soldiers": right after the killing word.
        bool right_after = false;
        for (const auto& t : s.triggers) {
          right_after |= t.feature == F::KILL && !t.negated && t.end == c.n.begin &&
                         t.word != "death" && t.word != "deaths" && t.word != "dead";
          // "1 shot dead", "2 gunned down": the number is the subject of the killing word.
          right_after |= t.feature == F::KILL && !t.negated && t.begin == c.n.end &&
                         (t.word == "shot" || t.word == "gunned" || t.word == "hacked" ||
                          t.word == "stabbed" || t.word == "beaten" || t.word == "burnt" ||
                          t.word == "burned" || t.word == "speared" || t.word == "clubbed");
        }
        const bool unit = c.n.end < s.ntokens &&
                          (s.norms[c.n.end] == "days" || s.norms[c.n.end] == "hours" ||
                           s.norms[c.n.end] == "weeks" || s.norms[c.n.end] == "head" ||
                           s.norms[c.n.end] == "years" || s.norms[c.n.end] == "times");
        if (c.n.begin > 0 && ((ends && near_trigger(c.n.begin > 3 ? c.n.begin - 3 : 0, c.n.begin, F::KILL)) ||
                              (right_after && !unit && !c.n.vague))) {
          set(&d->item.fatalities, c, "fatalities");
          used[i] = true;
        }
        continue;
      }
      if (noun == "cattle" || noun == "animals" || noun == "livestock" || noun == "goats" ||
          noun == "herds" || noun == "houses" || noun == "homes" || noun == "shops" ||
          noun == "vehicles") {
        continue;
      }
      // Fatality or injury: the nearest killing/injury word after the noun (within 8 words, the
      // same clause), else before the number (within 4 words: "killing 1 Mungiki member").
      const uint32_t after_end = std::min<uint32_t>(g.end, head + 9);
      F which = F::kCount;
      // "killing seven people and kidnapping three": the word right before the number first.
      for (const auto& t : s.triggers) {
        if (!t.negated && t.end == c.n.begin &&
            (t.feature == F::KILL || t.feature == F::INJURE || t.feature == F::ARREST ||
             t.feature == F::ABDUCT)) {
          which = t.feature;
        }
      }
      for (const auto& t : s.triggers) {
        if (which != F::kCount) break;
        if (t.negated || t.end <= head || t.begin >= after_end) continue;  // covers or follows
        // "two kidnappers were lynched": a person noun that is itself a trigger word is who,
        // not what happened to them.
        if (t.begin <= head && t.feature == F::ABDUCT) continue;
        if (t.feature == F::KILL || t.feature == F::INJURE || t.feature == F::ARREST ||
            t.feature == F::ABDUCT) {
          which = t.feature;
          break;
        }
      }
      if (which == F::kCount) {
        for (auto t = s.triggers.rbegin(); t != s.triggers.rend(); ++t) {
          if (t->negated || t->end > c.n.begin || t->end + 4 < c.n.begin) continue;
          if (t->feature == F::KILL || t->feature == F::INJURE || t->feature == F::ARREST ||
              t->feature == F::ABDUCT) {
            which = t->feature;
            break;
          }
        }
      }
      if (which == F::KILL) {
        set(&d->item.fatalities, c, "fatalities");
      } else if (which == F::INJURE) {
        set(&d->item.injured, c, "injured");
      } else if (which == F::ARREST) {
        set(&d->item.arrested, c, "arrested");
      } else if (noun == "troops" || noun == "soldiers" || noun == "peacekeepers" ||
                 noun == "forces" || noun == "police" || noun == "officers") {
        if (d->item.kind == ItemKind::kPosture) set(&d->item.troops, c, "troops");
      }
      used[i] = true;
    }
    // A killing with no number: one victim when the victim is singular ("a man was shot dead").
    if (!d->item.fatalities) {
      for (const auto& t : s.triggers) {
        if (t.feature != F::KILL || t.negated || t.begin < g.begin || t.begin >= g.end) continue;
        bool singular = false, plural = false;
        // The victim is the object after an active killing word, the subject before a passive
        // one (the agents "gunmen shot dead a man" are not counted).
        const bool passive = Passive(s, t);
        const uint32_t from = passive ? std::max(ClauseStart(s, t.begin), t.begin > 6 ? t.begin - 6 : 0)
                                      : t.end;
        const uint32_t to = passive ? t.begin : std::min<uint32_t>(s.ntokens, t.end + 4);
        for (uint32_t k = std::max(from, g.begin); k < std::min(to, g.end); ++k) {
          const auto& w = s.norms[k];
          if (w == "him" || w == "her" || w == "man" || w == "woman" || w == "boy" ||
              w == "girl" || w == "policeman" || w == "officer" || w == "soldier" ||
              w == "chief" || w == "trader" || w == "student" || w == "teacher" ||
              w == "farmer" || w == "businessman" || w == "suspect" || w == "herder" ||
              w == "person" || w == "pastor" || w == "elder" || w == "child" || w == "driver" ||
              w == "resident" || w == "villager" || w == "civilian" || w == "constable" ||
              w == "mp" || w == "councillor" || w == "rapist" || w == "thief" || w == "robber" ||
              w == "wife" || w == "husband" || w == "cleric" || w == "journalist" ||
              w == "guard" || w == "herdsman" || w == "youth" || w == "member" ||
              w == "colleague" || w == "legislator" || w == "staff") {
            singular = true;
          }
          if (w == "people" || w == "villagers" || w == "residents" || w == "officers" ||
              w == "civilians" || w == "students" || w == "men" || w == "women" ||
              w == "them" || w == "many" || w == "several" || w == "members" ||
              w == "soldiers" || w == "troops" || w == "policemen" || w == "others" ||
              w == "deaths" || w == "killings" || w == "dozens" || w == "scores") {
            plural = true;
          }
        }
        // "shoot dead a gunman", "a member of X is killed": an indefinite article names one victim.
        for (uint32_t k = std::max(from, g.begin); k + 1 < std::min(to, g.end) && !singular; ++k) {
          const auto& w = s.norms[k];
          if (w != "a" && w != "an") continue;
          const auto& nx = s.norms[k + 1];
          if (nx == "group" || nx == "number" || nx == "series" || nx == "crowd" || nx == "mob" ||
              nx == "gang" || nx == "total" || nx == "lot" || nx == "couple" || nx == "dozen" ||
              nx == "few" || nx == "spate" || nx == "wave" || nx == "row" || nx == "clash" ||
              nx == "raid" || nx == "attack" || nx == "suspected" || nx == "band" || nx == "hail") {
            continue;
          }
          // The article must be on the victim's side: after an active killing word, or before a
          // passive one ("a man was killed").
          const bool after = k >= t.end;
          bool passive = false;
          for (uint32_t j = t.begin > 3 ? t.begin - 3 : 0; j < t.begin; ++j) {
            const auto& v = s.norms[j];
            passive |= v == "was" || v == "is" || v == "been" || v == "being" || v == "got";
          }
          if (after || passive) singular = true;
        }
        if (!singular && !plural) SingularVictim(s, g, t, &singular, &plural);
        if (singular && !plural) {
          d->fatality_implied = true;
          d->item.fatalities = Count{1, "", t.span};
          d->item.spans["fatalities"] = t.span;
        }
        break;
      }
    }
    // Negated killing/injury: "no one was killed", "no injuries".
    for (const auto& t : s.triggers) {
      if (!t.negated || t.begin < g.begin || t.begin >= g.end) continue;
      if (t.feature == F::KILL && !d->item.fatalities) d->item.fatalities = Count{0, "", t.span};
      if (t.feature == F::INJURE && !d->item.injured) d->item.injured = Count{0, "", t.span};
    }
  }

  // Whether the trigger is passive, so that the actors named before it are its victims: "a
  // policeman was shot dead", "two officers were injured", "village elder killed" (a
  // headline participle with no object after it), "a man died".
  bool Passive(const Sentence& s, const TriggerHit& t) const {
    static constexpr std::string_view kIntransitive[] = {"dead", "died", "dies", "die", "death",
                                                         "deaths", "body", "bodies",
                                                         "fatalities", "lost", "drowned"};
    static constexpr std::string_view kIrregularParticiples[] = {
        "shot", "slain", "hurt", "beaten", "stolen", "taken", "hit", "struck", "caught", "held",
        "burnt", "speared", "stabbed", "hacked", "gunned"};
    const bool intransitive = t.feature == F::KILL && In(t.word, kIntransitive);
    const bool participle = (t.word.size() > 3 && t.word.ends_with("ed")) ||
                            In(t.word, kIrregularParticiples);
    if (!participle && !intransitive) return false;
    if (participle) {
      for (uint32_t k = t.begin; k-- > 0 && t.begin - k <= 3;) {
        if (s.flags[k] & kPunct) break;
        if (In(s.norms[k], kPassiveAux)) return true;
      }
    }
    if (t.feature != F::KILL && t.feature != F::INJURE && t.feature != F::ABDUCT) return false;
    // A headline participle or "X died": a subject right before it, no violent verb before that
    // in the clause ("gunmen shoot a policeman dead") and no object after it.
    if (t.begin == 0 || s.norms[t.begin - 1] == "to") return false;
    const uint32_t clause = ClauseStart(s, t.begin);
    for (const auto& o : s.triggers) {
      if (o.begin >= clause && o.begin < t.begin && IsViolent(o.feature) && !o.negated) return false;
    }
    const uint32_t prev = t.begin - 1;
    if ((s.flags[prev] & kPunct) || In(s.norms[prev], kSplitWords) ||
        In(s.norms[prev], kPassiveAux)) {
      return false;
    }
    if (t.end >= s.ntokens) return true;
    const auto& next = s.norms[t.end];
    if ((s.flags[t.end] & kNumber) || ((s.flags[t.end] & kCapital) && !(s.flags[t.end] & kPunct)) ||
        In(next, kObjectStart) || next == "suspected" || next == "alleged" ||
        next == "suspect" || next == "innocent" || next == "unarmed") {
      return false;
    }
    for (const auto& a : s.actors) {
      if (a.begin == t.end) return false;
    }
    return true;
  }

  // Number of the victim of a killing word from grammar when no victim word is known: the
  // auxiliary ("was killed" one, "were killed" several), the noun before a headline participle
  // ("village elder killed"), or the object of an active verb ("kill local pharmacist").
  void SingularVictim(const Sentence& s, const Group& g, const TriggerHit& t, bool* singular,
                      bool* plural) const {
    static constexpr std::string_view kSingularAux[] = {"was", "is"};
    static constexpr std::string_view kPluralAux[] = {"were", "are"};
    static constexpr std::string_view kSkip[] = {
        "a", "an", "the", "his", "her", "its", "their", "suspected", "alleged", "local", "young",
        "elderly", "former", "prominent", "unarmed", "innocent", "senior", "popular", "well",
        "known", "businessman's", "off", "duty", "traffic", "female", "male"};
    static constexpr std::string_view kNotNoun[] = {
        "in", "at", "on", "during", "and", "after", "while", "as", "when", "near", "with", "by",
        "for", "from", "following", "over", "outside", "inside", "along", "before", "but", "or",
        "who", "which", "that", "because", "to", "into", "of", "overnight", "instantly", "later",
        "yesterday", "today", "there", "here", "since", "again", "dead", "himself", "herself"};
    for (uint32_t k = t.begin; k-- > g.begin && t.begin - k <= 3;) {
      if (s.flags[k] & kPunct) break;
      if (s.norms[k] == "been" && k > 0) {
        *singular = s.norms[k - 1] == "has";
        *plural = s.norms[k - 1] == "have";
        if (*singular || *plural) return;
      }
      if (In(s.norms[k], kSingularAux)) {
        *singular = true;
        return;
      }
      if (In(s.norms[k], kPluralAux)) {
        *plural = true;
        return;
      }
    }
    static constexpr std::string_view kNounTriggers[] = {"death", "deaths", "body", "bodies",
                                                         "fatalities", "lost", "killings"};
    // A noun ("Fatalities unknown", "deaths") says nothing of the victims' number.
    if (In(t.word, kNounTriggers)) return;
    if (Passive(s, t)) {
      if (t.begin == g.begin) return;
      const uint32_t k = t.begin - 1;
      if (!(s.flags[k] & kWord) || (s.flags[k] & kNumber)) return;
      for (const auto& c : s.numbers) {
        if (c.n.end == t.begin) return;
      }
      if (IsPluralNoun(s.norms[k])) {
        *plural = true;
      } else if (!In(s.norms[k], kNotNoun) && !In(s.norms[k], kObjectStart)) {
        *singular = true;
      }
      return;
    }
    bool named = false;
    for (uint32_t k = t.end; k < g.end && k < s.ntokens && k < t.end + 5; ++k) {
      const auto& w = s.norms[k];
      if (s.flags[k] & kPunct) break;
      if (s.flags[k] & kNumber) return;
      if (In(w, kSkip)) continue;
      // "kill police reservist", "shot a security guard": a noun before the head noun.
      if ((w == "police" || w == "security" || w == "army" || w == "prison" ||
           w == "administration" || w == "kdf" || w == "gsu") &&
          k + 1 < g.end && k + 1 < s.ntokens && (s.flags[k + 1] & kWord) &&
          !(s.flags[k + 1] & kPunct) && !In(s.norms[k + 1], kNotNoun)) {
        continue;
      }
      if (s.flags[k] & kCapital) {
        named = true;
        continue;
      }
      if (IsPluralNoun(w)) {
        *plural = true;
      } else if (!In(w, kNotNoun) && !In(w, kObjectStart)) {
        *singular = true;
      } else if (named) {
        *singular = true;
      }
      return;
    }
    if (named) *singular = true;
  }

  // The first token of the clause (between commas, semicolons, "and", "after", ...) holding
  // `token`.
  static uint32_t ClauseStart(const Sentence& s, uint32_t token) {
    uint32_t start = 0;
    for (uint32_t b : s.splits) {
      if (b > token) break;
      start = b;
    }
    return start;
  }

  void AssignActors(const Sentence& s, const Group& g, const TriggerHit& first, Draft* d,
                    bool violent) {
    // Agent: "by X" after a violent word; else the first agent-like actor before the trigger in
    // the group (not when the trigger is passive: those are its victims); else the first
    // agent-like actor in the group.
    const uint32_t trigger = first.begin;
    const bool passive = violent && Passive(s, first);
    // The passive's subject (its victims) is in the trigger's own clause; an actor in an earlier
    // clause may still be the agent ("Police opened fire, eight killed").
    const uint32_t subject_from = passive ? ClauseStart(s, trigger) : trigger;
    auto subject = [&](const ActorHit& a) {
      return passive && a.begin >= subject_from && a.begin < trigger;
    };
    int32_t agent = -1, victim = -1;
    auto is_violent_near = [&](const ActorHit& a) {
      for (const auto& t : s.triggers) {
        if (IsViolent(t.feature) && t.end <= a.begin && a.begin - t.end <= 3) return true;
      }
      return false;
    };
    for (size_t i = 0; i < s.actors.size(); ++i) {
      const ActorHit& a = s.actors[i];
      if (a.begin < g.begin || a.begin >= g.end) continue;
      if (a.after_by && (!violent || is_violent_near(a))) {
        agent = static_cast<int32_t>(i);
        break;
      }
    }
    // "Residents attacked and killed a suspected thief", "a man was lynched by villagers": a
    // crowd of civilians doing violence is a mob (ACLED: Riots, actor Rioters).
    auto crowd = [&](const ActorHit& a) {
      static constexpr std::string_view kCrowd[] = {
          "residents", "villagers", "locals", "neighbours", "neighbors", "students", "pupils",
          "public", "crowd", "crowds"};
      return lex_.actors[static_cast<size_t>(a.actor)].category == "Civilians" &&
             In(s.norms[a.end - 1], kCrowd);
    };
    int32_t crowd_subject = -1;
    if (agent < 0 && violent) {
      for (size_t i = 0; i < s.actors.size(); ++i) {
        const ActorHit& a = s.actors[i];
        if (a.begin < g.begin || a.begin >= g.end || a.begin > trigger || subject(a)) continue;
        if (a.after_of || a.after_by) continue;
        if (crowd(a)) crowd_subject = static_cast<int32_t>(i);
        break;
      }
    }
    if (agent < 0) {
      for (size_t i = 0; i < s.actors.size(); ++i) {
        const ActorHit& a = s.actors[i];
        if (a.begin < g.begin || a.begin >= g.end || a.begin > trigger || subject(a)) continue;
        const ActorEntry& e = lex_.actors[static_cast<size_t>(a.actor)];
        if (e.role == Role::kVictim || a.after_of || a.after_by) continue;
        agent = static_cast<int32_t>(i);
        break;
      }
    }
    if (crowd_subject >= 0 &&
        (agent < 0 || s.actors[static_cast<size_t>(crowd_subject)].begin <
                          s.actors[static_cast<size_t>(agent)].begin)) {
      agent = crowd_subject;
    }
    if (agent >= 0 && violent && crowd(s.actors[static_cast<size_t>(agent)])) d->crowd_agent = true;
    if (agent < 0 && violent) {
      for (size_t i = s.actors.size(); i-- > 0;) {
        const ActorHit& a = s.actors[i];
        if (a.begin >= g.begin) continue;
        const ActorEntry& e = lex_.actors[static_cast<size_t>(a.actor)];
        if (e.category == "Rebel group" || e.category == "Political militia" ||
            e.category == "Identity militia") {
          agent = static_cast<int32_t>(i);
          break;
        }
      }
    }
    if (agent < 0) {
      for (size_t i = 0; i < s.actors.size(); ++i) {
        const ActorHit& a = s.actors[i];
        if (a.begin < g.begin || a.begin >= g.end || subject(a)) continue;
        const ActorEntry& e = lex_.actors[static_cast<size_t>(a.actor)];
        if (e.role == Role::kVictim || a.after_of || a.after_by) continue;
        agent = static_cast<int32_t>(i);
        break;
      }
    }
    // Victim / second party: the first other actor in the group (after an active trigger, before
    // a passive one preferred).
    for (int pass = 0; pass < 2 && victim < 0; ++pass) {
      for (size_t i = 0; i < s.actors.size(); ++i) {
        const ActorHit& a = s.actors[i];
        if (static_cast<int32_t>(i) == agent || a.begin < g.begin || a.begin >= g.end) continue;
        if (a.linked) continue;
        if (pass == 0 && (passive ? !subject(a) : a.begin < trigger)) continue;
        if (a.after_by && violent && is_violent_near(a)) continue;
        // The same party again ("police ... police"), or a bare community name, not a second
        // armed group of the same kind ("Habar Gidir clan militia attacked Abgal clan militia").
        if (agent >= 0) {
          const ActorHit& g1 = s.actors[static_cast<size_t>(agent)];
          if (lex_.actors[static_cast<size_t>(a.actor)].name ==
                  lex_.actors[static_cast<size_t>(g1.actor)].name &&
              ((a.ethnic == g1.ethnic && a.demonym == g1.demonym) || a.end - a.begin < 2)) {
            continue;
          }
        }
        victim = static_cast<int32_t>(i);
        break;
      }
    }
    if (agent >= 0) {
      const ActorHit& a = s.actors[static_cast<size_t>(agent)];
      d->agent_actor = a.actor;
      d->agent_demonym = a.demonym;
      d->agent_ethnic = a.ethnic;
      d->agent_span = a.span;
      d->agent_by = a.after_by;
    }
    if (victim >= 0) {
      const ActorHit& a = s.actors[static_cast<size_t>(victim)];
      d->victim_actor = a.actor;
      d->victim_demonym = a.demonym;
      d->victim_ethnic = a.ethnic;
      d->victim_span = a.span;
    }
  }

  // Who a force-posture fact is about: "withdrawal of <force>", "<country>'s request",
  // "<force> stationed", else the country that is the subject of the sentence.
  void AssignPostureActors(const Sentence& s, const Group& g, const TriggerHit& t, bool request,
                           Draft* d) {
    auto force = [&](const ActorHit& a) {
      const auto& c = lex_.actors[static_cast<size_t>(a.actor)].category;
      return c == "State forces" || c == "External/Other forces";
    };
    auto take = [&](const ActorHit& a, bool agent) {
      if (agent) {
        d->agent_actor = a.actor;
        d->agent_demonym = a.demonym;
        d->agent_ethnic = a.ethnic;
        d->agent_span = a.span;
      } else {
        d->victim_actor = a.actor;
        d->victim_demonym = a.demonym;
        d->victim_ethnic = a.ethnic;
        d->victim_span = a.span;
      }
    };
    const ActorHit* of_actor = nullptr;
    if (t.end < s.ntokens && s.norms[t.end] == "of") {
      for (const auto& a : s.actors) {
        if (a.begin > t.end && a.begin <= t.end + 4 && force(a)) {
          of_actor = &a;
          break;
        }
      }
    }
    for (const auto& a : s.actors) {
      if (a.after_by && a.begin > t.begin && a.begin <= t.end + 3 && force(a)) of_actor = &a;
    }
    const ActorHit* to_actor = nullptr;
    for (const auto& a : s.actors) {
      if (a.begin > t.end && a.begin > 0 && s.norms[a.begin - 1] == "to" && force(a) &&
          a.begin < g.end) {
        to_actor = &a;
        break;
      }
    }
    if (to_actor && to_actor != of_actor) take(*to_actor, false);
    if (t.feature == F::SUCCEED) {
      // "ATMIS, which succeeded AMISOM": the mission replaced is the second party.
      for (const auto& a : s.actors) {
        if (a.begin >= t.end && a.begin <= t.end + 2 && force(a)) {
          take(a, false);
          break;
        }
      }
    }
    const ActorHit* before = nullptr;
    for (const auto& a : s.actors) {
      if (a.begin >= g.begin && a.end <= t.begin && force(a)) before = &a;
    }
    const ActorHit* any = nullptr;
    for (const auto& a : s.actors) {
      if (a.begin >= g.begin && a.begin < g.end && force(a)) {
        any = &a;
        break;
      }
    }
    d->country = SubjectCountry(s, t.begin);
    if (request) {
      // The requester is the possessive country ("Somalia's request"); the force is actor 2.
      if (of_actor) take(*of_actor, false);
      if (d->country.empty() && before) take(*before, true);
      return;
    }
    const ActorHit* agent = of_actor ? of_actor : before ? before : any;
    if (agent && !(lex_.actors[static_cast<size_t>(agent->actor)].generic && !d->country.empty() &&
                   agent->demonym < 0)) {
      take(*agent, true);
    }
  }

  Status StatusFor(const Sentence& s, const Group& g, uint32_t trigger, const Draft& d,
                   bool posture, const DateHit* date) const {
    bool deny = false, planned = false, ongoing = false, history = false;
    for (const auto& t : s.triggers) {
      if (t.begin < g.begin || t.begin >= g.end) continue;
      if (t.feature == F::DENY && t.begin < trigger) deny = true;
      if (t.feature == F::PLANNED && !t.negated && (t.begin < trigger || t.begin <= trigger + 2)) {
        planned = true;
      }
      if (t.feature == F::ONGOING || t.feature == F::ONGOING_PAST) ongoing = true;
      if (t.feature == F::HISTORY) history = true;
    }
    if (deny) return Status::kDenied;
    if (date && date->d.since) ongoing = true;
    if (date && date->d.deadline) planned = true;
    if (d.item.has_date && options_.published) {
      if (d.item.event.date_start > *options_.published) return Status::kPlanned;
      if (d.item.event.date_end + Days{180} < *options_.published && !(posture && ongoing)) {
        return Status::kReportedHistorical;
      }
    }
    if (planned) return Status::kPlanned;
    if (history) return Status::kReportedHistorical;
    if (ongoing && posture) return Status::kOngoing;
    return Status::kOccurred;
  }

  Draft NewDraft(size_t si, const Sentence& s, uint32_t trigger_token, TextSpan trigger_span) {
    Draft d;
    d.sentence = si;
    d.item.sentence = s.span;
    d.item.spans["trigger"] = trigger_span;
    d.item.event.source = "news";
    // event.notes stays empty: item.sentence locates the sentence (no copy per item, so a huge
    // input costs memory in proportion to its items, not items x sentence length).
    d.trigger_token = trigger_token;
    for (const auto& t : s.triggers) {
      if (t.feature == F::ATTRIB || t.feature == F::CLAIM) {
        d.item.attribution = std::string(Text(t.span));
        d.item.spans["attribution"] = t.span;
        break;
      }
    }
    return d;
  }

  void BuildItems(size_t si, const Sentence& s, const Group& g) {
    // The first event trigger of the group.
    const TriggerHit* first = nullptr;
    for (const auto& t : s.triggers) {
      if (t.begin < g.begin || t.begin >= g.end || t.negated || !t.valid) continue;
      if ((g.violent && IsViolent(t.feature)) ||
          (!g.violent && (IsStrategic(t.feature) || IsPosture(t.feature)))) {
        first = &t;
        break;
      }
    }
    if (!first) return;
    if (g.violent || g.strategic) BuildEvent(si, s, g, *first);
    if (g.posture) BuildPosture(si, s, g);
  }

  // "Five dead, including three police officers." after an incident: a casualty report with no
  // actor, place or date of its own adds its counts to the incident before it.
  bool MergeCasualties(size_t si, const Sentence& s, const Group& g) {
    if (drafts_.empty() || g.own_place || g.own_date) return false;
    Draft& prev = drafts_.back();
    if (prev.sentence >= si || prev.sentence + 1 < si || prev.item.kind != ItemKind::kEvent) {
      return false;
    }
    Features rest = g.features;
    rest.reset(FI(F::KILL));
    rest.reset(FI(F::INJURE));
    rest.reset(FI(F::ATTRIB));
    rest.reset(FI(F::CLAIM));
    rest.reset(FI(F::NEG));
    rest.reset(FI(F::ABDUCT));  // "One killed and one abducted."
    if (rest.any() || !(g.features[FI(F::KILL)] || g.features[FI(F::INJURE)])) return false;
    // Victims may be named ("One woman was killed.", "Three of the suspects were killed."); a
    // perpetrator makes it a new incident.
    const TriggerHit* casualty = nullptr;
    for (const auto& t : s.triggers) {
      if (!casualty && t.begin >= g.begin && t.begin < g.end && !t.negated &&
          (t.feature == F::KILL || t.feature == F::INJURE)) {
        casualty = &t;
      }
    }
    const bool passive = casualty && Passive(s, *casualty);
    for (const auto& a : s.actors) {
      if (a.begin < g.begin || a.begin >= g.end) continue;
      const bool victim = lex_.actors[static_cast<size_t>(a.actor)].category == "Civilians" ||
                          (passive && !a.after_by && a.begin < casualty->begin);
      if (!victim) return false;
    }
    Draft tmp;
    tmp.item.kind = ItemKind::kEvent;
    FindCounts(s, g, &tmp);
    if (!tmp.item.fatalities && !tmp.item.injured) {
      // "Fatalities unknown." / "Injuries not reported.": part of the incident, no new item.
      return casualty && (casualty->word == "fatalities" || casualty->word == "deaths" ||
                          casualty->word == "injuries");
    }
    if (tmp.item.fatalities && !prev.item.fatalities) {
      prev.item.fatalities = tmp.item.fatalities;
      prev.item.spans["fatalities"] = tmp.item.fatalities->span;
      prev.features.set(FI(F::KILL));
    }
    if (tmp.item.injured && !prev.item.injured) {
      prev.item.injured = tmp.item.injured;
      prev.item.spans["injured"] = tmp.item.injured->span;
    }
    return true;
  }

  void BuildEvent(size_t si, const Sentence& s, const Group& g, const TriggerHit& first) {
    if (si > 0 && MergeCasualties(si, s, g)) return;
    Draft d = NewDraft(si, s, first.begin, first.span);
    d.protest_first = first.feature == F::PROTEST;
    AssignActors(s, g, first, &d, true);
    int32_t p = ChoosePlace(s, g, first.begin, false);
    // No place in the incident's clauses: a place elsewhere in its sentence ("... who tried to
    // reach the depot in Lamu East on Friday") before one from other sentences.
    if (p < 0) {
      Group whole = g;
      whole.begin = 0;
      whole.end = s.ntokens;
      p = ChoosePlace(s, whole, first.begin, false);
    }
    if (p >= 0) {
      SetPlace(lex_, &d, s.places[static_cast<size_t>(p)].place, s.places[static_cast<size_t>(p)].span,
               Text(s.places[static_cast<size_t>(p)].span));
    } else {
      d.needs_place = true;
    }
    const DateHit* date = nullptr;
    if (const int32_t di = ChooseDate(s, g, first.begin); di >= 0) {
      date = &s.dates[static_cast<size_t>(di)];
      ApplyDate(&d, *date);
    } else if (auto own = std::find_if(s.dates.begin(), s.dates.end(),
                                       [](const DateHit& h) { return !h.d.attributive; });
               own != s.dates.end()) {
      date = &*own;
      ApplyDate(&d, *date);
    } else {
      d.needs_date = true;
    }
    // Aggregates: "over 90 attacks", "a series of attacks".
    bool series = false, plural_trigger = false;
    for (const auto& t : s.triggers) {
      if (t.begin < g.begin || t.begin >= g.end) continue;
      if (t.feature == F::SERIES) series = true;
      if (IsViolent(t.feature) && (t.word == "attacks" || t.word == "raids" ||
                                   t.word == "killings" || t.word == "clashes" ||
                                   t.word == "bombings" || t.word == "abductions")) {
        plural_trigger = true;
      }
    }
    FindCounts(s, g, &d);
    if (plural_trigger && (series || d.item.attacks.has_value() ||
                           (first.word == "attacks" && s.norms[first.begin > 0 ? first.begin - 1 : 0] != "the"))) {
      d.item.kind = ItemKind::kAggregate;
    }
    d.needs_agent = d.agent_actor < 0;
    d.item.status = StatusFor(s, g, first.begin, d, false, date);
    d.features = g.features;
    // "Traders marched over the torching of their stalls", "... a demonstration following clashes with
    // police": violence a protest is about (after the protest word, as its object or cause) is
    // not violence in it.
    if (d.protest_first) {
      Features about, in_it;
      for (const auto& t : s.triggers) {
        if (t.begin <= first.begin || t.begin >= g.end || t.negated || !t.valid) continue;
        if (t.feature != F::BURN && t.feature != F::CLASH && t.feature != F::RIOTACT &&
            t.feature != F::RIOTCLASH && t.feature != F::LOOT && t.feature != F::RIOT) {
          continue;
        }
        uint32_t k = t.begin;
        while (k > first.end && (s.norms[k - 1] == "the" || s.norms[k - 1] == "alleged" ||
                                 s.norms[k - 1] == "recent" || s.norms[k - 1] == "a" ||
                                 s.norms[k - 1] == "ethnic" || s.norms[k - 1] == "police")) {
          --k;
        }
        const bool cause = k > first.begin &&
                           (s.norms[k - 1] == "against" || s.norms[k - 1] == "over" ||
                            s.norms[k - 1] == "following" || s.norms[k - 1] == "after" ||
                            s.norms[k - 1] == "about");
        (cause ? about : in_it).set(FI(t.feature));
      }
      for (size_t x = 0; x < about.size(); ++x) {
        if (about[x] && !in_it[x]) d.features.reset(x);
      }
    }
    drafts_.push_back(std::move(d));
  }

  void BuildPosture(size_t si, const Sentence& s, const Group& g) {
    const Features& f = g.features;
    struct Fact {
      F trigger;
      std::string label, sub_type;
    };
    std::vector<Fact> facts;
    bool request = false;
    for (const auto& t : s.triggers) {
      if (t.begin >= g.begin && t.begin < g.end && t.feature == F::REQUEST) request = true;
    }
    const bool halt = f[FI(F::HALT)];
    if (f[FI(F::WITHDRAW)]) {
      if (request && halt) {
        facts.push_back({F::WITHDRAW, "request to halt troop withdrawal", "Other"});
      } else if (halt) {
        facts.push_back({F::WITHDRAW, "troop withdrawal delayed", "Change to group/activity"});
      } else {
        facts.push_back({F::WITHDRAW, "troop withdrawal", "Change to group/activity"});
      }
    }
    if (f[FI(F::DEPLOY)]) {
      bool presence = false;
      for (const auto& t : s.triggers) {
        if (t.begin >= g.begin && t.begin < g.end &&
            (t.feature == F::ONGOING || t.word == "stationed")) {
          presence = true;
        }
      }
      facts.push_back({F::DEPLOY, presence ? "troop presence" : "troop deployment",
                       "Change to group/activity"});
    }
    if (f[FI(F::BASE)] && f[FI(F::HANDOVER)]) {
      facts.push_back({F::HANDOVER, "base handover", "Non-violent transfer of territory"});
    } else if (f[FI(F::BASE)] && f[FI(F::ESTABLISH)]) {
      facts.push_back({F::BASE, "bases established", "Headquarters or base established"});
    } else if (f[FI(F::HANDOVER)]) {
      facts.push_back({F::HANDOVER, "handover of control", "Non-violent transfer of territory"});
    }
    if (f[FI(F::SUCCEED)]) facts.push_back({F::SUCCEED, "mission transition", "Change to group/activity"});
    if (f[FI(F::BEGIN)]) facts.push_back({F::BEGIN, "mission began", "Change to group/activity"});
    if (f[FI(F::CLOSE)]) facts.push_back({F::CLOSE, "border closure", "Other"});
    if (f[FI(F::REOPEN)]) {
      facts.push_back({F::REOPEN, halt || !f[FI(F::PLANNED)] ? "border reopening postponed" : "border reopening planned",
                       "Other"});
    }
    for (const Fact& fact : facts) {
      const TriggerHit* trig = nullptr;
      for (const auto& t : s.triggers) {
        if (t.begin >= g.begin && t.begin < g.end && t.feature == fact.trigger && t.valid &&
            !t.negated) {
          trig = &t;
          break;
        }
      }
      if (!trig) continue;
      Draft d = NewDraft(si, s, trig->begin, trig->span);
      d.item.kind = ItemKind::kPosture;
      d.item.label = fact.label;
      d.item.event.event_type = "Strategic developments";
      d.item.event.sub_event_type = fact.sub_type;
      AssignPostureActors(s, g, *trig, fact.label.starts_with("request"), &d);
      if (const int32_t p = ChoosePlace(s, g, trig->begin, true); p >= 0) {
        SetPlace(lex_, &d, s.places[static_cast<size_t>(p)].place, s.places[static_cast<size_t>(p)].span,
                 Text(s.places[static_cast<size_t>(p)].span));
      } else {
        d.needs_place = true;
      }
      const DateHit* date = nullptr;
      if (const int32_t di = ChooseDate(s, g, trig->begin); di >= 0) {
        date = &s.dates[static_cast<size_t>(di)];
        if (date->d.since && fact.trigger != F::CLOSE) {
          date = nullptr;
        } else {
          ApplyDate(&d, *date);
        }
      }
      FindCounts(s, g, &d);
      // "a three-month period" → label detail.
      for (const auto& c : s.numbers) {
        if (c.n.begin < g.begin || c.n.begin >= g.end || c.n.end >= s.ntokens) continue;
        const auto& u = s.norms[c.n.end];
        if (u == "month" || u == "months" || u == "week" || u == "weeks" || u == "year" ||
            u == "years" || u == "day" || u == "days") {
          d.item.label += fmt::format(" ({} {}{})", c.n.value, u.back() == 's' ? u.substr(0, u.size() - 1) : u,
                                      c.n.value == 1 ? "" : "s");
          d.item.spans["duration"] = TextSpan{c.span.begin, s.span.end < c.span.end ? c.span.end : c.span.end};
          break;
        }
      }
      // Contributing countries and other parties.
      for (const auto& p : s.places) {
        if (p.begin < g.begin || p.begin >= g.end) continue;
        const PlaceEntry& e = lex_.places[static_cast<size_t>(p.place)];
        if (e.kind != PlaceKind::kCountry || static_cast<int32_t>(p.place) == d.place) continue;
        if (std::find(d.item.participants.begin(), d.item.participants.end(), e.name) ==
            d.item.participants.end()) {
          d.item.participants.push_back(e.name);
        }
      }
      d.item.status = StatusFor(s, g, trig->begin, d, true, date);
      if (fact.label.starts_with("request")) d.item.status = Status::kOccurred;
      if (fact.label == "border closure") {
        bool since = date && date->d.since;
        if (since || d.item.status == Status::kOccurred) d.item.status = Status::kOngoing;
      }
      if (fact.label == "troop presence") d.item.status = Status::kOngoing;
      if (fact.label == "border reopening postponed") {
        d.item.status = Status::kOccurred;
      }
      d.needs_agent = false;
      d.features = g.features;
      drafts_.push_back(std::move(d));
    }
  }

  // Fills what a sentence did not say from the article, then the event fields.
  void Complete(Draft* d) {
    const Features& f = d->features;
    Item& it = d->item;
    // Place from the nearest earlier sentence with a place, else the next two sentences.
    if (d->needs_place) {
      bool done = false;
      for (size_t k = d->sentence; k-- > 0 && !done;) {
        const Sentence& s = sentences_[k];
        int best = -1, rank = -1;
        for (size_t i = 0; i < s.places.size(); ++i) {
          const PlaceEntry& e = lex_.places[static_cast<size_t>(s.places[i].place)];
          if (e.kind == PlaceKind::kCountry && s.places[i].possessive) continue;
          if (PlaceRank(e.kind) > rank) {
            rank = PlaceRank(e.kind);
            best = static_cast<int>(i);
          }
        }
        if (best >= 0) {
          SetPlace(lex_, d, s.places[static_cast<size_t>(best)].place, s.places[static_cast<size_t>(best)].span,
                   Text(s.places[static_cast<size_t>(best)].span));
          d->place_inherited = true;
          done = true;
        }
      }
      for (size_t k = d->sentence + 1; k < sentences_.size() && k <= d->sentence + 3 && !done; ++k) {
        const Sentence& s = sentences_[k];
        int best = -1, rank = -1;
        for (size_t i = 0; i < s.places.size(); ++i) {
          const PlaceEntry& e = lex_.places[static_cast<size_t>(s.places[i].place)];
          if (PlaceRank(e.kind) > rank) {
            rank = PlaceRank(e.kind);
            best = static_cast<int>(i);
          }
        }
        if (best >= 0) {
          SetPlace(lex_, d, s.places[static_cast<size_t>(best)].place, s.places[static_cast<size_t>(best)].span,
                   Text(s.places[static_cast<size_t>(best)].span));
          d->place_inherited = true;
          done = true;
        }
      }
    }
    // Date from the previous two sentences (day or week precision only, not "since").
    if (d->needs_date && it.kind == ItemKind::kEvent) {
      for (size_t k = d->sentence; k-- > 0 && d->sentence - k <= 2;) {
        const Sentence& s = sentences_[k];
        const DateHit* best = nullptr;
        for (const auto& dh : s.dates) {
          if (dh.d.resolved && !dh.d.since && !dh.d.deadline &&
              (dh.d.precision == DatePrecision::kDay || dh.d.precision == DatePrecision::kWeek)) {
            best = &dh;
          }
        }
        if (best) {
          ApplyDate(d, *best);
          break;
        }
      }
      for (size_t k = d->sentence + 1; !it.has_date && it.spans.count("date") == 0 &&
                                       k < sentences_.size() && k <= d->sentence + 2;
           ++k) {
        for (const auto& dh : sentences_[k].dates) {
          if (dh.d.resolved && !dh.d.since && !dh.d.deadline &&
              dh.d.precision == DatePrecision::kDay) {
            ApplyDate(d, dh);
            break;
          }
        }
      }
      if (!it.has_date && it.date_note.empty()) {
        it.date_note = options_.published
                           ? fmt::format("not stated; reported by {}", options_.published->ToIso())
                           : "not stated";
      }
    }
    if (!it.has_date && it.date_note.empty()) it.date_note = "not stated";
    // Country for {country}: the event's place, else the subject country, else the article's
    // first country, else the default.
    std::string country = it.event.country_iso3;
    if (it.kind == ItemKind::kPosture) {
      country = !d->country.empty() ? d->country
                : !ctx_.countries.empty() ? ctx_.countries.front() : country;
    }
    if (country.empty() && !ctx_.countries.empty()) country = ctx_.countries.front();
    if (country.empty()) country = options_.default_country;
    // Perpetrator from earlier sentences when this one names none (armed non-state groups only).
    if (d->needs_agent && d->agent_actor < 0) {
      for (size_t k = d->sentence + 1; k-- > 0 && d->sentence - k <= 2 && d->agent_actor < 0;) {
        const Sentence& s = sentences_[k];
        for (auto a = s.actors.rbegin(); a != s.actors.rend(); ++a) {
          const ActorEntry& e = lex_.actors[static_cast<size_t>(a->actor)];
          if ((e.category == "Rebel group" || e.category == "Political militia" ||
               e.category == "Identity militia") && !e.generic) {
            d->agent_actor = a->actor;
            d->agent_demonym = a->demonym;
            d->agent_ethnic = a->ethnic;
            d->agent_span = a->span;
            break;
          }
        }
      }
    }
    if (d->agent_actor >= 0 && d->victim_actor >= 0 &&
        lex_.actors[static_cast<size_t>(d->agent_actor)].name ==
            lex_.actors[static_cast<size_t>(d->victim_actor)].name &&
        d->agent_ethnic == d->victim_ethnic) {
      d->victim_actor = -1;
    }
    Event& e = it.event;
    std::string cat1, cat2;
    if (d->agent_actor >= 0) cat1 = lex_.actors[static_cast<size_t>(d->agent_actor)].category;
    if (d->victim_actor >= 0) cat2 = lex_.actors[static_cast<size_t>(d->victim_actor)].category;
    // "raiders attacked Turkana herders", "a herdsman was shot dead": herders who are attacked
    // (not fighting: no clash word) are civilians, as ACLED codes them.
    bool herders_victims = false;
    if (cat2 == "Identity militia" && !f[FI(F::CLASH)] && d->victim_span.end > d->victim_span.begin) {
      std::string_view w = Text(d->victim_span);
      if (const size_t sp = w.find_last_of(' '); sp != std::string_view::npos) w = w.substr(sp + 1);
      std::string lw(w);
      for (auto& ch : lw) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lw == "herders" || lw == "herdsmen" || lw == "herdsman" || lw == "herder" ||
          lw == "pastoralists" || lw == "pastoralist") {
        herders_victims = true;
        cat2 = "Civilians";
      }
    }
    // A demonstration told over several sentences: "Residents protested ... The protesters lit
    // fires and were later dispersed by police." The next two sentences' riot and intervention
    // words count for it.
    Features fx = f;
    if (it.kind != ItemKind::kPosture && (f[FI(F::PROTEST)] || cat1 == "Protesters")) {
      for (size_t k = d->sentence + 1; k < sentences_.size() && k <= d->sentence + 2; ++k) {
        const Features& o = sentences_[k].all;
        for (F x : {F::RIOT, F::RIOTACT, F::BURN, F::LOOT, F::RIOTCLASH, F::INTERVENE, F::ARREST}) {
          if (o[FI(x)]) fx.set(FI(x));
        }
      }
    }
    const Decision heading = HeadingDecision(fx);
    if (it.kind != ItemKind::kPosture && heading.found) {
      e.event_type = heading.type;
      e.sub_event_type = heading.sub_type;
      it.label = heading.label;
    } else if (it.kind != ItemKind::kPosture) {
      // An unnamed perpetrator becomes an unidentified armed group: against state or external
      // forces that is a battle, as ACLED codes it.
      const std::string_view decide_cat1 =
          cat1.empty() && (cat2 == "State forces" || cat2 == "External/Other forces")
              ? std::string_view("Political militia")
              : std::string_view(cat1);
      // "Youths stage a demonstration": a crowd word makes a riot only when no protest is named.
      Decision dec = DecideViolent(fx, decide_cat1, cat2, cat1 == "Protesters",
                                   (cat1 == "Rioters" || d->crowd_agent) && !f[FI(F::MOB)] &&
                                       !f[FI(F::PROTEST)],
                                   d->protest_first);
      if (!dec.found) dec = DecideStrategic(fx);
      if (!dec.found) dec = {"Strategic developments", "Other", "other", true};
      e.event_type = dec.type;
      e.sub_event_type = dec.sub_type;
      it.label = it.kind == ItemKind::kAggregate ? "attacks" : dec.label;
      if (it.kind == ItemKind::kAggregate && dec.type == "Battles") it.label = "clashes";
    }
    // Actors.
    auto fill_actor = [&](Actor* out, int32_t actor, int32_t dem, int32_t eth, TextSpan span,
                          const char* key) {
      if (actor < 0) return;
      const ActorEntry& a = lex_.actors[static_cast<size_t>(actor)];
      out->name = FillName(lex_, a, dem, eth, country, nullptr);
      out->category = a.category;
      it.spans[key] = span;
    };
    // In a battle neither side is the victim: unless one is named as the agent ("by X"), the
    // armed side named first is actor 1 ("three guards killed at a checkpoint", "4 raiders wounded in
    // a gunfight with rangers").
    if (e.event_type == "Battles" && d->victim_actor >= 0 && IsArmed(cat2) &&
        (d->agent_actor < 0 || (!d->agent_by && d->victim_span.begin < d->agent_span.begin))) {
      std::swap(d->agent_actor, d->victim_actor);
      std::swap(d->agent_demonym, d->victim_demonym);
      std::swap(d->agent_ethnic, d->victim_ethnic);
      std::swap(d->agent_span, d->victim_span);
    }
    fill_actor(&e.actor1, d->agent_actor, d->agent_demonym, d->agent_ethnic, d->agent_span, "actor1");
    fill_actor(&e.actor2, d->victim_actor, d->victim_demonym, d->victim_ethnic, d->victim_span, "actor2");
    const std::string cname = lex_.CountryName(country);
    if (herders_victims && e.actor2.category == "Identity militia") {
      e.actor2 = Actor{fmt::format("Civilians ({})", cname), "Civilians", ""};
    }
    if (e.event_type == "Protests") {
      if (e.actor1.category != "Protesters") {
        if (!e.actor1.name.empty() && e.actor2.name.empty()) e.actor2 = e.actor1;
        e.actor1 = Actor{fmt::format("Protesters ({})", cname), "Protesters", ""};
      }
      if (e.actor2.category == "Protesters" || e.actor2.category == "Civilians") e.actor2 = {};
    } else if (e.event_type == "Riots") {
      if (e.actor1.category != "Rioters") {
        if (!e.actor1.name.empty() && e.actor1.category != "Protesters" &&
            e.actor1.category != "Civilians" && e.actor2.name.empty()) {
          e.actor2 = e.actor1;
        }
        e.actor1 = Actor{fmt::format("Rioters ({})", cname), "Rioters", ""};
      }
    } else if (it.kind != ItemKind::kPosture && e.actor1.name.empty() &&
               e.event_type != "Strategic developments") {
      e.actor1 = Actor{fmt::format("Unidentified Armed Group ({})", cname), "Political militia", ""};
    } else if (it.kind != ItemKind::kPosture && e.actor1.category == "Civilians") {
      // Civilians are victims, not perpetrators.
      if (e.actor2.name.empty()) e.actor2 = e.actor1;
      e.actor1 = Actor{fmt::format("Unidentified Armed Group ({})", cname), "Political militia", ""};
    }
    if (it.kind == ItemKind::kPosture && e.actor1.name.empty()) {
      bool forces = it.label.find("troop") != std::string::npos ||
                    it.label.find("base") != std::string::npos;
      std::string owner = !d->country.empty() ? d->country
                          : !ctx_.countries.empty() ? ctx_.countries.front()
                                                     : options_.default_country;
      if (it.label.starts_with("request") || it.label.starts_with("border")) forces = false;
      e.actor1 = Actor{fmt::format("{} of {}", forces ? "Military Forces" : "Government",
                                   lex_.CountryName(owner)),
                       "State forces", ""};
    }
    if (e.actor1.name == e.actor2.name) e.actor2 = {};
    // "Traders riot after a colleague was killed": a death a demonstration is about is not a
    // death in it (a number stated for it still counts: "two protesters were shot dead").
    // A death at the hands of the police in the demonstration itself ("a student was shot dead
    // by police during the protest") is one.
    const bool police_killing = d->agent_by && cat1 == "State forces";
    if (d->fatality_implied && !police_killing &&
        e.sub_event_type != "Excessive force against protesters" &&
        (e.event_type == "Protests" ||
         (e.event_type == "Riots" && e.sub_event_type != "Mob violence"))) {
      it.fatalities.reset();
      it.spans.erase("fatalities");
    }
    if (it.kind == ItemKind::kEvent && e.event_type != "Strategic developments" && it.fatalities) {
      e.fatalities = static_cast<int32_t>(std::min<int64_t>(it.fatalities->value, 1000000));
    } else if (it.fatalities) {
      e.fatalities = static_cast<int32_t>(std::min<int64_t>(it.fatalities->value, 1000000));
    }
    if (it.kind == ItemKind::kPosture && !e.actor1.name.empty()) {
      std::string countries;
      for (const auto& p : it.participants) {
        if (!countries.empty()) countries += "; ";
        countries += p;
      }
      e.actor1.associated = countries;
    }
    // Confidence: what was stated in the sentence itself.
    double c = 0.45;
    if (!d->needs_place && d->place >= 0) c += 0.15;
    if (d->place_inherited) c += 0.05;
    if (it.spans.count("actor1")) c += 0.1;
    if (it.spans.count("date")) c += 0.1;
    if (it.kind == ItemKind::kEvent && f.count() >= 2) c += 0.1;
    if (!it.attribution.empty()) c -= 0.1;
    if (it.status == Status::kDenied) c -= 0.15;
    it.confidence = std::clamp(c, 0.05, 0.95);
    it.confidence = std::round(it.confidence * 100) / 100;
  }

  const Lexicon& lex_;
  std::string_view text_;
  const ExtractOptions& options_;
  ArticleContext ctx_;
  std::vector<Sentence> sentences_;
  std::deque<Draft> drafts_;
};

}  // namespace

std::string_view ToString(ItemKind k) {
  switch (k) {
    case ItemKind::kEvent: return "event";
    case ItemKind::kAggregate: return "aggregate";
    case ItemKind::kPosture: return "posture";
  }
  return "event";
}

std::string_view ToString(Status s) {
  switch (s) {
    case Status::kOccurred: return "occurred";
    case Status::kOngoing: return "ongoing";
    case Status::kPlanned: return "planned";
    case Status::kReportedHistorical: return "reported-historical";
    case Status::kDenied: return "denied";
  }
  return "occurred";
}

void Preload() { (void)Lexicon::Get(); }

std::vector<Item> Extract(std::string_view text, const ExtractOptions& options) {
  const Lexicon& lex = Lexicon::Get();
  std::vector<Item> out;
  for (const TextSpan& article : SplitArticles(text)) {
    ArticleExtractor ex(lex, text, options);
    ForEachSentence(text, article, [&](TextSpan span, std::vector<Token>& tokens) {
      ex.AddSentence(tokens, span);
    });
    ex.Finish(&out);
  }
  return out;
}

size_t CountSentences(std::string_view text) {
  size_t n = 0;
  for (const TextSpan& article : SplitArticles(text)) {
    ForEachSentence(text, article, [&](TextSpan, std::vector<Token>&) { ++n; });
  }
  return n;
}

namespace {

nlohmann::json SpanJson(TextSpan sp, std::string_view text) {
  nlohmann::json j = {{"begin", sp.begin}, {"end", sp.end}};
  if (!text.empty() && sp.end <= text.size() && sp.begin <= sp.end) {
    j["text"] = std::string(text.substr(sp.begin, sp.end - sp.begin));
  }
  return j;
}

nlohmann::json CountJson(const std::optional<Count>& c) {
  if (!c) return nullptr;
  nlohmann::json j = {{"value", c->value}};
  j["qualifier"] = c->qualifier.empty() ? nlohmann::json(nullptr) : nlohmann::json(c->qualifier);
  return j;
}

nlohmann::json ActorJson(const Actor& a) {
  if (a.name.empty()) return nullptr;
  nlohmann::json j = {{"name", a.name}, {"category", a.category}};
  if (!a.associated.empty()) j["associated"] = a.associated;
  return j;
}

nlohmann::json ItemJson(const Item& it, std::string_view text) {
  const Event& e = it.event;
  nlohmann::json j;
  j["kind"] = ToString(it.kind);
  j["status"] = ToString(it.status);
  j["label"] = it.label;
  j["event_type"] = e.event_type;
  j["sub_event_type"] = e.sub_event_type;
  j["actor1"] = ActorJson(e.actor1);
  j["actor2"] = ActorJson(e.actor2);
  j["participants"] = it.participants;
  nlohmann::json place = nullptr;
  if (!e.place.empty()) {
    place = {{"text", it.place_text},
             {"name", e.place},
             {"iso3", e.country_iso3},
             {"admin1", e.admin1.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.admin1)},
             {"admin2", e.admin2.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.admin2)},
             {"precision", ToString(e.geo_precision)}};
    if (e.location) {
      place["lat"] = e.location->lat.value;
      place["lon"] = e.location->lon.value;
    }
  }
  j["place"] = place;
  nlohmann::json date = {{"start", nullptr}, {"end", nullptr}, {"precision", nullptr}};
  if (it.has_date) {
    date["start"] = e.date_start.ToIso();
    date["end"] = e.date_end.ToIso();
    date["precision"] = ToString(e.date_precision);
  }
  if (!it.date_note.empty()) date["note"] = it.date_note;
  j["date"] = date;
  j["counts"] = {{"fatalities", CountJson(it.fatalities)}, {"injured", CountJson(it.injured)},
                 {"troops", CountJson(it.troops)},         {"bases", CountJson(it.bases)},
                 {"attacks", CountJson(it.attacks)},       {"arrested", CountJson(it.arrested)}};
  j["attribution"] = it.attribution.empty() ? nlohmann::json(nullptr) : nlohmann::json(it.attribution);
  j["sentence"] = SpanJson(it.sentence, text);
  nlohmann::json spans = nlohmann::json::object();
  for (const auto& [k, sp] : it.spans) spans[k] = SpanJson(sp, text);
  j["spans"] = spans;
  j["confidence"] = it.confidence;
  return j;
}

}  // namespace

nlohmann::json ToJson(const Item& item, std::string_view text) { return ItemJson(item, text); }
nlohmann::json ToJson(const Item& item) { return ItemJson(item, {}); }

}  // namespace tahadhari::extract
