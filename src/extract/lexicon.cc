#include "extract/lexicon.h"

#include <charconv>
#include <memory>

#include "core/event.h"
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"
#include "core/paths.h"

namespace tahadhari::extract {
namespace {

constexpr std::string_view kFeatureNames[] = {
#define TAHADHARI_NAME(f) #f,
    TAHADHARI_FEATURES(TAHADHARI_NAME)
#undef TAHADHARI_NAME
};

std::vector<std::string> Split(std::string_view line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t p = line.find(sep, start);
    out.emplace_back(line.substr(start, p == std::string_view::npos ? line.npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

// Reads a data file: calls on_row(fields, "file:line") for each row after the header, skipping
// blank lines and lines starting with '#'.
template <typename F>
void ReadTable(const std::filesystem::path& path, char sep, size_t min_fields, F on_row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open the extraction dictionary", path.string()));
  std::string line;
  int64_t n = 0;
  bool header = true;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    auto fields = Split(line, sep);
    const std::string where = fmt::format("{}:{}", path.string(), n);
    if (fields.size() < min_fields) {
      throw FormatError(fmt::format("{}: expected {} fields separated by '{}', got {}", where,
                                    min_fields, sep == '\t' ? "tab" : ",", fields.size()));
    }
    on_row(fields, where);
  }
}

double ParseDouble(const std::string& s, const std::string& where) {
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw FormatError(fmt::format("{}: '{}' is not a number", where, s));
  }
  return v;
}

}  // namespace

std::string_view FeatureName(Feature f) { return kFeatureNames[static_cast<size_t>(f)]; }

// Identify(): an unknown word ending in -s is looked up without it when longer than this.
constexpr size_t kMinPluralStem = 4;

int32_t Lexicon::Intern(const std::string& word) {
  auto [it, inserted] = vocab_.try_emplace(word, static_cast<int32_t>(vocab_.size()) + 2);
  return it->second;
}

void Lexicon::Add(const std::vector<std::string>& words, Payload p, const std::string& where) {
  if (words.empty()) throw FormatError(fmt::format("{}: empty pattern", where));
  uint32_t node = 0;
  for (const auto& w : words) {
    int32_t label;
    if (w == "<demonym>") {
      label = kDemonymClass;
    } else if (w == "<ethnic>") {
      label = kEthnicClass;
    } else {
      label = Intern(w);
    }
    const uint64_t key = (uint64_t{node} << 32) | static_cast<uint32_t>(label);
    auto it = edges_.find(key);
    if (it == edges_.end()) {
      nodes_.emplace_back();
      it = edges_.emplace(key, static_cast<uint32_t>(nodes_.size() - 1)).first;
    }
    node = it->second;
  }
  auto& payloads = nodes_[node].payloads;
  for (const auto& q : payloads) {
    if (q.type == p.type && q.index == p.index) return;
  }
  payloads.push_back(p);
}

Lexicon Lexicon::Load(const std::filesystem::path& dir) {
  Lexicon lex;
  lex.nodes_.emplace_back();  // root
  auto add_places = [&](const std::filesystem::path& path) {
    ReadTable(path, '\t', 9, [&](const std::vector<std::string>& f, const std::string& where) {
      PlaceEntry e;
      const std::string& kind = f[0];
      if (kind == "city") {
        e.kind = PlaceKind::kCity;
      } else if (kind == "admin2") {
        e.kind = PlaceKind::kAdmin2;
      } else if (kind == "admin1") {
        e.kind = PlaceKind::kAdmin1;
      } else if (kind == "border") {
        e.kind = PlaceKind::kBorder;
      } else if (kind == "country") {
        e.kind = PlaceKind::kCountry;
      } else {
        throw FormatError(fmt::format("{}: unknown place kind '{}'", where, kind));
      }
      e.name = f[1];
      e.iso3 = f[3];
      e.admin1 = f[4];
      e.admin2 = f[5];
      e.loc = LatLon{Degrees{ParseDouble(f[6], where)}, Degrees{ParseDouble(f[7], where)}};
      if (!e.loc.IsValid()) throw FormatError(fmt::format("{}: coordinates out of range", where));
      e.ambiguous = f[8].find('a') != std::string::npos;
      const uint32_t idx = static_cast<uint32_t>(lex.places.size());
      lex.places.push_back(std::move(e));
      if (lex.places.back().kind == PlaceKind::kCountry) {
        lex.country_place_.emplace(lex.places.back().iso3, static_cast<int32_t>(idx));
      }
      lex.Add(NormalizePhrase(f[1]), {PayloadType::kPlace, idx}, where);
      if (!f[2].empty()) {
        for (const auto& v : Split(f[2], '|')) {
          if (!v.empty()) lex.Add(NormalizePhrase(v), {PayloadType::kPlace, idx}, where);
        }
      }
    });
  };
  add_places(dir / "gazetteer.tsv");
  add_places(dir / "places_extra.tsv");

  ReadTable(dir / "demonyms.csv", ',', 3, [&](const std::vector<std::string>& f, const std::string& where) {
    const uint32_t idx = static_cast<uint32_t>(lex.demonyms.size());
    lex.demonyms.push_back({f[1], f[2]});
    lex.Add(NormalizePhrase(f[0]), {PayloadType::kDemonym, idx}, where);
  });
  ReadTable(dir / "ethnic.csv", ',', 2, [&](const std::vector<std::string>& f, const std::string& where) {
    const uint32_t idx = static_cast<uint32_t>(lex.ethnics.size());
    lex.ethnics.push_back({f[0], f[1]});
    lex.Add(NormalizePhrase(f[0]), {PayloadType::kEthnic, idx}, where);
  });
  ReadTable(dir / "actors.csv", ',', 5, [&](const std::vector<std::string>& f, const std::string& where) {
    ActorEntry a;
    a.name = f[1];
    a.category = f[2];
    bool known = false;
    for (auto c : kActorCategories) known |= (c == a.category);
    if (!known) throw FormatError(fmt::format("{}: unknown actor category '{}'", where, a.category));
    a.iso3 = f[3];
    if (f[4] == "agent") {
      a.role = Role::kAgent;
    } else if (f[4] == "victim") {
      a.role = Role::kVictim;
    } else if (f[4] == "any") {
      a.role = Role::kAny;
    } else {
      throw FormatError(fmt::format("{}: role must be agent, victim or any (got '{}')", where, f[4]));
    }
    a.generic = a.name.find("{country}") != std::string::npos &&
                a.name.find("{ethnic}") == std::string::npos;
    const uint32_t idx = static_cast<uint32_t>(lex.actors.size());
    lex.actors.push_back(std::move(a));
    lex.Add(NormalizePhrase(f[0]), {PayloadType::kActor, idx}, where);
  });
  ReadTable(dir / "triggers.csv", ',', 2, [&](const std::vector<std::string>& f, const std::string& where) {
    for (const auto& name : Split(f[1], '+')) {
      size_t feature = 0;
      while (feature < std::size(kFeatureNames) && kFeatureNames[feature] != name) ++feature;
      if (feature == std::size(kFeatureNames)) {
        throw FormatError(fmt::format("{}: unknown feature '{}'", where, name));
      }
      lex.Add(NormalizePhrase(f[0]), {PayloadType::kTrigger, static_cast<uint32_t>(feature)}, where);
    }
  });
  return lex;
}

const Lexicon& Lexicon::Get() {
  static std::once_flag once;
  static std::unique_ptr<Lexicon> lex;
  std::call_once(once, [] { lex = std::make_unique<Lexicon>(Load(DataDir() / "extract")); });
  return *lex;
}

int32_t Lexicon::CountryPlace(std::string_view iso3) const {
  auto it = country_place_.find(std::string(iso3));
  return it == country_place_.end() ? -1 : it->second;
}

std::string Lexicon::CountryName(std::string_view iso3) const {
  const int32_t i = CountryPlace(iso3);
  return i < 0 ? std::string(iso3) : places[static_cast<size_t>(i)].name;
}

void Lexicon::Identify(std::vector<Token>* tokens) const {
  for (auto& t : *tokens) {
    auto it = vocab_.find(t.norm);
    t.id = it == vocab_.end() ? -1 : it->second;
    // A possessive written without its apostrophe ("Nairobis", "Kenyas") or a plural of a
    // capitalised name ("Somalis"): an unknown capitalised word whose stem without -s is known.
    if (t.id < 0 && t.Is(kCapital) && t.Is(kWord) && t.norm.size() > kMinPluralStem &&
        t.norm.back() == 's') {
      auto stem = vocab_.find(std::string(t.norm, 0, t.norm.size() - 1));  // short: no heap
      if (stem != vocab_.end()) {
        t.id = stem->second;
        t.norm.pop_back();
      }
    }
  }
}

void Lexicon::Walk(const std::vector<Token>& tokens, uint32_t start, uint32_t pos, uint32_t node,
                   int32_t demonym, int32_t ethnic,
                   const std::vector<std::vector<LexMatch>>& classes,
                   std::vector<LexMatch>* out) const {
  if (node != 0) {
    for (const auto& p : nodes_[node].payloads) {
      out->push_back(LexMatch{start, pos, p, demonym, ethnic});
    }
  }
  if (pos >= tokens.size()) return;
  const Token& t = tokens[pos];
  // A word joined by a hyphen never starts a phrase on its own ("Kenya-Somalia" starts at Kenya).
  if (t.id >= 0) {
    auto it = edges_.find((uint64_t{node} << 32) | static_cast<uint32_t>(t.id));
    if (it != edges_.end()) {
      Walk(tokens, start, pos + 1, it->second, demonym, ethnic, classes, out);
    }
  }
  for (const auto& c : classes[pos]) {
    const int32_t label = c.payload.type == PayloadType::kDemonym ? kDemonymClass : kEthnicClass;
    auto it = edges_.find((uint64_t{node} << 32) | static_cast<uint32_t>(label));
    if (it == edges_.end()) continue;
    Walk(tokens, start, c.end, it->second,
         label == kDemonymClass ? static_cast<int32_t>(c.payload.index) : demonym,
         label == kEthnicClass ? static_cast<int32_t>(c.payload.index) : ethnic, classes, out);
  }
}

void Lexicon::FindAll(const std::vector<Token>& tokens, std::vector<LexMatch>* out) const {
  out->clear();
  // First the class words (<demonym>, <ethnic>) by plain look-up, then every phrase.
  thread_local std::vector<std::vector<LexMatch>> classes;
  thread_local std::vector<LexMatch> scratch;
  if (classes.size() < tokens.size()) classes.resize(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) classes[i].clear();
  static const std::vector<std::vector<LexMatch>> kNoClasses;
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].id < 0) continue;
    scratch.clear();
    uint32_t node = 0;
    for (uint32_t pos = i; pos < tokens.size() && tokens[pos].id >= 0; ++pos) {
      auto it = edges_.find((uint64_t{node} << 32) | static_cast<uint32_t>(tokens[pos].id));
      if (it == edges_.end()) break;
      node = it->second;
      for (const auto& p : nodes_[node].payloads) {
        if (p.type == PayloadType::kDemonym || p.type == PayloadType::kEthnic) {
          classes[i].push_back(LexMatch{i, pos + 1, p, -1, -1});
        }
      }
    }
  }
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].id < 0 && classes[i].empty()) continue;
    Walk(tokens, i, i, 0, -1, -1, classes, out);
  }
}

}  // namespace tahadhari::extract
