// Internal to extract/: numbers ("4,000", "three", "a dozen", "more than 90") and date
// expressions (absolute, relative to the publication date, ranges, "since 2011") in a sentence's
// tokens. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/event.h"
#include "extract/text.h"

namespace tahadhari::extract {

struct NumberMatch {
  uint32_t begin = 0, end = 0;  // tokens, including the qualifier
  uint32_t value_begin = 0;     // first token of the number itself
  int64_t value = 0;
  std::string qualifier;  // "", "more than", "at least", "about", "nearly", "up to", "fewer than"
  bool vague = false;     // "several", "dozens", "scores": value is a rough guess
};

struct DateMatch {
  uint32_t begin = 0, end = 0;  // tokens
  bool resolved = false;        // start/end known (needs the publication date when relative)
  Date start, end_date;
  DatePrecision precision = DatePrecision::kDay;
  bool relative = false;  // depends on the publication date
  bool since = false;     // "since 2011": a state that began then
  bool deadline = false;  // "by the end of 2024": a deadline
  bool onward = false;    // "began on 14/05", "starting 5 May": the start of a span
  /// Names another event than the one reported ("the June 2014 bombing", "ahead of the
  /// August elections"): not the date of the sentence's incident.
  bool attributive = false;
  std::string note;       // why unresolved
};

/// All numbers in the tokens, left to right, skipping tokens marked in `used` (e.g. dates).
void FindNumbers(const std::vector<Token>& tokens, const std::vector<bool>& used,
                 std::vector<NumberMatch>* out);

/// All date expressions in the tokens, left to right; marks their tokens in *used.
void FindDates(const std::vector<Token>& tokens, std::optional<Date> published,
               std::vector<DateMatch>* out, std::vector<bool>* used);

/// Month number (1..12) for a month name or abbreviation (lower case), else 0.
int MonthFromWord(std::string_view w);

}  // namespace tahadhari::extract
