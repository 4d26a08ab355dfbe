#include "extract/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <memory>

#include <fmt/format.h>

#include "core/error.h"

namespace tahadhari::extract {
namespace {

// Per-thread ICU break iterators (opening one costs far more than reusing it).
struct Iterators {
  UBreakIterator* sentence = nullptr;
  UBreakIterator* word = nullptr;
  Iterators() {
    UErrorCode status = U_ZERO_ERROR;
    // "ss=standard" suppresses sentence breaks after common abbreviations (Mr., Gen., ...).
    sentence = ubrk_open(UBRK_SENTENCE, "en@ss=standard", nullptr, 0, &status);
    if (U_FAILURE(status)) {
      status = U_ZERO_ERROR;
      sentence = ubrk_open(UBRK_SENTENCE, "en", nullptr, 0, &status);
    }
    if (U_FAILURE(status)) throw Error(fmt::format("ICU sentence iterator: {}", u_errorName(status)));
    word = ubrk_open(UBRK_WORD, "en", nullptr, 0, &status);
    if (U_FAILURE(status)) throw Error(fmt::format("ICU word iterator: {}", u_errorName(status)));
  }
  ~Iterators() {
    ubrk_close(sentence);
    ubrk_close(word);
  }
};

Iterators& ThreadIterators() {
  thread_local Iterators it;
  return it;
}

bool IsHyphen(UChar32 c) { return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013; }

// Strips a trailing possessive from a lower-cased word.
bool StripPossessive(std::string* s) {
  if (s->size() > 2 && s->ends_with("'s")) {
    s->resize(s->size() - 2);
    return true;
  }
  if (s->size() > 1 && s->back() == '\'') {
    s->pop_back();
    return true;
  }
  return false;
}

}  // namespace

std::string NormalizeWord(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  bool ascii = true;
  for (unsigned char c : word) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (unsigned char c : word) out.push_back(c >= 'A' && c <= 'Z' ? char(c + 32) : char(c));
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString d = U_SUCCESS(status) ? nfd->normalize(u, status) : u;
  if (U_FAILURE(status)) d = u;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == 0x0060) c = '\'';
    c = u_tolower(c);
    char buf[4];
    int32_t n = 0;
    UBool err = false;
    U8_APPEND(buf, n, 4, c, err);
    if (!err) out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::vector<std::string> NormalizePhrase(std::string_view phrase) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < phrase.size()) {
    while (i < phrase.size() && (phrase[i] == ' ' || phrase[i] == '-')) ++i;
    size_t j = i;
    while (j < phrase.size() && phrase[j] != ' ' && phrase[j] != '-') ++j;
    if (j > i) {
      std::string w = NormalizeWord(phrase.substr(i, j - i));
      if (w.front() != '<') StripPossessive(&w);
      out.push_back(std::move(w));
    }
    i = j;
  }
  return out;
}

std::vector<TextSpan> SplitArticles(std::string_view text) {
  std::vector<TextSpan> out;
  size_t start = 0, pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line == "---") {
      if (pos > start) out.push_back({start, pos});
      start = eol + 1 > text.size() ? text.size() : eol + 1;
    }
    if (eol >= text.size()) break;
    pos = eol + 1;
  }
  if (start < text.size()) out.push_back({start, text.size()});
  return out;
}

void ForEachSentence(std::string_view text, TextSpan article,
                     const std::function<void(TextSpan, std::vector<Token>&)>& on_sentence) {
  if (article.end <= article.begin) return;
  Iterators& it = ThreadIterators();
  UErrorCode status = U_ZERO_ERROR;
  const char* base = text.data() + article.begin;
  const int64_t len = static_cast<int64_t>(article.end - article.begin);
  UText* ut = utext_openUTF8(nullptr, base, len, &status);
  if (U_FAILURE(status)) return;
  std::unique_ptr<UText, UText* (*)(UText*)> guard(ut, utext_close);
  ubrk_setUText(it.sentence, ut, &status);
  ubrk_setUText(it.word, ut, &status);
  if (U_FAILURE(status)) return;

  std::vector<Token> tokens;
  tokens.reserve(64);
  int32_t w_start = ubrk_first(it.word);
  int32_t s_start = ubrk_first(it.sentence);
  bool hyphen_pending = false;
  auto flush = [&](int32_t from, int32_t to) {
    // Trim whitespace from the sentence span.
    size_t b = article.begin + static_cast<size_t>(from);
    size_t e = article.begin + static_cast<size_t>(to);
    while (b < e && static_cast<unsigned char>(text[b]) <= ' ') ++b;
    while (e > b && static_cast<unsigned char>(text[e - 1]) <= ' ') --e;
    if (!tokens.empty()) on_sentence({b, e}, tokens);
    tokens.clear();
  };
  for (int32_t s_end = ubrk_next(it.sentence); s_end != UBRK_DONE;
       s_end = ubrk_next(it.sentence)) {
    while (w_start < s_end) {
      int32_t w_end = ubrk_next(it.word);
      if (w_end == UBRK_DONE) w_end = static_cast<int32_t>(len);
      const int32_t rule = ubrk_getRuleStatus(it.word);
      const std::string_view piece(base + w_start, static_cast<size_t>(w_end - w_start));
      if (rule >= UBRK_WORD_NONE_LIMIT) {
        Token t;
        t.begin = static_cast<uint32_t>(article.begin + static_cast<size_t>(w_start));
        t.end = static_cast<uint32_t>(article.begin + static_cast<size_t>(w_end));
        t.flags = rule < UBRK_WORD_NUMBER_LIMIT ? kNumber : kWord;
        if (hyphen_pending) t.flags |= kHyphenBefore;
        hyphen_pending = false;
        const unsigned char c0 = static_cast<unsigned char>(piece[0]);
        if (c0 < 0x80) {
          if (c0 >= 'A' && c0 <= 'Z') t.flags |= kCapital;
        } else {
          UChar32 c;
          int32_t i = 0;
          U8_NEXT(piece.data(), i, static_cast<int32_t>(piece.size()), c);
          if (c >= 0 && u_isupper(c)) t.flags |= kCapital;
        }
        if (piece.size() >= 2) {
          bool caps = true;
          for (unsigned char c : piece) {
            if (!(c >= 'A' && c <= 'Z')) {
              caps = false;
              break;
            }
          }
          if (caps) t.flags |= kAllCaps;
        }
        t.norm = NormalizeWord(piece);
        if (t.Is(kWord) && StripPossessive(&t.norm)) t.flags |= kPossessive;
        if (t.norm.empty()) t.norm = "'";
        tokens.push_back(std::move(t));
      } else {
        // Spaces and punctuation: one token per non-space code point; hyphens join words.
        int32_t i = 0;
        const int32_t n = static_cast<int32_t>(piece.size());
        while (i < n) {
          const int32_t start = i;
          UChar32 c;
          U8_NEXT(piece.data(), i, n, c);
          if (c < 0) c = 0xFFFD;
          if (u_isUWhiteSpace(c)) {
            if (c == '\n' || c == 0x2029) hyphen_pending = false;
            continue;
          }
          if (IsHyphen(c)) {
            hyphen_pending = !tokens.empty() && tokens.back().Is(kWord | kNumber);
            continue;
          }
          hyphen_pending = false;
          if (c == 0xFFFD || !u_isprint(c)) continue;
          Token t;
          t.begin = static_cast<uint32_t>(article.begin + static_cast<size_t>(w_start + start));
          t.end = static_cast<uint32_t>(article.begin + static_cast<size_t>(w_start + i));
          t.flags = kPunct;
          t.norm.assign(piece.data() + start, static_cast<size_t>(i - start));
          if (t.norm == "\xE2\x80\x9C" || t.norm == "\xE2\x80\x9D") t.norm = "\"";
          if (t.norm == "\xE2\x80\x99" || t.norm == "\xE2\x80\x98") t.norm = "'";
          tokens.push_back(std::move(t));
        }
      }
      w_start = w_end;
      if (tokens.size() >= kMaxSentenceTokens) {
        const int32_t cut = static_cast<int32_t>(tokens.back().end - article.begin);
        flush(s_start, cut);
        s_start = cut;
      }
    }
    flush(s_start, s_end);
    s_start = s_end;
  }
}

}  // namespace tahadhari::extract
