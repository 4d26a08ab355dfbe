// Where tahadhari finds its versioned data files (data/) and the dashboard (web/dist).
// Thread-safety: functions are safe to call concurrently.
#pragma once

#include <filesystem>

namespace tahadhari {

/// The data folder: $TAHADHARI_DATA if set, else <exe>/../data or <exe>/../share/tahadhari/data
/// when present, else the source tree's data/ folder compiled in.
/// Throws IoError when none of these exists.
std::filesystem::path DataDir();

/// The store used when no --store is given: $TAHADHARI_STORE, else ./tahadhari-data/store.gpkg.
std::filesystem::path DefaultStorePath();

}  // namespace tahadhari
