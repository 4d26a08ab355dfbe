// tahadhari eval-extract: score the news extractor against ACLED rows, reading each row's notes
// and comparing what is extracted with the row's own coded columns.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <cmath>
#include <cstring>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "extract/extract.h"
#include "geo/geo.h"
#include "ingest/csv.h"
#include "ingest/formats.h"
#include "ingest/input.h"
#include "ingest/mappings.h"

namespace tahadhari::cli {
namespace {

constexpr const char* kFields[] = {"event_type", "sub_event_type", "actor1", "admin1",
                                   "location_10km", "date", "fatalities"};

// Actor names compared without ACLED's period suffixes: "Police Forces of Kenya (2002-2013)".
std::string NormActor(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out.push_back(static_cast<char>(std::tolower(c)));
  static const std::regex kYears(R"(\s*\((\d{4})-(\d{4})?\))");
  out = std::regex_replace(out, kYears, "");
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string NormName(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

const extract::Item* Primary(const std::vector<extract::Item>& items) {
  for (auto kind : {extract::ItemKind::kEvent, extract::ItemKind::kAggregate,
                    extract::ItemKind::kPosture}) {
    for (const auto& it : items) {
      if (it.kind == kind) return &it;
    }
  }
  return nullptr;
}

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string acled, format, errors;
    int64_t limit = 0;
  };
  auto f = std::make_shared<Flags>();
  app->add_option("--acled", f->acled, "ACLED export CSV whose notes and columns are the gold standard")
      ->required();
  AddFormatOption(app, &f->format, {"table", "json"});
  app->add_option("--limit", f->limit, "Score only the first N rows (0 = all)");
  app->add_option("--errors", f->errors,
                  "Print the rows where this field is wrong to stderr (one of: event_type, "
                  "sub_event_type, actor1, admin1, location_10km, date, fatalities)");
  app->footer(
      "Each row's notes are extracted with --published set to the row's event date unless the\n"
      "notes state a complete date (day, month and year) of their own; the first extracted event\n"
      "is scored against the row's event type, sub-event type, actor 1 (names compared without\n"
      "ACLED's year ranges), admin1, location (within 10 km), date (only on notes that state a\n"
      "date other than relative to publication — 'yesterday' would be resolved against the row's\n"
      "own date: the row's date must fall in the extracted span) and fatalities (exact; an unstated\n"
      "count counts as 0, as ACLED codes it).\n"
      "Example: tahadhari eval-extract --acled kenya-1997-2016.csv --format json");
  return [f]() {
    bool known = f->errors.empty();
    for (auto k : kFields) known |= f->errors == k;
    if (!known) throw UsageError(fmt::format("--errors {}: unknown field", f->errors));
    const auto input = ingest::InputFile::Open(f->acled);
    const std::string& name = input->display_name();
    if (ingest::DetectFormat(input->data(), name) != ingest::Format::kAcled) {
      throw FormatError(fmt::format("{}: not an ACLED export (expected the ACLED CSV header)", name));
    }
    ingest::RecordReader probe(input->data(), ',', true);
    ingest::Record header;
    std::optional<FieldError> err;
    probe.Next(&header, &err);
    const auto mapper = ingest::MakeMapper(ingest::Format::kAcled, header,
                                           ingest::Mappings::Default(), name);
    ingest::RecordReader reader(input->data(), ',', true, mapper->expected_fields());
    ingest::Record rec;
    reader.Next(&rec, &err);  // header
    std::map<std::string, int64_t> correct, total;
    std::map<std::string, std::map<std::string, int64_t>> confusion;
    int64_t n = 0, skipped = 0, relative_dates = 0;
    Event gold;
    while (reader.Next(&rec, &err)) {
      if (f->limit > 0 && n >= f->limit) break;
      if (err || mapper->Map(rec, &gold)) {
        ++skipped;
        err.reset();
        continue;
      }
      if (gold.notes.empty()) {
        ++skipped;
        continue;
      }
      ++n;
      extract::ExtractOptions opts;
      auto items = extract::Extract(gold.notes, opts);
      bool states_date = false, complete_date = false, absolute_date = false;
      for (const auto& it : items) {
        if (it.spans.count("date")) states_date = true;
        // Complete = day, month and year stated (not relative, not a bare year or month).
        if (it.spans.count("date") && it.has_date && it.event.date_precision == DatePrecision::kDay &&
            it.date_note.empty()) {
          complete_date = true;
        }
        if (it.spans.count("date") && it.date_note != "relative date without --published") {
          absolute_date = true;
        }
      }
      // A date stated only relative to the (unknown) publication date — "yesterday", "on
      // Sunday", "last week" — is resolved against the row's own date, so it cannot be scored.
      const bool relative_only = states_date && !absolute_date;
      if (!states_date) {
        // Date words the extractor found in a sentence that produced no item still count.
        opts.published = gold.date_start;
        auto again = extract::Extract(gold.notes, opts);
        for (const auto& it : again) states_date |= it.spans.count("date") > 0;
        items = std::move(again);
      } else if (!complete_date) {
        opts.published = gold.date_start;
        items = extract::Extract(gold.notes, opts);
      }
      const extract::Item* p = Primary(items);
      auto score = [&](const char* field, bool ok, const std::string& got, const std::string& want) {
        ++total[field];
        if (ok) {
          ++correct[field];
        } else if (f->errors == field) {
          fmt::print(stderr, "{}:{}: {}: got '{}', want '{}': {}\n", name, rec.line, field, got,
                     want, gold.notes);
        }
      };
      const std::string got_type = p ? p->event.event_type : "(none)";
      ++confusion[gold.event_type][got_type];
      score("event_type", p && p->event.event_type == gold.event_type, got_type, gold.event_type);
      score("sub_event_type", p && p->event.sub_event_type == gold.sub_event_type,
            p ? p->event.sub_event_type : "(none)", gold.sub_event_type);
      score("actor1", p && NormActor(p->event.actor1.name) == NormActor(gold.actor1.name),
            p ? p->event.actor1.name : "", gold.actor1.name);
      score("admin1", p && NormName(p->event.admin1) == NormName(gold.admin1),
            p ? p->event.admin1 : "", gold.admin1);
      bool near = false;
      std::string got_loc;
      if (p && p->event.location && gold.location) {
        const double km = geo::Distance(*p->event.location, *gold.location).value;
        near = km <= 10.0;
        got_loc = fmt::format("{} ({:.0f} km)", p->event.place, km);
      }
      score("location_10km", near, got_loc, gold.place);
      if (relative_only) ++relative_dates;
      if (states_date && !relative_only) {
        // An item whose own sentence states no date takes the publication date, as --ingest does.
        const bool ok = p && (p->has_date ? p->event.date_start <= gold.date_start &&
                                                gold.date_start <= p->event.date_end
                                          : opts.published == gold.date_start);
        score("date", ok,
              p && p->has_date ? p->event.date_start.ToIso() + ".." + p->event.date_end.ToIso()
                               : (p ? p->date_note : ""),
              gold.date_start.ToIso());
      }
      if (gold.fatalities) {
        const int64_t got = p && p->event.fatalities ? *p->event.fatalities : 0;
        score("fatalities", got == *gold.fatalities, std::to_string(got),
              std::to_string(*gold.fatalities));
      }
    }
    auto acc = [&](const char* field) {
      return total[field] ? static_cast<double>(correct[field]) / static_cast<double>(total[field]) : 0.0;
    };
    if (f->format == "json") {
      nlohmann::json j;
      j["n"] = n;
      j["accuracy"] = nlohmann::json::object();
      j["scored"] = nlohmann::json::object();
      for (auto k : kFields) {
        j["accuracy"][k] = std::round(acc(k) * 10000) / 10000;
        j["scored"][k] = total[k];
      }
      j["confusion"] = confusion;
      j["skipped"] = skipped;
      j["relative_dates_not_scored"] = relative_dates;
      fmt::print("{}\n", j.dump(2));
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto k : kFields) {
      rows.push_back({k, fmt::format("{:.1f}%", acc(k) * 100), std::to_string(correct[k]),
                      std::to_string(total[k])});
    }
    fmt::print("{} rows scored ({} skipped: unreadable or without notes; date not scored on {} "
               "notes whose only dates are relative to the publication date)\n\n",
               n, skipped, relative_dates);
    PrintTable({"field", "accuracy", "correct", "scored"}, rows);
    // Confusion matrix: rows gold, columns extracted.
    std::vector<std::string> cols;
    for (auto t : kEventTypes) cols.emplace_back(t);
    cols.emplace_back("Strategic developments");
    cols.pop_back();
    cols.emplace_back("(none)");
    auto shorten = [](const std::string& t) {
      if (t == "Explosions/Remote violence") return std::string("Explosions");
      if (t == "Violence against civilians") return std::string("VAC");
      if (t == "Strategic developments") return std::string("Strategic");
      return t;
    };
    std::vector<std::string> mheader = {"gold \\ extracted"};
    for (const auto& c : cols) mheader.push_back(shorten(c));
    std::vector<std::vector<std::string>> matrix;
    for (auto g : kEventTypes) {
      std::vector<std::string> row = {shorten(std::string(g))};
      for (const auto& c : cols) {
        auto it = confusion.find(std::string(g));
        int64_t v = 0;
        if (it != confusion.end()) {
          auto jt = it->second.find(c);
          if (jt != it->second.end()) v = jt->second;
        }
        row.push_back(std::to_string(v));
      }
      matrix.push_back(std::move(row));
    }
    fmt::print("\nevent type confusion (rows: ACLED, columns: extracted)\n");
    PrintTable(mheader, matrix);
    return kExitOk;
  };
}

}  // namespace

extern const Command kEvalExtractCommand{
    "eval-extract", "Score the news extractor against ACLED rows (notes vs coded columns)", Setup};

}  // namespace tahadhari::cli
