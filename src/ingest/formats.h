// Internal to ingest/: the dataset formats we read and how each record becomes an Event.
// A RowMapper is used by one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "ingest/csv.h"
#include "ingest/mappings.h"

namespace tahadhari::ingest {

enum class Format { kAcled, kUcdp, kGdelt1, kGdelt2 };

std::string_view FormatName(Format f);
/// Accepts acled, ucdp, gdelt1, gdelt2 (case-insensitive).
std::optional<Format> ParseFormatName(std::string_view name);

/// Detects the format of `data` from its first line: ACLED and UCDP by their header columns,
/// GDELT by tab-separated column count (57/58 = 1.0, 61 = 2.0). Throws FormatError naming the
/// formats expected (and `display_name`) when none matches, or the file is empty.
Format DetectFormat(std::string_view data, const std::string& display_name);

class RowMapper {
 public:
  virtual ~RowMapper() = default;
  /// True when the first record is a header row to skip.
  virtual bool has_header() const = 0;
  virtual char delimiter() const = 0;
  virtual bool quoted() const = 0;
  /// Number of fields every record must have (0 = the mapper checks itself).
  virtual size_t expected_fields() const = 0;
  /// Fills *out from the record. Returns the first field that makes the record unusable.
  virtual std::optional<FieldError> Map(const Record& r, Event* out) const = 0;
};

/// Builds the mapper for `format`. For headed formats `header` is the first record; throws
/// FormatError when a required column is missing (naming it and the file).
std::unique_ptr<RowMapper> MakeMapper(Format format, const Record& header,
                                      const Mappings& mappings, const std::string& display_name);

}  // namespace tahadhari::ingest
