// tahadhari events: list the events matching a filter.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "store/export.h"

namespace tahadhari::cli {
namespace {

constexpr int64_t kDefaultTableRows = 100;
constexpr size_t kFetchChunk = 4096;
constexpr auto kJsonErrors = nlohmann::json::error_handler_t::replace;

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, format;
    FilterFlags filter;
    int64_t limit = -1, offset = 0;
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  AddFilterOptions(app, &f->filter);
  app->add_option("--limit", f->limit,
                  "At most N events (0 = all; default all, or 100 for --format table)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--offset", f->offset, "Skip the first N matching events")
      ->check(CLI::NonNegativeNumber);
  AddFormatOption(app, &f->format, {"table", "csv", "geojson", "jsonl"});
  app->footer(
      "Events are ordered by date, then by store id.\n"
      "Example: tahadhari events --near -0.4532,39.6461 --within 50 --actor shabaab "
      "--format geojson");
  return [f]() {
    const store::EventFilter filter = ToFilter(f->filter);
    auto store = store::Store::Open(f->store, store::Store::Mode::kReadOnly);
    const auto columns = store->Columns();
    const std::vector<uint32_t> rows = columns->Select(filter);
    int64_t limit = f->limit;
    if (limit < 0) limit = f->format == "table" ? kDefaultTableRows : 0;
    const size_t begin = std::min(rows.size(), static_cast<size_t>(f->offset));
    size_t end = rows.size();
    if (limit > 0) end = std::min(end, begin + static_cast<size_t>(limit));

    const auto fids = columns->fid();
    std::vector<std::vector<std::string>> table;
    if (f->format == "csv") {
      std::string line;
      for (const auto& n : store::EventFieldNames()) {
        if (!line.empty()) line += ',';
        line += n;
      }
      fmt::print("{}\n", line);
    } else if (f->format == "geojson") {
      fmt::print("{{\"type\":\"FeatureCollection\",\"numberMatched\":{},\"numberReturned\":{},"
                 "\"features\":[",
                 rows.size(), end - begin);
    }
    bool first = true;
    std::string out;
    for (size_t i = begin; i < end; i += kFetchChunk) {
      std::vector<int64_t> chunk;
      for (size_t k = i; k < std::min(end, i + kFetchChunk); ++k) chunk.push_back(fids[rows[k]]);
      out.clear();
      for (const auto& e : store->Fetch(chunk)) {
        if (f->format == "csv") {
          std::string line;
          for (const auto& v : store::EventCsvValues(e)) {
            if (!line.empty()) line += ',';
            line += store::CsvField(v);
          }
          out += line;
          out += '\n';
        } else if (f->format == "geojson") {
          if (!first) out += ',';
          store::AppendEventFeatureJson(e, &out);
        } else if (f->format == "jsonl") {
          out += store::EventProperties(e).dump(-1, ' ', false, kJsonErrors);
          out += '\n';
        } else {
          const Event& ev = e.event;
          table.push_back({ev.date_start.ToIso(), ev.event_type, ev.sub_event_type,
                           ev.actor1.name, ev.actor2.name, ev.country_iso3, ev.admin1, ev.place,
                           ev.fatalities ? std::to_string(*ev.fatalities) : "?",
                           ev.source + ":" + ev.source_id});
        }
        first = false;
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    if (f->format == "geojson") fmt::print("]}}\n");
    if (f->format == "table") {
      PrintTable({"date", "type", "sub-type", "actor1", "actor2", "country", "admin1", "place",
                  "fatalities", "source:id"},
                 table);
      fmt::print("{} of {} matching events shown{}\n", end - begin, rows.size(),
                 end < rows.size() ? " (use --limit 0 for all, --format csv for every field)"
                                   : "");
    }
    return kExitOk;
  };
}

}  // namespace

extern const Command kEventsCommand{"events", "List events matching filters (table, CSV, GeoJSON)",
                                    Setup};

}  // namespace tahadhari::cli
