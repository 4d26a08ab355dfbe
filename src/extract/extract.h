// extract/: English news text to events. Splits text into articles (a line `---` between them),
// sentences and words (ICU), finds places (GeoNames gazetteer with spelling variants and
// ambiguity rules), actors (editable dictionary), dates (absolute and relative to the
// publication date), counts (number words and digits with qualifiers such as "more than") and
// event triggers (editable lexicon), and turns each reported incident, aggregate statement or
// force-posture fact into an Item: an Event in ACLED's taxonomy plus status, counts, the sentence
// and the byte span every field came from, and a confidence. Data files: DataDir()/extract/
// (see docs/extract.md).
//
// Thread-safety: Extract() and ToJson() may be called concurrently from any number of threads.
// The dictionaries are loaded once per process on first use (thread-safe) and are immutable
// afterwards; ICU break iterators are per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/core.h"

namespace tahadhari::extract {

struct ExtractOptions {
  /// Publication date of the text: anchors relative dates ("on Monday", "last week", "earlier
  /// this year") and undated statements. Without it relative dates stay unresolved.
  std::optional<Date> published;
  /// ISO3 of the country assumed when the text names none (for "Police Forces of {country}").
  std::string default_country = "KEN";
};

/// Byte offsets into the text given to Extract(): text.substr(begin, end - begin).
struct TextSpan {
  size_t begin = 0, end = 0;
  bool empty() const { return begin == end; }
};

enum class ItemKind : uint8_t { kEvent, kAggregate, kPosture };
enum class Status : uint8_t { kOccurred, kOngoing, kPlanned, kReportedHistorical, kDenied };
std::string_view ToString(ItemKind k);
std::string_view ToString(Status s);

/// A number read from the text ("more than 4,000", "a dozen", "148").
struct Count {
  int64_t value = 0;
  std::string qualifier;  // "", "more than", "at least", "about", "up to", "fewer than"
  TextSpan span;
};

struct Item {
  ItemKind kind = ItemKind::kEvent;
  Status status = Status::kOccurred;
  /// Short plain-words label of what the item says: "attack", "troop withdrawal", "bases
  /// established", "border closure", ...
  std::string label;
  /// The event in the store's model: source "news", ACLED type/sub-type, actors with
  /// categories, place, dates, fatalities. Unknown fields are empty; fatalities unset = unknown.
  /// `notes` is left empty (no copy of the sentence per item): the text at `sentence` is it.
  Event event;
  /// Whether event.date_start/date_end are known. When false, date_note says why (e.g. "not
  /// stated", "relative date without --published").
  bool has_date = false;
  std::string date_note;
  /// The place as written in the text ("Kismaayo") — event.place is the resolved name.
  std::string place_text;
  std::optional<Count> fatalities, injured, troops, bases, attacks, arrested;
  /// Associated/other parties named (e.g. contributing countries), as resolved names.
  std::vector<std::string> participants;
  /// Who the text attributes the report or claim to ("claimed", "according to police"), if any.
  std::string attribution;
  TextSpan sentence;
  /// Where each field came from: keys "trigger", "actor1", "actor2", "place", "date",
  /// "fatalities", "injured", "troops", "bases", "attacks", "arrested", "status".
  std::map<std::string, TextSpan> spans;
  double confidence = 0.0;  // in [0, 1]
};

/// Extracts every item from `text` (UTF-8; one article, or several separated by a line `---`).
/// Invalid UTF-8 is treated as replacement characters (never read past the input). Empty or
/// binary input gives an empty result. Throws IoError/FormatError only when the data files under
/// DataDir()/extract cannot be loaded.
std::vector<Item> Extract(std::string_view text, const ExtractOptions& options);

/// The item as JSON (used by `extract --format jsonl` and the HTTP API). `text` is the text the
/// item was extracted from, used to quote the sentence and the field spans.
nlohmann::json ToJson(const Item& item, std::string_view text);
/// As above without quoting the text (spans as offsets only).
nlohmann::json ToJson(const Item& item);

/// Loads the dictionaries now (otherwise done on first Extract()). Throws as Extract() does.
void Preload();

/// Number of sentences Extract() would see in `text` (for throughput measurement).
size_t CountSentences(std::string_view text);

}  // namespace tahadhari::extract
