// store/: the canonical external representations of stored events, shared by the CLI and the
// HTTP server so both print the same fields with the same names.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace tahadhari::store {

/// Column names of the CSV export, in order (also the JSON property names).
const std::vector<std::string>& EventFieldNames();

/// The event's fields as CSV values in EventFieldNames() order (unknown numbers are "").
std::vector<std::string> EventCsvValues(const StoredEvent& e);

/// The event's fields as a JSON object keyed by EventFieldNames() (unknown numbers are null).
nlohmann::json EventProperties(const StoredEvent& e);

/// A GeoJSON Feature (RFC 7946) with `id` = fid, point geometry (or null) and EventProperties.
nlohmann::json EventFeature(const StoredEvent& e);

/// Appends EventFeature(e) serialised as compact JSON to *out, without building a JSON tree
/// (the items endpoint serialises thousands of features per second). Same keys and values as
/// EventFeature; invalid UTF-8 in text is replaced by U+FFFD.
void AppendEventFeatureJson(const StoredEvent& e, std::string* out);

/// The same for a record read in place (Store::FetchEach): no copy of the record's text.
void AppendEventFeatureJson(const EventView& e, std::string* out);

/// RFC 4180 quoting when needed (comma, quote, CR or LF in the value).
std::string CsvField(const std::string& value);

}  // namespace tahadhari::store
