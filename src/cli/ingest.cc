// tahadhari ingest: load dataset files into the store.
#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "ingest/ingest.h"

namespace tahadhari::cli {
namespace {

constexpr int kShownRejectsPerFile = 20;
constexpr int kProgressBarWidth = 30;
constexpr double kPercent = 100.0;
constexpr auto kProgressInterval = std::chrono::milliseconds(200);

struct Totals {
  int64_t files = 0, read = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  double seconds = 0;
};

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, format, output = "table";
    std::vector<std::string> files;
    bool quiet = false;
    bool full_priority = false;
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  app->add_option("FILE", f->files, "Dataset files (ACLED/UCDP CSV, GDELT TSV, plain or .zip)")
      ->required();
  app->add_option("--format", f->format,
                  std::string("Force the input format instead of detecting it: ") +
                      ingest::kFormatNames);
  app->add_option("--summary", f->output, "Summary format: table|json")
      ->check(CLI::IsMember({"table", "json"}));
  app->add_flag("--quiet,-q", f->quiet, "Do not print each rejected row");
  app->add_flag("--full-priority", f->full_priority,
                "Keep full CPU priority when the store is open elsewhere (by default a large "
                "file then loads at lower priority, so that a running server stays fast)");
  app->footer(
      "Each file is one transaction: a file either loads completely (valid rows, plus its rejects "
      "logged) or not at all. Rejected rows are printed as path:line: field: value: reason and "
      "appended, with the raw line, to <store>.rejects.csv.\n"
      "Example: tahadhari ingest --store ke.gpkg 2016-acled.csv 20191024143000.export.CSV.zip");
  return [f]() {
    auto store = store::Store::Open(f->store, store::Store::Mode::kReadWrite);
    std::map<std::string, Totals> by_source;
    int exit_code = kExitOk;
    const bool tty = Interactive();
    for (const auto& file : f->files) {
      int shown = 0;
      auto last_draw = std::chrono::steady_clock::now();
      const auto started = last_draw;
      ingest::IngestOptions opts;
      opts.format = f->format;
      opts.yield_to_readers = !f->full_priority;
      opts.on_yield = [&] {
        fmt::print(stderr,
                   "{}: the store is open elsewhere (a running server?): loading at lower CPU "
                   "priority so that its readers stay fast (--full-priority to not)\n",
                   file);
      };
      opts.on_reject = [&](const store::Reject& r) {
        if (f->quiet) return;
        if (shown < kShownRejectsPerFile) {
          std::string where = r.error.field.empty() ? std::string() : r.error.field + ": ";
          if (!r.error.value.empty()) where += r.error.value + ": ";
          fmt::print(stderr, "{}{}:{}: {}{}\n", tty ? "\r\033[K" : "", r.path, r.line, where,
                     r.error.reason);
        } else if (shown == kShownRejectsPerFile) {
          fmt::print(stderr, "{}: more rejected rows not shown; all are in {}\n", r.path,
                     store->RejectsPath().string());
        }
        ++shown;
      };
      if (tty) {
        opts.on_progress = [&](const ingest::Progress& p) {
          const auto now = std::chrono::steady_clock::now();
          if (now - last_draw < kProgressInterval || p.bytes_total == 0) return;
          last_draw = now;
          const double frac = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
          const double secs = std::chrono::duration<double>(now - started).count();
          const double rate = secs > 0 ? static_cast<double>(p.rows) / secs : 0;
          const double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
          const int filled = static_cast<int>(frac * kProgressBarWidth);
          fmt::print(stderr, "\r\033[K{} [{}{}] {:3.0f}% {} rows {:.0f} rows/s ETA {:.0f}s",
                     file, std::string(static_cast<size_t>(filled), '#'),
                     std::string(static_cast<size_t>(kProgressBarWidth - filled), '.'),
                     frac * kPercent, p.rows, rate, eta);
        };
      }
      try {
        const auto log = ingest::IngestFile(*store, file, opts);
        if (tty) fmt::print(stderr, "\r\033[K");
        Totals& t = by_source[log.format];
        ++t.files;
        t.read += log.read;
        t.inserted += log.inserted;
        t.updated += log.updated;
        t.unchanged += log.unchanged;
        t.rejected += log.rejected;
        t.seconds += log.seconds;
      } catch (const UsageError&) {
        throw;
      } catch (const Error& e) {
        if (tty) fmt::print(stderr, "\r\033[K");
        fmt::print(stderr, "tahadhari: {}\n", e.what());
        exit_code = kExitError;
      }
    }
    if (f->output == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& [source, t] : by_source) {
        j.push_back({{"source", source}, {"files", t.files}, {"read", t.read},
                     {"inserted", t.inserted}, {"updated", t.updated},
                     {"unchanged", t.unchanged}, {"rejected", t.rejected},
                     {"seconds", t.seconds}});
      }
      fmt::print("{}\n", j.dump(2));
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const auto& [source, t] : by_source) {
        rows.push_back({source, std::to_string(t.files), std::to_string(t.read),
                        std::to_string(t.inserted), std::to_string(t.updated),
                        std::to_string(t.unchanged), std::to_string(t.rejected),
                        fmt::format("{:.2f}", t.seconds),
                        fmt::format("{:.0f}", t.seconds > 0 ? static_cast<double>(t.read) /
                                                                  t.seconds
                                                            : 0.0)});
      }
      PrintTable({"source", "files", "read", "inserted", "updated", "unchanged", "rejected",
                  "seconds", "rows/s"},
                 rows);
      fmt::print("store: {} ({} events)\n", f->store, store->CountEvents());
    }
    return exit_code;
  };
}

}  // namespace

extern const Command kIngestCommand{"ingest", "Load ACLED, UCDP or GDELT files into the store",
                                    Setup};

}  // namespace tahadhari::cli
