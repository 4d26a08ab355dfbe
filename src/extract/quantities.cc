#include "extract/quantities.h"

#include <array>
#include <cstdlib>
#include <charconv>
#include <string_view>

namespace tahadhari::extract {
namespace {

struct Word {
  std::string_view w;
  int64_t v;
};
constexpr Word kUnits[] = {
    {"zero", 0},      {"one", 1},        {"two", 2},        {"three", 3},      {"four", 4},
    {"five", 5},      {"six", 6},        {"seven", 7},      {"eight", 8},      {"nine", 9},
    {"ten", 10},      {"eleven", 11},    {"twelve", 12},    {"thirteen", 13},  {"fourteen", 14},
    {"fifteen", 15},  {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18},  {"nineteen", 19},
    {"twenty", 20},   {"thirty", 30},    {"forty", 40},     {"fifty", 50},     {"sixty", 60},
    {"seventy", 70},  {"eighty", 80},    {"ninety", 90},    {"dozen", 12},     {"couple", 2},
    {"single", 1},    {"lone", 1},       {"both", 2},       {"twin", 2},       {"half-dozen", 6},
};
constexpr Word kScales[] = {{"hundred", 100}, {"thousand", 1000}, {"million", 1000000}};
constexpr Word kVague[] = {{"several", 3}, {"dozens", 24},  {"scores", 40},
                           {"hundreds", 200}, {"thousands", 2000}, {"few", 3},
                           {"many", 10}};

std::optional<int64_t> Lookup(std::string_view w, const Word* table, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (table[i].w == w) return table[i].v;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseDigits(std::string_view s) {
  int64_t v = 0;
  size_t digits = 0;
  for (char c : s) {
    if (c == ',') continue;
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > 12) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  return v;
}

// "16th", "1st", "22nd", "3rd".
std::optional<int> ParseOrdinalDay(std::string_view s) {
  size_t i = 0;
  int v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 2) v = v * 10 + (s[i++] - '0');
  if (i == 0) return std::nullopt;
  const std::string_view rest = s.substr(i);
  if (!(rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th")) {
    return std::nullopt;
  }
  if (v < 1 || v > 31) return std::nullopt;
  return v;
}

std::optional<int> ParseYear(const Token& t) {
  if (!t.Is(kNumber) || t.norm.size() != 4) return std::nullopt;
  const auto v = ParseDigits(t.norm);
  if (!v || *v < 1900 || *v > 2100) return std::nullopt;
  return static_cast<int>(*v);
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday",
                                                       "sunday"};

int WeekdayFromWord(std::string_view w) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (w == kWeekdays[i]) return static_cast<int>(i);
  }
  return -1;
}

// 0 = Monday.
int Weekday(Date d) {
  const int32_t days = d.days_since_epoch();  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

bool Is(const std::vector<Token>& t, size_t i, std::string_view w) {
  return i < t.size() && t[i].norm == w;
}

// Two-digit years up to this are 20xx, later ones 19xx ("14/03/09" is 2009, "25/7/98" 1998).
constexpr int64_t kTwoDigitYearPivot = 40;
// A month-first reading of an ambiguous "05/09" is taken only this near the publication date.
constexpr int32_t kNearPublicationDays = 14;
// Longest span two dates joined by "and" / "to" may make ("03/04 and 04/04").
constexpr int kMaxJoinedSpanDays = 31;

struct PartialDate {
  int year = 0, month = 0, day = 0;  // 0 = not given
  int part = 0;                      // 1 early, 2 mid, 3 late (of a month)
};

// Nouns a number counts: after one, a four-digit number is a quantity, not a year.
bool IsCountNoun(std::string_view w) {
  static constexpr std::string_view kNouns[] = {
      "people", "persons", "houses", "homes", "animals", "cattle", "goats", "sheep", "camels",
      "cows", "heads", "families", "residents", "households", "villagers", "refugees",
      "students", "protesters", "demonstrators", "troops", "soldiers", "police", "officers",
      "men", "women", "children", "acres", "shillings", "livestock", "supporters", "youths",
      "workers", "members", "fighters", "militants"};
  for (auto x : kNouns) {
    if (x == w) return true;
  }
  return false;
}

// Words before a date that make it the start of a span ("began on 14/05", "starting 3 May").
bool OnwardBefore(const std::vector<Token>& t, size_t b) {
  static constexpr std::string_view kWords[] = {"began", "begun", "started", "starting",
                                                "beginning", "commenced", "since"};
  for (size_t k = b; k-- > 0 && b - k <= 2;) {
    if (t[k].Is(kPunct) && t[k].norm != "(") return false;
    for (auto x : kWords) {
      if (t[k].norm == x) return true;
    }
    if (t[k].norm != "on" && t[k].norm != "(" && t[k].norm != "late" && t[k].norm != "early") {
      return false;
    }
  }
  return false;
}

// A date naming another event: "the June 2014 bombing", "the 7 August attack" (a determiner
// before and a noun after), or "ahead of" / "before the" shortly before it.
bool Attributive(const std::vector<Token>& t, size_t b, size_t e) {
  if (b > 0 && (t[b - 1].norm == "the" || t[b - 1].Is(kPossessive)) && e < t.size() &&
      t[e].Is(kWord) && !t[e].Is(kNumber)) {
    static constexpr std::string_view kNotNoun[] = {"and", "to", "until", "when", "in", "at",
                                                    "on", "of", "as", "after", "before", "by",
                                                    "with", "while", "the", "a", "through"};
    bool noun = true;
    for (auto x : kNotNoun) noun &= t[e].norm != x;
    if (noun) return true;
  }
  for (size_t k = b; k-- > 0 && b - k <= 6;) {
    if (t[k].Is(kPunct)) break;
    if (t[k].norm == "ahead" && k + 1 < t.size() && t[k + 1].norm == "of") return true;
    if (t[k].norm == "before" && k + 1 < t.size() && t[k + 1].norm == "the") return true;
  }
  return false;
}

}  // namespace

int MonthFromWord(std::string_view w) {
  static constexpr std::string_view kFull[] = {"january", "february", "march",     "april",
                                               "may",     "june",     "july",      "august",
                                               "september", "october", "november", "december"};
  static constexpr std::string_view kShort[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; ++i) {
    if (w == kFull[i] || w == kShort[i]) return i + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

void FindNumbers(const std::vector<Token>& t, const std::vector<bool>& used,
                 std::vector<NumberMatch>* out) {
  out->clear();
  for (uint32_t i = 0; i < t.size(); ++i) {
    if (used[i]) continue;
    NumberMatch m;
    uint32_t j = i;
    int64_t value = 0;
    bool ok = false;
    if (t[i].Is(kNumber)) {
      // Not part of a date-like d/m or a decimal; "16/05" are consumed by FindDates already.
      const auto v = ParseDigits(t[i].norm);
      if (!v) continue;
      value = *v;
      j = i + 1;
      // "4 000" is rare; "2.5 million" -> handle "million" scale after digits.
      if (j < t.size() && !used[j]) {
        if (auto s = Lookup(t[j].norm, kScales, std::size(kScales))) {
          value *= *s;
          ++j;
        }
      }
      ok = true;
    } else if (t[i].Is(kWord)) {
      std::string_view w = t[i].norm;
      if (w == "a" || w == "an") {
        if (Is(t, i + 1, "dozen")) {
          value = 12;
          j = i + 2;
          ok = true;
        } else if (Is(t, i + 1, "couple")) {
          value = 2;
          j = i + 2;
          if (Is(t, j, "of")) ++j;
          ok = true;
        } else if (Is(t, i + 1, "few")) {
          value = 3;
          j = i + 2;
          ok = true;
          m.vague = true;
        } else if (Is(t, i + 1, "hundred") || Is(t, i + 1, "thousand")) {
          value = Is(t, i + 1, "hundred") ? 100 : 1000;
          j = i + 2;
          ok = true;
        }
      } else if (auto u = Lookup(w, kUnits, std::size(kUnits))) {
        value = *u;
        j = i + 1;
        // twenty-five, ninety nine
        if (value >= 20 && value % 10 == 0 && value < 100 && j < t.size()) {
          if (auto u2 = Lookup(t[j].norm, kUnits, std::size(kUnits)); u2 && *u2 < 10 && *u2 > 0) {
            value += *u2;
            ++j;
          }
        }
        while (j < t.size()) {
          if (auto s = Lookup(t[j].norm, kScales, std::size(kScales))) {
            value *= *s;
            ++j;
            if (Is(t, j, "and")) {
              if (j + 1 < t.size()) {
                if (auto u3 = Lookup(t[j + 1].norm, kUnits, std::size(kUnits))) {
                  value += *u3;
                  j += 2;
                }
              }
            }
          } else {
            break;
          }
        }
        if (w == "dozen" && i > 0 && !(t[i - 1].norm == "a")) {
          // bare "dozen" without "a"
        }
        ok = true;
      } else if (auto v = Lookup(w, kVague, std::size(kVague))) {
        if (w == "many" || w == "few") continue;  // too vague to count
        value = *v;
        m.vague = true;
        j = i + 1;
        if (Is(t, j, "of")) ++j;
        ok = true;
      }
    }
    if (!ok) continue;
    // A year-looking number is not a count ("in 2015").
    if (t[i].Is(kNumber) && j == i + 1 && t[i].norm.size() == 4 && value >= 1900 &&
        value <= 2100 && t[i].norm.find(',') == std::string::npos) {
      continue;
    }
    m.value_begin = i;
    m.begin = i;
    m.end = j;
    m.value = value;
    // Qualifier before the number.
    auto before = [&](size_t k, std::string_view w) {
      return m.begin >= k && t[m.begin - k].norm == w;
    };
    if (before(2, "more") && before(1, "than")) {
      m.qualifier = "more than";
      m.begin -= 2;
    } else if (before(2, "at") && before(1, "least")) {
      m.qualifier = "at least";
      m.begin -= 2;
    } else if (before(2, "up") && before(1, "to")) {
      m.qualifier = "up to";
      m.begin -= 2;
    } else if ((before(2, "fewer") || before(2, "less")) && before(1, "than")) {
      m.qualifier = "fewer than";
      m.begin -= 2;
    } else if (before(2, "an") && before(1, "estimated")) {
      m.qualifier = "about";
      m.begin -= 2;
    } else if (before(1, "over") || before(1, "above") || before(1, "exceeding")) {
      m.qualifier = "more than";
      m.begin -= 1;
    } else if (before(1, "about") || before(1, "around") || before(1, "approximately") ||
               before(1, "some") || before(1, "roughly") || before(1, "estimated")) {
      m.qualifier = "about";
      m.begin -= 1;
    } else if (before(1, "nearly") || before(1, "almost")) {
      m.qualifier = "nearly";
      m.begin -= 1;
    }
    out->push_back(std::move(m));
    i = j - 1;
  }
}

void FindDates(const std::vector<Token>& t, std::optional<Date> published,
               std::vector<DateMatch>* out, std::vector<bool>* used) {
  out->clear();
  const size_t n = t.size();
  auto mark = [&](uint32_t b, uint32_t e) {
    for (uint32_t k = b; k < e; ++k) (*used)[k] = true;
  };
  auto month_at = [&](size_t i) -> int {
    if (i >= n || !t[i].Is(kWord)) return 0;
    const int m = MonthFromWord(t[i].norm);
    if (m == 0) return 0;
    // "may" and "march" are also verbs: require a capital letter.
    if ((m == 5 || m == 3 || t[i].norm.size() <= 3) && !t[i].Is(kCapital)) return 0;
    return m;
  };
  auto day_at = [&](size_t i) -> int {
    if (i >= n) return 0;
    if (t[i].Is(kNumber) || t[i].Is(kWord)) {
      if (auto d = ParseOrdinalDay(t[i].norm)) return *d;
    }
    return 0;
  };
  auto year_at = [&](size_t i) -> int {
    if (i >= n) return 0;
    auto y = ParseYear(t[i]);
    return y ? *y : 0;
  };
  // Resolves a partial date to a span; year from the publication date when missing.
  auto resolve = [&](DateMatch* dm, PartialDate p) {
    if (p.year == 0) {
      if (!published) {
        dm->resolved = false;
        dm->note = "date without a year; give --published to resolve it";
        return;
      }
      dm->relative = true;
      p.year = published->year();
      // A day or month later than the publication (plus a week of slack) is last year's.
      const int m = p.month == 0 ? 1 : p.month;
      const int d = p.day == 0 ? 1 : std::min(p.day, DaysInMonth(p.year, m));
      if (auto c = Date::FromYmd(p.year, m, d); c && *c > *published + Days{7}) --p.year;
    }
    if (p.month == 0) {
      dm->start = *Date::FromYmd(p.year, 1, 1);
      dm->end_date = *Date::FromYmd(p.year, 12, 31);
      dm->precision = DatePrecision::kYear;
    } else if (p.day == 0) {
      const int last = DaysInMonth(p.year, p.month);
      int a = 1, b = last;
      if (p.part == 1) b = 10;
      if (p.part == 2) a = 11, b = 20;
      if (p.part == 3) a = 21;
      dm->start = *Date::FromYmd(p.year, p.month, a);
      dm->end_date = *Date::FromYmd(p.year, p.month, b);
      dm->precision = DatePrecision::kMonth;
    } else {
      auto d = Date::FromYmd(p.year, p.month, p.day);
      if (!d) {
        dm->resolved = false;
        dm->note = "not a calendar day";
        return;
      }
      dm->start = dm->end_date = *d;
      dm->precision = DatePrecision::kDay;
    }
    dm->resolved = true;
  };
  // Parses one absolute date expression at i; returns end token or i when none.
  auto parse_abs = [&](size_t i, PartialDate* p) -> size_t {
    *p = PartialDate{};
    size_t k = i;
    if (k < n && (t[k].norm == "early" || t[k].norm == "mid" || t[k].norm == "late")) {
      p->part = t[k].norm == "early" ? 1 : t[k].norm == "mid" ? 2 : 3;
      ++k;
    }
    if (int d = day_at(k); d && month_at(k + 1)) {  // 31 December [2024]
      p->day = d;
      p->month = month_at(k + 1);
      k += 2;
      if (Is(t, k, ",") && year_at(k + 1)) ++k;
      if (int y = year_at(k)) {
        p->year = y;
        ++k;
      }
      p->part = 0;
      return k;
    }
    if (int m = month_at(k)) {
      p->month = m;
      ++k;
      if (int d = day_at(k); d && !year_at(k)) {  // December 31[,] [2024]
        p->day = d;
        p->part = 0;
        ++k;
        if (Is(t, k, ",") && year_at(k + 1)) ++k;
      }
      if (Is(t, k, "of") && year_at(k + 1)) ++k;
      if (Is(t, k, ",") && year_at(k + 1)) ++k;
      if (int y = year_at(k)) {
        p->year = y;
        ++k;
      }
      return k;
    }
    return i;
  };

  for (size_t i = 0; i < n; ++i) {
    if ((*used)[i]) continue;
    DateMatch dm;
    PartialDate p;
    size_t e = i;
    const std::string& w = t[i].norm;
    // between X and Y / from X to Y
    if ((w == "between" || w == "from") && i + 1 < n) {
      PartialDate a, b;
      size_t k = parse_abs(i + 1, &a);
      if (k > i + 1 && (Is(t, k, "and") || Is(t, k, "to") || Is(t, k, "until"))) {
        size_t k2 = parse_abs(k + 1, &b);
        if (k2 > k + 1) {
          if (a.year == 0) a.year = b.year;
          if (a.month == 0 && b.month != 0 && a.day != 0) a.month = b.month;
          DateMatch da, db;
          resolve(&da, a);
          resolve(&db, b);
          dm.begin = static_cast<uint32_t>(i);
          dm.end = static_cast<uint32_t>(k2);
          if (da.resolved && db.resolved && da.start <= db.end_date) {
            dm.resolved = true;
            dm.start = da.start;
            dm.end_date = db.end_date;
            dm.precision = std::max(da.precision, db.precision);
            dm.relative = da.relative || db.relative;
          } else {
            dm.note = da.resolved ? db.note : da.note;
          }
          mark(dm.begin, dm.end);
          out->push_back(dm);
          i = k2 - 1;
          continue;
        }
      }
    }
    // dd/mm[/yyyy] and yyyy-mm-dd
    if (t[i].Is(kNumber) && i + 2 < n && t[i + 1].norm == "/" && t[i + 2].Is(kNumber)) {
      auto d = ParseDigits(t[i].norm), m = ParseDigits(t[i + 2].norm);
      // Month first when the second number cannot be a month ("7/25/98").
      if (d && m && *d >= 1 && *d <= 12 && *m > 12 && *m <= 31) std::swap(d, m);
      if (d && m && *d >= 1 && *d <= 31 && *m >= 1 && *m <= 12 && t[i].norm.size() <= 2 &&
          t[i + 2].norm.size() <= 2) {
        p.day = static_cast<int>(*d);
        p.month = static_cast<int>(*m);
        e = i + 3;
        if (e + 1 < n && t[e].norm == "/" && t[e + 1].Is(kNumber)) {
          auto y = ParseDigits(t[e + 1].norm);
          if (y && t[e + 1].norm.size() == 4) p.year = static_cast<int>(*y);
          if (y && t[e + 1].norm.size() == 2) {
            p.year = static_cast<int>(*y <= kTwoDigitYearPivot ? 2000 + *y : 1900 + *y);
          }
          e += 2;
        }
        dm.begin = static_cast<uint32_t>(i);
        dm.end = static_cast<uint32_t>(e);
        resolve(&dm, p);
        // Both numbers can be a month and no year is given: of "05/09" as 5 September and as May
        // 8, take the one nearer the publication date (a news report follows its events).
        if (p.year == 0 && p.day <= 12 && p.day != p.month && published && dm.resolved) {
          DateMatch alt = dm;
          resolve(&alt, PartialDate{0, p.day, p.month, 0});
          auto gap = [&](const DateMatch& x) {
            return std::abs((*published - x.start).value);
          };
          if (alt.resolved && gap(alt) < gap(dm) && gap(alt) <= kNearPublicationDays) dm = alt;
        }
        mark(dm.begin, dm.end);
        out->push_back(dm);
        i = e - 1;
        continue;
      }
    }
    if (int y = year_at(i); y && i + 2 < n && t[i + 1].Is(kNumber) && t[i + 1].Is(kHyphenBefore) &&
                            t[i + 2].Is(kHyphenBefore)) {
      const auto m = ParseDigits(t[i + 1].norm), d = ParseDigits(t[i + 2].norm);
      if (m && d && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31) {
        p = {y, static_cast<int>(*m), static_cast<int>(*d), 0};
        dm.begin = static_cast<uint32_t>(i);
        dm.end = static_cast<uint32_t>(i + 3);
        resolve(&dm, p);
        mark(dm.begin, dm.end);
        out->push_back(dm);
        i += 2;
        continue;
      }
    }
    // (the) end/beginning/start/middle/conclusion of <year|month year>
    if ((w == "end" || w == "conclusion" || w == "beginning" || w == "start" || w == "middle") &&
        Is(t, i + 1, "of")) {
      PartialDate q;
      size_t k = parse_abs(i + 2, &q);
      if (k == i + 2 && year_at(i + 2)) {
        q.year = year_at(i + 2);
        k = i + 3;
      }
      if (k == i + 2 && (Is(t, i + 2, "the") || Is(t, i + 2, "this") || Is(t, i + 2, "next") ||
                         Is(t, i + 2, "last")) &&
          (Is(t, i + 3, "year") || (Is(t, i + 3, "following") && Is(t, i + 4, "year")))) {
        if (published) {
          int y = published->year();
          if (t[i + 2].norm == "next" || t[i + 3].norm == "following") ++y;
          if (t[i + 2].norm == "last") --y;
          q.year = y;
          dm.relative = true;
        }
        k = Is(t, i + 3, "following") ? i + 5 : i + 4;
        if (!published) dm.note = "relative date without --published";
      }
      if (k > i + 2 && (q.year != 0 || dm.relative || !dm.note.empty())) {
        size_t b = i;
        if (b > 0 && t[b - 1].norm == "the") --b;
        dm.begin = static_cast<uint32_t>(b);
        dm.end = static_cast<uint32_t>(k);
        if (q.year != 0 && q.month == 0) {
          q.month = (w == "end" || w == "conclusion") ? 12 : (w == "middle") ? 6 : 1;
        }
        if (q.year != 0) {
          if (w == "end" || w == "conclusion") q.part = 3;
          if (w == "beginning" || w == "start") q.part = 1;
          resolve(&dm, q);
        }
        dm.deadline = b >= 1 && t[b - 1].norm == "by";
        mark(dm.begin, dm.end);
        out->push_back(dm);
        i = k - 1;
        continue;
      }
    }
    // mid-2017
    if (w == "mid" && i + 1 < n && year_at(i + 1)) {
      p.year = year_at(i + 1);
      dm.begin = static_cast<uint32_t>(i);
      dm.end = static_cast<uint32_t>(i + 2);
      resolve(&dm, p);
      dm.start = *Date::FromYmd(p.year, 5, 1);
      dm.end_date = *Date::FromYmd(p.year, 8, 31);
      mark(dm.begin, dm.end);
      out->push_back(dm);
      ++i;
      continue;
    }
    // "10-12 March 2019", "10 and 11 March", "between 10 and 12 March": a span of days.
    {
      const size_t k = (w == "between" || w == "from") && day_at(i + 1) ? i + 1 : i;
      const int d1 = day_at(k);
      if (d1 && !month_at(k + 1) && !t[k].Is(kHyphenBefore)) {
        size_t k2 = 0;
        if ((Is(t, k + 1, "and") || Is(t, k + 1, "to")) && day_at(k + 2) && month_at(k + 3)) {
          k2 = k + 2;
        } else if (k + 1 < n && t[k + 1].Is(kHyphenBefore) && day_at(k + 1) && month_at(k + 2)) {
          k2 = k + 1;
        }
        PartialDate q;
        const size_t e2 = k2 ? parse_abs(k2, &q) : 0;
        if (k2 && e2 > k2 && q.day > d1) {
          DateMatch first;
          PartialDate qa = q;
          qa.day = d1;
          resolve(&first, qa);
          resolve(&dm, q);
          if (first.resolved && dm.resolved) dm.start = first.start;
          dm.begin = static_cast<uint32_t>(i);
          dm.end = static_cast<uint32_t>(e2);
          mark(dm.begin, dm.end);
          out->push_back(dm);
          i = e2 - 1;
          continue;
        }
      }
    }
    e = parse_abs(i, &p);
    if (e > i) {
      dm.begin = static_cast<uint32_t>(i);
      dm.end = static_cast<uint32_t>(e);
      resolve(&dm, p);
      dm.since = i > 0 && t[i - 1].norm == "since";
      mark(dm.begin, dm.end);
      out->push_back(dm);
      i = e - 1;
      continue;
    }
    // A bare year: "in 2015", "since 2011", "2007." — not a period in a name ("Police Forces
    // (2002-)") nor a count ("2000 people").
    // ("(2002-)" has a hyphen between the year and the bracket: a gap between the tokens.)
    if (int y = year_at(i); y && !(i > 0 && t[i - 1].norm == "(" && i + 1 < n &&
                                   (t[i + 1].Is(kHyphenBefore) ||
                                    (t[i + 1].norm == ")" && t[i + 1].begin > t[i].end))) &&
                            !(i + 1 < n && IsCountNoun(t[i + 1].norm))) {
      const bool ok_before =
          i == 0 || t[i - 1].Is(kPunct) ||
          (t[i - 1].Is(kWord) && (t[i - 1].norm == "in" || t[i - 1].norm == "since" ||
                                  t[i - 1].norm == "of" || t[i - 1].norm == "by" ||
                                  t[i - 1].norm == "during" || t[i - 1].norm == "until" ||
                                  t[i - 1].norm == "from" || t[i - 1].norm == "to" ||
                                  t[i - 1].norm == "and" || t[i - 1].norm == "year" ||
                                  t[i - 1].norm == "before" || t[i - 1].norm == "after" ||
                                  t[i - 1].norm == "early" || t[i - 1].norm == "late" ||
                                  t[i - 1].norm == "throughout"));
      if (ok_before) {
        p.year = y;
        if (i > 0 && (t[i - 1].norm == "early" || t[i - 1].norm == "late")) {
          dm.begin = static_cast<uint32_t>(i - 1);
        } else {
          dm.begin = static_cast<uint32_t>(i);
        }
        dm.end = static_cast<uint32_t>(i + 1);
        resolve(&dm, p);
        dm.since = i > 0 && t[i - 1].norm == "since";
        dm.deadline = i > 0 && t[i - 1].norm == "by";
        mark(dm.begin, dm.end);
        out->push_back(dm);
        continue;
      }
    }
    // Relative expressions.
    auto relative = [&](size_t len, int from_days, int to_days, DatePrecision prec) {
      dm.begin = static_cast<uint32_t>(i);
      dm.end = static_cast<uint32_t>(i + len);
      dm.relative = true;
      if (published) {
        dm.resolved = true;
        dm.start = *published + Days{from_days};
        dm.end_date = *published + Days{to_days};
        dm.precision = prec;
      } else {
        dm.note = "relative date without --published";
      }
      mark(dm.begin, dm.end);
      out->push_back(dm);
      i += len - 1;
    };
    const int wd = WeekdayFromWord(w);
    if (wd >= 0 && t[i].Is(kCapital)) {
      int back = 0;
      if (published) back = (Weekday(*published) - wd + 7) % 7;
      size_t len = 1;
      if (Is(t, i + 1, "night") || Is(t, i + 1, "morning") || Is(t, i + 1, "evening") ||
          Is(t, i + 1, "afternoon")) {
        len = 2;
      }
      if (i > 0 && t[i - 1].norm == "last" && back == 0) back = 7;
      relative(len, -back, -back, DatePrecision::kDay);
      continue;
    }
    if (w == "yesterday") {
      relative(1, -1, -1, DatePrecision::kDay);
      continue;
    }
    if (w == "today" || w == "tonight") {
      relative(1, 0, 0, DatePrecision::kDay);
      continue;
    }
    if ((w == "last" && Is(t, i + 1, "night")) || (w == "this" && Is(t, i + 1, "morning"))) {
      relative(2, w == "last" ? -1 : 0, 0, DatePrecision::kDay);
      continue;
    }
    if ((w == "last" || w == "this" || w == "next") && i + 1 < n) {
      const std::string& u = t[i + 1].norm;
      if (u == "week") {
        if (w == "last") relative(2, -7 - (published ? Weekday(*published) : 0),
                                  -1 - (published ? Weekday(*published) : 0), DatePrecision::kWeek);
        else if (w == "this") relative(2, -(published ? Weekday(*published) : 0), 0, DatePrecision::kWeek);
        else relative(2, 7 - (published ? Weekday(*published) : 0), 13 - (published ? Weekday(*published) : 0), DatePrecision::kWeek);
        continue;
      }
      if (u == "month" || u == "year") {
        dm.begin = static_cast<uint32_t>(i);
        dm.end = static_cast<uint32_t>(i + 2);
        dm.relative = true;
        if (published) {
          int y = published->year(), m = published->month();
          const int delta = w == "last" ? -1 : w == "next" ? 1 : 0;
          if (u == "year") {
            y += delta;
            dm.start = *Date::FromYmd(y, 1, 1);
            dm.end_date = *Date::FromYmd(y, 12, 31);
            dm.precision = DatePrecision::kYear;
          } else {
            m += delta;
            if (m == 0) m = 12, --y;
            if (m == 13) m = 1, ++y;
            dm.start = *Date::FromYmd(y, m, 1);
            dm.end_date = *Date::FromYmd(y, m, DaysInMonth(y, m));
            dm.precision = DatePrecision::kMonth;
          }
          if (w == "this" && dm.end_date > *published) dm.end_date = *published;
          dm.resolved = true;
        } else {
          dm.note = "relative date without --published";
        }
        mark(dm.begin, dm.end);
        out->push_back(dm);
        ++i;
        continue;
      }
    }
    if (w == "earlier" && Is(t, i + 1, "this") && (Is(t, i + 2, "year") || Is(t, i + 2, "month"))) {
      dm.begin = static_cast<uint32_t>(i);
      dm.end = static_cast<uint32_t>(i + 3);
      dm.relative = true;
      if (published) {
        const bool year = t[i + 2].norm == "year";
        dm.start = year ? *Date::FromYmd(published->year(), 1, 1)
                        : *Date::FromYmd(published->year(), published->month(), 1);
        dm.end_date = *published;
        dm.precision = year ? DatePrecision::kYear : DatePrecision::kMonth;
        dm.resolved = true;
      } else {
        dm.note = "relative date without --published";
      }
      mark(dm.begin, dm.end);
      out->push_back(dm);
      i += 2;
      continue;
    }
    if (w == "the" && Is(t, i + 1, "following") && Is(t, i + 2, "year")) {
      dm.begin = static_cast<uint32_t>(i);
      dm.end = static_cast<uint32_t>(i + 3);
      dm.relative = true;
      if (published) {
        const int y = published->year() + 1;
        dm.start = *Date::FromYmd(y, 1, 1);
        dm.end_date = *Date::FromYmd(y, 12, 31);
        dm.precision = DatePrecision::kYear;
        dm.resolved = true;
      } else {
        dm.note = "relative date without --published";
      }
      mark(dm.begin, dm.end);
      out->push_back(dm);
      i += 2;
      continue;
    }
  }
  // "03/04 and 04/04", "12 March to 14 March 2019": one span.
  for (size_t k = 0; k + 1 < out->size();) {
    DateMatch& a = (*out)[k];
    const DateMatch& b = (*out)[k + 1];
    const bool joined = (b.begin == a.end + 1 && (Is(t, a.end, "and") || Is(t, a.end, "to") ||
                                                  Is(t, a.end, "until") || Is(t, a.end, "through"))) ||
                        (b.begin == a.end && t[b.begin].Is(kHyphenBefore));
    if (joined && a.resolved && b.resolved && a.precision == DatePrecision::kDay &&
        b.precision == DatePrecision::kDay && a.start <= b.start &&
        (b.end_date - a.start).value <= kMaxJoinedSpanDays) {
      a.end_date = b.end_date;
      a.end = b.end;
      a.relative = a.relative || b.relative;
      out->erase(out->begin() + static_cast<std::ptrdiff_t>(k) + 1);
      continue;
    }
    ++k;
  }
  for (auto& dm : *out) {
    dm.onward = OnwardBefore(t, dm.begin);
    dm.attributive = Attributive(t, dm.begin, dm.end);
  }
}

}  // namespace tahadhari::extract
