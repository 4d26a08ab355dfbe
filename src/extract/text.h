// Internal to extract/: articles, sentences and word tokens (ICU break iterators over UTF-8),
// with normalised word forms for dictionary look-up.
// Thread-safety: the functions use per-thread ICU iterators; safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"

namespace tahadhari::extract {

enum TokenFlag : uint16_t {
  kWord = 1,           // letters (possibly with digits)
  kNumber = 2,         // digits, possibly with , or . inside ("4,000", "2.5")
  kPunct = 4,          // one punctuation character
  kCapital = 8,        // first character is an upper-case letter
  kHyphenBefore = 16,  // joined to the previous token by a hyphen ("al-Shabaab")
  kPossessive = 32,    // ended in 's / ’s (stripped from norm)
  kAllCaps = 64,       // two or more letters, all upper case ("KDF")
};

struct Token {
  uint32_t begin = 0, end = 0;  // byte offsets in the full input text
  uint16_t flags = 0;
  int32_t id = -1;    // vocabulary id (Lexicon), -1 when not in any dictionary
  std::string norm;   // lower case, ’ → ', accents removed, possessive stripped
  bool Is(uint16_t f) const { return (flags & f) != 0; }
};

/// The articles of a text: spans between lines that consist of `---` only.
std::vector<TextSpan> SplitArticles(std::string_view text);

/// Calls `on_sentence(span, tokens)` for each sentence of text[article], in order. Sentences
/// longer than kMaxSentenceTokens tokens are cut into pieces of that many tokens.
/// Hyphen tokens are dropped (the next token gets kHyphenBefore).
inline constexpr size_t kMaxSentenceTokens = 400;
void ForEachSentence(std::string_view text, TextSpan article,
                     const std::function<void(TextSpan, std::vector<Token>&)>& on_sentence);

/// Lower-cases and folds a word as tokens are normalised (for dictionary keys).
std::string NormalizeWord(std::string_view word);
/// Normalises a phrase: words split on spaces and hyphens, each normalised, joined by ' '.
std::vector<std::string> NormalizePhrase(std::string_view phrase);

}  // namespace tahadhari::extract
