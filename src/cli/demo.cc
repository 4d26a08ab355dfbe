// tahadhari demo: load the bundled open samples into a store and show what is there.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/serve.h"
#include "core/paths.h"
#include "ingest/ingest.h"

namespace tahadhari::cli {
namespace {

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store = (std::filesystem::path("tahadhari-data") / "demo.gpkg").string();
    int port = 8080;
    bool no_serve = false;
  };
  auto f = std::make_shared<Flags>();
  app->add_option("--store", f->store, "Store to create or update")->capture_default_str();
  app->add_option("--port", f->port, "Port for the dashboard")->capture_default_str();
  app->add_flag("--no-serve", f->no_serve, "Load and summarise only; do not start the server");
  app->footer("Loads the open samples shipped in data/samples (UCDP GED, GDELT 1.0 and 2.0), "
              "prints what was loaded, then serves the dashboard until Ctrl-C.\n"
              "Example: tahadhari demo");
  return [f]() {
    const auto samples = DataDir() / "samples";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(samples)) {
      const auto ext = entry.path().extension().string();
      if (entry.is_regular_file() && ext != ".md") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    auto store = store::Store::Open(f->store, store::Store::Mode::kReadWrite);
    std::vector<std::vector<std::string>> rows;
    for (const auto& file : files) {
      ingest::IngestOptions opts;
      const auto log = ingest::IngestFile(*store, file, opts);
      rows.push_back({file.filename().string(), log.format, std::to_string(log.read),
                      std::to_string(log.inserted), std::to_string(log.updated),
                      std::to_string(log.unchanged), std::to_string(log.rejected)});
    }
    PrintTable({"sample", "source", "read", "inserted", "updated", "unchanged", "rejected"}, rows);
    const auto columns = store->Columns();
    const auto all = columns->Select({});
    const analysis::StatKey by_source[] = {analysis::StatKey::kSource};
    const auto stats = analysis::ComputeStats(*columns, all, by_source);
    fmt::print("\nstore {} now holds {} events:\n", f->store, stats.total_events);
    for (const auto& r : stats.rows) fmt::print("  {:<8} {:>6} events\n", r.keys[0], r.events);
    fmt::print("\nTry:\n  tahadhari stats --store {} --by type --format table\n"
               "  tahadhari events --store {} --country SOM,KEN --format table\n\n",
               f->store, f->store);
    if (f->no_serve) return kExitOk;
    store.reset();
    ServeOptions serve;
    serve.store = f->store;
    serve.port = f->port;
    return Serve(serve);
  };
}

}  // namespace

extern const Command kDemoCommand{"demo", "Load the bundled open samples and show them", Setup};

}  // namespace tahadhari::cli
