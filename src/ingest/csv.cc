#include "ingest/csv.h"

#include <algorithm>
#include <cstring>

namespace tahadhari::ingest {

RecordReader::RecordReader(std::string_view data, char delimiter, bool quoted,
                           size_t expected_fields)
    : data_(data), delim_(delimiter), quoted_(quoted), expected_(expected_fields) {}

std::string_view RecordReader::LineAt(size_t start) const {
  const size_t nl = data_.find('\n', start);
  size_t end = nl == std::string_view::npos ? data_.size() : nl;
  if (end > start && data_[end - 1] == '\r') --end;
  return data_.substr(start, end - start);
}

void RecordReader::SplitPlain(Record* r) {
  const char* p = r->raw.data();
  const char* end = p + r->raw.size();
  while (true) {
    const char* d = static_cast<const char*>(std::memchr(p, delim_, static_cast<size_t>(end - p)));
    if (d == nullptr) {
      r->fields.emplace_back(p, static_cast<size_t>(end - p));
      return;
    }
    r->fields.emplace_back(p, static_cast<size_t>(d - p));
    p = d + 1;
  }
}

bool RecordReader::Next(Record* r, std::optional<FieldError>* error) {
  error->reset();
  r->fields.clear();
  r->scratch.clear();
  if (pos_ >= data_.size()) return false;
  r->line = line_;
  const size_t start = pos_;
  if (!quoted_ || std::memchr(data_.data() + start, '"',
                              LineAt(start).size()) == nullptr) {
    // Fast path: no quote on this line, so the record is exactly this line.
    const std::string_view line = LineAt(start);
    r->raw = line;
    const size_t nl = data_.find('\n', start);
    pos_ = nl == std::string_view::npos ? data_.size() : nl + 1;
    ++line_;
    SplitPlain(r);
    return true;
  }
  return ParseQuoted(r, error);
}

bool RecordReader::ParseQuoted(Record* r, std::optional<FieldError>* error) {
  const size_t start = pos_;
  size_t i = start;
  int64_t lines_spanned = 0;
  const size_t n = data_.size();
  // Field boundaries are recorded as offsets first (scratch may reallocate while we append).
  struct Span {
    bool in_scratch;
    size_t begin, length;
  };
  std::vector<Span> spans;
  bool malformed = false;
  bool ended = false;
  while (!ended) {
    if (i < n && data_[i] == '"') {
      // Quoted field: copy into scratch, folding "" into ".
      const size_t sbegin = r->scratch.size();
      ++i;
      bool closed = false;
      while (i < n) {
        const char* q = static_cast<const char*>(std::memchr(data_.data() + i, '"', n - i));
        const size_t qpos = q == nullptr ? n : static_cast<size_t>(q - data_.data());
        lines_spanned += std::count(data_.data() + i, data_.data() + qpos, '\n');
        r->scratch.append(data_.data() + i, qpos - i);
        if (qpos >= n) {
          i = n;
          break;
        }
        if (qpos + 1 < n && data_[qpos + 1] == '"') {
          r->scratch += '"';
          i = qpos + 2;
          continue;
        }
        i = qpos + 1;
        closed = true;
        break;
      }
      if (!closed) {
        malformed = true;
        break;
      }
      spans.push_back({true, sbegin, r->scratch.size() - sbegin});
      if (i < n && data_[i] != delim_ && data_[i] != '\n' && data_[i] != '\r') {
        malformed = true;  // text after a closing quote
        break;
      }
    } else {
      size_t j = i;
      while (j < n && data_[j] != delim_ && data_[j] != '\n') ++j;
      size_t end = j;
      if (j < n && data_[j] == '\n' && end > i && data_[end - 1] == '\r') --end;
      spans.push_back({false, i, end - i});
      i = j;
    }
    if (i >= n) {
      ended = true;
    } else if (data_[i] == delim_) {
      ++i;
      if (i >= n) {  // trailing delimiter at EOF: one more empty field
        spans.push_back({false, i, 0});
        ended = true;
      }
    } else {
      if (data_[i] == '\r') ++i;
      if (i < n && data_[i] == '\n') ++i;
      ended = true;
    }
  }
  const bool wrong_width = expected_ != 0 && spans.size() != expected_ && lines_spanned > 0;
  if (malformed || wrong_width) {
    // Report the first physical line and resume right after it.
    r->raw = LineAt(start);
    const size_t nl = data_.find('\n', start);
    pos_ = nl == std::string_view::npos ? n : nl + 1;
    ++line_;
    *error = FieldError{"", "", malformed ? "unbalanced quote: the record is truncated or a quote "
                                            "is not closed (hint: quotes inside fields are "
                                            "written as \"\")"
                                          : "a quoted field runs past the end of the line and "
                                            "the record then has the wrong number of columns "
                                            "(truncated line?)"};
    return true;
  }
  size_t raw_end = i;
  if (raw_end > start && data_[raw_end - 1] == '\n') --raw_end;
  if (raw_end > start && data_[raw_end - 1] == '\r') --raw_end;
  r->raw = data_.substr(start, raw_end - start);
  pos_ = i;
  line_ += lines_spanned + 1;
  for (const Span& s : spans) {
    r->fields.push_back(s.in_scratch ? std::string_view(r->scratch).substr(s.begin, s.length)
                                     : data_.substr(s.begin, s.length));
  }
  return true;
}

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::nullopt;
}

}  // namespace tahadhari::ingest
