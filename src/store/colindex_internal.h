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

/// Length of the store's random identity (tahadhari_meta.store_id, 32 hex digits).
inline constexpr size_t kStoreIdLength = 32;

/// Maps the cache file read-only when it exists and was written for this store (`store_id`) at
/// `generation`; else nullptr. Never throws: a damaged, stale or foreign cache is ignored.
std::shared_ptr<const ColumnIndex> LoadColumnIndex(const std::filesystem::path& cache,
                                                   std::string_view store_id, int64_t generation);

/// Writes `index` to `cache` atomically (temporary file + rename), tagged with `store_id`.
/// Returns false on any I/O failure (the cache is an optimisation; callers carry on).
bool SaveColumnIndex(const ColumnIndex& index, std::string_view store_id,
                     const std::filesystem::path& cache);

}  // namespace tahadhari::store::internal
