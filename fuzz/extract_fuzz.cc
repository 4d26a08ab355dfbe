// libFuzzer target for the news extractor: any bytes must give items or nothing, never a crash,
// an out-of-range span or an exception (other than a missing data folder).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "extract/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tahadhari;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  extract::ExtractOptions options;
  // Alternate with and without a publication date (first byte decides).
  if (size > 0 && (data[0] & 1)) options.published = Date::ParseIso("2023-09-01");
  const auto items = extract::Extract(text, options);
  for (const auto& it : items) {
    if (it.sentence.end > size || it.sentence.begin > it.sentence.end) std::abort();
    for (const auto& [key, span] : it.spans) {
      if (span.end > size || span.begin > span.end) std::abort();
    }
    if (!(it.confidence >= 0.0 && it.confidence <= 1.0)) std::abort();
    (void)extract::ToJson(it, text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
