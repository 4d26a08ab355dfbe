// libFuzzer target for the dataset readers: format detection, the delimited-text record reader
// (quoted CSV and plain TSV) and the ACLED/UCDP/GDELT row mappers. Bad input must become
// FormatError/FieldError values, never a crash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "ingest/csv.h"
#include "ingest/formats.h"
#include "ingest/mappings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tahadhari;
  using namespace tahadhari::ingest;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The raw reader in both modes.
  for (const bool quoted : {true, false}) {
    RecordReader reader(text, quoted ? ',' : '\t', quoted, quoted ? 31 : 0);
    Record r;
    std::optional<FieldError> err;
    size_t guard = 0;
    while (reader.Next(&r, &err) && ++guard < 1'000'000) {
      if (r.raw.size() > size) __builtin_trap();
      err.reset();
    }
  }
  (void)FindInvalidUtf8(text);
  // Detection and mapping, as `ingest` does it.
  try {
    const Format format = DetectFormat(text, "fuzz");
    const bool csv = format == Format::kAcled || format == Format::kUcdp;
    RecordReader probe(text, csv ? ',' : '\t', csv);
    Record header;
    std::optional<FieldError> err;
    probe.Next(&header, &err);
    const auto mapper = MakeMapper(format, header, Mappings::Default(), "fuzz");
    RecordReader reader(text, mapper->delimiter(), mapper->quoted(), mapper->expected_fields());
    Record rec;
    if (mapper->has_header()) reader.Next(&rec, &err);
    Event e;
    size_t guard = 0;
    while (reader.Next(&rec, &err) && ++guard < 1'000'000) {
      if (!err) (void)mapper->Map(rec, &e);
      err.reset();
    }
  } catch (const tahadhari::FormatError&) {
  } catch (const tahadhari::UsageError&) {
  }
  return 0;
}
