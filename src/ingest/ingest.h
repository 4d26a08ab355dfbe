// ingest/: reads dataset files (ACLED CSV, UCDP GED CSV, GDELT 1.0/2.0 TSV, plain or .zip) into
// the store, one transaction per file. Every record becomes an event or a reject with its
// path:line, field, value and reason; nothing is dropped silently.
// Thread-safety: IngestFile uses one parsing thread besides the caller's; calls on different
// Store objects may run concurrently (the store serialises writers).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "store/store.h"

namespace tahadhari::ingest {

struct Progress {
  size_t bytes_done = 0;
  size_t bytes_total = 0;
  int64_t rows = 0;
};

struct IngestOptions {
  /// "" to detect from the file; else one of acled, ucdp, gdelt1, gdelt2.
  std::string format;
  /// Called now and then from the calling thread (for progress bars). May be empty.
  std::function<void(const Progress&)> on_progress;
  /// Called for each rejected record from the calling thread. May be empty.
  std::function<void(const store::Reject&)> on_reject;
};

/// The formats --format accepts, for help texts.
inline constexpr const char* kFormatNames = "acled, ucdp, gdelt1, gdelt2";

/// Ingests one file as a single transaction: either all of its valid records (and its rejects)
/// are committed, or, if the process dies or an exception escapes, nothing of it is.
/// Records already stored with the same (source, source_id) are updated in place when their
/// content changed, and counted unchanged otherwise.
/// Throws FormatError when the file is empty or not a known format (naming the formats
/// expected), UsageError for an unknown `options.format`, IoError when it cannot be read,
/// StoreError when the store fails (e.g. disk full).
store::IngestLog IngestFile(store::Store& store, const std::filesystem::path& path,
                            const IngestOptions& options);

}  // namespace tahadhari::ingest
