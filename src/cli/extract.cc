// tahadhari extract: read English news text and print (or store) the events in it.
#include "extract/extract.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/cli.h"

namespace tahadhari::cli {
namespace {

std::string ReadInput(const std::string& file) {
  if (file == "-") {
    std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return s;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot open ({})", file, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("{}: read failed", file));
  return ss.str();
}

std::string Cut(std::string_view s, size_t width) {
  std::string out(s.substr(0, std::min(s.size(), width * 4)));
  // Cut at a character boundary after `width` characters.
  size_t chars = 0, i = 0;
  while (i < out.size() && chars < width) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  if (i < out.size() || s.size() > out.size()) {
    out.resize(std::min(i, out.size()));
    out += "…";
  }
  return out;
}

std::string CountText(const std::optional<extract::Count>& c, const char* what) {
  if (!c) return {};
  return fmt::format("{}{}{} {}", c->qualifier, c->qualifier.empty() ? "" : " ", c->value, what);
}

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string file = "-", published, format, store;
    bool ingest = false, stats = false;
    int threads = 1;
  };
  auto f = std::make_shared<Flags>();
  app->add_option("FILE", f->file,
                  "UTF-8 text: one article, or several separated by a line '---' (- = stdin)");
  app->add_option("--published", f->published,
                  "Publication date YYYY-MM-DD: anchors relative dates ('on Monday', 'last week')");
  AddFormatOption(app, &f->format, {"jsonl", "table", "none"});
  app->add_option("--threads", f->threads,
                  "Worker threads (articles are split between them; 0 = all cores)")
      ->check(CLI::Range(0, 256));
  app->add_flag("--stats", f->stats, "Print sentences, items and sentences/s to stderr");
  app->add_flag("--ingest", f->ingest,
                "Store the extracted events (kind event, status occurred or reported-historical) "
                "in the store with source 'news'");
  AddStoreOption(app, &f->store);
  app->footer(
      "Each item is an event, an aggregate ('over 90 attacks between June and August') or a\n"
      "force-posture fact (troops, bases, withdrawals, border closures), with its status, the\n"
      "sentence and the span of text every field came from. Dictionaries: data/extract/.\n"
      "Example: tahadhari extract article.txt --published 2023-09-01 --format table");
  return [f]() {
    extract::ExtractOptions options;
    if (!f->published.empty()) {
      options.published = Date::ParseIso(f->published);
      if (!options.published) {
        throw UsageError(
            fmt::format("--published {}: not a date (expected YYYY-MM-DD)", f->published));
      }
    }
    const std::string text = ReadInput(f->file);
    extract::Preload();
    // Counted before (and outside) the timed run.
    const size_t sentences = f->stats ? extract::CountSentences(text) : 0;
    const auto started = std::chrono::steady_clock::now();
    std::vector<extract::Item> items;
    int threads =
        f->threads == 0 ? static_cast<int>(std::thread::hardware_concurrency()) : f->threads;
    if (threads < 1) threads = 1;
    {
      // Split at article separators into kPartsPerThread contiguous parts per thread, which
      // the threads take in turn: equal byte counts are not equal work (sentence length and
      // density vary), so a static split of one part per thread leaves a thread idle at the end
      // (2 threads scaled 1.67x that way, measured with bench/extract.sh).
      constexpr size_t kPartsPerThread = 16;
      const size_t n_parts = threads == 1 ? 1 : static_cast<size_t>(threads) * kPartsPerThread;
      std::vector<size_t> cuts = {0};
      for (size_t t = 1; t < n_parts; ++t) {
        size_t at = text.size() * t / n_parts;
        at = std::max(at, cuts.back());
        size_t p = text.find("\n---\n", at);
        if (p == std::string::npos) break;
        cuts.push_back(p + 1);
      }
      cuts.push_back(text.size());
      std::vector<std::vector<extract::Item>> parts(cuts.size() - 1);
      std::vector<std::thread> workers;
      std::vector<std::exception_ptr> errors(parts.size());
      // Part i's items, with spans shifted from the part's offsets to the whole text's.
      auto run_part = [&](size_t i) {
        try {
          const std::string_view part(text.data() + cuts[i], cuts[i + 1] - cuts[i]);
          parts[i] = extract::Extract(part, options);
          for (auto& it : parts[i]) {
            it.sentence.begin += cuts[i];
            it.sentence.end += cuts[i];
            for (auto& [k, sp] : it.spans) {
              sp.begin += cuts[i];
              sp.end += cuts[i];
            }
          }
        } catch (...) {
          errors[i] = std::current_exception();
        }
      };
      std::atomic<size_t> next_part{0};
      const size_t n_workers = std::min(static_cast<size_t>(threads), parts.size());
      for (size_t t = 0; t < n_workers; ++t) {
        workers.emplace_back([&] {
          for (size_t i = next_part++; i < parts.size(); i = next_part++) run_part(i);
        });
      }
      for (auto& w : workers) w.join();
      for (auto& e : errors) {
        if (e) std::rethrow_exception(e);
      }
      if (parts.size() == 1) {
        items = std::move(parts[0]);
      } else {
        size_t total = 0;
        for (const auto& p : parts) total += p.size();
        items.reserve(total);
        for (auto& p : parts) {
          for (auto& it : p) items.push_back(std::move(it));
          std::vector<extract::Item>().swap(p);
        }
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (f->stats) {
      fmt::print(
          stderr,
          "extract: {} sentences, {} items in {:.2f} s with {} thread(s): {:.0f} sentences/s\n",
          sentences, items.size(), seconds, threads,
          static_cast<double>(sentences) / std::max(seconds, 1e-9));
    }
    if (f->format == "table") {
      std::vector<std::vector<std::string>> rows;
      int i = 0;
      for (const auto& it : items) {
        const Event& e = it.event;
        std::string counts;
        for (const auto& s :
             {CountText(it.fatalities, "killed"), CountText(it.injured, "injured"),
              CountText(it.troops, "troops"), CountText(it.bases, "bases"),
              CountText(it.attacks, "attacks"), CountText(it.arrested, "arrested")}) {
          if (s.empty()) continue;
          if (!counts.empty()) counts += ", ";
          counts += s;
        }
        std::string date = it.has_date ? (e.date_start == e.date_end
                                              ? e.date_start.ToIso()
                                              : e.date_start.ToIso() + ".." + e.date_end.ToIso()) +
                                             " (" + std::string(ToString(e.date_precision)) + ")"
                                       : "?";
        std::string place =
            e.place.empty()
                ? "?"
                : e.place + (e.admin1.empty() || e.admin1 == e.place ? "" : ", " + e.admin1) + " " +
                      e.country_iso3;
        rows.push_back(
            {std::to_string(++i), std::string(ToString(it.kind)), std::string(ToString(it.status)),
             it.label, e.event_type + " / " + e.sub_event_type, e.actor1.name, place, date, counts,
             Cut(text.substr(it.sentence.begin, it.sentence.end - it.sentence.begin), 60)});
      }
      PrintTable({"#", "kind", "status", "what", "type / sub-type", "actor 1", "place", "date",
                  "counts", "sentence"},
                 rows);
    } else if (f->format == "jsonl") {
      std::string out;
      for (const auto& it : items) {
        out += extract::ToJson(it, text).dump(-1, ' ', false,
                                              nlohmann::json::error_handler_t::replace);
        out += '\n';
        if (out.size() >= (1u << 20)) {  // stream: output memory stays bounded
          std::fwrite(out.data(), 1, out.size(), stdout);
          out.clear();
        }
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    if (f->ingest) {
      auto store = store::Store::Open(f->store, store::Store::Mode::kReadWrite);
      const std::string path = f->file == "-" ? "stdin" : f->file;
      auto batch = store->BeginBatch({path, "news", static_cast<int64_t>(items.size())});
      store::IngestLog log;
      log.path = path;
      log.format = "news";
      int64_t skipped = 0;
      for (const auto& it : items) {
        if (it.kind != extract::ItemKind::kEvent ||
            !(it.status == extract::Status::kOccurred ||
              it.status == extract::Status::kReportedHistorical)) {
          continue;
        }
        ++log.read;
        Event e = it.event;
        e.notes = text.substr(it.sentence.begin, it.sentence.end - it.sentence.begin);
        if (!it.has_date) {
          if (!options.published) {
            ++skipped;
            ++log.rejected;
            batch->AddReject({path, 0,
                              FieldError{"date", "", "no date in the text; give --published"},
                              e.notes.substr(0, 200)});
            continue;
          }
          e.date_start = e.date_end = *options.published;
          e.date_precision = DatePrecision::kDay;
        }
        // Stable id: the sentence, the item's label and place — re-ingesting the same text
        // updates rather than duplicates.
        const std::string key =
            fmt::format("{}|{}|{}|{}", e.notes, it.label, e.place, e.actor1.name);
        e.source_id = fmt::format("{:016x}", XXH3_64bits(key.data(), key.size()));
        e.source_file = path;
        e.reported_by = path;
        switch (batch->Upsert(e)) {
          case store::UpsertResult::kInserted: ++log.inserted; break;
          case store::UpsertResult::kUpdated: ++log.updated; break;
          case store::UpsertResult::kUnchanged: ++log.unchanged; break;
        }
      }
      batch->LogIngest(log);
      batch->Commit();
      fmt::print(stderr,
                 "extract: stored {} events in {} ({} inserted, {} updated, {} unchanged{})\n",
                 log.inserted + log.updated + log.unchanged, f->store, log.inserted, log.updated,
                 log.unchanged, skipped ? fmt::format(", {} without a date skipped", skipped) : "");
    }
    return kExitOk;
  };
}

}  // namespace

extern const Command kExtractCommand{
    "extract", "Read English news text into events, places, dates and force posture", Setup};

}  // namespace tahadhari::cli
