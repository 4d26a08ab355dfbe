// Internal to ingest/: a record reader for delimited text (RFC 4180 CSV with quotes, or plain
// tab-separated), with physical line numbers and recovery from broken quoting.
// Hand-written rather than a library because ingest must beat the sqlite3 shell's .import on
// speed (bench/ingest.sh) while keeping, for every record, its physical line and raw bytes for
// the rejects log; the Debian CSV libraries (libcsv) give neither without a copy per field.
// Not thread-safe; one reader per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tahadhari::ingest {

struct Record {
  int64_t line = 0;       // 1-based physical line where the record starts
  std::string_view raw;   // the record's bytes without its final line break
  std::vector<std::string_view> fields;  // unquoted field values
  std::string scratch;    // backing store for fields that needed unescaping
};

class RecordReader {
 public:
  /// `quoted`: RFC 4180 quoting (CSV); otherwise fields never contain the delimiter or newlines.
  /// `expected_fields` (0 = unknown): when a quoted record spans several lines and does not have
  /// this many fields, its first line is reported as broken and reading resumes at the next line,
  /// so one unbalanced quote never swallows the valid rows after it.
  RecordReader(std::string_view data, char delimiter, bool quoted, size_t expected_fields = 0);

  /// Reads the next record into *r. Returns false at the end of the data. When the record is
  /// malformed (unbalanced quote), returns true with *error set and r->raw holding its first line.
  bool Next(Record* r, std::optional<FieldError>* error);

  /// Bytes consumed so far (for progress).
  size_t position() const { return pos_; }

 private:
  bool ParseQuoted(Record* r, std::optional<FieldError>* error);
  void SplitPlain(Record* r);
  std::string_view LineAt(size_t start) const;

  std::string_view data_;
  char delim_;
  bool quoted_;
  size_t expected_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

/// Returns the byte offset of the first invalid UTF-8 sequence in s, or nullopt when valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

}  // namespace tahadhari::ingest
