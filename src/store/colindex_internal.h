// Internal to store/: building, caching and loading the column index. Not thread-safe.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "store/store.h"

namespace tahadhari::store::internal {

/// Reads every event's filter/group fields from `db` into a new in-memory index.
/// Throws StoreError.
std::shared_ptr<const ColumnIndex> BuildColumnIndex(sqlite3* db, int64_t generation);

/// Maps the cache file read-only when it exists and was written for `generation`; else nullptr.
/// Never throws: a damaged or stale cache is simply ignored.
std::shared_ptr<const ColumnIndex> LoadColumnIndex(const std::filesystem::path& cache,
                                                   int64_t generation);

/// Writes `index` to `cache` atomically (temporary file + rename). Returns false on any I/O
/// failure (the cache is an optimisation; callers carry on).
bool SaveColumnIndex(const ColumnIndex& index, const std::filesystem::path& cache);

}  // namespace tahadhari::store::internal
