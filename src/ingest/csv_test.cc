#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tahadhari::ingest {
namespace {

// One record as read, copied out of the reader's views.
struct Row {
  int64_t line = 0;
  std::string raw;
  std::vector<std::string> fields;
  bool broken = false;
  std::string reason;
};

std::vector<Row> ReadAll(std::string_view data, char delim = ',', bool quoted = true,
                         size_t expected = 0) {
  RecordReader reader(data, delim, quoted, expected);
  std::vector<Row> rows;
  Record r;
  std::optional<FieldError> err;
  while (reader.Next(&r, &err)) {
    Row row;
    row.line = r.line;
    row.raw = std::string(r.raw);
    for (auto f : r.fields) row.fields.emplace_back(f);
    row.broken = err.has_value();
    if (err) row.reason = err->reason;
    rows.push_back(std::move(row));
    if (rows.size() > 1000) break;  // guard against a reader that never ends
  }
  EXPECT_EQ(reader.position(), data.size()) << "reader did not consume all input";
  return rows;
}

using Fields = std::vector<std::string>;

TEST(RecordReaderTest, PlainCsv) {
  const auto rows = ReadAll("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(rows[2].fields, (Fields{"4", "5", "6"}));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].line, static_cast<int64_t>(i + 1));
    EXPECT_FALSE(rows[i].broken);
  }
  EXPECT_EQ(rows[1].raw, "1,2,3");
}

TEST(RecordReaderTest, EmptyInputHasNoRecords) {
  RecordReader reader("", ',', true);
  Record r;
  std::optional<FieldError> err;
  EXPECT_FALSE(reader.Next(&r, &err));
  EXPECT_FALSE(err);
}

TEST(RecordReaderTest, LastLineWithoutNewline) {
  const auto rows = ReadAll("a,b\nc,d");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "c,d");
  const auto quoted = ReadAll("a,b\n\"c\",\"d\"");
  ASSERT_EQ(quoted.size(), 2u);
  EXPECT_EQ(quoted[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(quoted[1].raw, "\"c\",\"d\"");
}

TEST(RecordReaderTest, QuotedFieldsWithCommas) {
  const auto rows = ReadAll("id,notes,n\n1,\"Garissa, Lamu, Mandera\",3\n2,\"x\",\"\"\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "Garissa, Lamu, Mandera", "3"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"Garissa, Lamu, Mandera\",3");
  EXPECT_EQ(rows[2].fields, (Fields{"2", "x", ""}));
  EXPECT_EQ(rows[2].line, 3);
}

TEST(RecordReaderTest, DoubledQuotesAreUnescaped) {
  const auto rows = ReadAll(
      "\"He said \"\"go\"\", then left\",\"\"\"\"\n"
      "\"a\"\"\",\"\"\"b\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"He said \"go\", then left", "\""}));
  EXPECT_EQ(rows[1].fields, (Fields{"a\"", "\"b"}));
  EXPECT_FALSE(rows[0].broken);
  EXPECT_FALSE(rows[1].broken);
}

TEST(RecordReaderTest, FieldsStayValidAcrossManyEscapes) {
  // Many unescaped fields in one record: scratch grows while fields are collected, and every
  // view must still point at the right text afterwards.
  std::string line;
  Fields expected;
  for (int i = 0; i < 200; ++i) {
    if (i > 0) line += ',';
    std::string v(1, 'v');
    v += std::to_string(i);
    v += "\"q\"";
    v.append(static_cast<size_t>(i), 'x');
    expected.push_back(v);
    line += '"';
    for (char c : v) {
      if (c == '"') line += '"';
      line += c;
    }
    line += '"';
  }
  const auto rows = ReadAll(line + "\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, expected);
}

TEST(RecordReaderTest, EmbeddedNewlinesKeepLineNumbers) {
  const std::string data =
      "id,notes\n"             // 1
      "1,\"first\nsecond\"\n"  // 2-3
      "2,plain\n"              // 4
      "3,\"a\n\nb\nc\"\n"      // 5-8
      "4,\"x\"\n";             // 9
  const auto rows = ReadAll(data);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "first\nsecond"}));
  EXPECT_EQ(rows[1].raw, "1,\"first\nsecond\"");
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "plain"}));
  EXPECT_EQ(rows[3].line, 5);
  EXPECT_EQ(rows[3].fields, (Fields{"3", "a\n\nb\nc"}));
  EXPECT_EQ(rows[4].line, 9);
  EXPECT_EQ(rows[4].fields, (Fields{"4", "x"}));
}

TEST(RecordReaderTest, EmbeddedNewlinesAcceptedWithExpectedFields) {
  const std::string data = "a,b,c\n1,\"x\ny\",3\n2,z,4\n";
  const auto rows = ReadAll(data, ',', true, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[1].broken);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x\ny", "3"}));
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "z", "4"}));
}

TEST(RecordReaderTest, CrlfLineEnds) {
  const std::string data = "a,b\r\n1,\"x, y\"\r\n2,\"multi\r\nline\"\r\n3,last\r\n";
  const auto rows = ReadAll(data);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[0].raw, "a,b");
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x, y"}));
  EXPECT_EQ(rows[1].raw, "1,\"x, y\"");
  EXPECT_EQ(rows[1].line, 2);
  // A CRLF inside quotes is data.
  EXPECT_EQ(rows[2].fields, (Fields{"2", "multi\r\nline"}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[3].fields, (Fields{"3", "last"}));
  EXPECT_EQ(rows[3].line, 5);
  EXPECT_EQ(rows[3].raw, "3,last");
}

TEST(RecordReaderTest, CrlfUnquotedLastFieldHasNoCarriageReturn) {
  const auto rows = ReadAll("\"q\",tail\r\nx,y\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"q", "tail"}));
  EXPECT_EQ(rows[1].fields, (Fields{"x", "y"}));
}

TEST(RecordReaderTest, TrailingEmptyField) {
  {
    const auto rows = ReadAll("a,b,\nc,d,\n");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", ""}));
    EXPECT_EQ(rows[1].fields, (Fields{"c", "d", ""}));
  }
  {
    const auto rows = ReadAll("\"a\",b,\n\"c\",d,\r\n\"e\",f,");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", ""}));
    EXPECT_EQ(rows[1].fields, (Fields{"c", "d", ""}));
    EXPECT_EQ(rows[2].fields, (Fields{"e", "f", ""}));
    EXPECT_EQ(rows[2].line, 3);
  }
  {
    const auto rows = ReadAll("a,b,");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", ""}));
  }
  {
    const auto rows = ReadAll(",,\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields, (Fields{"", "", ""}));
  }
}

TEST(RecordReaderTest, BlankLines) {
  const auto rows = ReadAll("a,b\n\n1,2\r\n\r\n\"3\",4\n\n");
  ASSERT_EQ(rows.size(), 6u);
  // Blank lines are records with one empty field and empty raw text (ingest skips them).
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "");
  EXPECT_EQ(rows[1].fields, (Fields{""}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"1", "2"}));
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_EQ(rows[3].raw, "");
  EXPECT_EQ(rows[4].line, 5);
  EXPECT_EQ(rows[4].fields, (Fields{"3", "4"}));
  EXPECT_EQ(rows[5].line, 6);
  EXPECT_EQ(rows[5].raw, "");
  for (const auto& r : rows) EXPECT_FALSE(r.broken);
}

TEST(RecordReaderTest, UnbalancedQuoteRecoversWithExpectedFields) {
  const std::string data =
      "id,notes,n\n"                // 1
      "1,\"broken, never closed\n"  // 2: quote never closed on this line
      "2,plain,5\n"                 // 3
      "3,\"quoted\",6\n"            // 4
      "4,\"two\nlines\",7\n"        // 5-6
      "5,end,8\n";                  // 7
  const auto rows = ReadAll(data, ',', true, 3);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].fields, (Fields{"id", "notes", "n"}));
  EXPECT_TRUE(rows[1].broken);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"broken, never closed");
  EXPECT_FALSE(rows[1].reason.empty());
  EXPECT_FALSE(rows[2].broken);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "plain", "5"}));
  EXPECT_FALSE(rows[3].broken);
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_EQ(rows[3].fields, (Fields{"3", "quoted", "6"}));
  EXPECT_FALSE(rows[4].broken);
  EXPECT_EQ(rows[4].line, 5);
  EXPECT_EQ(rows[4].fields, (Fields{"4", "two\nlines", "7"}));
  EXPECT_FALSE(rows[5].broken);
  EXPECT_EQ(rows[5].line, 7);
  EXPECT_EQ(rows[5].fields, (Fields{"5", "end", "8"}));
}

TEST(RecordReaderTest, QuoteClosingOnLaterLineWithWrongWidthIsBroken) {
  // Line 2's quote closes on line 3 and the merged record has 2 fields instead of 3: the
  // first line is reported and reading resumes at line 3 (read on its own: one field).
  const std::string data =
      "a,b,c\n"       // 1
      "1,\"cut\n"     // 2
      "tail\"\n"      // 3: closes line 2's quote, giving a 2-field record
      "3,y,z\n"       // 4
      "4,\"w\",v\n";  // 5
  const auto rows = ReadAll(data, ',', true, 3);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows[1].broken);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"cut");
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"tail\""}));
  const Row& four = rows[3];
  const Row& five = rows[4];
  EXPECT_FALSE(four.broken);
  EXPECT_EQ(four.line, 4);
  EXPECT_EQ(four.fields, (Fields{"3", "y", "z"}));
  EXPECT_FALSE(five.broken);
  EXPECT_EQ(five.line, 5);
  EXPECT_EQ(five.fields, (Fields{"4", "w", "v"}));
}

TEST(RecordReaderTest, UnclosedQuoteAtEndWithoutExpectedFields) {
  const auto rows = ReadAll("a,b\n1,\"never closed\n2,x\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[1].broken);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"never closed");
  EXPECT_FALSE(rows[2].broken);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "x"}));
}

TEST(RecordReaderTest, TextAfterClosingQuoteIsBroken) {
  const auto rows = ReadAll("a,b\n1,\"x\"y\n2,z\n", ',', true, 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[1].broken);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].raw, "1,\"x\"y");
  EXPECT_FALSE(rows[2].broken);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"2", "z"}));
}

TEST(RecordReaderTest, TabSeparatedMode) {
  const std::string data = "1\tJohn \"Jack\" Doe\t\t4\n2\t\"a\t\"b\"\n3\tlast\r\n";
  const auto rows = ReadAll(data, '\t', false);
  ASSERT_EQ(rows.size(), 3u);
  // Quotes are ordinary characters and never join fields or lines.
  EXPECT_EQ(rows[0].fields, (Fields{"1", "John \"Jack\" Doe", "", "4"}));
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].fields, (Fields{"2", "\"a", "\"b\""}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, (Fields{"3", "last"}));
  EXPECT_EQ(rows[2].line, 3);
  for (const auto& r : rows) EXPECT_FALSE(r.broken);
}

TEST(RecordReaderTest, TabSeparatedUnbalancedQuoteDoesNotSpanLines) {
  const auto rows = ReadAll("1\t\"open\n2\tx\n", '\t', false);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"1", "\"open"}));
  EXPECT_EQ(rows[1].fields, (Fields{"2", "x"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(RecordReaderTest, QuotedTabSeparated) {
  const auto rows = ReadAll("a\t\"b\tc\"\n\"d\ne\"\tf\n", '\t', true);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b\tc"}));
  EXPECT_EQ(rows[1].fields, (Fields{"d\ne", "f"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(RecordReaderTest, PositionAdvancesToEnd) {
  const std::string data = "a,b\n\"c\nd\",e\nf,g\n";
  RecordReader reader(data, ',', true);
  Record r;
  std::optional<FieldError> err;
  size_t last = 0;
  int n = 0;
  while (reader.Next(&r, &err)) {
    EXPECT_GT(reader.position(), last);
    last = reader.position();
    ++n;
  }
  EXPECT_EQ(n, 3);
  EXPECT_EQ(reader.position(), data.size());
}

TEST(RecordReaderTest, ErrorIsClearedOnNextGoodRecord) {
  RecordReader reader("1,\"x\"y\n2,z\n", ',', true);
  Record r;
  std::optional<FieldError> err;
  ASSERT_TRUE(reader.Next(&r, &err));
  EXPECT_TRUE(err);
  ASSERT_TRUE(reader.Next(&r, &err));
  EXPECT_FALSE(err);
  EXPECT_EQ(r.line, 2);
  EXPECT_FALSE(reader.Next(&r, &err));
}

// ---------------------------------------------------------------------------------------------
// FindInvalidUtf8

TEST(FindInvalidUtf8Test, ValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("plain ASCII, with\ttabs\n"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Murang\xE2\x80\x99"
                            "a \xC3\xA9t\xC3\xA9 \xE2\x82\xAC 100"),
            std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80 \xF0\x9D\x84\x9E"),
            std::nullopt);  // U+1F600, U+1D11E
  EXPECT_EQ(FindInvalidUtf8("\xD8\xA7\xD9\x84\xD8\xB5\xD9\x88\xD9\x85\xD8\xA7\xD9\x84"),
            std::nullopt);
  // Boundaries of each length.
  EXPECT_EQ(FindInvalidUtf8("\x7F"), std::nullopt);              // U+007F
  EXPECT_EQ(FindInvalidUtf8("\xC2\x80"), std::nullopt);          // U+0080
  EXPECT_EQ(FindInvalidUtf8("\xDF\xBF"), std::nullopt);          // U+07FF
  EXPECT_EQ(FindInvalidUtf8("\xE0\xA0\x80"), std::nullopt);      // U+0800
  EXPECT_EQ(FindInvalidUtf8("\xED\x9F\xBF"), std::nullopt);      // U+D7FF
  EXPECT_EQ(FindInvalidUtf8("\xEE\x80\x80"), std::nullopt);      // U+E000
  EXPECT_EQ(FindInvalidUtf8("\xEF\xBF\xBF"), std::nullopt);      // U+FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF0\x90\x80\x80"), std::nullopt);  // U+10000
  EXPECT_EQ(FindInvalidUtf8("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xEF\xBB\xBF"
                            "id,name"),
            std::nullopt);  // BOM
  EXPECT_EQ(FindInvalidUtf8(std::string_view("a\0b", 3)), std::nullopt);
}

TEST(FindInvalidUtf8Test, Overlong) {
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);           // '/' in 2 bytes
  EXPECT_EQ(FindInvalidUtf8("ab\xC1\xBF"), 2u);         // U+007F in 2 bytes
  EXPECT_EQ(FindInvalidUtf8("abc\xE0\x80\xAF"), 3u);    // '/' in 3 bytes
  EXPECT_EQ(FindInvalidUtf8("\xE0\x9F\xBF"), 0u);       // U+07FF in 3 bytes
  EXPECT_EQ(FindInvalidUtf8("x\xF0\x80\x80\xAF"), 1u);  // '/' in 4 bytes
  EXPECT_EQ(FindInvalidUtf8("\xF0\x8F\xBF\xBF"), 0u);   // U+FFFF in 4 bytes
}

TEST(FindInvalidUtf8Test, Surrogates) {
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);              // U+D800
  EXPECT_EQ(FindInvalidUtf8("ok \xED\xBF\xBF"), 3u);           // U+DFFF
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\xBD\xED\xB8\x80"), 0u);  // CESU-8 pair
}

TEST(FindInvalidUtf8Test, TruncatedSequences) {
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);  // end of string mid-sequence
  EXPECT_EQ(FindInvalidUtf8("\xC3"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(FindInvalidUtf8("a\xE2\x82"
                            "b"),
            1u);                                    // continuation replaced by ASCII
  EXPECT_EQ(FindInvalidUtf8("a\xC3\xC3\xA9"), 1u);  // lead byte where continuation due
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);           // lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xBF"), 2u);   // stray continuation after valid
}

TEST(FindInvalidUtf8Test, BeyondUnicodeAndInvalidLeadBytes) {
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);          // U+110000
  EXPECT_EQ(FindInvalidUtf8("z\xF7\xBF\xBF\xBF"), 1u);         // U+1FFFFF
  EXPECT_EQ(FindInvalidUtf8("\xF8\x88\x80\x80\x80"), 0u);      // 5-byte form
  EXPECT_EQ(FindInvalidUtf8("\xFC\x84\x80\x80\x80\x80"), 0u);  // 6-byte form
  EXPECT_EQ(FindInvalidUtf8("\xFE"), 0u);
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
}

TEST(FindInvalidUtf8Test, ReportsFirstInvalidOffset) {
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xC3\xA9\xFF\xC0\xAF"), 4u);
  EXPECT_EQ(FindInvalidUtf8("Latin-1 caf\xE9 au lait"), 11u);
}

}  // namespace
}  // namespace tahadhari::ingest
