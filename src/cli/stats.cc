// tahadhari stats: count events and sum fatalities by time and category.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "store/export.h"

namespace tahadhari::cli {
namespace {

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, format;
    FilterFlags filter;
    std::vector<std::string> by;
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  app->add_option("--by", f->by, std::string("One or two keys: ") + analysis::kStatKeyNames)
      ->required()
      ->delimiter(',');
  AddFilterOptions(app, &f->filter);
  AddFormatOption(app, &f->format, {"table", "csv", "json"});
  app->footer(
      "Fatalities are summed over events whose fatalities are known; unknown is not zero.\n"
      "Example: tahadhari stats --by year --country KEN --source acled --format csv");
  return [f]() {
    if (f->by.empty() || f->by.size() > 2) {
      throw UsageError(fmt::format("--by: give one or two keys (got {}); keys: {}", f->by.size(),
                                   analysis::kStatKeyNames));
    }
    std::vector<analysis::StatKey> keys;
    for (const auto& name : f->by) {
      const auto k = analysis::ParseStatKey(name);
      if (!k) {
        throw UsageError(fmt::format("--by {}: unknown key (expected one of: {})", name,
                                     analysis::kStatKeyNames));
      }
      keys.push_back(*k);
    }
    const store::EventFilter filter = ToFilter(f->filter);
    auto store = store::Store::Open(f->store, store::Store::Mode::kReadOnly);
    const auto columns = store->Columns();
    const auto rows = columns->Select(filter, store::ColumnIndex::SelectOrder::kAny);
    const auto result = analysis::ComputeStats(*columns, rows, keys);

    if (f->format == "json") {
      nlohmann::json j = {
          {"keys", result.key_names},
          {"total", {{"events", result.total_events}, {"fatalities", result.total_fatalities}}},
          {"rows", nlohmann::json::array()}};
      for (const auto& r : result.rows) {
        nlohmann::json row;
        for (size_t i = 0; i < r.keys.size(); ++i) row[result.key_names[i]] = r.keys[i];
        row["events"] = r.events;
        row["fatalities"] = r.fatalities;
        j["rows"].push_back(std::move(row));
      }
      fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
      return kExitOk;
    }
    if (f->format == "csv") {
      std::string out;
      for (const auto& k : result.key_names) out += k + ",";
      out += "events,fatalities\n";
      for (const auto& r : result.rows) {
        for (const auto& k : r.keys) out += store::CsvField(k) + ",";
        out += fmt::format("{},{}\n", r.events, r.fatalities);
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return kExitOk;
    }
    std::vector<std::string> header = result.key_names;
    header.emplace_back("events");
    header.emplace_back("fatalities");
    std::vector<std::vector<std::string>> table;
    for (const auto& r : result.rows) {
      std::vector<std::string> row;
      for (const auto& k : r.keys) row.push_back(k.empty() ? "(none)" : k);
      row.push_back(std::to_string(r.events));
      row.push_back(std::to_string(r.fatalities));
      table.push_back(std::move(row));
    }
    PrintTable(header, table);
    fmt::print("total: {} events, {} fatalities\n", result.total_events, result.total_fatalities);
    return kExitOk;
  };
}

}  // namespace

extern const Command kStatsCommand{"stats", "Count events and fatalities by time and category",
                                   Setup};

}  // namespace tahadhari::cli
