// ingest/: reads dataset files (ACLED CSV, UCDP GED CSV, GDELT 1.0/2.0 TSV, plain or .zip) into
// the store, one transaction per file. Every record becomes an event or a reject with its
// path:line, field, value and reason; nothing is dropped silently.
// Thread-safety: IngestFile uses one parsing thread besides the caller's; calls on different
// Store objects may run concurrently (the store serialises writers). A large ingest into a
// store that others have open lowers its own CPU priority (IngestOptions::yield_to_readers).
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
  /// When the store is shared (store::Store::Batch::shared(): a large file while another
  /// connection, e.g. a running server, has the store open), the calling thread and the
  /// ingest's own threads run kYieldNice nice levels lower in CPU priority, so that readers
  /// keep their latency and the ingest uses the CPU time they leave. The calling thread's
  /// priority is restored where the process may do so (Linux lets only privileged processes
  /// raise it again): callers that reuse their threads should run IngestFile on a thread of its
  /// own.
  bool yield_to_readers = true;
  /// Called from the calling thread when the ingest lowered its priority. May be empty.
  std::function<void()> on_yield;
};

/// Nice levels an ingest into a shared store gives up (see IngestOptions::yield_to_readers):
/// CFS then weighs a reader thread ~9x the ingest's when both want the CPU.
inline constexpr int kYieldNice = 10;

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
