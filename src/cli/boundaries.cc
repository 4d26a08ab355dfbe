// tahadhari boundaries: load administrative boundary polygons into the store.
#include <filesystem>

#include <fmt/format.h>

#include "cli/cli.h"
#include "geo/boundaries.h"

namespace tahadhari::cli {
namespace {

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, action, file, level = "admin1", name_field;
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  app->add_option("ACTION", f->action, "load")->required()->check(CLI::IsMember({"load"}));
  app->add_option("FILE", f->file, "GeoJSON FeatureCollection of (Multi)Polygons")->required();
  app->add_option("--level", f->level, "admin1 or admin2")
      ->check(CLI::IsMember({"admin1", "admin2"}))
      ->capture_default_str();
  app->add_option("--name-field", f->name_field, "Property holding the area name");
  app->footer("Replaces the boundaries of that level. Each bad feature is reported and skipped.\n"
              "Example: tahadhari boundaries load kenya-counties.geojson --level admin1 "
              "--name-field COUNTY_NAM");
  return [f]() {
    const auto file = geo::ReadBoundaries(f->file, f->name_field);
    for (const auto& p : file.problems) {
      fmt::print(stderr, "{}: feature {}: {}: {}{}\n", f->file, p.feature, p.error.field,
                 p.error.value.empty() ? "" : p.error.value + ": ", p.error.reason);
    }
    auto store = store::Store::Open(f->store, store::Store::Mode::kReadWrite);
    store->ReplaceBoundaries(f->level, std::filesystem::path(f->file).filename().string(),
                             file.boundaries);
    fmt::print("{}: {} {} boundaries loaded, {} skipped\n", f->file, file.boundaries.size(),
               f->level, file.problems.size());
    return file.boundaries.empty() ? kExitError : kExitOk;
  };
}

}  // namespace

extern const Command kBoundariesCommand{"boundaries", "Load admin1/admin2 boundary polygons",
                                        Setup};

}  // namespace tahadhari::cli
